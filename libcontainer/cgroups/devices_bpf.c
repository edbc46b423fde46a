/* SPDX-License-Identifier: Apache-2.0 */
/* cgroup v2 has no devices files: the rules become an eBPF program of type
 * BPF_PROG_TYPE_CGROUP_DEVICE attached to the container's cgroup. An update
 * replaces husk's program atomically (BPF_F_REPLACE).
 *
 * The program reads the request (type, access, major, minor) and checks
 * the rules from the last to the first: the first that matches decides.
 * A wildcard rule ("a", any device, rwm) only sets what happens when no
 * later rule matches (the default). */
#include "config.h"
#include <fcntl.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <sys/syscall.h>
#include "cgroups/internal.h"
#include "utils.h"
#include "syscalls.h"

#define INSN(c, d, s, o, i) \
  ((struct bpf_insn) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define LDX_W(d, s, o) INSN (BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define MOV_R(d, s) INSN (BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV_I(d, i) INSN (BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define AND_I(d, i) INSN (BPF_ALU | BPF_AND | BPF_K, d, 0, 0, i)
#define RSH_I(d, i) INSN (BPF_ALU | BPF_RSH | BPF_K, d, 0, 0, i)
#define JNE_I(d, i, o) INSN (BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define JNE_R(d, s, o) INSN (BPF_JMP | BPF_JNE | BPF_X, d, s, o, 0)
#define EXIT() INSN (BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static bool
is_wildcard (const struct cg_dev_rule *r)
{
  return r->type == 'a' && r->major < 0 && r->minor < 0
         && r->access == (CG_DEV_R | CG_DEV_W | CG_DEV_M);
}

static unsigned
bpf_access (unsigned a)
{
  return ((a & CG_DEV_M) ? BPF_DEVCG_ACC_MKNOD : 0) | ((a & CG_DEV_R) ? BPF_DEVCG_ACC_READ : 0)
         | ((a & CG_DEV_W) ? BPF_DEVCG_ACC_WRITE : 0);
}

int
cg_bpf_devices_prog (const struct cg_dev_rule *rules, size_t n, struct bpf_insn **out, size_t *len,
                     struct husk_error *err)
{
  /* the default and the rules that count: those after the last wildcard */
  bool deflt = true;
  size_t first = 0;
  for (size_t i = 0; i < n; i++)
    if (is_wildcard (&rules[i]))
      {
        deflt = rules[i].allow;
        first = i + 1;
      }
  size_t cap = 6 + (n - first) * 8 + 2, k = 0;
  struct bpf_insn *p = calloc (cap, sizeof *p);
  if (p == NULL)
    return husk_error_set (err, ENOMEM, "device filter");
  /* r2 = type, r3 = access, r4 = major, r5 = minor */
  p[k++] = LDX_W (BPF_REG_2, BPF_REG_1, offsetof (struct bpf_cgroup_dev_ctx, access_type));
  p[k++] = AND_I (BPF_REG_2, 0xffff);
  p[k++] = LDX_W (BPF_REG_3, BPF_REG_1, offsetof (struct bpf_cgroup_dev_ctx, access_type));
  p[k++] = RSH_I (BPF_REG_3, 16);
  p[k++] = LDX_W (BPF_REG_4, BPF_REG_1, offsetof (struct bpf_cgroup_dev_ctx, major));
  p[k++] = LDX_W (BPF_REG_5, BPF_REG_1, offsetof (struct bpf_cgroup_dev_ctx, minor));
  for (size_t i = n; i-- > first;)
    {
      const struct cg_dev_rule *r = &rules[i];
      struct bpf_insn blk[8];
      size_t b = 0;
      if (r->type != 'a')
        blk[b++] = JNE_I (BPF_REG_2, r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, 0);
      if (r->access != (CG_DEV_R | CG_DEV_W | CG_DEV_M))
        {
          /* the request must lie within the rule's access */
          blk[b++] = MOV_R (BPF_REG_1, BPF_REG_3);
          blk[b++] = AND_I (BPF_REG_1, (int32_t) bpf_access (r->access));
          blk[b++] = JNE_R (BPF_REG_1, BPF_REG_3, 0);
        }
      if (r->type != 'a' && r->major >= 0)
        blk[b++] = JNE_I (BPF_REG_4, (int32_t) r->major, 0);
      if (r->type != 'a' && r->minor >= 0)
        blk[b++] = JNE_I (BPF_REG_5, (int32_t) r->minor, 0);
      blk[b++] = MOV_I (BPF_REG_0, r->allow ? 1 : 0);
      blk[b++] = EXIT ();
      /* every jump goes to the end of the block */
      for (size_t j = 0; j < b; j++)
        if (BPF_CLASS (blk[j].code) == BPF_JMP && BPF_OP (blk[j].code) == BPF_JNE)
          blk[j].off = (int16_t) (b - j - 1);
      memcpy (p + k, blk, b * sizeof *blk);
      k += b;
    }
  p[k++] = MOV_I (BPF_REG_0, deflt ? 1 : 0);
  p[k++] = EXIT ();
  *out = p;
  *len = k;
  return 0;
}

static int
sys_bpf (int cmd, union bpf_attr *attr)
{
  return hk_sys_bpf (cmd, attr, sizeof *attr);
}

int
cg_bpf_devices_attach (const char *dir, const struct cg_dev_rule *rules, size_t n,
                       struct husk_error *err)
{
  _cleanup_free_ struct bpf_insn *insns = NULL;
  size_t len;
  int ret = cg_bpf_devices_prog (rules, n, &insns, &len, err);
  if (ret < 0)
    return ret;
  _cleanup_close_ int cgfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cgfd < 0)
    return husk_error_set (err, errno, "device filter: open %s", dir);

  union bpf_attr a;
  char log[4096] = "";
  memset (&a, 0, sizeof a);
  a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  a.insns = (uintptr_t) insns;
  a.insn_cnt = (uint32_t) len;
  a.license = (uintptr_t) "Apache";
  a.log_buf = (uintptr_t) log;
  a.log_size = sizeof log;
  a.log_level = 1;
  _cleanup_close_ int prog = sys_bpf (BPF_PROG_LOAD, &a);
  if (prog < 0)
    {
      /* without the verifier log first: a log too small fails the load */
      a.log_buf = 0;
      a.log_size = 0;
      a.log_level = 0;
      prog = sys_bpf (BPF_PROG_LOAD, &a);
    }
  if (prog < 0)
    return husk_error_set (err, errno, "device filter: load the eBPF program for %s%s%s", dir,
                           log[0] ? ": " : "", log);

  /* husk's earlier program: the one attached to this cgroup itself */
  uint32_t ids[16] = { 0 }; /* the kernel fills prog_cnt of them */
  memset (&a, 0, sizeof a);
  a.query.target_fd = (uint32_t) cgfd;
  a.query.attach_type = BPF_CGROUP_DEVICE;
  a.query.prog_ids = (uintptr_t) ids;
  a.query.prog_cnt = ARRAY_SIZE (ids);
  uint32_t nold = sys_bpf (BPF_PROG_QUERY, &a) == 0 ? a.query.prog_cnt : 0;
  int old = -1;
  if (nold > 0)
    {
      memset (&a, 0, sizeof a);
      a.prog_id = ids[0];
      old = sys_bpf (BPF_PROG_GET_FD_BY_ID, &a);
    }
  memset (&a, 0, sizeof a);
  a.target_fd = (uint32_t) cgfd;
  a.attach_bpf_fd = (uint32_t) prog;
  a.attach_type = BPF_CGROUP_DEVICE;
  a.attach_flags = BPF_F_ALLOW_MULTI;
  if (old >= 0)
    {
      a.attach_flags |= BPF_F_REPLACE;
      a.replace_bpf_fd = (uint32_t) old;
    }
  ret = sys_bpf (BPF_PROG_ATTACH, &a);
  int e = errno;
  if (old >= 0)
    close (old);
  if (ret < 0)
    return husk_error_set (err, e, "device filter: attach the eBPF program to %s", dir);
  return 0;
}
