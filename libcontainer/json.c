#include "config.h"
#include "json.h"
#include "utils.h"

yajl_gen
husk_json_gen (const char *indent)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  if (g == NULL)
    return NULL;
  if (indent)
    {
      yajl_gen_config (g, yajl_gen_beautify, 1);
      yajl_gen_config (g, yajl_gen_indent_string, indent);
    }
  return g;
}

void
husk_json_gen_freep (yajl_gen *g)
{
  if (*g)
    yajl_gen_free (*g);
}

void
husk_json_str (yajl_gen g, const char *s)
{
  if (s == NULL)
    s = "";
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

void
husk_json_key (yajl_gen g, const char *key)
{
  husk_json_str (g, key);
}

void
husk_json_kstr (yajl_gen g, const char *key, const char *value)
{
  husk_json_str (g, key);
  husk_json_str (g, value);
}

void
husk_json_kint (yajl_gen g, const char *key, long long value)
{
  husk_json_str (g, key);
  yajl_gen_integer (g, value);
}

void
husk_json_kbool (yajl_gen g, const char *key, bool value)
{
  husk_json_str (g, key);
  yajl_gen_bool (g, value);
}

void
husk_json_str_array (yajl_gen g, const char *const *list)
{
  yajl_gen_array_open (g);
  for (size_t i = 0; list && list[i]; i++)
    husk_json_str (g, list[i]);
  yajl_gen_array_close (g);
}

int
husk_json_finish (yajl_gen g, bool nl, char **out, size_t *len, struct husk_error *err)
{
  const unsigned char *buf;
  size_t n;
  if (yajl_gen_get_buf (g, &buf, &n) != yajl_gen_status_ok)
    return husk_error_setx (err, EINVAL, "generate JSON: internal error");
  char *s = malloc (n + 2);
  if (s == NULL)
    return husk_error_set (err, ENOMEM, "generate JSON");
  memcpy (s, buf, n);
  /* yajl's beautifier already ends with a newline */
  if (nl && (n == 0 || s[n - 1] != '\n'))
    s[n++] = '\n';
  if (!nl && n > 0 && s[n - 1] == '\n')
    n--;
  s[n] = '\0';
  *out = s;
  if (len)
    *len = n;
  return 0;
}

yajl_val
husk_json_get (yajl_val obj, const char *key, yajl_type type)
{
  if (obj == NULL || !YAJL_IS_OBJECT (obj))
    return NULL;
  for (size_t i = 0; i < obj->u.object.len; i++)
    if (strcmp (obj->u.object.keys[i], key) == 0)
      {
        yajl_val v = obj->u.object.values[i];
        if (v == NULL || v->type != type)
          return NULL;
        return v;
      }
  return NULL;
}

const char *
husk_json_get_str (yajl_val obj, const char *key)
{
  yajl_val v = husk_json_get (obj, key, yajl_t_string);
  return v ? v->u.string : NULL;
}
