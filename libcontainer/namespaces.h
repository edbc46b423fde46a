/* SPDX-License-Identifier: Apache-2.0 */
/* Namespaces: names, clone flags, joining by path. */
#ifndef HUSK_NAMESPACES_H
#define HUSK_NAMESPACES_H

#include <stdbool.h>
#include "husk/error.h"

struct husk_ns_info
{
  const char *name;      /* OCI type: "pid", "network", ... */
  const char *proc_name; /* /proc/PID/ns/NAME: "pid", "net", ... */
  int flag;              /* CLONE_NEW* */
};

/* The table entry of an enum husk_spec_ns_type, or NULL. */
const struct husk_ns_info *hk_ns_by_type (int type);
/* The table entry of an OCI namespace type, or NULL. */
const struct husk_ns_info *hk_ns_by_name (const char *name);
const struct husk_ns_info *hk_ns_by_flag (int flag);

/* Open a namespace file and check that it is a namespace of the expected
 * type (NS_GET_NSTYPE): "linux.namespaces[i].path \"P\": not a network namespace". */
int hk_ns_open_path (const char *path, const struct husk_ns_info *ns, int *fd,
                     struct husk_error *err);

#endif
