/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of libcontainer/cgroups' pure logic: mountinfo and
 * /proc/self/cgroup parsing, paths, the systemd names and unit properties,
 * the v2 value translations, the device rules and their eBPF program (run
 * through a small interpreter), and the resources JSON. */
#include "config.h"
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cgroups/internal.h"
#include "utils.h"
#include "spec/spec_internal.h"
#include "tap.h"
#include "cgfake.h"

static const char hybrid_mi[]
    = "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
      "32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpuacct\n"
      "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
      "35 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
      "36 30 0:32 / /sys/fs/cgroup/net_cls,net_prio rw - cgroup cgroup rw,net_cls,net_prio\n"
      "37 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
      "38 22 0:31 / /mnt/again rw,relatime - cgroup cgroup rw,memory\n"
      "39 22 0:40 / /mnt/with\\040space rw - ext4 /dev/sda1 rw\n";
static const char hybrid_pc[] = "9:name=systemd:/user.slice\n"
                                "5:net_prio,net_cls:/\n"
                                "4:memory:/process_api/abc\n"
                                "2:cpuacct:/\n"
                                "1:cpu:/\n"
                                "0::/init.scope\n";

static void
test_layout (void)
{
  struct hk_cgroup_layout l = { .v2 = -1 };
  struct husk_error err = { 0 };
  ok (cg_parse_mountinfo (hybrid_mi, &l, &err) == 0, "hybrid mountinfo parses");
  is_int (l.mode, HK_CGROUP_HYBRID, "v1 controllers plus cgroup2: hybrid");
  is_int (l.n, 6, "six hierarchies (a second mount of memory counts once)");
  ok (cg_layout_v1 (&l, "memory") >= 0, "memory is on v1");
  ok (cg_layout_v1 (&l, "net_prio") >= 0
          && cg_layout_v1 (&l, "net_prio") == cg_layout_v1 (&l, "net_cls"),
      "net_cls and net_prio share a hierarchy");
  ok (cg_layout_v1 (&l, "hugetlb") < 0, "hugetlb is not on v1");
  ok (l.v2 >= 0 && strcmp (l.m[l.v2].mount, "/sys/fs/cgroup/unified") == 0, "the v2 mount");
  is_str (l.m[cg_layout_v1 (&l, "memory")].mount, "/sys/fs/cgroup/memory",
          "first mount of memory kept");
  ok (cg_parse_proc_cgroup (hybrid_pc, &l, &err) == 0, "/proc/self/cgroup parses");
  is_str (l.m[cg_layout_v1 (&l, "memory")].own, "/process_api/abc", "own memory cgroup");
  is_str (l.m[cg_layout_v1 (&l, "net_cls")].own, "/", "controllers listed in another order match");
  is_str (l.m[l.v2].own, "/init.scope", "own v2 cgroup");
  hk_cgroup_layout_clear (&l);

  struct hk_cgroup_layout v2 = { .v2 = -1 };
  ok (cg_parse_mountinfo ("25 20 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", &v2, &err) == 0
          && v2.mode == HK_CGROUP_V2,
      "pure cgroup2: v2");
  hk_cgroup_layout_clear (&v2);

  struct hk_cgroup_layout v1 = { .v2 = -1 };
  ok (cg_parse_mountinfo (
          "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
          "35 30 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd\n",
          &v1, &err)
              == 0
          && v1.mode == HK_CGROUP_V1,
      "only v1: v1");
  is_str (v1.m[0].ctrls, "cpu,cpuacct", "co-mounted controllers");
  hk_cgroup_layout_clear (&v1);

  struct hk_cgroup_layout none = { .v2 = -1 };
  ok (cg_parse_mountinfo ("39 22 0:40 / /mnt rw - ext4 /dev/sda1 rw\n", &none, &err) < 0,
      "no cgroup mounted: error");
  like (err.msg, "no cgroup hierarchy", "error says so");
  hk_cgroup_layout_clear (&none);

  /* a cgroup namespace: the mount shows a subtree */
  struct hk_cgroup_layout ns = { .v2 = -1 };
  ok (cg_parse_mountinfo ("25 20 0:22 /ctr /sys/fs/cgroup\\040x rw - cgroup2 cgroup2 rw\n", &ns,
                          &err)
          == 0,
      "escaped mount point parses");
  is_str (ns.m[0].mount, "/sys/fs/cgroup x", "\\040 is a space");
  char *dir = NULL;
  ok (cg_path_dir (&ns.m[0], "/ctr/sub", &dir, &err) == 0, "dir of a path in a subtree mount");
  is_str (dir, "/sys/fs/cgroup x/sub", "the mount's root is stripped");
  free (dir);
  hk_cgroup_layout_clear (&ns);

  ok (cg_list_has ("cpu io memory\n", ' ', "memory"), "list_has: last word before newline");
  ok (!cg_list_has ("cpuset io", ' ', "cpu"), "list_has: whole words only");
}

