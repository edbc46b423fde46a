/* SPDX-License-Identifier: Apache-2.0 */
/* The host's cgroup hierarchies, discovered in one place: which are mounted
 * where (/proc/self/mountinfo), the process's own cgroup in each
 * (/proc/self/cgroup), and whether that makes a v1, v2 or hybrid host.
 *
 * The cgroups module builds the container's cgroup on it; rootfs uses it
 * to mount the hierarchies inside the container. Nothing outside
 * libcontainer/cgroups/ parses mountinfo or /proc/PID/cgroup for cgroups. */
#ifndef HUSK_CGROUPS_LAYOUT_H
#define HUSK_CGROUPS_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include "husk/error.h"

enum hk_cgroup_mode
{
  HK_CGROUP_NONE = 0, /* no hierarchy is mounted */
  HK_CGROUP_V1,       /* v1 controller hierarchies, no cgroup2 */
  HK_CGROUP_HYBRID,   /* v1 controller hierarchies and a cgroup2 mount */
  HK_CGROUP_V2,       /* cgroup2 only (named v1 hierarchies aside) */
};

/* One mounted hierarchy (the first mount of each). */
struct hk_cgroup_mount
{
  char *mount; /* mount point, e.g. "/sys/fs/cgroup/memory" */
  char *root;  /* the hierarchy's directory seen there (mountinfo field 4) */
  char *ctrls; /* v1: "cpu,cpuacct" or "name=systemd"; v2: "" */
  bool v2;
  char *own; /* the process's own cgroup in it (/proc/self/cgroup), or NULL */
};

struct hk_cgroup_layout
{
  enum hk_cgroup_mode mode;
  struct hk_cgroup_mount *m;
  size_t n;
  int v2;         /* index of the cgroup2 mount, -1 when none */
  char *v2_ctrls; /* the v2 root's cgroup.controllers ("cpu io memory"), or NULL */
};

/* The layout from the text of /proc/self/mountinfo and /proc/self/cgroup
 * (proc_cgroup may be NULL). A hierarchy is mounted once: a second mount
 * of the same controllers (in any order) is left out. No hierarchy at all
 * is not an error here: mode is HK_CGROUP_NONE. */
int hk_cgroup_layout_parse (const char *mountinfo, const char *proc_cgroup,
                            struct hk_cgroup_layout *l, struct husk_error *err);
/* The same from fs_root/proc/self/mountinfo and fs_root/proc/self/cgroup
 * (fs_root NULL: the real ones), and the v2 root's cgroup.controllers. */
int hk_cgroup_layout_load (const char *fs_root, struct hk_cgroup_layout *l, struct husk_error *err);
void hk_cgroup_layout_clear (struct hk_cgroup_layout *l);
const char *hk_cgroup_mode_name (enum hk_cgroup_mode m);

/* The process's own cgroup in m relative to the mount's root (what a bind
 * of the mount point shows it as): "/" when it has none or it lies
 * outside the mount's root. */
const char *hk_cgroup_own_in_mount (const struct hk_cgroup_mount *m);

#endif
