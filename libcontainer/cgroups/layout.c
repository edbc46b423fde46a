/* The host's cgroup layout: which hierarchies are mounted where
 * (/proc/self/mountinfo), husk's own cgroup in each (/proc/self/cgroup),
 * and whether that makes a v1, v2 or hybrid host. */
#include "config.h"
#include "cgroups/internal.h"
#include "utils.h"

static const char *const v1_controllers[] = {
  "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "hugetlb",
  "net_cls", "net_prio", "perf_event", "rdma", "misc", NULL,
};

const char *
cg_mode_name (enum cg_mode m)
{
  switch (m)
    {
    case CG_MODE_V1: return "v1";
    case CG_MODE_HYBRID: return "hybrid";
    case CG_MODE_V2: return "v2";
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

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void
unescape (char *s)
{
  char *w = s;
  for (char *r = s; *r; r++)
    {
      if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7'
          && r[3] >= '0' && r[3] <= '7')
        {
          *w++ = (char) (((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
          r += 3;
        }
      else
        *w++ = *r;
    }
  *w = '\0';
}

static int
add_mount (struct cg_layout *l, const char *mnt, const char *root, const char *ctrls, bool v2,
           struct husk_error *err)
{
  for (size_t i = 0; i < l->n; i++)
    if (l->m[i].v2 == v2 && strcmp (l->m[i].ctrls, ctrls) == 0)
      return 0;   /* a second mount of the same hierarchy */
  struct cg_mount *m = realloc (l->m, (l->n + 1) * sizeof *m);
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
      bool known = strncmp (t, "name=", 5) == 0;
      for (size_t i = 0; !known && v1_controllers[i]; i++)
        known = strcmp (t, v1_controllers[i]) == 0;
      if (known)
        len += (size_t) snprintf (out + len, len < size ? size - len : 0, "%s%s",
                                  len ? "," : "", t);
    }
}

int
cg_parse_mountinfo (const char *text, struct cg_layout *l, struct husk_error *err)
{
  _cleanup_free_ char *copy = strdup (text);
  if (copy == NULL)
    return husk_error_set (err, ENOMEM, "mountinfo");
  char *save = NULL;
  for (char *line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *f[6];
      char *p = line, *s2 = NULL;
      int nf = 0;
      while (nf < 6 && (f[nf] = strtok_r (nf == 0 ? p : NULL, " ", &s2)) != NULL)
        nf++;
      if (nf < 6)
        continue;
      /* optional fields up to "-", then fstype, source, super options */
      char *t, *fstype = NULL, *super = NULL;
      while ((t = strtok_r (NULL, " ", &s2)) && strcmp (t, "-") != 0)
        ;
      if (t == NULL || (fstype = strtok_r (NULL, " ", &s2)) == NULL
          || strtok_r (NULL, " ", &s2) == NULL || (super = strtok_r (NULL, " ", &s2)) == NULL)
        continue;
      unescape (f[3]);
      unescape (f[4]);
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
  if (!v1 && l->v2 < 0)
    return husk_error_setx (err, ENOENT, "no cgroup hierarchy is mounted (/proc/self/mountinfo)");
  l->mode = !v1 ? CG_MODE_V2 : l->v2 >= 0 ? CG_MODE_HYBRID : CG_MODE_V1;
  return 0;
}

int
cg_parse_proc_cgroup (const char *text, struct cg_layout *l, struct husk_error *err)
{
  _cleanup_free_ char *copy = strdup (text);
  if (copy == NULL)
    return husk_error_set (err, ENOMEM, "/proc/self/cgroup");
  char *save = NULL;
  for (char *line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *c1 = strchr (line, ':');
      char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
      if (c2 == NULL)
        continue;
      *c1 = *c2 = '\0';
      const char *ctrls = c1 + 1, *path = c2 + 1;
      bool v2 = strcmp (line, "0") == 0 && *ctrls == '\0';
      for (size_t i = 0; i < l->n; i++)
        {
          struct cg_mount *m = &l->m[i];
          if (m->own || m->v2 != v2)
            continue;
          /* v1: the mount's controllers are those of the line (in any order) */
          bool match = v2;
          if (!v2)
            {
              match = true;
              _cleanup_free_ char *mc = strdup (m->ctrls);
              char *s3 = NULL;
              for (char *t = mc ? strtok_r (mc, ",", &s3) : NULL; t; t = strtok_r (NULL, ",", &s3))
                if (!cg_list_has (ctrls, ',', t))
                  match = false;
            }
          if (match && (m->own = strdup (path)) == NULL)
            return husk_error_set (err, ENOMEM, "/proc/self/cgroup");
        }
    }
  return 0;
}

int
cg_layout_load (const char *fs_root, struct cg_layout *l, struct husk_error *err)
{
  const char *r = fs_root ? fs_root : "";
  char path[PATH_MAX];
  memset (l, 0, sizeof *l);
  l->v2 = -1;
  _cleanup_free_ char *mi = NULL, *pc = NULL;
  snprintf (path, sizeof path, "%s/proc/self/mountinfo", r);
  int ret = hk_read_file (path, 4 << 20, &mi, NULL, err);
  if (ret < 0 || (ret = cg_parse_mountinfo (mi, l, err)) < 0)
    return ret;
  snprintf (path, sizeof path, "%s/proc/self/cgroup", r);
  ret = hk_read_file (path, 1 << 20, &pc, NULL, err);
  if (ret < 0 || (ret = cg_parse_proc_cgroup (pc, l, err)) < 0)
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

void
cg_layout_clear (struct cg_layout *l)
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

int
cg_layout_v1 (const struct cg_layout *l, const char *ctrl)
{
  for (size_t i = 0; i < l->n; i++)
    if (!l->m[i].v2 && cg_list_has (l->m[i].ctrls, ',', ctrl))
      return (int) i;
  return -1;
}

bool
cg_layout_v2_has (const struct cg_layout *l, const char *ctrl)
{
  return l->v2 >= 0 && cg_list_has (l->v2_ctrls, ' ', ctrl);
}