/* The one discovery of the hierarchies (cgroups/layout.h), as the cgroups
 * module and rootfs's "cgroup" mount both use it: v1, v2 and hybrid
 * samples, a subtree mount, escapes, a second mount in another order,
 * malformed lines. */
static const char v1_mi[]
    = "21 26 0:20 / /proc rw,relatime - proc proc rw\n"
      "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
      "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct\n"
      "33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset,clone_children\n"
      "34 30 0:31 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
      "39 30 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,release_agent=/x,name=systemd\n"
      "41 30 0:38 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
      "42 1 0:28 / /mnt/cpu\\040dup rw - cgroup cgroup rw,cpuacct,cpu\n"
      "43 30 0:39 / /sys/fs/cgroup/net\\040cls rw - cgroup cgroup rw,net_cls\n"
      "44 30 0:40 / /sys/fs/cgroup/debug rw - cgroup cgroup rw,debug\n";
static const char v1_pc[] = "12:pids:/user.slice/u\n"
                            "11:name=systemd:/user.slice\n"
                            "5:memory:/docker/abc/inner\n"
                            "4:cpuacct,cpu:/user.slice\n"
                            "3:cpuset:/\n"
                            "2:net_cls:/\n";

static void
test_layout_discovery (void)
{
  struct hk_cgroup_layout l;
  struct husk_error err = { 0 };

  /* v1 */
  ok (hk_cgroup_layout_parse (v1_mi, v1_pc, &l, &err) == 0, "v1: parses");
  is_int (l.mode, HK_CGROUP_V1, "v1: mode");
  is_str (hk_cgroup_mode_name (l.mode), "v1", "v1: its name");
  is_int (l.n, 7,
          "v1: seven hierarchies (the second cpu,cpuacct mount, in another order, left out)");
  ok (l.v2 < 0, "v1: no cgroup2");
  if (l.n == 7)
    {
      is_str (l.m[0].mount, "/sys/fs/cgroup/cpu,cpuacct", "v1: first mount kept");
      is_str (l.m[0].ctrls, "cpu,cpuacct", "v1: co-mounted controllers, as the mount lists them");
      is_str (l.m[0].own, "/user.slice", "v1: own cgroup (listed in another order)");
      is_str (l.m[1].ctrls, "cpuset", "v1: clone_children is not a controller");
      is_str (hk_cgroup_own_in_mount (&l.m[1]), "/", "v1: cpuset at the root");
      is_str (l.m[2].root, "/docker/abc", "v1: a subtree mount's root");
      is_str (l.m[2].own, "/docker/abc/inner", "v1: own cgroup in the hierarchy");
      is_str (hk_cgroup_own_in_mount (&l.m[2]), "/inner", "v1: own cgroup below the mount's root");
      is_str (l.m[3].ctrls, "name=systemd", "v1: named hierarchy; xattr and release_agent dropped");
      is_str (l.m[4].own, "/user.slice/u", "v1: pids");
      is_str (l.m[5].mount, "/sys/fs/cgroup/net cls", "v1: mountinfo escapes undone");
      is_str (l.m[6].ctrls, "debug", "v1: debug is a controller");
      ok (l.m[6].own == NULL, "v1: no own cgroup where /proc/self/cgroup has no line");
      is_str (hk_cgroup_own_in_mount (&l.m[6]), "/", "v1: ... which reads as the root");
    }
  ok (cg_layout_v1 (&l, "cpuacct") == 0 && cg_layout_v1 (&l, "hugetlb") < 0,
      "v1: which holds what");
  hk_cgroup_layout_clear (&l);

  /* v2, with a named v1 hierarchy beside it (still v2: no v1 controller) */
  ok (hk_cgroup_layout_parse ("25 20 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n"
                              "26 25 0:23 / /run/systemd rw - cgroup cgroup rw,name=systemd\n"
                              "27 20 0:22 / /mnt/again rw - cgroup2 cgroup2 rw\n",
                              "1:name=systemd:/\n0::/user.slice/session-1.scope\n", &l, &err)
          == 0,
      "v2: parses");
  is_int (l.mode, HK_CGROUP_V2, "v2: mode");
  is_int (l.n, 2, "v2: cgroup2 once, and the named hierarchy");
  ok (l.v2 == 0 && l.m[0].v2 && strcmp (l.m[0].ctrls, "") == 0, "v2: the cgroup2 mount");
  is_str (l.m[0].own, "/user.slice/session-1.scope", "v2: own cgroup (0::)");
  hk_cgroup_layout_clear (&l);

  /* hybrid */
  ok (hk_cgroup_layout_parse (hybrid_mi, hybrid_pc, &l, &err) == 0, "hybrid: parses");
  is_int (l.mode, HK_CGROUP_HYBRID, "hybrid: mode");
  ok (l.v2 >= 0 && strcmp (l.m[l.v2].own, "/init.scope") == 0, "hybrid: own v2 cgroup");
  is_str (hk_cgroup_own_in_mount (&l.m[cg_layout_v1 (&l, "memory")]), "/process_api/abc",
          "hybrid: own memory cgroup");
  hk_cgroup_layout_clear (&l);

  /* nothing mounted: no error here (rootfs mounts an empty tmpfs), an
   * error for the cgroups module */
  ok (hk_cgroup_layout_parse ("39 22 0:40 / /mnt rw - ext4 /dev/sda1 rw\n", NULL, &l, &err) == 0
          && l.mode == HK_CGROUP_NONE && l.n == 0,
      "none: no hierarchy, no error");
  hk_cgroup_layout_clear (&l);

  /* malformed lines are skipped, never read past */
  static const char junk[] = "\n \n1 2 3\n1 2 3 4 5 6 - cgroup\n1 2 3 4 5 6 - cgroup src\n"
                             "1 2 3 / /x rw - cgroup cgroup\n1 2 3 / /y rw - cgroup cgroup rw\n"
                             "1 2 3 / /w rw - cgroup cgroup rw,name=\n"
                             "1 2 3 / /z rw a b c d e f g h - cgroup cgroup rw,pids";
  ok (hk_cgroup_layout_parse (junk, "1:pids:/p\n2:weird\n::\n", &l, &err) == 0,
      "malformed mountinfo parses");
  is_int (l.n, 1, "only the well-formed hierarchy");
  if (l.n == 1)
    {
      is_str (l.m[0].mount, "/z", "with optional fields");
      is_str (l.m[0].own, "/p", "and its own cgroup");
    }
  hk_cgroup_layout_clear (&l);

  char s[] = "a\\040b\\011c\\134d\\12";
  hk_mountinfo_unescape (s);
  is_str (s, "a b\tc\\d\\12", "unescape octal, leave a short escape alone");
}

