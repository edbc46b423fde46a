/* SPDX-License-Identifier: Apache-2.0 */
/* linux.seccomp: translate the parsed profile into a libseccomp filter,
 * load it into the calling process, and hand the SCMP_ACT_NOTIFY listener
 * fd to the agent at listenerPath.  The rules are described in
 * docs/seccomp.md (argument conditions, the ENOSYS rule, flags). */
#include "config.h"
#include <errno.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include "json.h"
#include "security/seccomp.h"
#include "utils.h"
#include "syscalls.h"

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

#define FIELD "linux.seccomp"

/* seconds an agent may take to accept the listener fd */
#define HK_SECCOMP_AGENT_TIMEOUT 30

/* The syscalls of the unified numbering that every architecture shares
 * since Linux 5.1 (the number on an architecture is its base plus this
 * one).  They are the candidates of the ENOSYS rule, and the fallback
 * number of a name that libseccomp itself does not know yet. */
static const struct
{
  const char *name;
  int nr;
} newer_syscalls[] = {
  { "pidfd_send_signal", 424 },
  { "io_uring_setup", 425 },
  { "io_uring_enter", 426 },
  { "io_uring_register", 427 },
  { "open_tree", 428 },
  { "move_mount", 429 },
  { "fsopen", 430 },
  { "fsconfig", 431 },
  { "fsmount", 432 },
  { "fspick", 433 },
  { "pidfd_open", 434 },
  { "clone3", 435 },
  { "close_range", 436 },
  { "openat2", 437 },
  { "pidfd_getfd", 438 },
  { "faccessat2", 439 },
  { "process_madvise", 440 },
  { "epoll_pwait2", 441 },
  { "mount_setattr", 442 },
  { "quotactl_fd", 443 },
  { "landlock_create_ruleset", 444 },
  { "landlock_add_rule", 445 },
  { "landlock_restrict_self", 446 },
  { "memfd_secret", 447 },
  { "process_mrelease", 448 },
  { "futex_waitv", 449 },
  { "set_mempolicy_home_node", 450 },
  { "cachestat", 451 },
  { "fchmodat2", 452 },
  { "map_shadow_stack", 453 },
  { "futex_wake", 454 },
  { "futex_wait", 455 },
  { "futex_requeue", 456 },
  { "statmount", 457 },
  { "listmount", 458 },
  { "lsm_get_self_attr", 459 },
  { "lsm_set_self_attr", 460 },
  { "lsm_list_modules", 461 },
  { "mseal", 462 },
  { "setxattrat", 463 },
  { "getxattrat", 464 },
  { "listxattrat", 465 },
  { "removexattrat", 466 },
  { "open_tree_attr", 467 },
  { "file_getattr", 468 },
  { "file_setattr", 469 },
};

/* The first syscall of the unified numbering, to find the native base. */
#define UNIFIED_FIRST_NAME "pidfd_send_signal"
#define UNIFIED_FIRST_NR 424

static void
cleanup_scmp_ctx (scmp_filter_ctx *ctx)
{
  if (*ctx)
    seccomp_release (*ctx);
}
#define _cleanup_scmp_ctx_ __attribute__ ((cleanup (cleanup_scmp_ctx)))

/* The native number of a syscall name.  *raw is set when libseccomp does not
 * know the name but husk's table does: such a number is only valid on the
 * native architecture.  __NR_SCMP_ERROR when nobody knows it; a negative
 * pseudo number when libseccomp knows it on other architectures only. */
static int
resolve_native (const char *name, bool *raw)
{
  *raw = false;
  int nr = seccomp_syscall_resolve_name (name);
  if (nr != __NR_SCMP_ERROR)
    return nr;
  for (size_t i = 0; i < ARRAY_SIZE (newer_syscalls); i++)
    if (strcmp (newer_syscalls[i].name, name) == 0)
      {
        int first = seccomp_syscall_resolve_name (UNIFIED_FIRST_NAME);
        if (first < UNIFIED_FIRST_NR)
          return __NR_SCMP_ERROR;
        *raw = true;
        return first - UNIFIED_FIRST_NR + newer_syscalls[i].nr;
      }
  return __NR_SCMP_ERROR;
}

