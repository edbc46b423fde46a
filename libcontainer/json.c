/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <yajl/yajl_parse.h>
#include "json.h"
#include "utils.h"

yajl_gen
hk_json_gen (const char *indent)
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
hk_json_gen_freep (yajl_gen *g)
{
  if (*g)
    yajl_gen_free (*g);
}

void
hk_json_str (yajl_gen g, const char *s)
{
  if (s == NULL)
    s = "";
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

void
hk_json_key (yajl_gen g, const char *key)
{
  hk_json_str (g, key);
}

void
hk_json_kstr (yajl_gen g, const char *key, const char *value)
{
  hk_json_str (g, key);
  hk_json_str (g, value);
}

void
hk_json_kint (yajl_gen g, const char *key, long long value)
{
  hk_json_str (g, key);
  yajl_gen_integer (g, value);
}

void
hk_json_kbool (yajl_gen g, const char *key, bool value)
{
  hk_json_str (g, key);
  yajl_gen_bool (g, value);
}

void
hk_json_str_array (yajl_gen g, const char *const *list)
{
  yajl_gen_array_open (g);
  for (size_t i = 0; list && list[i]; i++)
    hk_json_str (g, list[i]);
  yajl_gen_array_close (g);
}

int
hk_json_finish (yajl_gen g, bool nl, char **out, size_t *len, struct husk_error *err)
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
hk_json_get (yajl_val obj, const char *key, yajl_type type)
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

bool
hk_json_has (yajl_val obj, const char *key)
{
  if (obj == NULL || !YAJL_IS_OBJECT (obj))
    return false;
  for (size_t i = 0; i < obj->u.object.len; i++)
    if (strcmp (obj->u.object.keys[i], key) == 0)
      return obj->u.object.values[i] != NULL && !YAJL_IS_NULL (obj->u.object.values[i]);
  return false;
}

const char *
hk_json_get_str (yajl_val obj, const char *key)
{
  yajl_val v = hk_json_get (obj, key, yajl_t_string);
  return v ? v->u.string : NULL;
}

/* ------------------------------------------------------------------ parsing
 * Two passes over the text. The first, an event parser, checks what the
 * tree loses or cannot bear: nesting depth (yajl_tree_free recurses), NUL
 * bytes in strings and keys (the tree keeps C strings, so "sh\u0000x" would
 * come out as "sh"), and finds the line and column of a syntax error. The
 * second builds the tree, and a walk over it refuses repeated keys (the
 * tree keeps both, and readers would take the first). */

struct scan_frame
{
  bool map;
  size_t count; /* values seen so far (arrays) */
  char *key;    /* the current key (objects) */
};

struct scan
{
  struct scan_frame *f;
  size_t depth, cap;
  const char *why; /* set when a callback stops the parser */
  bool why_at_key; /* the NUL was in a key */
  char path[512];
};

static void
scan_path (struct scan *s, size_t depth)
{
  size_t n = 0;
  s->path[0] = '\0';
  for (size_t i = 0; i < depth && n + 1 < sizeof s->path; i++)
    {
      const struct scan_frame *fr = &s->f[i];
      int w;
      if (fr->map)
        {
          if (fr->key == NULL)
            continue;
          w = snprintf (s->path + n, sizeof s->path - n, n ? ".%s" : "%s", fr->key);
        }
      else
        w = snprintf (s->path + n, sizeof s->path - n, "[%zu]", fr->count ? fr->count - 1 : 0);
      if (w < 0)
        break;
      n += (size_t) w;
      if (n >= sizeof s->path)
        n = sizeof s->path - 1;
    }
}

/* A value starts: count it in its array. */
static void
scan_value (struct scan *s)
{
  if (s->depth > 0 && !s->f[s->depth - 1].map)
    s->f[s->depth - 1].count++;
}

static int
scan_scalar (void *ctx)
{
  scan_value (ctx);
  return 1;
}

static int
scan_bool (void *ctx, int b)
{
  (void) b;
  return scan_scalar (ctx);
}

static int
scan_number (void *ctx, const char *n, size_t len)
{
  (void) n;
  (void) len;
  return scan_scalar (ctx);
}

/* Strict UTF-8 (RFC 3629): no overlong form, no surrogate, nothing past
 * U+10FFFF. yajl checks the byte pattern only. */
static bool
utf8_valid (const unsigned char *s, size_t len)
{
  size_t i = 0;
  while (i < len)
    {
      unsigned char c = s[i];
      if (c < 0x80)
        {
          i++;
          continue;
        }
      size_t n;
      unsigned char lo = 0x80, hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF)
        n = 1;
      else if (c >= 0xE0 && c <= 0xEF)
        {
          n = 2;
          if (c == 0xE0)
            lo = 0xA0;
          else if (c == 0xED)
            hi = 0x9F;
        }
      else if (c >= 0xF0 && c <= 0xF4)
        {
          n = 3;
          if (c == 0xF0)
            lo = 0x90;
          else if (c == 0xF4)
            hi = 0x8F;
        }
      else
        return false;
      if (len - i <= n || s[i + 1] < lo || s[i + 1] > hi)
        return false;
      for (size_t k = 2; k <= n; k++)
        if ((s[i + k] & 0xC0) != 0x80)
          return false;
      i += n + 1;
    }
  return true;
}