static void
test_paths (void)
{
  struct husk_error err = { 0 };
  char *p = NULL;
  ok (cg_path_compute (NULL, "abc", "/own", &p, &err) == 0, "absent cgroupsPath");
  is_str (p, "/husk/abc", "default is /husk/ID");
  free (p);
  ok (cg_path_compute ("/a//b/./c/", "abc", "/own", &p, &err) == 0, "absolute path");
  is_str (p, "/a/b/c", "absolute path cleaned, not under own");
  free (p);
  ok (cg_path_compute ("x/y", "abc", "/process_api/abc", &p, &err) == 0, "relative path");
  is_str (p, "/process_api/abc/x/y", "relative path under husk's own cgroup");
  free (p);
  ok (cg_path_compute ("x", "abc", "/", &p, &err) == 0 && strcmp (p, "/x") == 0,
      "relative to the root");
  free (p);
  ok (cg_path_compute ("/a/../b", "abc", "/", &p, &err) < 0, ".. refused");
  like (err.msg, "linux.cgroupsPath \"/a/../b\"", ".. error names the path");
  ok (cg_path_compute ("/", "abc", "/", &p, &err) < 0, "the root cgroup refused");

  char *slice = NULL, *unit = NULL;
  ok (cg_systemd_parse ("machine.slice:libpod:abc", "id", &slice, &unit, &err) == 0,
      "slice:prefix:name");
  is_str (slice, "machine.slice", "slice");
  is_str (unit, "libpod-abc.scope", "unit prefix-name.scope");
  free (slice), free (unit);
  ok (cg_systemd_parse (NULL, "id1", &slice, &unit, &err) == 0, "absent: default");
  is_str (slice, "system.slice", "default slice");
  is_str (unit, "husk-id1.scope", "default unit");
  free (slice), free (unit);
  ok (cg_systemd_parse (":p:n", "id", &slice, &unit, &err) == 0
          && strcmp (slice, "system.slice") == 0,
      "empty slice is system.slice");
  free (slice), free (unit);
  ok (cg_systemd_parse ("s.slice::n", "id", &slice, &unit, &err) == 0
          && strcmp (unit, "n.scope") == 0,
      "empty prefix: name.scope");
  free (slice), free (unit);
  ok (cg_systemd_parse ("/a/b", "id", &slice, &unit, &err) < 0,
      "a path is refused by the systemd driver");
  like (err.msg, "slice:prefix:name", "message shows the form");
  ok (cg_systemd_parse ("notaslice:p:n", "id", &slice, &unit, &err) < 0,
      "slice must end in .slice");

  ok (cg_systemd_slice_path ("a-b-c.slice", &p, &err) == 0, "nested slice");
  is_str (p, "/a.slice/a-b.slice/a-b-c.slice", "each dash a parent");
  free (p);
  ok (cg_systemd_slice_path ("-.slice", &p, &err) == 0 && strcmp (p, "") == 0, "root slice");
  free (p);
  ok (cg_systemd_slice_path ("a--b.slice", &p, &err) < 0, "double dash refused");
}