void
hk_seccomp_foreach_unknown (const struct husk_spec_seccomp *sc,
                            void (*fn) (const char *name, void *data), void *data)
{
  bool raw;
  for (size_t i = 0; sc && i < sc->syscalls_len; i++)
    for (size_t j = 0; j < sc->syscalls[i].names_len; j++)
      if (resolve_native (sc->syscalls[i].names[j], &raw) == __NR_SCMP_ERROR)
        fn (sc->syscalls[i].names[j], data);
}

/* ------------------------------------------------------------ translation */

/* The libseccomp action of a spec action.  where is the JSON path of the
 * action and errnoRet for errors: "linux.seccomp.syscalls[3]." or
 * "linux.seccomp.default" (then "Action" and "ErrnoRet" follow). */
static int
action_of (enum husk_spec_seccomp_action a, bool has_errno, uint32_t errno_ret, const char *where,
           uint32_t *out, struct husk_error *err)
{
  bool dflt = where[strlen (where) - 1] != '.';
  if (has_errno && a != HUSK_SPEC_SECCOMP_ACT_ERRNO && a != HUSK_SPEC_SECCOMP_ACT_TRACE)
    return husk_error_setx (err, EINVAL, "%s%s: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE",
                            where, dflt ? "ErrnoRet" : "errnoRet");
  if (has_errno && errno_ret > 0xffff)
    return husk_error_setx (err, EINVAL, "%s%s: %" PRIu32 " is out of range (0 to 65535)", where,
                            dflt ? "ErrnoRet" : "errnoRet", errno_ret);
  uint16_t e = has_errno ? (uint16_t) errno_ret : EPERM;
  switch (a)
    {
    case HUSK_SPEC_SECCOMP_ACT_KILL:
    case HUSK_SPEC_SECCOMP_ACT_KILL_THREAD:
      *out = SCMP_ACT_KILL_THREAD;
      return 0;
    case HUSK_SPEC_SECCOMP_ACT_KILL_PROCESS:
      *out = SCMP_ACT_KILL_PROCESS;
      return 0;
    case HUSK_SPEC_SECCOMP_ACT_TRAP:
      *out = SCMP_ACT_TRAP;
      return 0;
    case HUSK_SPEC_SECCOMP_ACT_ERRNO:
      *out = SCMP_ACT_ERRNO (e);
      return 0;
    case HUSK_SPEC_SECCOMP_ACT_TRACE:
      *out = SCMP_ACT_TRACE (e);
      return 0;
    case HUSK_SPEC_SECCOMP_ACT_ALLOW:
      *out = SCMP_ACT_ALLOW;
      return 0;
    case HUSK_SPEC_SECCOMP_ACT_LOG:
      *out = SCMP_ACT_LOG;
      return 0;
    case HUSK_SPEC_SECCOMP_ACT_NOTIFY:
      *out = SCMP_ACT_NOTIFY;
      return 0;
    case HUSK_SPEC_SECCOMP_ACT_UNKNOWN:
      break;
    }
  return husk_error_setx (err, EINVAL, "%s%s: unknown action", where, dflt ? "Action" : "action");
}

static enum scmp_compare
op_of (enum husk_spec_seccomp_op op)
{
  switch (op)
    {
    case HUSK_SPEC_SECCOMP_OP_NE:
      return SCMP_CMP_NE;
    case HUSK_SPEC_SECCOMP_OP_LT:
      return SCMP_CMP_LT;
    case HUSK_SPEC_SECCOMP_OP_LE:
      return SCMP_CMP_LE;
    case HUSK_SPEC_SECCOMP_OP_EQ:
      return SCMP_CMP_EQ;
    case HUSK_SPEC_SECCOMP_OP_GE:
      return SCMP_CMP_GE;
    case HUSK_SPEC_SECCOMP_OP_GT:
      return SCMP_CMP_GT;
    case HUSK_SPEC_SECCOMP_OP_MASKED_EQ:
      return SCMP_CMP_MASKED_EQ;
    case HUSK_SPEC_SECCOMP_OP_UNKNOWN:
      break;
    }
  return _SCMP_CMP_MIN;
}

