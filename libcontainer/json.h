/* Small helpers over yajl_gen and yajl_tree shared by libhusk. */
#ifndef HUSK_JSON_H
#define HUSK_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>
#include "husk/error.h"

/* A generator; indent NULL means compact output. */
yajl_gen husk_json_gen (const char *indent);
void husk_json_gen_freep (yajl_gen *g);
#define _cleanup_gen_ __attribute__ ((cleanup (husk_json_gen_freep)))

void husk_json_str (yajl_gen g, const char *s);
void husk_json_kstr (yajl_gen g, const char *key, const char *value);
void husk_json_kint (yajl_gen g, const char *key, long long value);
void husk_json_kbool (yajl_gen g, const char *key, bool value);
void husk_json_key (yajl_gen g, const char *key);
/* A JSON array of the strings of a NULL-terminated list. */
void husk_json_str_array (yajl_gen g, const char *const *list);

/* Copy the generator's buffer (plus a newline if nl) into a new string. */
int husk_json_finish (yajl_gen g, bool nl, char **out, size_t *len, struct husk_error *err);

/* Tree lookups: NULL when absent or of another type. */
const char *husk_json_get_str (yajl_val obj, const char *key);
yajl_val husk_json_get (yajl_val obj, const char *key, yajl_type type);

#endif