static void
test_convert (void)
{
  struct husk_error err = { 0 };
  char v[32];
  is_int (cg_shares_to_weight (2), 1, "shares 2 -> weight 1");
  is_int (cg_shares_to_weight (1024), 39, "shares 1024 -> weight 39");
  is_int (cg_shares_to_weight (262144), 10000, "shares 262144 -> weight 10000");
  is_int (cg_shares_to_weight (0), 0, "shares 0: unset");
  is_int (cg_blkio_to_io_weight (10), 1, "blkio 10 -> io 1");
  is_int (cg_blkio_to_io_weight (500), 4950, "blkio 500 -> io 4950");
  is_int (cg_blkio_to_io_weight (1000), 10000, "blkio 1000 -> io 10000");
  ok (cg_swap_to_v2 (true, 100, 300, v, sizeof v, &err) == 0, "swap 300 with limit 100");
  is_str (v, "200", "v2 swap is memory+swap minus memory");
  ok (cg_swap_to_v2 (true, 100, -1, v, sizeof v, &err) == 0 && strcmp (v, "max") == 0,
      "swap -1: max");
  ok (cg_swap_to_v2 (true, 100, 100, v, sizeof v, &err) == 0 && strcmp (v, "0") == 0,
      "swap == limit: no swap");
  ok (cg_swap_to_v2 (true, 300, 100, v, sizeof v, &err) < 0, "swap below limit refused");
  like (err.msg, "memory+swap must be at least memory.limit", "message explains");
  ok (cg_swap_to_v2 (false, 0, 100, v, sizeof v, &err) < 0, "swap without a limit refused on v2");
  ok (cg_swap_to_v2 (true, -1, 100, v, sizeof v, &err) < 0,
      "limited swap with unlimited memory refused");
  cg_cpu_max (true, 50000, 100000, v, sizeof v);
  is_str (v, "50000 100000", "cpu.max quota period");
  cg_cpu_max (true, -1, 20000, v, sizeof v);
  is_str (v, "max 20000", "cpu.max without quota");
  cg_limit_str (-1, true, v, sizeof v);
  is_str (v, "max", "v2 unlimited is max");
  cg_limit_str (-1, false, v, sizeof v);
  is_str (v, "-1", "v1 unlimited is -1");
  ok (cg_hugepage_size_ok ("2MB") && cg_hugepage_size_ok ("1GB") && !cg_hugepage_size_ok ("2M")
          && !cg_hugepage_size_ok ("../x") && !cg_hugepage_size_ok (""),
      "hugepage sizes");
}

static const struct cg_sd_prop *
find_prop (const struct cg_sd_prop *p, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (p[i].name, name) == 0)
      return &p[i];
  return NULL;
}