static int
scan_string (void *ctx, const unsigned char *str, size_t len)
{
  struct scan *s = ctx;
  scan_value (s);
  if (memchr (str, '\0', len))
    {
      s->why = "string contains a NUL character (\\u0000)";
      scan_path (s, s->depth);
      return 0;
    }
  if (!utf8_valid (str, len))
    {
      s->why = "string is not valid UTF-8";
      scan_path (s, s->depth);
      return 0;
    }
  return 1;
}

static int
scan_open (void *ctx, bool map)
{
  struct scan *s = ctx;
  scan_value (s);
  if (s->depth >= HUSK_JSON_MAX_DEPTH)
    {
      s->why = "exceeded max depth: arrays and objects nested deeper than "
               "10000 levels";
      return 0;
    }
  if (s->depth == s->cap)
    {
      size_t cap = s->cap ? s->cap * 2 : 16;
      struct scan_frame *f = realloc (s->f, cap * sizeof *f);
      if (f == NULL)
        {
          s->why = "out of memory";
          return 0;
        }
      s->f = f;
      s->cap = cap;
    }
  s->f[s->depth++] = (struct scan_frame) { .map = map };
  return 1;
}

static int
scan_start_map (void *ctx)
{
  return scan_open (ctx, true);
}

static int
scan_start_array (void *ctx)
{
  return scan_open (ctx, false);
}

static int
scan_close (void *ctx)
{
  struct scan *s = ctx;
  if (s->depth > 0)
    {
      s->depth--;
      free (s->f[s->depth].key);
      s->f[s->depth].key = NULL;
    }
  return 1;
}

static int
scan_key (void *ctx, const unsigned char *key, size_t len)
{
  struct scan *s = ctx;
  struct scan_frame *fr = &s->f[s->depth - 1];
  free (fr->key);
  fr->key = NULL;
  if (memchr (key, '\0', len))
    {
      s->why = "key contains a NUL character (\\u0000)";
      scan_path (s, s->depth);
      return 0;
    }
  if (!utf8_valid (key, len))
    {
      s->why = "key is not valid UTF-8";
      scan_path (s, s->depth);
      return 0;
    }
  fr->key = strndup ((const char *) key, len);
  if (fr->key == NULL)
    {
      s->why = "out of memory";
      return 0;
    }
  return 1;
}

static const yajl_callbacks scan_callbacks = {
  .yajl_null = scan_scalar,
  .yajl_boolean = scan_bool,
  .yajl_number = scan_number,
  .yajl_string = scan_string,
  .yajl_start_map = scan_start_map,
  .yajl_map_key = scan_key,
  .yajl_end_map = scan_close,
  .yajl_start_array = scan_start_array,
  .yajl_end_array = scan_close,
};

/* 1-based line and column (in characters) of the byte at index idx. */
static void
text_position (const char *text, size_t idx, size_t *line, size_t *col)
{
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < idx; i++)
    {
      if (text[i] == '\n')
        {
          (*line)++;
          *col = 1;
        }
      else if (((unsigned char) text[i] & 0xC0) != 0x80)
        (*col)++; /* count characters, not UTF-8 continuation bytes */
    }
}

static int
scan_text (const char *text, size_t len, const char *name, struct husk_error *err)
{
  struct scan s = { 0 };
  yajl_handle h = yajl_alloc (&scan_callbacks, NULL, &s);
  if (h == NULL)
    return husk_error_set (err, ENOMEM, "%s", name);
  yajl_status st = yajl_parse (h, (const unsigned char *) text, len);
  size_t off = yajl_get_bytes_consumed (h);
  if (st == yajl_status_ok)
    {
      st = yajl_complete_parse (h);
      off = len; /* premature end: the error is at the end */
    }
  int ret = 0;
  if (st == yajl_status_client_canceled && s.path[0])
    ret = husk_error_setx (err, EINVAL, "%s: %s: %s", name, s.path, s.why);
  else if (st != yajl_status_ok)
    {
      size_t line, col;
      if (off > len)
        off = len;
      text_position (text, off > 0 ? off - 1 : 0, &line, &col);
      if (st == yajl_status_client_canceled)
        ret = husk_error_setx (err, EINVAL, "%s: line %zu column %zu: %s", name, line, col, s.why);
      else
        {
          unsigned char *msg = yajl_get_error (h, 0, (const unsigned char *) text, len);
          const char *reason = msg ? (const char *) msg : "invalid JSON";
          /* "parse error: X" or "lexical error: X": keep X */
          const char *colon = strstr (reason, " error: ");
          if (colon)
            reason = colon + strlen (" error: ");
          ret = husk_error_setx (err, EINVAL, "%s: line %zu column %zu: parse error: %.*s", name,
                                 line, col, (int) strcspn (reason, "\n"), reason);
          if (msg)
            yajl_free_error (h, msg);
        }
    }
  yajl_free (h);
  while (s.depth > 0)
    free (s.f[--s.depth].key);
  free (s.f);
  return ret;
}

