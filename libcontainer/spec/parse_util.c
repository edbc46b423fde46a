/* SPDX-License-Identifier: Apache-2.0 */
/* Typed readers over yajl_tree values, with the JSON path of every error. */
#include "config.h"
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spec_internal.h"
#include "utils.h"

void
spec_ctx_init (struct spec_ctx *c, const char *name, struct husk_error *err)
{
  c->name = name ? name : "config.json";
  c->err = err;
  c->len = 0;
  c->path[0] = '\0';
}

static size_t ctx_append (struct spec_ctx *c, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

static size_t
ctx_append (struct spec_ctx *c, const char *fmt, ...)
{
  size_t old = c->len;
  if (c->len + 1 >= sizeof c->path)
    return old;
  va_list ap;
  va_start (ap, fmt);
  int n = vsnprintf (c->path + c->len, sizeof c->path - c->len, fmt, ap);
  va_end (ap);
  if (n < 0)
    c->path[c->len] = '\0';
  else if ((size_t) n >= sizeof c->path - c->len)
    c->len = sizeof c->path - 1;
  else
    c->len += (size_t) n;
  return old;
}

size_t
spec_ctx_push (struct spec_ctx *c, const char *key)
{
  return ctx_append (c, c->len ? ".%s" : "%s", key);
}

size_t
spec_ctx_push_index (struct spec_ctx *c, size_t i)
{
  return ctx_append (c, "[%zu]", i);
}

size_t
spec_ctx_push_mapkey (struct spec_ctx *c, const char *key)
{
  return ctx_append (c, "[\"%s\"]", key);
}

void
spec_ctx_pop (struct spec_ctx *c, size_t old)
{
  c->len = old;
  c->path[old] = '\0';
}

int
spec_fail (struct spec_ctx *c, const char *fmt, ...)
{
  char msg[HUSK_ERROR_MSG_MAX];
  va_list ap;
  va_start (ap, fmt);
  if (vsnprintf (msg, sizeof msg, fmt, ap) < 0)
    msg[0] = '\0';
  va_end (ap);
  if (c->len == 0)
    return husk_error_setx (c->err, EINVAL, "%s: %s", c->name, msg);
  return husk_error_setx (c->err, EINVAL, "%s: %s: %s", c->name, c->path, msg);
}

int
spec_fail_at (struct spec_ctx *c, const char *key, const char *fmt, ...)
{
  char msg[HUSK_ERROR_MSG_MAX];
  va_list ap;
  va_start (ap, fmt);
  if (vsnprintf (msg, sizeof msg, fmt, ap) < 0)
    msg[0] = '\0';
  va_end (ap);
  size_t old = spec_ctx_push (c, key);
  int ret = spec_fail (c, "%s", msg);
  spec_ctx_pop (c, old);
  return ret;
}

int
spec_oom (struct spec_ctx *c)
{
  if (c->len == 0)
    return husk_error_set (c->err, ENOMEM, "%s", c->name);
  return husk_error_set (c->err, ENOMEM, "%s: %s", c->name, c->path);
}

yajl_val
spec_lookup (yajl_val obj, const char *key)
{
  if (obj == NULL || !YAJL_IS_OBJECT (obj))
    return NULL;
  for (size_t i = 0; i < obj->u.object.len; i++)
    if (strcmp (obj->u.object.keys[i], key) == 0)
      {
        yajl_val v = obj->u.object.values[i];
        return YAJL_IS_NULL (v) ? NULL : v;
      }
  return NULL;
}

int
spec_val_object (struct spec_ctx *c, yajl_val v)
{
  if (v == NULL || !YAJL_IS_OBJECT (v))
    return spec_fail (c, "expected an object");
  return 0;
}

int
spec_val_array (struct spec_ctx *c, yajl_val v)
{
  if (v == NULL || !YAJL_IS_ARRAY (v))
    return spec_fail (c, "expected an array");
  return 0;
}

int
spec_val_str (struct spec_ctx *c, yajl_val v, char **out)
{
  if (v == NULL || !YAJL_IS_STRING (v))
    return spec_fail (c, "expected a string");
  char *s = strdup (v->u.string);
  if (s == NULL)
    return spec_oom (c);
  free (*out);
  *out = s;
  return 0;
}

int
spec_val_bool (struct spec_ctx *c, yajl_val v, bool *out)
{
  if (v == NULL || !(YAJL_IS_TRUE (v) || YAJL_IS_FALSE (v)))
    return spec_fail (c, "expected a boolean");
  *out = YAJL_IS_TRUE (v);
  return 0;
}

/* The number as written: yajl keeps it in u.number.r. Integers only (no
 * fraction, no exponent), like a Go integer field. */
static int
number_text (struct spec_ctx *c, yajl_val v, const char **text)
{
  if (v == NULL || !YAJL_IS_NUMBER (v) || v->u.number.r == NULL)
    return spec_fail (c, "expected an integer");
  const char *r = v->u.number.r;
  const char *p = r + (*r == '-');
  if (*p == '\0' || p[strspn (p, "0123456789")] != '\0')
    return spec_fail (c, "expected an integer");
  *text = r;
  return 0;
}

int
spec_val_int (struct spec_ctx *c, yajl_val v, int64_t min, int64_t max, int64_t *out)
{
  const char *r;
  int ret = number_text (c, v, &r);
  if (ret < 0)
    return ret;
  errno = 0;
  long long n = strtoll (r, NULL, 10);
  if (errno == ERANGE || n < min || n > max)
    return spec_fail (c, "%s is out of range (%" PRId64 " to %" PRId64 ")", r, min, max);
  *out = n;
  return 0;
}

int
spec_val_uint (struct spec_ctx *c, yajl_val v, uint64_t max, uint64_t *out)
{
  const char *r;
  int ret = number_text (c, v, &r);
  if (ret < 0)
    return ret;
  errno = 0;
  unsigned long long n = *r == '-' ? 0 : strtoull (r, NULL, 10);
  if (*r == '-' && strspn (r + 1, "0") != strlen (r + 1))
    return spec_fail (c, "%s is out of range (0 to %" PRIu64 ")", r, max);
  if (errno == ERANGE || n > max)
    return spec_fail (c, "%s is out of range (0 to %" PRIu64 ")", r, max);
  *out = n;
  return 0;
}

void
spec_strv_free (char **v, size_t len)
{
  if (v == NULL)
    return;
  for (size_t i = 0; i < len; i++)
    free (v[i]);
  free (v);
}

void
spec_kv_free (struct husk_spec_kv *kv, size_t len)
{
  if (kv == NULL)
    return;
  for (size_t i = 0; i < len; i++)
    {
      free (kv[i].key);
      free (kv[i].value);
    }
  free (kv);
}

int
spec_val_strv (struct spec_ctx *c, yajl_val v, char ***out, size_t *len)
{
  int ret = spec_val_array (c, v);
  if (ret < 0)
    return ret;
  size_t n = v->u.array.len;
  char **strv = calloc (n + 1, sizeof *strv);
  if (strv == NULL)
    return spec_oom (c);
  for (size_t i = 0; i < n; i++)
    {
      size_t old = spec_ctx_push_index (c, i);
      ret = spec_val_str (c, v->u.array.values[i], &strv[i]);
      spec_ctx_pop (c, old);
      if (ret < 0)
        {
          spec_strv_free (strv, i);
          return ret;
        }
    }
  spec_strv_free (*out, *len);
  *out = strv;
  *len = n;
  return 0;
}

int
spec_get_object (struct spec_ctx *c, yajl_val obj, const char *key, yajl_val *out)
{
  yajl_val v = spec_lookup (obj, key);
  *out = NULL;
  if (v == NULL)
    return 0;
  size_t old = spec_ctx_push (c, key);
  int ret = spec_val_object (c, v);
  spec_ctx_pop (c, old);
  if (ret == 0)
    *out = v;
  return ret;
}

int
spec_get_str (struct spec_ctx *c, yajl_val obj, const char *key, char **out)
{
  yajl_val v = spec_lookup (obj, key);
  if (v == NULL)
    return 0;
  size_t old = spec_ctx_push (c, key);
  int ret = spec_val_str (c, v, out);
  spec_ctx_pop (c, old);
  return ret;
}

int
spec_get_bool (struct spec_ctx *c, yajl_val obj, const char *key, bool *out, bool *has)
{
  yajl_val v = spec_lookup (obj, key);
  if (v == NULL)
    return 0;
  size_t old = spec_ctx_push (c, key);
  int ret = spec_val_bool (c, v, out);
  spec_ctx_pop (c, old);
  if (ret == 0 && has)
    *has = true;
  return ret;
}

int
spec_get_i64 (struct spec_ctx *c, yajl_val obj, const char *key, int64_t min, int64_t max,
              int64_t *out, bool *has)
{
  yajl_val v = spec_lookup (obj, key);
  if (v == NULL)
    return 0;
  size_t old = spec_ctx_push (c, key);
  int ret = spec_val_int (c, v, min, max, out);
  spec_ctx_pop (c, old);
  if (ret == 0 && has)
    *has = true;
  return ret;
}

int
spec_get_u64 (struct spec_ctx *c, yajl_val obj, const char *key, uint64_t max, uint64_t *out,
              bool *has)
{
  yajl_val v = spec_lookup (obj, key);
  if (v == NULL)
    return 0;
  size_t old = spec_ctx_push (c, key);
  int ret = spec_val_uint (c, v, max, out);
  spec_ctx_pop (c, old);
  if (ret == 0 && has)
    *has = true;
  return ret;
}

int
spec_get_i32 (struct spec_ctx *c, yajl_val obj, const char *key, int32_t *out, bool *has)
{
  int64_t n;
  bool h = false;
  int ret = spec_get_i64 (c, obj, key, INT32_MIN, INT32_MAX, &n, &h);
  if (ret == 0 && h)
    {
      *out = (int32_t) n;
      if (has)
        *has = true;
    }
  return ret;
}

int
spec_get_u32 (struct spec_ctx *c, yajl_val obj, const char *key, uint32_t *out, bool *has)
{
  uint64_t n;
  bool h = false;
  int ret = spec_get_u64 (c, obj, key, UINT32_MAX, &n, &h);
  if (ret == 0 && h)
    {
      *out = (uint32_t) n;
      if (has)
        *has = true;
    }
  return ret;
}

int
spec_get_id (struct spec_ctx *c, yajl_val obj, const char *key, uint32_t *out, bool *has)
{
  uint64_t n;
  bool h = false;
  int ret = spec_get_u64 (c, obj, key, HUSK_UGID_MAX, &n, &h);
  if (ret == 0 && h)
    {
      *out = (uint32_t) n;
      if (has)
        *has = true;
    }
  return ret;
}

int
spec_get_u16 (struct spec_ctx *c, yajl_val obj, const char *key, uint16_t *out, bool *has)
{
  uint64_t n;
  bool h = false;
  int ret = spec_get_u64 (c, obj, key, UINT16_MAX, &n, &h);
  if (ret == 0 && h)
    {
      *out = (uint16_t) n;
      if (has)
        *has = true;
    }
  return ret;
}

int
spec_get_strv (struct spec_ctx *c, yajl_val obj, const char *key, char ***out, size_t *len)
{
  yajl_val v = spec_lookup (obj, key);
  if (v == NULL)
    return 0;
  size_t old = spec_ctx_push (c, key);
  int ret = spec_val_strv (c, v, out, len);
  spec_ctx_pop (c, old);
  return ret;
}

int
spec_get_kv (struct spec_ctx *c, yajl_val obj, const char *key, struct husk_spec_kv **out,
             size_t *len)
{
  yajl_val v = spec_lookup (obj, key);
  if (v == NULL)
    return 0;
  size_t old = spec_ctx_push (c, key);
  int ret = spec_val_object (c, v);
  if (ret < 0)
    goto out;
  size_t n = v->u.object.len;
  spec_kv_free (*out, *len);
  *len = 0;
  *out = calloc (n ? n : 1, sizeof **out);
  if (*out == NULL)
    {
      ret = spec_oom (c);
      goto out;
    }
  for (size_t i = 0; i < n; i++)
    {
      size_t o2 = spec_ctx_push_mapkey (c, v->u.object.keys[i]);
      struct husk_spec_kv *kv = &(*out)[i];
      *len = i + 1;
      kv->key = strdup (v->u.object.keys[i]);
      ret = kv->key ? spec_val_str (c, v->u.object.values[i], &kv->value) : spec_oom (c);
      spec_ctx_pop (c, o2);
      if (ret < 0)
        goto out;
    }
out:
  spec_ctx_pop (c, old);
  return ret;
}

int
spec_get_array_of (struct spec_ctx *c, yajl_val obj, const char *key, size_t size, void **out,
                   size_t *len, spec_elem_fn fn)
{
  yajl_val v = spec_lookup (obj, key);
  if (v == NULL)
    return 0;
  size_t old = spec_ctx_push (c, key);
  int ret = spec_val_array (c, v);
  if (ret < 0)
    goto out;
  size_t n = v->u.array.len;
  char *arr = calloc (n ? n : 1, size);
  if (arr == NULL)
    {
      ret = spec_oom (c);
      goto out;
    }
  *out = arr;
  *len = n;
  for (size_t i = 0; i < n; i++)
    {
      size_t o2 = spec_ctx_push_index (c, i);
      yajl_val e = v->u.array.values[i];
      ret = spec_val_object (c, e);
      if (ret == 0)
        ret = fn (c, e, arr + i * size);
      spec_ctx_pop (c, o2);
      if (ret < 0)
        goto out;
    }
out:
  spec_ctx_pop (c, old);
  return ret;
}

int
spec_get_map_of (struct spec_ctx *c, yajl_val obj, const char *key, size_t size, void **out,
                 size_t *len, spec_entry_fn fn)
{
  yajl_val v = spec_lookup (obj, key);
  if (v == NULL)
    return 0;
  size_t old = spec_ctx_push (c, key);
  int ret = spec_val_object (c, v);
  if (ret < 0)
    goto out;
  size_t n = v->u.object.len;
  char *arr = calloc (n ? n : 1, size);
  if (arr == NULL)
    {
      ret = spec_oom (c);
      goto out;
    }
  *out = arr;
  *len = n;
  for (size_t i = 0; i < n; i++)
    {
      size_t o2 = spec_ctx_push_mapkey (c, v->u.object.keys[i]);
      yajl_val e = v->u.object.values[i];
      ret = spec_val_object (c, e);
      if (ret == 0)
        ret = fn (c, v->u.object.keys[i], e, arr + i * size);
      spec_ctx_pop (c, o2);
      if (ret < 0)
        goto out;
    }
out:
  spec_ctx_pop (c, old);
  return ret;
}

static int
parse_id_mapping (struct spec_ctx *c, yajl_val v, void *elem)
{
  struct husk_spec_id_mapping *m = elem;
  int ret = spec_get_u32 (c, v, "containerID", &m->container_id, NULL);
  if (ret == 0)
    ret = spec_get_u32 (c, v, "hostID", &m->host_id, NULL);
  if (ret == 0)
    ret = spec_get_u32 (c, v, "size", &m->size, NULL);
  return ret;
}

int
spec_get_id_mappings (struct spec_ctx *c, yajl_val obj, const char *key,
                      struct husk_spec_id_mapping **out, size_t *len)
{
  return spec_get_array_of (c, obj, key, sizeof **out, (void **) out, len, parse_id_mapping);
}