static void
test_systemd_props (void)
{
  struct husk_error err = { 0 };
  struct cg_sd_prop p[40];
  size_t n;
  struct husk_spec_resources *r = resources (
      "{\"memory\":{\"limit\":1048576,\"reservation\":4096,\"swap\":2097152},"
      "\"cpu\":{\"shares\":1024,\"quota\":50000,\"period\":100000,\"cpus\":\"0-3,9\",\"mems\":\"0\"},"
      "\"pids\":{\"limit\":-1},\"blockIO\":{\"weight\":500}}");
  ok (cg_sd_props ("machine.slice", "d", true, r, p, 40, &n, &err) == 0, "v2 properties");
  const struct cg_sd_prop *x;
  ok ((x = find_prop (p, n, "Slice")) && strcmp (x->s, "machine.slice") == 0, "Slice");
  ok ((x = find_prop (p, n, "Delegate")) && x->b, "Delegate=yes");
  ok ((x = find_prop (p, n, "MemoryMax")) && x->u == 1048576, "MemoryMax = limit");
  ok ((x = find_prop (p, n, "MemoryLow")) && x->u == 4096, "MemoryLow = reservation");
  ok ((x = find_prop (p, n, "MemorySwapMax")) && x->u == 1048576, "MemorySwapMax = swap - limit");
  ok ((x = find_prop (p, n, "CPUWeight")) && x->u == 39, "CPUWeight from shares");
  ok ((x = find_prop (p, n, "CPUQuotaPerSecUSec")) && x->u == 500000, "CPUQuotaPerSecUSec");
  ok ((x = find_prop (p, n, "CPUQuotaPeriodUSec")) && x->u == 100000, "CPUQuotaPeriodUSec");
  ok ((x = find_prop (p, n, "AllowedCPUs")) && x->bytes_len == 2 && x->bytes[0] == 0x0f
          && x->bytes[1] == 0x02,
      "AllowedCPUs bit mask");
  ok ((x = find_prop (p, n, "TasksMax")) && x->u == UINT64_MAX, "TasksMax infinity for -1");
  ok ((x = find_prop (p, n, "IOWeight")) && x->u == 4950, "IOWeight converted");
  ok (find_prop (p, n, "MemoryLimit") == NULL && find_prop (p, n, "CPUShares") == NULL,
      "no v1 names on v2");
  ok (cg_sd_props ("system.slice", "d", false, r, p, 40, &n, &err) == 0, "v1 properties");
  ok ((x = find_prop (p, n, "MemoryLimit")) && x->u == 1048576, "MemoryLimit on v1");
  ok ((x = find_prop (p, n, "CPUShares")) && x->u == 1024, "CPUShares as is on v1");
  ok ((x = find_prop (p, n, "BlockIOWeight")) && x->u == 500, "BlockIOWeight as is on v1");
  ok (find_prop (p, n, "MemorySwapMax") == NULL, "no swap property on v1 (memsw is written)");
  spec_free_resources (r);

  r = resources ("{\"cpu\":{\"quota\":12345,\"period\":100000}}");
  ok (cg_sd_props ("s.slice", "d", true, r, p, 40, &n, &err) == 0
          && (x = find_prop (p, n, "CPUQuotaPerSecUSec")) && x->u == 130000,
      "quota rounded up to 10ms steps");
  spec_free_resources (r);
  ok (cg_sd_props ("s.slice", "d", true, NULL, p, 3, &n, &err) < 0, "too many properties: error");

  uint8_t m[8];
  size_t len;
  ok (cg_sd_cpumask ("8", m, sizeof m, &len) == 0 && len == 2 && m[0] == 0 && m[1] == 1, "cpu 8");
  ok (cg_sd_cpumask ("3-1", m, sizeof m, &len) < 0, "reversed range refused");
  ok (cg_sd_cpumask ("1,x", m, sizeof m, &len) < 0, "garbage refused");
}

/* A tiny interpreter of the instructions devices_bpf.c emits. */
static int
run_prog (const struct bpf_insn *p, size_t n, unsigned type, unsigned access, unsigned major,
          unsigned minor)
{
  uint32_t ctx[3] = { (access << 16) | type, major, minor };
  uint64_t r[11] = { 0 };
  for (size_t pc = 0; pc < n; pc++)
    {
      const struct bpf_insn *i = &p[pc];
      uint8_t cls = BPF_CLASS (i->code);
      if (cls == BPF_LDX)
        r[i->dst_reg] = ctx[i->off / 4];
      else if (cls == BPF_ALU64 && BPF_OP (i->code) == BPF_MOV)
        r[i->dst_reg] = BPF_SRC (i->code) == BPF_X ? r[i->src_reg] : (uint64_t) (int64_t) i->imm;
      else if (cls == BPF_ALU && BPF_OP (i->code) == BPF_AND)
        r[i->dst_reg] = (uint32_t) r[i->dst_reg] & (uint32_t) i->imm;
      else if (cls == BPF_ALU && BPF_OP (i->code) == BPF_RSH)
        r[i->dst_reg] = (uint32_t) r[i->dst_reg] >> i->imm;
      else if (cls == BPF_JMP && BPF_OP (i->code) == BPF_EXIT)
        return (int) r[0];
      else if (cls == BPF_JMP && BPF_OP (i->code) == BPF_JNE)
        {
          uint64_t b = BPF_SRC (i->code) == BPF_X ? r[i->src_reg] : (uint64_t) (int64_t) i->imm;
          if (r[i->dst_reg] != b)
            pc += (size_t) i->off;
        }
      else
        return -1;
    }
  return -1;
}

