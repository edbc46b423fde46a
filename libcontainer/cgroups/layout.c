/* SPDX-License-Identifier: Apache-2.0 */
/* The host's cgroup layout (cgroups/layout.h): which hierarchies are
 * mounted where (/proc/self/mountinfo), the process's own cgroup in each
 * (/proc/self/cgroup), and whether that makes a v1, v2 or hybrid host. The
 * one place husk reads those files for cgroups. */
#include "config.h"
#include "cgroups/internal.h"
#include "utils.h"

/* The v1 controllers (and "name=..." hierarchies) a mount's super options
 * may name; anything else there ("rw", "xattr", "clone_children",
 * "release_agent=...") is an option. */
static const char *const v1_controllers[] = {
  "cpu",     "cpuacct", "cpuset",   "memory",     "devices", "freezer", "blkio", "io", "pids",
  "hugetlb", "net_cls", "net_prio", "perf_event", "rdma",    "misc",    "debug", NULL,
};

const char *
hk_cgroup_mode_name (enum hk_cgroup_mode m)
{
  switch (m)
    {
    case HK_CGROUP_V1:
      return "v1";
    case HK_CGROUP_HYBRID:
      return "hybrid";
    case HK_CGROUP_V2:
      return "v2";
    case HK_CGROUP_NONE:
      break;
    }
  return "none";
}

bool
cg_list_has (const char *list, char sep, const char *word)
{
  size_t wl = strlen (word);
  for (const char *p = list; p && *p;)
    {
      while (*p == sep || (sep == ' ' && *p == '\n'))
        p++;
      const char *e = p;
      while (*e && *e != sep && !(sep == ' ' && *e == '\n'))
        e++;
      if ((size_t) (e - p) == wl && wl > 0 && strncmp (p, word, wl) == 0)
        return true;
      p = e;
    }
  return false;
}

/* Every word of the comma list a is in b. */
static bool
all_in (const char *a, const char *b)
{
  _cleanup_free_ char *copy = strdup (a);
  char *save = NULL;
  if (copy == NULL)
    return false;
  for (char *t = strtok_r (copy, ",", &save); t; t = strtok_r (NULL, ",", &save))
    if (!cg_list_has (b, ',', t))
      return false;
  return true;
}

static int
add_mount (struct hk_cgroup_layout *l, const char *mnt, const char *root, const char *ctrls,
           bool v2, struct husk_error *err)
{
  /* a second mount of the same hierarchy (its controllers in any order) */
  for (size_t i = 0; i < l->n; i++)
    if (l->m[i].v2 == v2 && all_in (l->m[i].ctrls, ctrls) && all_in (ctrls, l->m[i].ctrls))
      return 0;
  struct hk_cgroup_mount *m = realloc (l->m, (l->n + 1) * sizeof *m);
  if (m == NULL)
    return husk_error_set (err, ENOMEM, "cgroup layout");
  l->m = m;
  m = &l->m[l->n];
  memset (m, 0, sizeof *m);
  m->v2 = v2;
  m->mount = strdup (mnt);
  m->root = strdup (root);
  m->ctrls = strdup (ctrls);
  l->n++;
  if (m->mount == NULL || m->root == NULL || m->ctrls == NULL)
    return husk_error_set (err, ENOMEM, "cgroup layout");
  if (v2 && l->v2 < 0)
    l->v2 = (int) (l->n - 1);
  return 0;
}

/* The controllers of a v1 mount from its super options: "rw,cpu,cpuacct". */
static void
v1_ctrls (const char *opts, char *out, size_t size)
{
  size_t len = 0;
  out[0] = '\0';
  _cleanup_free_ char *copy = strdup (opts);
  if (copy == NULL)
    return;
  char *save = NULL;
  for (char *t = strtok_r (copy, ",", &save); t; t = strtok_r (NULL, ",", &save))
    {
      bool known = strncmp (t, "name=", 5) == 0 && t[5] != '\0';
      for (size_t i = 0; !known && v1_controllers[i]; i++)
        known = strcmp (t, v1_controllers[i]) == 0;
      if (known)
        len += (size_t) snprintf (out + len, len < size ? size - len : 0, "%s%s", len ? "," : "",
                                  t);
    }
}

/* The hierarchies of mountinfo text, in order; l->mode is set. */
static int
parse_mountinfo (const char *text, struct hk_cgroup_layout *l, struct husk_error *err)
{
  _cleanup_free_ char *copy = strdup (text);
  if (copy == NULL)
    return husk_error_set (err, ENOMEM, "mountinfo");
  char *save = NULL;
  for (char *line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPER */
      char *f[6];
      char *p = line, *s2 = NULL;
      int nf = 0;
      while (nf < 6 && (f[nf] = strtok_r (nf == 0 ? p : NULL, " ", &s2)) != NULL)
        nf++;
      if (nf < 6)
        continue;
      char *t, *fstype = NULL, *super = NULL;
      while ((t = strtok_r (NULL, " ", &s2)) && strcmp (t, "-") != 0)
        ;
      if (t == NULL || (fstype = strtok_r (NULL, " ", &s2)) == NULL
          || strtok_r (NULL, " ", &s2) == NULL || (super = strtok_r (NULL, " ", &s2)) == NULL)
        continue;
      hk_mountinfo_unescape (f[3]);
      hk_mountinfo_unescape (f[4]);
      int ret = 0;
      if (strcmp (fstype, "cgroup2") == 0)
        ret = add_mount (l, f[4], f[3], "", true, err);
      else if (strcmp (fstype, "cgroup") == 0)
        {
          char ctrls[256];
          v1_ctrls (super, ctrls, sizeof ctrls);
          if (ctrls[0])
            ret = add_mount (l, f[4], f[3], ctrls, false, err);
        }
      if (ret < 0)
        return ret;
    }
  bool v1 = false;
  for (size_t i = 0; i < l->n; i++)
    if (!l->m[i].v2 && strncmp (l->m[i].ctrls, "name=", 5) != 0)
      v1 = true;
  l->mode = v1 ? (l->v2 >= 0 ? HK_CGROUP_HYBRID : HK_CGROUP_V1)
               : (l->v2 >= 0 ? HK_CGROUP_V2 : HK_CGROUP_NONE);
  return 0;
}

