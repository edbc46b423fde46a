/* SPDX-License-Identifier: Apache-2.0 */
/* The record of the container's cgroup kept in state.json ("cgroup"): the
 * driver, the host's mode, every place (and what husk made), the resources
 * in force. */
#include "config.h"
#include "cgroups/internal.h"
#include "json.h"
#include "utils.h"

int
hk_cgroup_to_state (const struct husk_cgroup *cg, char **out, struct husk_error *err)
{
  *out = NULL;
  if (cg->n == 0 && !cg->drv->record_empty)
    return 0; /* no cgroup at all (rootless without delegation): no record */
  _cleanup_gen_ yajl_gen g = hk_json_gen (NULL);
  if (g == NULL)
    return husk_error_set (err, ENOMEM, "cgroup state");
  yajl_gen_map_open (g);
  hk_json_kstr (g, "driver", cg->drv->name);
  hk_json_kstr (g, "mode", hk_cgroup_mode_name (cg->mode));
  if (cg->unit)
    {
      hk_json_kstr (g, "slice", cg->slice);
      hk_json_kstr (g, "unit", cg->unit);
    }
  hk_json_key (g, "places");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < cg->n; i++)
    {
      yajl_gen_map_open (g);
      hk_json_kstr (g, "controllers", cg->p[i].ctrls);
      hk_json_kbool (g, "v2", cg->p[i].v2);
      hk_json_kstr (g, "path", cg->p[i].dir);
      if (cg->p[i].top)
        hk_json_kstr (g, "created", cg->p[i].top);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
  if (cg->resources)
    {
      yajl_val r;
      int ret = hk_json_parse (cg->resources, strlen (cg->resources), "cgroup state: resources", &r,
                               err);
      if (ret < 0)
        return ret;
      hk_json_key (g, "resources");
      int st = cg_json_emit (g, r);
      yajl_tree_free (r);
      if (st != yajl_gen_status_ok)
        return husk_error_setx (err, EINVAL,
                                "cgroup state: resources: cannot be recorded "
                                "(nested too deeply)");
    }
  yajl_gen_map_close (g);
  return hk_json_finish (g, false, out, NULL, err);
}

/* path is clean and absolute: no empty, "." or ".." component. */
static bool
clean_abs (const char *path)
{
  if (path[0] != '/')
    return false;
  for (const char *c = path + 1;;)
    {
      const char *e = strchrnul (c, '/');
      size_t n = (size_t) (e - c);
      if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
        return false;
      if (*e == '\0')
        return true;
      c = e + 1;
    }
}

/* below is a proper descendant of top (component-wise). */
static bool
strictly_below (const char *path, const char *top)
{
  size_t tl = strlen (top);
  while (tl > 1 && top[tl - 1] == '/')
    tl--;
  return strncmp (path, top, tl) == 0 && path[tl] == '/' && path[tl + 1] != '\0';
}

int
cg_record_place_ok (const struct hk_cgroup_layout *l, const char *ctrls, bool v2, const char *path,
                    const char *created, size_t i, struct husk_error *err)
{
  if (!clean_abs (path) || (created && !clean_abs (created)))
    return husk_error_setx (err, EINVAL,
                            "state.json: cgroup: places[%zu]: \"%s\" is not a clean absolute path",
                            i, created && clean_abs (path) ? created : path);
  /* below the mount of the very hierarchy it names, never the mount itself */
  for (size_t k = 0; k < l->n; k++)
    {
      const struct hk_cgroup_mount *m = &l->m[k];
      if (m->v2 != v2 || strcmp (m->ctrls, ctrls) != 0 || !strictly_below (path, m->mount))
        continue;
      if (created
          && !(strictly_below (created, m->mount)
               && (strcmp (created, path) == 0 || strictly_below (path, created))))
        return husk_error_setx (err, EINVAL,
                                "state.json: cgroup: places[%zu]: \"%s\" is not between %s and %s",
                                i, created, m->mount, path);
      return 0;
    }
  return husk_error_setx (err, EINVAL,
                          "state.json: cgroup: places[%zu]: \"%s\" is not below the cgroup mount "
                          "of \"%s\"",
                          i, path, ctrls);
}

int
hk_cgroup_from_state (const char *s, const char *fs_root, struct husk_cgroup **out,
                      struct husk_error *err)
{
  struct husk_cgroup *cg = NULL;
  *out = NULL;
  yajl_val root = NULL;
  int pret = hk_json_parse (s, strlen (s), "state.json: cgroup", &root, err);
  if (pret < 0)
    return pret;
  if (!YAJL_IS_OBJECT (root))
    {
      yajl_tree_free (root);
      return husk_error_setx (err, EINVAL, "state.json: cgroup: not a cgroup record");
    }
  /* the record is as hostile as the rest of state.json: every path must
   * lie below the cgroup mount of its hierarchy (on this host, now) */
  struct hk_cgroup_layout l;
  int ret = cg_layout_load (fs_root, &l, err);
  if (ret < 0)
    {
      hk_cgroup_layout_clear (&l);
      yajl_tree_free (root);
      return husk_error_prefix (err, "state.json: cgroup");
    }
  if ((ret = cg_new (fs_root, &cg, err)) < 0)
    goto out;
  const char *drv = hk_json_get_str (root, "driver");
  const char *mode = hk_json_get_str (root, "mode");
  /* the driver the container was made with, for the mode it was made on */
  cg_set_driver (cg, drv && strcmp (drv, "systemd") == 0,
                 mode && strcmp (mode, "v2") == 0       ? HK_CGROUP_V2
                 : mode && strcmp (mode, "hybrid") == 0 ? HK_CGROUP_HYBRID
                                                        : HK_CGROUP_V1);
  const char *sl = hk_json_get_str (root, "slice"), *unit = hk_json_get_str (root, "unit");
  if ((sl && (cg->slice = strdup (sl)) == NULL) || (unit && (cg->unit = strdup (unit)) == NULL))
    {
      ret = husk_error_set (err, ENOMEM, "cgroup");
      goto out;
    }
  yajl_val places = hk_json_get (root, "places", yajl_t_array);
  for (size_t i = 0; places && i < places->u.array.len; i++)
    {
      yajl_val p = places->u.array.values[i];
      const char *ctrls = hk_json_get_str (p, "controllers");
      const char *path = hk_json_get_str (p, "path");
      const char *top = hk_json_get_str (p, "created");
      if (ctrls == NULL || path == NULL)
        {
          ret = husk_error_setx (err, EINVAL, "state.json: cgroup: places[%zu]: incomplete", i);
          goto out;
        }
      bool v2 = hk_json_get (p, "v2", yajl_t_true) != NULL;
      if ((ret = cg_record_place_ok (&l, ctrls, v2, path, top, i, err)) < 0)
        goto out;
      if ((ret = cg_add_place (cg, ctrls, v2, path, err)) < 0)
        goto out;
      if (top && (cg->p[cg->n - 1].top = strdup (top)) == NULL)
        {
          ret = husk_error_set (err, ENOMEM, "cgroup");
          goto out;
        }
    }
  yajl_val res = hk_json_get (root, "resources", yajl_t_object);
  if (res && (ret = cg_json_text (res, &cg->resources, err)) < 0)
    goto out;
  *out = cg;
  cg = NULL;
out:
  hk_cgroup_free (cg);
  hk_cgroup_layout_clear (&l);
  yajl_tree_free (root);
  return ret;
}