static void
test_devices (void)
{
  struct husk_error err = { 0 };
  struct husk_spec_resources *r = resources (
      "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
      "{\"allow\":true,\"type\":\"b\",\"major\":8,\"minor\":0,\"access\":\"r\"},"
      "{\"allow\":false,\"type\":\"c\",\"major\":1,\"minor\":9,\"access\":\"w\"}]}");
  struct cg_dev_rule *rules = NULL;
  size_t n;
  ok (cg_dev_rules (r, &rules, &n, &err) == 0, "device rules");
  is_int (n, 1 + 3 + 11, "deny-all base, config rules, defaults (no linux.devices)");
  char line[64];
  cg_dev_rule_str (&rules[0], line, sizeof line);
  is_str (line, "a *:* rwm", "v1 line of the wildcard");
  ok (!rules[0].allow, "the base denies all");
  cg_dev_rule_str (&rules[2], line, sizeof line);
  is_str (line, "b 8:0 r", "v1 line of a block rule");
  cg_dev_rule_str (&rules[n - 1], line, sizeof line);
  is_str (line, "c 136:* rwm", "v1 line with any minor");

  struct bpf_insn *prog = NULL;
  size_t len;
  ok (cg_bpf_devices_prog (rules, n, &prog, &len, &err) == 0, "eBPF program");
  enum
  {
    C = BPF_DEVCG_DEV_CHAR,
    B = BPF_DEVCG_DEV_BLOCK,
    R = BPF_DEVCG_ACC_READ,
    W = BPF_DEVCG_ACC_WRITE,
    M = BPF_DEVCG_ACC_MKNOD
  };
  is_int (run_prog (prog, len, C, R | W, 1, 3), 1, "/dev/null rw allowed (default list)");
  is_int (run_prog (prog, len, C, R, 1, 4), 0, "c 1:4 denied (deny all)");
  is_int (run_prog (prog, len, B, R, 8, 0), 1, "b 8:0 r allowed");
  is_int (run_prog (prog, len, B, W, 8, 0), 0, "b 8:0 w denied (the rule allows r only)");
  is_int (run_prog (prog, len, B, M, 8, 1), 1, "mknod of any block device (default)");
  is_int (run_prog (prog, len, C, W, 1, 9), 1,
          "a later default rule wins over the deny of c 1:9 w");
  is_int (run_prog (prog, len, C, R | W, 136, 7), 1, "/dev/pts/7 allowed");
  is_int (run_prog (prog, len, C, R | W, 10, 229), 0,
          "linux.devices not allowed by them being listed");
  is_int (run_prog (prog, len, C, W, 1, 11), 0, "/dev/kmsg denied");
  is_int (run_prog (prog, len, C, R | W, 5, 1), 0, "the host's console 5:1 denied (runc's list)");
  is_int (run_prog (prog, len, C, R | W, 10, 200), 1, "/dev/net/tun allowed (runc's list)");
  free (prog);
  free (rules);
  spec_free_resources (r);

  /* no wildcard in the config: the base still denies all (as runc) */
  r = resources ("{\"devices\":[{\"allow\":false,\"type\":\"c\",\"major\":4,\"access\":\"rwm\"}]}");
  ok (cg_dev_rules (r, &rules, &n, &err) == 0
          && cg_bpf_devices_prog (rules, n, &prog, &len, &err) == 0,
      "deny-one program");
  is_int (run_prog (prog, len, C, R, 4, 1), 0, "c 4:* denied");
  is_int (run_prog (prog, len, B, R, 8, 0), 0, "others denied by the base");
  is_int (run_prog (prog, len, C, R | W, 1, 3), 1, "the defaults allowed");
  free (prog);
  free (rules);
  spec_free_resources (r);

  /* no linux.resources.devices at all: the base and the defaults */
  ok (cg_dev_rules (NULL, &rules, &n, &err) == 0
          && cg_bpf_devices_prog (rules, n, &prog, &len, &err) == 0,
      "program without rules");
  is_int (run_prog (prog, len, C, W, 1, 11), 0, "no rules: /dev/kmsg denied");
  is_int (run_prog (prog, len, C, R | W, 1, 9), 1, "no rules: /dev/urandom allowed");

  /* an explicit allow-all stays allow-all */
  free (prog);
  free (rules);
  r = resources ("{\"devices\":[{\"allow\":true,\"access\":\"rwm\"}]}");
  ok (cg_dev_rules (r, &rules, &n, &err) == 0
          && cg_bpf_devices_prog (rules, n, &prog, &len, &err) == 0,
      "allow-all program");
  is_int (run_prog (prog, len, C, W, 1, 11), 1, "allow-all: /dev/kmsg allowed");
  free (prog);
  free (rules);
  spec_free_resources (r);

  r = resources ("{\"devices\":[{\"allow\":true,\"access\":\"rwx\"}]}");
  ok (cg_dev_rules (r, &rules, &n, &err) < 0, "bad access refused");
  like (err.msg, "linux.resources.devices[0].access \"rwx\"", "message names the field");
  spec_free_resources (r);
}