/* libseccomp's name of an architecture: "SCMP_ARCH_X86_64" -> "x86_64". */
static uint32_t
arch_token (const char *spec_name)
{
  static const char prefix[] = "SCMP_ARCH_";
  char name[32];
  size_t n = 0;
  if (strncmp (spec_name, prefix, sizeof prefix - 1) != 0)
    return 0;
  for (const char *p = spec_name + sizeof prefix - 1; *p && n + 1 < sizeof name; p++)
    name[n++] = (char) ((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
  name[n] = '\0';
  return seccomp_arch_resolve_name (name);
}

bool
hk_seccomp_arch_supported (const char *name)
{
  return arch_token (name) != 0;
}

bool
hk_seccomp_flag_supported (uint32_t flag)
{
  unsigned api = seccomp_api_get ();
  switch (flag)
    {
    case HUSK_SPEC_SECCOMP_FLAG_TSYNC:
      return api >= 2;
    case HUSK_SPEC_SECCOMP_FLAG_LOG:
      return api >= 3;
    case HUSK_SPEC_SECCOMP_FLAG_SPEC_ALLOW:
      return api >= 4;
    case HUSK_SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV:
      {
        /* The kernel checks the flags before the program: EFAULT for the
         * NULL program means it knows them (libseccomp probes the same). */
        if (api < 5)
          return false;
        long r = hk_sys_seccomp (SECCOMP_SET_MODE_FILTER,
                                 SECCOMP_FILTER_FLAG_NEW_LISTENER
                                     | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
                                 NULL);
        return r < 0 && errno == EFAULT;
      }
    default:
      return false;
    }
}

/* ------------------------------------------------------------ building */

struct build
{
  const struct husk_spec_seccomp *sc;
  scmp_filter_ctx ctx;
  uint32_t default_act;
  uint32_t *acts; /* the action of each syscalls[] entry */
  int max_nr;     /* highest native number the profile names, -1 for none */
  bool notify;    /* some entry uses SCMP_ACT_NOTIFY */
  bool listener;  /* some NOTIFY rule is in the filter (its names are known) */
};

/* The rules of one name of syscalls[i]: one rule with every condition
 * (AND); or, when two conditions test the same argument, one rule per
 * condition (OR), as runc does. */
static int
add_syscall_rules (struct build *b, size_t i, const char *name, int nr, struct husk_error *err)
{
  const struct husk_spec_seccomp_syscall *s = &b->sc->syscalls[i];
  uint32_t act = b->acts[i];
  int rc;

  if (s->args_len == 0)
    rc = seccomp_rule_add (b->ctx, act, nr, 0);
  else
    {
      _cleanup_free_ struct scmp_arg_cmp *cmp = calloc (s->args_len, sizeof *cmp);
      unsigned seen = 0;
      bool same_index = false;
      if (cmp == NULL)
        return husk_error_set (err, ENOMEM, FIELD ".syscalls[%zu]", i);
      for (size_t k = 0; k < s->args_len; k++)
        {
          const struct husk_spec_seccomp_arg *a = &s->args[k];
          if (a->index >= 6 || op_of (a->op) == _SCMP_CMP_MIN)
            return husk_error_setx (err, EINVAL, FIELD ".syscalls[%zu].args[%zu]: invalid", i, k);
          same_index |= (seen & (1u << a->index)) != 0;
          seen |= 1u << a->index;
          cmp[k].arg = a->index;
          cmp[k].op = op_of (a->op);
          cmp[k].datum_a = a->value;
          cmp[k].datum_b = a->op == HUSK_SPEC_SECCOMP_OP_MASKED_EQ ? a->value_two : 0;
        }
      if (!same_index)
        rc = seccomp_rule_add_array (b->ctx, act, nr, (unsigned) s->args_len, cmp);
      else
        {
          rc = 0;
          for (size_t k = 0; rc == 0 && k < s->args_len; k++)
            rc = seccomp_rule_add_array (b->ctx, act, nr, 1, &cmp[k]);
        }
    }
  if (rc < 0)
    return husk_error_set (err, -rc, FIELD ".syscalls[%zu]: add the rule for \"%s\"", i, name);
  if (act == SCMP_ACT_NOTIFY)
    b->listener = true;
  return 0;
}

/* Add the rules of every name whose number is raw (only valid on the native
 * architecture, added before the other architectures) or not. */
static int
add_profile_rules (struct build *b, bool raw_pass, struct husk_error *err)
{
  for (size_t i = 0; i < b->sc->syscalls_len; i++)
    {
      const struct husk_spec_seccomp_syscall *s = &b->sc->syscalls[i];
      /* A rule with the default action is redundant (and refused by
       * libseccomp): skip it, as runc does. */
      if (b->acts[i] == b->default_act)
        continue;
      for (size_t j = 0; j < s->names_len; j++)
        {
          bool raw;
          int nr = resolve_native (s->names[j], &raw);
          if (nr == __NR_SCMP_ERROR || raw != raw_pass)
            continue; /* unknown names are skipped (see hk_seccomp_foreach_unknown) */
          int ret = add_syscall_rules (b, i, s->names[j], nr, err);
          if (ret < 0)
            return ret;
        }
    }
  return 0;
}

/* Whether the ENOSYS rule applies: the default action denies. */
static bool
enosys_rule_applies (const struct husk_spec_seccomp *sc)
{
  switch (sc->default_action)
    {
    case HUSK_SPEC_SECCOMP_ACT_KILL:
    case HUSK_SPEC_SECCOMP_ACT_KILL_PROCESS:
    case HUSK_SPEC_SECCOMP_ACT_KILL_THREAD:
    case HUSK_SPEC_SECCOMP_ACT_TRAP:
    case HUSK_SPEC_SECCOMP_ACT_ERRNO:
      return true;
    default:
      return false;
    }
}

/* The ENOSYS rule: every syscall of newer_syscalls[] whose native number is
 * above the highest one the profile names returns ENOSYS instead of the
 * default action, so that programs fall back to the older syscall. */
static int
add_enosys_rules (struct build *b, bool raw_pass, struct husk_error *err)
{
  if (!enosys_rule_applies (b->sc) || b->default_act == SCMP_ACT_ERRNO (ENOSYS))
    return 0;
  for (size_t i = 0; i < ARRAY_SIZE (newer_syscalls); i++)
    {
      bool raw;
      int nr = resolve_native (newer_syscalls[i].name, &raw);
      if (nr < 0 || raw != raw_pass || nr <= b->max_nr)
        continue;
      int rc = seccomp_rule_add (b->ctx, SCMP_ACT_ERRNO (ENOSYS), nr, 0);
      if (rc < 0)
        return husk_error_set (err, -rc, FIELD ": add the ENOSYS rule for \"%s\"",
                               newer_syscalls[i].name);
    }
  return 0;
}

/* Actions of every entry, the checks that need them, and max_nr. */
static int
prepare (struct build *b, struct husk_error *err)
{
  const struct husk_spec_seccomp *sc = b->sc;
  char field[64];
  int ret;

  if (sc->default_action == HUSK_SPEC_SECCOMP_ACT_NOTIFY)
    return husk_error_setx (err, EINVAL,
                            FIELD ".defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
  ret = action_of (sc->default_action, sc->has_default_errno_ret, sc->default_errno_ret,
                   FIELD ".default", &b->default_act, err);
  if (ret < 0)
    return ret;

  b->acts = calloc (sc->syscalls_len + 1, sizeof *b->acts);
  if (b->acts == NULL)
    return husk_error_set (err, ENOMEM, FIELD);
  b->max_nr = -1;
  for (size_t i = 0; i < sc->syscalls_len; i++)
    {
      const struct husk_spec_seccomp_syscall *s = &sc->syscalls[i];
      snprintf (field, sizeof field, FIELD ".syscalls[%zu].", i);
      ret = action_of (s->action, s->has_errno_ret, s->errno_ret, field, &b->acts[i], err);
      if (ret < 0)
        return ret;
      for (size_t j = 0; j < s->names_len; j++)
        {
          bool raw;
          int nr = resolve_native (s->names[j], &raw);
          if (nr > b->max_nr)
            b->max_nr = nr;
          /* The init hands the listener fd to the runtime with sendmsg(2)
           * right after loading the filter: notifying it (or write, which
           * runc refuses for the same reason) would hang the container. */
          if (s->action == HUSK_SPEC_SECCOMP_ACT_NOTIFY
              && (strcmp (s->names[j], "write") == 0 || strcmp (s->names[j], "sendmsg") == 0))
            return husk_error_setx (err, EINVAL,
                                    FIELD ".syscalls[%zu]: SCMP_ACT_NOTIFY cannot be used for "
                                          "\"%s\" (the runtime needs it to receive the "
                                          "notify fd)",
                                    i, s->names[j]);
        }
      if (s->action == HUSK_SPEC_SECCOMP_ACT_NOTIFY)
        b->notify = true;
    }
  if (b->notify)
    {
      unsigned api = seccomp_api_get ();
      if (api < 5 || ((sc->flags_mask & HUSK_SPEC_SECCOMP_FLAG_TSYNC) && api < 6))
        return husk_error_setx (err, ENOTSUP,
                                FIELD ": SCMP_ACT_NOTIFY needs libseccomp API level %d (it is %u; "
                                      "libseccomp >= 2.5 and Linux >= 5.7)",
                                (sc->flags_mask & HUSK_SPEC_SECCOMP_FLAG_TSYNC) ? 6 : 5, api);
      if (sc->listener_path == NULL || sc->listener_path[0] == '\0')
        return husk_error_setx (err, EINVAL, FIELD ".listenerPath: required by SCMP_ACT_NOTIFY");
    }
  return 0;
}

static int
set_attr (scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value, const char *what,
          struct husk_error *err)
{
  int rc = seccomp_attr_set (ctx, attr, value);
  if (rc < 0)
    return husk_error_set (err, -rc, FIELD ".flags: %s", what);
  return 0;
}

static int
set_attrs (struct build *b, struct husk_error *err)
{
  uint32_t flags = b->sc->flags_mask;
  int ret;
  /* Errors as the kernel reports them, not -ECANCELED. */
  (void) seccomp_attr_set (b->ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
  /* no_new_privs is the init's business (process.noNewPrivileges). */
  ret = set_attr (b->ctx, SCMP_FLTATR_CTL_NNP, 0, "no_new_privs", err);
  if (ret == 0 && (flags & HUSK_SPEC_SECCOMP_FLAG_TSYNC))
    ret = set_attr (b->ctx, SCMP_FLTATR_CTL_TSYNC, 1, "SECCOMP_FILTER_FLAG_TSYNC", err);
  if (ret == 0 && (flags & HUSK_SPEC_SECCOMP_FLAG_LOG))
    ret = set_attr (b->ctx, SCMP_FLTATR_CTL_LOG, 1, "SECCOMP_FILTER_FLAG_LOG", err);
  if (ret == 0 && (flags & HUSK_SPEC_SECCOMP_FLAG_SPEC_ALLOW))
    ret = set_attr (b->ctx, SCMP_FLTATR_CTL_SSB, 1, "SECCOMP_FILTER_FLAG_SPEC_ALLOW", err);
  /* A binary tree of syscalls rather than a list for long profiles (more
   * than 32 names, runc's threshold); not fatal where libseccomp lacks it. */
  size_t names = 0;
  for (size_t i = 0; i < b->sc->syscalls_len; i++)
    names += b->sc->syscalls[i].names_len;
  if (ret == 0 && names > 32)
    (void) seccomp_attr_set (b->ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  return ret;
}

static int
add_arches (struct build *b, struct husk_error *err)
{
  for (size_t i = 0; i < b->sc->architectures_len; i++)
    {
      const char *name = b->sc->architectures[i];
      uint32_t token = arch_token (name);
      if (token == 0)
        return husk_error_setx (err, ENOTSUP,
                                FIELD ".architectures[%zu]: %s is not supported by libseccomp "
                                      "%d.%d.%d",
                                i, name, SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO);
      int rc = seccomp_arch_add (b->ctx, token);
      if (rc < 0 && rc != -EEXIST)
        return husk_error_set (err, -rc, FIELD ".architectures[%zu]: add %s", i, name);
    }
  return 0;
}

/* ------------------------------------------------------------ loading */

/* The filter is exported as BPF and loaded with seccomp(2) by husk itself:
 * the flags are the profile's (libseccomp < 2.6 cannot set
 * WAIT_KILLABLE_RECV), the ENOSYS stub goes in front of the program, and the
 * listener fd is handed over before the loader makes any other syscall. */

#define X32_SYSCALL_BIT 0x40000000U

/* The stub runc also puts in front of the profile: on the native
 * architecture, every syscall number above the highest one the profile
 * names returns ENOSYS, whatever the kernel or libseccomp know. Returns the
 * number of instructions (at most HK_SECCOMP_STUB_MAX), 0 for none. */
size_t
hk_seccomp_enosys_stub (uint32_t arch, int max_nr, struct sock_filter *stub)
{
  if (max_nr < 0)
    return 0;
  bool x86_64 = arch == SCMP_ARCH_X86_64;
  size_t n = 0;
  stub[n++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_W | BPF_ABS,
                                             offsetof (struct seccomp_data, arch));
  /* another architecture: on to the profile */
  stub[n++] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, arch, 0, x86_64 ? 4 : 3);
  stub[n++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_W | BPF_ABS,
                                             offsetof (struct seccomp_data, nr));
  /* x32 syscalls come with the x86_64 arch and this bit: the profile decides */
  if (x86_64)
    stub[n++] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, 2, 0);
  stub[n++] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JGT | BPF_K, (uint32_t) max_nr, 0, 1);
  stub[n++] = (struct sock_filter) BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  return n;
}

/* The libseccomp program of ctx, read back from a memfd, with room for
 * extra instructions in front. */
static int
export_bpf (scmp_filter_ctx ctx, size_t extra, struct sock_filter **out, size_t *len,
            struct husk_error *err)
{
  _cleanup_close_ int mfd = memfd_create ("husk-seccomp", MFD_CLOEXEC);
  struct stat st;
  if (mfd < 0)
    return husk_error_set (err, errno, FIELD ": memfd_create");
  int rc = seccomp_export_bpf (ctx, mfd);
  if (rc < 0)
    return husk_error_set (err, -rc, FIELD ": export the filter");
  if (fstat (mfd, &st) < 0)
    return husk_error_set (err, errno, FIELD ": export the filter");
  size_t n = (size_t) st.st_size / sizeof (struct sock_filter);
  if (st.st_size <= 0 || st.st_size % (off_t) sizeof (struct sock_filter) != 0
      || n + extra > BPF_MAXINSNS)
    return husk_error_setx (err, E2BIG, FIELD ": the filter has %zu instructions (at most %d)",
                            n + extra, BPF_MAXINSNS);
  struct sock_filter *insns = calloc (n + extra, sizeof *insns);
  if (insns == NULL)
    return husk_error_set (err, ENOMEM, FIELD);
  char *dst = (char *) (insns + extra);
  for (off_t off = 0; off < st.st_size;)
    {
      ssize_t r = pread (mfd, dst + off, (size_t) (st.st_size - off), off);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        {
          free (insns);
          return husk_error_set (err, r < 0 ? errno : EIO, FIELD ": read the exported filter");
        }
      off += r;
    }
  *out = insns;
  *len = n + extra;
  return 0;
}

static unsigned long
kernel_flags (const struct build *b)
{
  uint32_t flags = b->sc->flags_mask;
  unsigned long k = 0;
  if (b->listener)
    k |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  if (b->listener && (flags & HUSK_SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV))
    k |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
  if (flags & HUSK_SPEC_SECCOMP_FLAG_TSYNC)
    k |= SECCOMP_FILTER_FLAG_TSYNC | (b->listener ? SECCOMP_FILTER_FLAG_TSYNC_ESRCH : 0);
  if (flags & HUSK_SPEC_SECCOMP_FLAG_LOG)
    k |= SECCOMP_FILTER_FLAG_LOG;
  if (flags & HUSK_SPEC_SECCOMP_FLAG_SPEC_ALLOW)
    k |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
  return k;
}

static int
load (struct build *b, hk_seccomp_listener_fn fn, void *data, int *notify_fd,
      struct husk_error *err)
{
  struct sock_filter stub[HK_SECCOMP_STUB_MAX];
  size_t nstub = 0;
  if (enosys_rule_applies (b->sc) && b->default_act != SCMP_ACT_ERRNO (ENOSYS))
    nstub = hk_seccomp_enosys_stub (seccomp_arch_native (), b->max_nr, stub);
  _cleanup_free_ struct sock_filter *insns = NULL;
  size_t len = 0;
  int ret = export_bpf (b->ctx, nstub, &insns, &len, err);
  if (ret < 0)
    return ret;
  memcpy (insns, stub, nstub * sizeof *stub);
  struct sock_fprog prog = { .len = (unsigned short) len, .filter = insns };
  unsigned long kflags = kernel_flags (b);

  /* From here on every syscall goes through the filter: the listener fd
   * leaves first, so that an agent can answer what follows. */
  long r = hk_sys_seccomp (SECCOMP_SET_MODE_FILTER, kflags, &prog);
  if (r < 0)
    {
      if (errno == EACCES)
        return husk_error_set (err, errno,
                               FIELD ": load the filter (needs no_new_privs or "
                                     "CAP_SYS_ADMIN)");
      if (errno == EINVAL && (kflags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV))
        return husk_error_set (err, errno,
                               FIELD ": load the filter (flags %#lx: does the kernel "
                                     "support SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV?)",
                               kflags);
      return husk_error_set (err, errno, FIELD ": load the filter");
    }
  if (!b->listener)
    return 0;
  int fd = (int) r;
  if (fn == NULL)
    {
      *notify_fd = fd;
      return 0;
    }
  ret = fn (fd, data, err);
  close (fd);
  return ret;
}

static int
load_filter (const struct husk_spec_seccomp *sc, hk_seccomp_listener_fn fn, void *data,
             int *notify_fd, struct husk_error *err)
{
  _cleanup_free_ uint32_t *acts = NULL;
  _cleanup_scmp_ctx_ scmp_filter_ctx ctx = NULL;
  struct build b = { .sc = sc };
  int ret;

  *notify_fd = -1;
  if (sc == NULL)
    return 0;
  ret = prepare (&b, err);
  acts = b.acts;
  if (ret < 0)
    return ret;

  ctx = seccomp_init (b.default_act);
  if (ctx == NULL)
    return husk_error_setx (err, EINVAL, FIELD ": seccomp_init failed");
  b.ctx = ctx;
  ret = set_attrs (&b, err);
  /* Rules by a number libseccomp does not know exist on the native
   * architecture only: libseccomp cannot translate them, so they go in
   * before the other architectures (it does not replay rules on them). */
  if (ret == 0)
    ret = add_profile_rules (&b, true, err);
  if (ret == 0)
    ret = add_enosys_rules (&b, true, err);
  if (ret == 0)
    ret = add_arches (&b, err);
  if (ret == 0)
    ret = add_profile_rules (&b, false, err);
  if (ret == 0)
    ret = add_enosys_rules (&b, false, err);
  if (ret == 0)
    ret = load (&b, fn, data, notify_fd, err);
  return ret;
}

int
hk_seccomp_load (const struct husk_spec_seccomp *sc, int *notify_fd, struct husk_error *err)
{
  return load_filter (sc, NULL, NULL, notify_fd, err);
}

int
hk_seccomp_load_send (const struct husk_spec_seccomp *sc, hk_seccomp_listener_fn fn, void *data,
                      struct husk_error *err)
{
  int unused;
  return load_filter (sc, fn, data, &unused, err);
}

/* ------------------------------------------------------------ notify */

static int
connect_listener (const char *path, struct husk_error *err)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if (strlen (path) >= sizeof addr.sun_path)
    return husk_error_setx (err, ENAMETOOLONG, FIELD ".listenerPath: \"%s\" is too long", path);
  strcpy (addr.sun_path, path);
  _cleanup_close_ int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return husk_error_set (err, errno, "seccomp listener \"%s\": socket", path);
  /* an agent that never accepts or never reads does not hold create
   * forever: connect and send give up after this long (EAGAIN) */
  struct timeval tv = { .tv_sec = HK_SECCOMP_AGENT_TIMEOUT };
  if (setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0)
    return husk_error_set (err, errno, "seccomp listener \"%s\": set a send timeout", path);
  while (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    if (errno != EINTR)
      return husk_error_set (err, errno, "seccomp listener \"%s\": connect", path);
  return steal_fd (&fd);
}

/* The container process state: built with yajl up to "metadata", then the
 * already serialized state object, then the closing brace. */
static int
process_state_json (const struct husk_spec_seccomp *sc, pid_t pid, const char *state_json,
                    char **out, size_t *len, struct husk_error *err)
{
  yajl_val tree = NULL;
  struct husk_error perr = { 0 };
  bool is_object = hk_json_parse (state_json, strlen (state_json), "state", &tree, &perr) == 0
                   && YAJL_IS_OBJECT (tree);
  yajl_tree_free (tree);
  if (!is_object)
    return husk_error_setx (err, EINVAL,
                            "seccomp listener: the container state is not a JSON "
                            "object%s%s",
                            perr.msg[0] ? ": " : "", perr.msg);

  _cleanup_gen_ yajl_gen g = hk_json_gen (NULL);
  const unsigned char *buf;
  size_t n;
  if (g == NULL)
    return husk_error_set (err, ENOMEM, "seccomp listener");
  yajl_gen_map_open (g);
  hk_json_kstr (g, "ociVersion", HUSK_SPEC_OCI_VERSION);
  hk_json_key (g, "fds");
  yajl_gen_array_open (g);
  hk_json_str (g, "seccompFd");
  yajl_gen_array_close (g);
  hk_json_kint (g, "pid", pid);
  if (sc->listener_metadata)
    hk_json_kstr (g, "metadata", sc->listener_metadata);
  if (yajl_gen_get_buf (g, &buf, &n) != yajl_gen_status_ok)
    return husk_error_setx (err, EINVAL, "seccomp listener: generate JSON: internal error");

  static const char state_key[] = ",\"state\":";
  size_t slen = strlen (state_json);
  char *s = malloc (n + sizeof state_key - 1 + slen + 2);
  if (s == NULL)
    return husk_error_set (err, ENOMEM, "seccomp listener");
  memcpy (s, buf, n);
  memcpy (s + n, state_key, sizeof state_key - 1);
  memcpy (s + n + sizeof state_key - 1, state_json, slen);
  *len = n + sizeof state_key - 1 + slen;
  s[(*len)++] = '}';
  s[*len] = '\0';
  *out = s;
  return 0;
}

int
hk_seccomp_notify_send (const struct husk_spec_seccomp *sc, int notify_fd, pid_t pid,
                        const char *state_json, struct husk_error *err)
{
  _cleanup_free_ char *msg = NULL;
  size_t len = 0;
  int ret;

  if (sc == NULL || sc->listener_path == NULL || sc->listener_path[0] == '\0')
    return husk_error_setx (err, EINVAL, FIELD ".listenerPath: required by SCMP_ACT_NOTIFY");
  if (notify_fd < 0)
    return husk_error_setx (err, EBADF, "seccomp listener \"%s\": no notify fd to send",
                            sc->listener_path);
  ret = process_state_json (sc, pid, state_json ? state_json : "", &msg, &len, err);
  if (ret < 0)
    return ret;

  _cleanup_close_ int sock = connect_listener (sc->listener_path, err);
  if (sock < 0)
    return sock;

  /* The fd goes with the first sendmsg; the rest of a long state follows. */
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  memset (&control, 0, sizeof control);
  struct iovec iov = { .iov_base = msg, .iov_len = len };
  struct msghdr mh = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.buf,
    .msg_controllen = sizeof control.buf,
  };
  struct cmsghdr *cm = CMSG_FIRSTHDR (&mh);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cm), &notify_fd, sizeof (int));

  ssize_t sent;
  do
    sent = sendmsg (sock, &mh, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  if (sent < 0)
    return husk_error_set (err, errno, "seccomp listener \"%s\": send the notify fd",
                           sc->listener_path);
  for (size_t off = (size_t) sent; off < len;)
    {
      ssize_t n = send (sock, msg + off, len - off, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return husk_error_set (err, errno, "seccomp listener \"%s\": send the state",
                               sc->listener_path);
      off += (size_t) n;
    }
  return 0;
}
