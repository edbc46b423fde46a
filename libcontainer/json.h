/* SPDX-License-Identifier: Apache-2.0 */
/* Small helpers over yajl_gen and yajl_tree shared by libhusk. */
#ifndef HUSK_JSON_H
#define HUSK_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>
#include "husk/error.h"

/* A generator; indent NULL means compact output. */
yajl_gen hk_json_gen (const char *indent);
void hk_json_gen_freep (yajl_gen *g);
#define _cleanup_gen_ __attribute__ ((cleanup (hk_json_gen_freep)))

void hk_json_str (yajl_gen g, const char *s);
void hk_json_kstr (yajl_gen g, const char *key, const char *value);
void hk_json_kint (yajl_gen g, const char *key, long long value);
void hk_json_kbool (yajl_gen g, const char *key, bool value);
void hk_json_key (yajl_gen g, const char *key);
/* A JSON array of the strings of a NULL-terminated list. */
void hk_json_str_array (yajl_gen g, const char *const *list);

/* Copy the generator's buffer (plus a newline if nl) into a new string. */
int hk_json_finish (yajl_gen g, bool nl, char **out, size_t *len, struct husk_error *err);

/* Deepest nesting of arrays and objects accepted in any JSON input (the
 * limit Go's encoding/json applies, so runc's: "exceeded max depth"). */
#define HUSK_JSON_MAX_DEPTH 10000

/* The one way libhusk reads JSON from outside (config.json, state.json,
 * --process, update's resources, the recorded cgroup): the text must be
 * valid UTF-8 JSON of at most HUSK_JSON_MAX_DEPTH levels, hold no NUL byte
 * (raw or as \u0000) in any string or key, and no object may repeat a key.
 * Errors name the input (name), and the line and column or the JSON path:
 * "config.json: line 3 column 14: ...", "config.json: process.env[2]: ...".
 * Free the tree with yajl_tree_free. */
int hk_json_parse (const char *text, size_t len, const char *name, yajl_val *out,
                   struct husk_error *err);
void hk_json_tree_freep (yajl_val *v);
#define _cleanup_tree_ __attribute__ ((cleanup (hk_json_tree_freep)))

/* Tree lookups: NULL when absent or of another type. */
const char *hk_json_get_str (yajl_val obj, const char *key);
yajl_val hk_json_get (yajl_val obj, const char *key, yajl_type type);
/* obj has key with a value other than null (null reads as absent). */
bool hk_json_has (yajl_val obj, const char *key);

#endif