static void
test_json (void)
{
  struct husk_error err = { 0 };
  struct husk_spec_resources *r = resources (
      "{\"memory\":{\"limit\":100,\"swap\":-1},\"pids\":{\"limit\":5},\"unified\":{\"memory.high\":\"50\"},"
      "\"rdma\":{\"mlx\":{\"hcaHandles\":3}}}");
  char *j = NULL, *m = NULL;
  ok (cg_resources_json (r, &j, &err) == 0, "resources to JSON");
  is_str (j,
          "{\"memory\":{\"limit\":100,\"swap\":-1},\"pids\":{\"limit\":5},"
          "\"rdma\":{\"mlx\":{\"hcaHandles\":3}},\"unified\":{\"memory.high\":\"50\"}}",
          "JSON text");
  ok (cg_json_merge (j, "{\"memory\":{\"limit\":200},\"cpu\":{\"shares\":2}}", &m, &err) == 0,
      "merge");
  is_str (
      m,
      "{\"memory\":{\"limit\":200,\"swap\":-1},\"pids\":{\"limit\":5},"
      "\"rdma\":{\"mlx\":{\"hcaHandles\":3}},\"unified\":{\"memory.high\":\"50\"},\"cpu\":{\"shares\":2}}",
      "update values replace, others stay, new sections are added");
  free (m);
  ok (cg_json_merge (j, "{bad", &m, &err) < 0, "bad update JSON refused");
  ok (cg_json_merge (NULL, "{\"pids\":{\"limit\":1}}", &m, &err) == 0
          && strcmp (m, "{\"pids\":{\"limit\":1}}") == 0,
      "merge into nothing");
  free (m);
  free (j);
  spec_free_resources (r);
}

/* issue 10: memory values, and the shape of an update */
static void
test_checks (void)
{
  struct husk_error err = { 0 };
  struct husk_spec_resources *r = resources ("{\"memory\":{\"limit\":-5}}");
  ok (cg_resources_check (r, &err) < 0, "memory.limit -5 refused");
  like (err.msg, "linux.resources.memory.limit -5", "message names memory.limit");
  spec_free_resources (r);
  r = resources ("{\"memory\":{\"limit\":-1,\"swap\":-2}}");
  ok (cg_resources_check (r, &err) < 0, "memory.swap -2 refused");
  like (err.msg, "linux.resources.memory.swap", "message names memory.swap");
  spec_free_resources (r);
  r = resources ("{\"memory\":{\"reservation\":-9223372036854775808}}");
  ok (cg_resources_check (r, &err) < 0, "memory.reservation INT64_MIN refused");
  spec_free_resources (r);
  r = resources ("{\"memory\":{\"limit\":-1,\"swap\":-1,\"reservation\":0},"
                 "\"pids\":{\"limit\":-5},\"cpu\":{\"quota\":-3}}");
  ok (cg_resources_check (r, &err) == 0, "-1, 0, and runc's negative pids and quota accepted");
  spec_free_resources (r);
  ok (cg_resources_check (NULL, &err) == 0, "no resources");

  static const struct
  {
    const char *json;
    const char *msg;
  } bad[] = {
    { "{\"memory\":{\"limit\":1},\"x\":[[[[]]]]}", "resources: x: unknown field" },
    { "{\"memory\":{\"limit\":1,\"foo\":2}}", "resources: memory.foo: unknown field" },
    { "{\"memory\":{\"limit\":\"1\"}}", "resources: memory.limit: must be a number" },
    { "{\"memory\":[]}", "resources: memory: must be an object" },
    { "{\"devices\":[{\"allow\":1}]}", "resources: devices[0].allow: must be true or false" },
    { "{\"devices\":[1]}", "resources: devices[0]: must be an object" },
    { "{\"unified\":{\"memory.high\":{\"a\":{}}}}",
      "resources: unified[\"memory.high\"]: must be a string" },
    { "{\"rdma\":{\"mlx\":{\"hcaHandles\":1,\"z\":1}}}",
      "resources: rdma[\"mlx\"].z: unknown field" },
    { "{\"pids\":{\"limit\":1,\"limit\":2}}", "resources: pids.limit: duplicate field" },
    { "[]", "resources: must be an object" },
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      char ebuf[128];
      yajl_val v = yajl_tree_parse (bad[i].json, ebuf, sizeof ebuf);
      ok (v && cg_resources_json_check (v, "resources", &err) < 0, bad[i].json);
      is_str (err.msg, bad[i].msg, "the message names the field");
      yajl_tree_free (v);
    }
  char ebuf[128];
  yajl_val v
      = yajl_tree_parse ("{\"memory\":{\"limit\":1,\"swap\":null},\"cpu\":{\"cpus\":\"0\"},"
                         "\"blockIO\":{\"weightDevice\":[{\"major\":8,\"minor\":0,\"weight\":10}]},"
                         "\"unified\":{\"memory.high\":\"5\"}}",
                         ebuf, sizeof ebuf);
  ok (v && cg_resources_json_check (v, "resources", &err) == 0, "a valid update passes");
  yajl_tree_free (v);

  /* a tree too deep to be written back is an error, never a half record */
  char deep[400];
  size_t k = 0;
  for (int i = 0; i < 130; i++)
    deep[k++] = '[';
  for (int i = 0; i < 130; i++)
    deep[k++] = ']';
  deep[k] = '\0';
  v = yajl_tree_parse (deep, ebuf, sizeof ebuf);
  char *text = NULL;
  ok (v && cg_json_text (v, &text, &err) < 0 && text == NULL, "too deep to write: error");
  yajl_tree_free (v);
}

