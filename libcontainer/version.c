/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <seccomp.h>
#include <stdio.h>
#include "husk/husk.h"

const char *
husk_version (void)
{
  return PACKAGE_VERSION;
}

void
husk_libseccomp_version (char *buf, size_t size)
{
  const struct scmp_version *v = seccomp_version ();
  if (v)
    snprintf (buf, size, "%u.%u.%u", v->major, v->minor, v->micro);
  else
    snprintf (buf, size, "unknown");
}
