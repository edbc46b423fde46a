/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include "security/caps.h"
#include "utils.h"
#include "syscalls.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

int
hk_caps_last_cap (void)
{
  char buf[16] = "";
  int fd = open ("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      ssize_t n = read (fd, buf, sizeof buf - 1);
      close (fd);
      if (n > 0)
        return atoi (buf);
    }
  return CAP_LAST_CAP;
}

static int
set_from (char **names, size_t n, const char *field, uint64_t *out, struct husk_error *err)
{
  *out = 0;
  for (size_t i = 0; i < n; i++)
    {
      int cap = husk_spec_capability_from_name (names[i]);
      /* a well-formed name husk does not know: warned of by
       * hk_caps_warn_unknown, and dropped */
      if (cap < 0 && husk_spec_capability_name_ok (names[i]))
        continue;
      if (cap < 0 || cap > 63)
        return husk_error_setx (err, EINVAL,
                                "process.capabilities.%s[%zu]: unknown capability \"%s\"", field, i,
                                names[i]);
      *out |= 1ULL << cap;
    }
  return 0;
}

int
hk_caps_from_spec (const struct husk_spec_capabilities *c, struct husk_capsets *out,
                   struct husk_error *err)
{
  memset (out, 0, sizeof *out);
  if (c == NULL)
    return 0;
  int ret;
  if ((ret = set_from (c->bounding, c->bounding_len, "bounding", &out->bounding, err)) < 0
      || (ret = set_from (c->effective, c->effective_len, "effective", &out->effective, err)) < 0
      || (ret = set_from (c->permitted, c->permitted_len, "permitted", &out->permitted, err)) < 0
      || (ret = set_from (c->inheritable, c->inheritable_len, "inheritable", &out->inheritable,
                          err))
             < 0
      || (ret = set_from (c->ambient, c->ambient_len, "ambient", &out->ambient, err)) < 0)
    return ret;
  return 0;
}

static void
collect_unknown (char **names, size_t n, char *buf, size_t size, size_t *len)
{
  for (size_t i = 0; i < n; i++)
    {
      if (husk_spec_capability_from_name (names[i]) >= 0)
        continue;
      /* each name once */
      bool seen = false;
      for (size_t at = 0; !seen && at < *len;)
        {
          size_t l = strcspn (buf + at, " ");
          seen = l == strlen (names[i]) && strncmp (buf + at, names[i], l) == 0;
          at += l + 1;
        }
      if (seen)
        continue;
      int w = snprintf (buf + *len, size - *len, "%s%s", *len ? " " : "", names[i]);
      if (w > 0 && (size_t) w < size - *len)
        *len += (size_t) w;
    }
}

void
hk_caps_warn_unknown (const struct husk_spec_capabilities *c, const struct husk_logger *log)
{
  if (c == NULL)
    return;
  char buf[1024] = "";
  size_t len = 0;
  collect_unknown (c->bounding, c->bounding_len, buf, sizeof buf, &len);
  collect_unknown (c->effective, c->effective_len, buf, sizeof buf, &len);
  collect_unknown (c->permitted, c->permitted_len, buf, sizeof buf, &len);
  collect_unknown (c->inheritable, c->inheritable_len, buf, sizeof buf, &len);
  collect_unknown (c->ambient, c->ambient_len, buf, sizeof buf, &len);
  if (len)
    husk_log_warn (log, "process.capabilities: ignoring unknown capabilities: [%s]", buf);
}

int
hk_caps_drop_bounding (const struct husk_capsets *c, struct husk_error *err)
{
  int last = hk_caps_last_cap ();
  for (int cap = 0; cap <= last && cap < 64; cap++)
    {
      if (c->bounding & (1ULL << cap))
        continue;
      if (prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
        return husk_error_set (err, errno, "drop capability %d from the bounding set", cap);
    }
  if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return husk_error_set (err, errno, "prctl PR_SET_KEEPCAPS");
  return 0;
}

int
hk_caps_apply (const struct husk_capsets *c, struct husk_error *err)
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2];
  uint64_t sets[3] = { c->effective, c->permitted, c->inheritable };
  /* the kernel refuses an effective or inheritable capability that is not
   * permitted (inheritable: unless in the bounding set) */
  memset (data, 0, sizeof data);
  for (int i = 0; i < 2; i++)
    {
      data[i].effective = (uint32_t) (sets[0] >> (32 * i));
      data[i].permitted = (uint32_t) (sets[1] >> (32 * i));
      data[i].inheritable = (uint32_t) (sets[2] >> (32 * i));
    }
  if (hk_sys_capset (&hdr, data) < 0)
    return husk_error_set (err, errno, "set capabilities (capset)");
  if (prctl (PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return husk_error_set (err, errno, "prctl PR_SET_KEEPCAPS");
  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return husk_error_set (err, errno, "clear the ambient capabilities");
  for (int cap = 0; cap < 64; cap++)
    if ((c->ambient & (1ULL << cap)) && prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
      {
        /* runc: an ambient capability that is not permitted and
         * inheritable is skipped, not an error */
        if (errno == EPERM)
          continue;
        return husk_error_set (err, errno, "raise ambient capability %s",
                               husk_spec_capability_names[cap] ? husk_spec_capability_names[cap]
                                                               : "?");
      }
  return 0;
}