/* issue 10: exec --cgroup stays below the container's cgroup */
static void
test_sub_cgroup (void)
{
  struct husk_error err = { 0 };
  char *ctl = NULL, *path = NULL;
  static const char *const bad[] = { "..",          "../..", "a/../..", "a/..",      "memory:..",
                                     "memory:../x", "/",     "/husk",   "memory:/x", "",
                                     ".",           "./a",   "memory:", ":a",        "Mem ory:a",
                                     "a//..//" };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      ok (hk_cgroup_sub_parse (bad[i], &ctl, &path, &err) < 0 && ctl == NULL && path == NULL,
          bad[i]);
      like (err.msg, "--cgroup", "the message names --cgroup");
    }
  ok (hk_cgroup_sub_parse ("a/b", &ctl, &path, &err) == 0 && ctl == NULL
          && strcmp (path, "a/b") == 0,
      "a relative sub-cgroup");
  free (path);
  ok (hk_cgroup_sub_parse ("cpu,cpuacct:x", &ctl, &path, &err) == 0
          && strcmp (ctl, "cpu,cpuacct") == 0 && strcmp (path, "x") == 0,
      "controller:path");
  free (ctl);
  free (path);

  /* the open cannot leave the directory through a symlink or ".." */
  char dir[] = "/tmp/husk-sub.XXXXXX";
  ok (mkdtemp (dir) != NULL, "temp dir");
  char p[256];
  snprintf (p, sizeof p, "%s/cg", dir);
  mkdir (p, 0700);
  snprintf (p, sizeof p, "%s/cg/sub", dir);
  mkdir (p, 0700);
  snprintf (p, sizeof p, "%s/cg/up", dir);
  if (symlink ("..", p) < 0)
    abort ();
  snprintf (p, sizeof p, "%s/cg", dir);
  int d = open (p, O_PATH | O_DIRECTORY);
  int fd = hk_cgroup_open_beneath (d, "sub", O_PATH | O_DIRECTORY);
  ok (fd >= 0, "a real sub-directory opens");
  if (fd >= 0)
    close (fd);
  ok (hk_cgroup_open_beneath (d, "up", O_PATH | O_DIRECTORY) < 0, "a symlink is not followed");
  ok (hk_cgroup_open_beneath (d, "up/cg", O_PATH | O_DIRECTORY) < 0, "nor one on the way");
  ok (hk_cgroup_open_beneath (d, "..", O_PATH | O_DIRECTORY) < 0, "\"..\" does not leave");
  ok (hk_cgroup_open_beneath (d, "sub/../..", O_PATH | O_DIRECTORY) < 0, "nor a deeper \"..\"");
  ok (hk_cgroup_open_beneath (d, "/tmp", O_PATH | O_DIRECTORY) < 0, "nor an absolute path");
  close (d);
  snprintf (p, sizeof p, "%s/cg/up", dir);
  unlink (p);
  snprintf (p, sizeof p, "%s/cg/sub", dir);
  rmdir (p);
  snprintf (p, sizeof p, "%s/cg", dir);
  rmdir (p);
  rmdir (dir);
}

int
main (void)
{
  test_layout ();
  test_layout_discovery ();
  test_paths ();
  test_convert ();
  test_systemd_props ();
  test_devices ();
  test_json ();
  test_checks ();
  test_sub_cgroup ();
  return tap_done ();
}
