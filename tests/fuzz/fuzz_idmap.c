/* SPDX-License-Identifier: Apache-2.0 */
/* User and group ids: process.user (uid, gid, additionalGids) and the id
 * mappings of linux and of an idmapped mount, built from the input as
 * 64-bit numbers into a config, parsed and validated. What is accepted
 * never names a user or group id above 2^31-1 (as runc), and no mapping
 * reaches (uid_t)-1, the kernel's "no id".
 *
 * Input: byte 0 picks the shape (bit 0: a user namespace, bit 1: an
 * idmapped mount, bits 2-3: how many uid mappings), then 8-byte numbers:
 * uid, gid, an additional gid, and (containerID, hostID, size) triples. */
#include "config.h"
#include <inttypes.h>
#include <stdarg.h>
#include "fuzz.h"
#include "husk/spec.h"

#define MAX_VALUES 30
#define ID_MAX 2147483647u

struct text
{
  char *buf;
  size_t len, cap;
};

static void put (struct text *t, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void
put (struct text *t, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int n = vsnprintf (t->buf + t->len, t->cap - t->len, fmt, ap);
  va_end (ap);
  if (n < 0 || (size_t) n >= t->cap - t->len)
    abort ();
  t->len += (size_t) n;
}

static void
put_maps (struct text *t, const char *key, const int64_t *v, size_t n)
{
  put (t, "\"%s\":[", key);
  for (size_t i = 0; i < n; i++)
    put (t, "%s{\"containerID\":%" PRId64 ",\"hostID\":%" PRId64 ",\"size\":%" PRId64 "}",
         i ? "," : "", v[3 * i], v[3 * i + 1], v[3 * i + 2]);
  put (t, "]");
}

static void
check_maps (const struct husk_spec_id_mapping *m, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      FUZZ_ASSERT (m[i].size > 0);
      FUZZ_ASSERT ((uint64_t) m[i].container_id + m[i].size - 1 < UINT32_MAX);
      FUZZ_ASSERT ((uint64_t) m[i].host_id + m[i].size - 1 < UINT32_MAX);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  unsigned shape = data[0];
  int64_t v[MAX_VALUES] = { 0 };
  size_t nv = (size - 1) / 8;
  if (nv > MAX_VALUES)
    nv = MAX_VALUES;
  for (size_t i = 0; i < nv; i++)
    memcpy (&v[i], data + 1 + 8 * i, 8);
  size_t ntriples = nv > 3 ? (nv - 3) / 3 : 0;
  size_t nuid = (shape >> 2) & 3;
  if (nuid > ntriples)
    nuid = ntriples;
  size_t ngid = ntriples - nuid;

  struct text t = { malloc (8192), 0, 8192 };
  if (t.buf == NULL)
    abort ();
  put (&t,
       "{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"rootfs\"},"
       "\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":%" PRId64 ",\"gid\":%" PRId64
       ",\"additionalGids\":[%" PRId64 "]}},",
       v[0], v[1], v[2]);
  if (shape & 2)
    {
      put (&t, "\"mounts\":[{\"destination\":\"/m\",\"type\":\"bind\",\"source\":\"/s\","
               "\"options\":[\"rbind\",\"idmap\"],");
      put_maps (&t, "uidMappings", v + 3, nuid);
      put (&t, ",");
      put_maps (&t, "gidMappings", v + 3 + 3 * nuid, ngid);
      put (&t, "}],");
    }
  put (&t, "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}%s],",
       shape & 1 ? ",{\"type\":\"user\"}" : "");
  put_maps (&t, "uidMappings", v + 3, nuid);
  put (&t, ",");
  put_maps (&t, "gidMappings", v + 3 + 3 * nuid, ngid);
  put (&t, "}}");

  struct husk_error err = { 0 };
  struct husk_spec *spec = NULL;
  if (husk_spec_parse (t.buf, t.len, "config.json", &spec, &err) == 0
      && husk_spec_validate (spec, "config.json", &err) == 0)
    {
      const struct husk_spec_user *u = &spec->process->user;
      FUZZ_ASSERT (u->uid <= ID_MAX && u->gid <= ID_MAX);
      for (size_t i = 0; i < u->additional_gids_len; i++)
        FUZZ_ASSERT (u->additional_gids[i] <= ID_MAX);
      if (spec->linux_)
        {
          check_maps (spec->linux_->uid_mappings, spec->linux_->uid_mappings_len);
          check_maps (spec->linux_->gid_mappings, spec->linux_->gid_mappings_len);
        }
      for (size_t i = 0; i < spec->mounts_len; i++)
        {
          check_maps (spec->mounts[i].uid_mappings, spec->mounts[i].uid_mappings_len);
          check_maps (spec->mounts[i].gid_mappings, spec->mounts[i].gid_mappings_len);
        }
    }
  husk_spec_free (spec);
  free (t.buf);
  return 0;
}