/* The JSON path of a value, from the innermost step out. */
struct json_step
{
  const struct json_step *up;
  const char *key; /* NULL: an array index */
  size_t index;
};

static void
step_path (const struct json_step *st, char *buf, size_t size)
{
  const struct json_step *chain[64];
  size_t n = 0;
  for (; st && n < ARRAY_SIZE (chain); st = st->up)
    chain[n++] = st;
  size_t len = 0;
  buf[0] = '\0';
  if (st)
    len = (size_t) snprintf (buf, size, "...");
  while (n > 0 && len + 1 < size)
    {
      st = chain[--n];
      int w = st->key ? snprintf (buf + len, size - len, len ? ".%s" : "%s", st->key)
                      : snprintf (buf + len, size - len, "[%zu]", st->index);
      if (w < 0)
        break;
      len += (size_t) w;
    }
}

static int
cmp_key (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The first key of obj that is there twice, or NULL. */
__attribute__ ((noinline)) static const char *
repeated_key (yajl_val obj)
{
  size_t n = obj->u.object.len;
  const char **keys = obj->u.object.keys;
  _cleanup_free_ const char **sorted = n > 16 ? malloc (n * sizeof *sorted) : NULL;
  if (sorted == NULL)
    {
      for (size_t i = 1; i < n; i++)
        for (size_t j = 0; j < i; j++)
          if (strcmp (keys[i], keys[j]) == 0)
            return keys[i];
      return NULL;
    }
  memcpy (sorted, keys, n * sizeof *sorted);
  qsort (sorted, n, sizeof *sorted, cmp_key);
  for (size_t i = 1; i < n; i++)
    if (strcmp (sorted[i], sorted[i - 1]) == 0)
      return sorted[i];
  return NULL;
}

/* Out of line: the path buffer stays off the stack of the recursion. */
__attribute__ ((noinline)) static int
repeated_key_error (const struct json_step *at, const char *name, const char *dup,
                    struct husk_error *err)
{
  char path[512];
  step_path (at, path, sizeof path);
  return husk_error_setx (err, EINVAL, "%s: %s%sduplicate key \"%s\"", name, path,
                          path[0] ? ": " : "", dup);
}

/* Recursive, at most HUSK_JSON_MAX_DEPTH deep (the scan checked): keep the
 * frame small. */
static int
check_keys (yajl_val v, const struct json_step *at, const char *name, struct husk_error *err)
{
  if (YAJL_IS_OBJECT (v))
    {
      const char *dup = repeated_key (v);
      if (dup)
        return repeated_key_error (at, name, dup, err);
      for (size_t i = 0; i < v->u.object.len; i++)
        {
          struct json_step st = { .up = at, .key = v->u.object.keys[i] };
          int ret = check_keys (v->u.object.values[i], &st, name, err);
          if (ret < 0)
            return ret;
        }
    }
  else if (YAJL_IS_ARRAY (v))
    for (size_t i = 0; i < v->u.array.len; i++)
      {
        struct json_step st = { .up = at, .index = i };
        int ret = check_keys (v->u.array.values[i], &st, name, err);
        if (ret < 0)
          return ret;
      }
  return 0;
}

int
hk_json_parse (const char *text, size_t len, const char *name, yajl_val *out,
               struct husk_error *err)
{
  *out = NULL;
  if (name == NULL)
    name = "JSON";
  const char *nul = memchr (text, '\0', len);
  if (nul)
    {
      size_t line, col;
      text_position (text, (size_t) (nul - text), &line, &col);
      return husk_error_setx (err, EINVAL, "%s: line %zu column %zu: parse error: NUL character",
                              name, line, col);
    }
  int ret = scan_text (text, len, name, err);
  if (ret < 0)
    return ret;
  /* yajl_tree_parse wants a NUL-terminated text */
  _cleanup_free_ char *copy = malloc (len + 1);
  if (copy == NULL)
    return husk_error_set (err, ENOMEM, "%s", name);
  memcpy (copy, text, len);
  copy[len] = '\0';
  char ebuf[256] = "";
  yajl_val tree = yajl_tree_parse (copy, ebuf, sizeof ebuf);
  if (tree == NULL)
    return husk_error_setx (err, ENOMEM, "%s: %.*s", name, (int) strcspn (ebuf, "\n"),
                            ebuf[0] ? ebuf : "cannot build the JSON tree");
  ret = check_keys (tree, NULL, name, err);
  if (ret < 0)
    {
      yajl_tree_free (tree);
      return ret;
    }
  *out = tree;
  return 0;
}

void
hk_json_tree_freep (yajl_val *v)
{
  if (*v)
    yajl_tree_free (*v);
}
