/* SPDX-License-Identifier: Apache-2.0 */
/* Internal helpers of libcontainer/spec: the JSON path of the value being
 * read (for error messages) and typed readers over yajl_tree values. */
#ifndef HUSK_SPEC_INTERNAL_H
#define HUSK_SPEC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>
#include "husk/error.h"
#include "husk/spec.h"

struct spec_name_value
{
  const char *name;
  long value;
};

extern const struct spec_name_value spec_ioprio_classes[];
extern const struct spec_name_value spec_sched_policies[];
extern const struct spec_name_value spec_sched_flags[];
extern const struct spec_name_value spec_mpol_modes[];
extern const struct spec_name_value spec_mpol_flags[];
extern const struct spec_name_value spec_personality_domains[];

/* Index of name in a NULL-terminated table, or -1. */
int spec_name_index (const char *const *names, const char *name);
/* 0 and *value when found, -1 when not. */
int spec_name_value (const struct spec_name_value *table, const char *name, long *value);

#define SPEC_PATH_MAX 512

/* Where the reader is: "linux.seccomp.syscalls[3].names[0]". */
struct spec_ctx
{
  const char *name; /* "config.json" */
  struct husk_error *err;
  size_t len;
  char path[SPEC_PATH_MAX];
};

void spec_ctx_init (struct spec_ctx *c, const char *name, struct husk_error *err);
/* Append ".key" (no dot at the top), "[i]" or "[\"key\"]"; return the old
 * length for spec_ctx_pop. A path too long for the buffer is cut, never
 * overflowed. */
size_t spec_ctx_push (struct spec_ctx *c, const char *key);
size_t spec_ctx_push_index (struct spec_ctx *c, size_t i);
size_t spec_ctx_push_mapkey (struct spec_ctx *c, const char *key);
void spec_ctx_pop (struct spec_ctx *c, size_t old);
/* "NAME: PATH: message" with EINVAL. */
int spec_fail (struct spec_ctx *c, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* The same at PATH.key. */
int spec_fail_at (struct spec_ctx *c, const char *key, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
/* "NAME: PATH: Cannot allocate memory" with ENOMEM. */
int spec_oom (struct spec_ctx *c);

/* obj[key]; NULL when absent or null. */
yajl_val spec_lookup (yajl_val obj, const char *key);

/* Readers of a value whose path is already pushed. */
int spec_val_object (struct spec_ctx *c, yajl_val v);
int spec_val_array (struct spec_ctx *c, yajl_val v);
int spec_val_str (struct spec_ctx *c, yajl_val v, char **out);
int spec_val_bool (struct spec_ctx *c, yajl_val v, bool *out);
int spec_val_int (struct spec_ctx *c, yajl_val v, int64_t min, int64_t max, int64_t *out);
int spec_val_uint (struct spec_ctx *c, yajl_val v, uint64_t max, uint64_t *out);
int spec_val_strv (struct spec_ctx *c, yajl_val v, char ***out, size_t *len);

/* Readers of obj[key]: absent (or null) leaves the output untouched and
 * returns 0; has (may be NULL) is set when present. */
int spec_get_object (struct spec_ctx *c, yajl_val obj, const char *key, yajl_val *out);
int spec_get_str (struct spec_ctx *c, yajl_val obj, const char *key, char **out);
int spec_get_bool (struct spec_ctx *c, yajl_val obj, const char *key, bool *out, bool *has);
int spec_get_i64 (struct spec_ctx *c, yajl_val obj, const char *key, int64_t min, int64_t max,
                  int64_t *out, bool *has);
int spec_get_u64 (struct spec_ctx *c, yajl_val obj, const char *key, uint64_t max, uint64_t *out,
                  bool *has);
int spec_get_i32 (struct spec_ctx *c, yajl_val obj, const char *key, int32_t *out, bool *has);
int spec_get_u32 (struct spec_ctx *c, yajl_val obj, const char *key, uint32_t *out, bool *has);
/* A user or group id: 0 to HUSK_UGID_MAX. */
int spec_get_id (struct spec_ctx *c, yajl_val obj, const char *key, uint32_t *out, bool *has);
int spec_get_u16 (struct spec_ctx *c, yajl_val obj, const char *key, uint16_t *out, bool *has);
int spec_get_strv (struct spec_ctx *c, yajl_val obj, const char *key, char ***out, size_t *len);
/* A map of strings, in JSON order. */
int spec_get_kv (struct spec_ctx *c, yajl_val obj, const char *key, struct husk_spec_kv **out,
                 size_t *len);

/* An array of objects: *out (size elements) and *len are set before the
 * elements are read, so that a failure leaves a freeable partial result. */
typedef int (*spec_elem_fn) (struct spec_ctx *c, yajl_val v, void *elem);
int spec_get_array_of (struct spec_ctx *c, yajl_val obj, const char *key, size_t size, void **out,
                       size_t *len, spec_elem_fn fn);
/* A map whose values are objects: fn receives the key. */
typedef int (*spec_entry_fn) (struct spec_ctx *c, const char *key, yajl_val v, void *elem);
int spec_get_map_of (struct spec_ctx *c, yajl_val obj, const char *key, size_t size, void **out,
                     size_t *len, spec_entry_fn fn);

/* Read obj[key] when present with fn (c, value, &field), the key pushed on
 * the path; uses and sets a local `int ret`. */
#define PARSE_OBJECT(c, v, key, field, fn) \
  do \
    { \
      yajl_val o_; \
      if (ret == 0) \
        ret = spec_get_object ((c), (v), (key), &o_); \
      if (ret == 0 && o_) \
        { \
          size_t old_ = spec_ctx_push ((c), (key)); \
          ret = fn ((c), o_, &(field)); \
          spec_ctx_pop ((c), old_); \
        } \
    } \
  while (0)

/* Id mappings (linux.uidMappings, mounts[i].gidMappings, ...). */
int spec_get_id_mappings (struct spec_ctx *c, yajl_val obj, const char *key,
                          struct husk_spec_id_mapping **out, size_t *len);

/* Parsers of the parts of the config. */
int spec_parse_linux (struct spec_ctx *c, yajl_val v, struct husk_spec_linux **out);
int spec_parse_resources (struct spec_ctx *c, yajl_val v, struct husk_spec_resources **out);
int spec_parse_intel_rdt (struct spec_ctx *c, yajl_val v, struct husk_spec_intel_rdt **out);
int spec_parse_seccomp (struct spec_ctx *c, yajl_val v, struct husk_spec_seccomp **out);

/* Validation of the parts. */
int spec_validate_linux (struct spec_ctx *c, const struct husk_spec *spec);
int spec_validate_resources (struct spec_ctx *c, const struct husk_spec_resources *r);
int spec_validate_seccomp (struct spec_ctx *c, const struct husk_spec_seccomp *s);
bool spec_is_abs (const char *path);
int spec_check_id_mappings (struct spec_ctx *c, const char *key,
                            const struct husk_spec_id_mapping *m, size_t len);
/* "0-3,7": comma-separated numbers and ranges. */
bool spec_is_cpu_list (const char *s);

/* Freeing the parts. */
void spec_strv_free (char **v, size_t len);
void spec_kv_free (struct husk_spec_kv *kv, size_t len);
void spec_free_linux (struct husk_spec_linux *l);
void spec_free_resources (struct husk_spec_resources *r);
void spec_free_seccomp (struct husk_spec_seccomp *s);

#endif