int
cg_parse_mountinfo (const char *text, struct hk_cgroup_layout *l, struct husk_error *err)
{
  int ret = parse_mountinfo (text, l, err);
  if (ret == 0 && l->mode == HK_CGROUP_NONE)
    return husk_error_setx (err, ENOENT, "no cgroup hierarchy is mounted (/proc/self/mountinfo)");
  return ret;
}

int
cg_parse_proc_cgroup (const char *text, struct hk_cgroup_layout *l, struct husk_error *err)
{
  _cleanup_free_ char *copy = strdup (text);
  if (copy == NULL)
    return husk_error_set (err, ENOMEM, "/proc/self/cgroup");
  char *save = NULL;
  for (char *line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      /* ID:CONTROLLERS:PATH; v2 is "0::PATH" */
      char *c1 = strchr (line, ':');
      char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
      if (c2 == NULL)
        continue;
      *c1 = *c2 = '\0';
      const char *ctrls = c1 + 1, *path = c2 + 1;
      bool v2 = strcmp (line, "0") == 0 && *ctrls == '\0';
      for (size_t i = 0; i < l->n; i++)
        {
          struct hk_cgroup_mount *m = &l->m[i];
          if (m->own || m->v2 != v2)
            continue;
          /* v1: the mount's controllers are those of the line (in any order) */
          if ((v2 || all_in (m->ctrls, ctrls)) && (m->own = strdup (path)) == NULL)
            return husk_error_set (err, ENOMEM, "/proc/self/cgroup");
        }
    }
  return 0;
}

int
hk_cgroup_layout_parse (const char *mountinfo, const char *proc_cgroup, struct hk_cgroup_layout *l,
                        struct husk_error *err)
{
  memset (l, 0, sizeof *l);
  l->v2 = -1;
  int ret = parse_mountinfo (mountinfo, l, err);
  if (ret == 0 && proc_cgroup)
    ret = cg_parse_proc_cgroup (proc_cgroup, l, err);
  return ret;
}

int
hk_cgroup_layout_load (const char *fs_root, struct hk_cgroup_layout *l, struct husk_error *err)
{
  const char *r = fs_root ? fs_root : "";
  char path[PATH_MAX];
  memset (l, 0, sizeof *l);
  l->v2 = -1;
  _cleanup_free_ char *mi = NULL, *pc = NULL;
  snprintf (path, sizeof path, "%s/proc/self/mountinfo", r);
  int ret = hk_read_file (path, 16 << 20, &mi, NULL, err);
  if (ret < 0)
    return ret;
  snprintf (path, sizeof path, "%s/proc/self/cgroup", r);
  ret = hk_read_file (path, 1 << 20, &pc, NULL, err);
  if (ret < 0 || (ret = hk_cgroup_layout_parse (mi, pc, l, err)) < 0)
    return ret;
  if (l->v2 >= 0)
    {
      snprintf (path, sizeof path, "%s%s/cgroup.controllers", r, l->m[l->v2].mount);
      struct husk_error ignored;
      if (hk_read_file (path, 4096, &l->v2_ctrls, NULL, &ignored) < 0)
        l->v2_ctrls = NULL;
    }
  return 0;
}

int
cg_layout_load (const char *fs_root, struct hk_cgroup_layout *l, struct husk_error *err)
{
  int ret = hk_cgroup_layout_load (fs_root, l, err);
  if (ret == 0 && l->mode == HK_CGROUP_NONE)
    return husk_error_setx (err, ENOENT, "no cgroup hierarchy is mounted (/proc/self/mountinfo)");
  return ret;
}

void
hk_cgroup_layout_clear (struct hk_cgroup_layout *l)
{
  for (size_t i = 0; i < l->n; i++)
    {
      free (l->m[i].mount);
      free (l->m[i].root);
      free (l->m[i].ctrls);
      free (l->m[i].own);
    }
  free (l->m);
  free (l->v2_ctrls);
  memset (l, 0, sizeof *l);
  l->v2 = -1;
}

const char *
hk_cgroup_own_in_mount (const struct hk_cgroup_mount *m)
{
  const char *own = m->own;
  if (own == NULL)
    return "/";
  size_t rl = strlen (m->root);
  while (rl > 0 && m->root[rl - 1] == '/')
    rl--;
  if (rl == 0)
    return own; /* the mount shows the whole hierarchy */
  if (strncmp (own, m->root, rl) != 0 || (own[rl] != '/' && own[rl] != '\0'))
    return "/"; /* outside the mount's subtree */
  return own[rl] ? own + rl : "/";
}

int
cg_layout_v1 (const struct hk_cgroup_layout *l, const char *ctrl)
{
  for (size_t i = 0; i < l->n; i++)
    if (!l->m[i].v2 && cg_list_has (l->m[i].ctrls, ',', ctrl))
      return (int) i;
  return -1;
}

bool
cg_layout_v2_has (const struct hk_cgroup_layout *l, const char *ctrl)
{
  return l->v2 >= 0 && cg_list_has (l->v2_ctrls, ' ', ctrl);
}
