/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the cgroupfs driver against fake roots: a pure v2 host and
 * a pure v1 host (the test machines are hybrid), with every resource
 * written, the record in state.json, the freezer, the pid list, removal,
 * and errors that name the file and the value. */
#include "config.h"
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include "husk/cgroups.h"
#include "husk/state.h"
#include "cgroups/internal.h"
#include "spec/spec_internal.h"
#include "utils.h"
#include "tap.h"
#include "cgfake.h"

static void
test_v2 (void)
{
  struct husk_error err = { 0 };
  new_root ();
  put ("/proc/self/mountinfo",
       "25 20 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
  put ("/proc/self/cgroup", "0::/user.slice/session-1.scope\n");
  mkdirs ("/sys/fs/cgroup");
  put ("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
  put ("/sys/fs/cgroup/cgroup.subtree_control", "");

  struct husk_spec_resources *r = resources (
      "{\"memory\":{\"limit\":1048576,\"swap\":3145728,\"reservation\":1024,\"kernel\":5},"
      "\"cpu\":{\"shares\":1024,\"quota\":50000,\"period\":100000,\"burst\":1000,\"cpus\":\"0-1\","
      "\"mems\":\"0\",\"idle\":1},"
      "\"pids\":{\"limit\":10},"
      "\"blockIO\":{\"weight\":500,\"weightDevice\":[{\"major\":8,\"minor\":0,\"weight\":10}],"
      "\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":100}],"
      "\"throttleWriteIOPSDevice\":[{\"major\":8,\"minor\":16,\"rate\":7}]},"
      "\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":2097152}],"
      "\"rdma\":{\"mlx5_0\":{\"hcaHandles\":3}},"
      "\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],"
      "\"unified\":{\"memory.high\":\"900000\"}}");
  struct husk_cgroup_opts o = { .id = "c1", .resources = r, .fs_root = root };
  struct husk_cgroup *cg = NULL;
  int ret = hk_cgroup_create (&o, &cg, &err);
  ok (ret == 0, "v2: create with every resource");
  if (ret < 0)
    printf ("# %s\n", err.msg);
  const char *d = "/sys/fs/cgroup/husk/c1";
  is_str (get ("%s/memory.max", d), "1048576", "memory.max = limit");
  is_str (get ("%s/memory.swap.max", d), "2097152", "memory.swap.max = swap - limit");
  is_str (get ("%s/memory.low", d), "1024", "memory.low = reservation");
  ok (!exists ("/sys/fs/cgroup/husk/c1/memory.kmem.limit_in_bytes"), "no kernel memory file on v2");
  is_str (get ("%s/cpu.weight", d), "39", "cpu.weight from shares 1024");
  is_str (get ("%s/cpu.max", d), "50000 100000", "cpu.max");
  is_str (get ("%s/cpu.max.burst", d), "1000", "cpu.max.burst");
  is_str (get ("%s/cpu.idle", d), "1", "cpu.idle");
  is_str (get ("%s/cpuset.cpus", d), "0-1", "cpuset.cpus");
  is_str (get ("%s/cpuset.mems", d), "0", "cpuset.mems");
  is_str (get ("%s/pids.max", d), "10", "pids.max");
  is_str (get ("%s/io.weight", d), "8:0 1", "io.weight per device (the last write)");
  is_str (get ("%s/io.max", d), "8:16 wiops=7", "io.max (the last write)");
  is_str (get ("%s/hugetlb.2MB.max", d), "2097152", "hugetlb.2MB.max");
  is_str (get ("%s/rdma.max", d), "mlx5_0 hca_handle=3 hca_object=max", "rdma.max");
  is_str (get ("%s/memory.high", d), "900000", "unified memory.high");
  like (get ("%s/husk.devices", d), "deny a *:* rwm\nallow c *:* m\n",
        "device rules for the eBPF filter");
  const char *top = get ("/sys/fs/cgroup/cgroup.subtree_control");
  ok (strstr (top, "memory") && strstr (top, "cpu ") && strstr (top, "io") && strstr (top, "pids")
          && strstr (top, "hugetlb") && strstr (top, "cpuset") && strstr (top, "rdma"),
      "the root enables the controllers used");
  like (get ("/sys/fs/cgroup/husk/cgroup.subtree_control"), "memory", "so does /husk");
  is_str (get ("%s/cgroup.subtree_control", d), "", "not the container's own cgroup");

  ok (hk_cgroup_enter (cg, 4242, &err) == 0, "enter");
  is_str (get ("%s/cgroup.procs", d), "4242", "the pid is in cgroup.procs");

  char *s = NULL, *s2 = NULL;
  ok (hk_cgroup_to_state (cg, &s, &err) == 0, "to_state");
  like (s, "\"mode\":\"v2\"", "record has the mode");
  like (s, "\"path\":\"/sys/fs/cgroup/husk/c1\"", "record has the path");
  like (s, "\"created\":\"/sys/fs/cgroup/husk\"", "record has what husk made");
  like (s, "\"resources\":{\"devices\"", "record has the resources");
  struct husk_cgroup *cg2 = NULL;
  ok (hk_cgroup_from_state (s, root, &cg2, &err) == 0, "from_state");
  ok (cg2 && hk_cgroup_to_state (cg2, &s2, &err) == 0 && strcmp (s, s2) == 0,
      "the record round-trips");
  free (s);
  free (s2);
  struct husk_cgroup *broken = NULL;
  ok (hk_cgroup_from_state ("{\"places\":[{}]}", root, &broken, &err) < 0 && broken == NULL,
      "a broken record is refused");

  ok (cg_freeze (cg, true, &err) == 0, "freeze");
  is_str (get ("%s/cgroup.freeze", d), "1", "v2 freezes with cgroup.freeze");
  put ("/sys/fs/cgroup/husk/c1/cgroup.events", "populated 1\nfrozen 1\n");
  bool frozen = false;
  ok (cg_frozen (cg, &frozen, &err) == 0 && frozen, "frozen read from cgroup.events");
  ok (cg_freeze (cg, false, &err) == 0 && strcmp (get ("%s/cgroup.freeze", d), "0") == 0, "thaw");

  mkdirs ("/sys/fs/cgroup/husk/c1/sub");
  put ("/sys/fs/cgroup/husk/c1/cgroup.procs", "4242\n4243\n");
  put ("/sys/fs/cgroup/husk/c1/sub/cgroup.procs", "4244\n");
  pid_t *pids = NULL;
  size_t n = 0;
  ok (hk_cgroup_pids (cg, &pids, &n, &err) == 0 && n == 3 && pids[2] == 4244,
      "pids of the cgroup and its children");
  free (pids);

  /* update-like apply of what v2 refuses */
  struct husk_spec_resources *bad = resources ("{\"cpu\":{\"realtimeRuntime\":100}}");
  struct cg_apply_opts ao = { .update = true };
  ok (cg_apply (cg, bad, &ao, &err) < 0, "realtime on v2 refused");
  like (err.msg, "realtimeRuntime", "the message names the field");
  spec_free_resources (bad);
  bad = resources ("{\"network\":{\"classID\":1}}");
  ok (cg_apply (cg, bad, &ao, &err) < 0, "network on v2 refused");
  like (err.msg, "net_cls", "the message says why");
  spec_free_resources (bad);
  bad = resources ("{\"unified\":{\"../x\":\"1\"}}");
  ok (cg_apply (cg, bad, &ao, &err) < 0, "a unified key with a slash refused");
  spec_free_resources (bad);
  bad = resources ("{\"memory\":{\"limit\":100,\"swap\":50}}");
  ok (cg_apply (cg, bad, &ao, &err) < 0, "swap below limit refused");
  spec_free_resources (bad);
  bad = resources ("{\"memory\":{\"limit\":1000,\"checkBeforeUpdate\":true}}");
  put ("/sys/fs/cgroup/husk/c1/memory.current", "5000\n");
  ok (cg_apply (cg, bad, &ao, &err) < 0, "checkBeforeUpdate: a limit under the usage refused");
  like (err.msg, "below the current usage 5000", "message names the usage");
  spec_free_resources (bad);
  bad = resources ("{\"cpu\":{\"quota\":20000}}");
  ok (cg_apply (cg, bad, &ao, &err) == 0 && strcmp (get ("%s/cpu.max", d), "20000 100000") == 0,
      "a quota alone keeps the period");
  spec_free_resources (bad);
  /* Docker's update of something else: zeros for what is not set, which
   * must leave cpu.weight, cpu.max, memory.* and pids.max as they are
   * (memory.max 0 would kill the container) */
  bad = resources ("{\"memory\":{\"limit\":0,\"reservation\":0,\"swap\":0,\"kernel\":0,"
                   "\"kernelTCP\":0},\"cpu\":{\"shares\":0,\"quota\":0,\"period\":0,"
                   "\"realtimeRuntime\":0,\"realtimePeriod\":0,\"cpus\":\"\",\"mems\":\"\"},"
                   "\"pids\":{\"limit\":0},\"blockIO\":{\"weight\":0}}");
  ok (cg_apply (cg, bad, &ao, &err) == 0, "Docker's zeros: accepted on v2 (realtime 0 is not set)");
  is_str (get ("%s/cpu.weight", d), "39", "zeros: cpu.weight unchanged");
  is_str (get ("%s/cpu.max", d), "20000 100000", "zeros: cpu.max unchanged");
  is_str (get ("%s/memory.max", d), "1048576", "zeros: memory.max unchanged");
  is_str (get ("%s/memory.low", d), "1024", "zeros: memory.low unchanged");
  is_str (get ("%s/pids.max", d), "10", "zeros: pids.max unchanged");
  is_str (get ("%s/cpuset.cpus", d), "0-1", "zeros: cpuset.cpus unchanged");
  spec_free_resources (bad);

  put ("/sys/fs/cgroup/husk/c1/cgroup.procs", "");
  put ("/sys/fs/cgroup/husk/c1/sub/cgroup.procs", "");
  ok (hk_cgroup_destroy (cg, &err) == 0, "destroy");
  ok (!exists ("/sys/fs/cgroup/husk"), "nothing left: the container's cgroup and /husk are gone");
  hk_cgroup_free (cg2);

  /* the default parent goes with the last container, whichever made it */
  struct husk_cgroup *a = NULL, *b = NULL;
  struct husk_cgroup_opts oa = { .id = "a", .fs_root = root }, ob = { .id = "b", .fs_root = root };
  ok (hk_cgroup_create (&oa, &a, &err) == 0 && hk_cgroup_create (&ob, &b, &err) == 0,
      "two containers under /husk");
  ok (hk_cgroup_destroy (a, &err) == 0 && exists ("/sys/fs/cgroup/husk/b"),
      "the first goes, /husk stays");
  ok (hk_cgroup_destroy (b, &err) == 0 && !exists ("/sys/fs/cgroup/husk"),
      "the last one takes /husk");

  /* relative path: under husk's own cgroup */
  struct husk_spec_resources *pl = resources ("{\"pids\":{\"limit\":0}}");
  struct husk_cgroup_opts rel = {
    .id = "c2", .cgroups_path = "rel/x", .resources = pl, .fs_root = root
  };
  ok (hk_cgroup_create (&rel, &cg, &err) == 0, "relative cgroupsPath");
  ok (exists ("/sys/fs/cgroup/user.slice/session-1.scope/rel/x/cgroup.procs"),
      "under husk's own cgroup");
  ok (!exists ("/sys/fs/cgroup/user.slice/session-1.scope/rel/x/pids.max"),
      "pids limit 0: left as it is");
  ok (hk_cgroup_destroy (cg, &err) == 0 && !exists ("/sys/fs/cgroup/user.slice"), "removed again");
  spec_free_resources (pl);

  /* a value the kernel refuses: the error names the file and the value;
   * the directories husk made are removed, one it found is kept */
  mkdirs ("/sys/fs/cgroup/pre/c3/pids.max");
  put ("/sys/fs/cgroup/pre/c3/cgroup.procs", "");
  struct husk_spec_resources *pr = resources ("{\"pids\":{\"limit\":7}}");
  struct husk_cgroup_opts pre = {
    .id = "c3", .cgroups_path = "/pre/c3", .resources = pr, .fs_root = root
  };
  cg = NULL;
  ok (hk_cgroup_create (&pre, &cg, &err) < 0 && cg == NULL, "refused value: create fails");
  is_str (err.msg, "write \"7\" to /sys/fs/cgroup/pre/c3/pids.max: Is a directory",
          "the error names the value and the file");
  ok (exists ("/sys/fs/cgroup/pre/c3"), "a cgroup husk did not make is kept");
  spec_free_resources (pr);
  pr = resources ("{\"cpu\":{\"realtimePeriod\":1000}}");
  struct husk_cgroup_opts made = {
    .id = "c4", .cgroups_path = "/made2/deep/c4", .resources = pr, .fs_root = root
  };
  ok (hk_cgroup_create (&made, &cg, &err) < 0, "refused resource: create fails");
  ok (!exists ("/sys/fs/cgroup/made2"), "every directory husk made is removed");
  spec_free_resources (pr);
  spec_free_resources (r);
  drop_root ();
}

static void
test_v1 (void)
{
  struct husk_error err = { 0 };
  new_root ();
  static const char *const h[] = { "cpu,cpuacct", "cpuset",  "memory",
                                   "pids",        "blkio",   "devices",
                                   "freezer",     "hugetlb", "net_cls,net_prio",
                                   "systemd" };
  char mi[4096] = "";
  size_t len = 0;
  for (size_t i = 0; i < ARRAY_SIZE (h); i++)
    {
      len += (size_t) snprintf (mi + len, sizeof mi - len,
                                "%zu 30 0:%zu / /sys/fs/cgroup/%s rw - cgroup cgroup rw,%s%s\n",
                                31 + i, 40 + i, h[i], strcmp (h[i], "systemd") == 0 ? "name=" : "",
                                h[i]);
      mkdirs ("/sys/fs/cgroup/%s", h[i]);
    }
  put ("/proc/self/mountinfo", mi);
  put ("/proc/self/cgroup",
       "10:name=systemd:/\n9:net_cls,net_prio:/\n8:hugetlb:/\n7:freezer:/\n"
       "6:devices:/\n5:blkio:/\n4:pids:/\n3:memory:/\n2:cpuset:/\n1:cpu,cpuacct:/\n");
  put ("/sys/fs/cgroup/cpuset/cpuset.cpus", "0-3\n");
  put ("/sys/fs/cgroup/cpuset/cpuset.mems", "0\n");

  /* swap needs memsw (swap accounting): a cgroup that exists already */
  mkdirs ("/sys/fs/cgroup/memory/pre/c1");
  put ("/sys/fs/cgroup/memory/pre/c1/memory.memsw.limit_in_bytes", "9223372036854771712\n");
  struct husk_spec_resources *r = resources (
      "{\"memory\":{\"limit\":1048576,\"swap\":3145728,\"reservation\":1024,\"kernelTCP\":4096,"
      "\"swappiness\":10,\"disableOOMKiller\":true},"
      "\"cpu\":{\"shares\":1024,\"quota\":50000,\"period\":100000,\"realtimeRuntime\":950,"
      "\"realtimePeriod\":1000,\"cpus\":\"0-1\"},"
      "\"pids\":{\"limit\":-1},"
      "\"blockIO\":{\"weight\":500,\"leafWeight\":300,\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":100}]},"
      "\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":2097152}],"
      "\"network\":{\"classID\":1048577,\"priorities\":[{\"name\":\"eth0\",\"priority\":5}]},"
      "\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}");
  struct husk_cgroup_opts o = {
    .id = "c1", .cgroups_path = "/pre/c1", .resources = r, .fs_root = root
  };
  struct husk_cgroup *cg = NULL;
  int ret = hk_cgroup_create (&o, &cg, &err);
  ok (ret == 0, "v1: create with every resource");
  if (ret < 0)
    printf ("# %s\n", err.msg);
  const char *m = "/sys/fs/cgroup/memory/pre/c1";
  is_str (get ("%s/memory.limit_in_bytes", m), "1048576", "memory.limit_in_bytes");
  is_str (get ("%s/memory.memsw.limit_in_bytes", m), "3145728", "memsw is memory+swap as given");
  is_str (get ("%s/memory.soft_limit_in_bytes", m), "1024", "soft limit = reservation");
  is_str (get ("%s/memory.kmem.tcp.limit_in_bytes", m), "4096", "kernel TCP limit");
  is_str (get ("%s/memory.swappiness", m), "10", "swappiness");
  is_str (get ("%s/memory.oom_control", m), "1", "OOM killer disabled");
  const char *c = "/sys/fs/cgroup/cpu,cpuacct/pre/c1";
  is_str (get ("%s/cpu.shares", c), "1024", "cpu.shares as is");
  is_str (get ("%s/cpu.cfs_period_us", c), "100000", "cfs period");
  is_str (get ("%s/cpu.cfs_quota_us", c), "50000", "cfs quota");
  is_str (get ("%s/cpu.rt_period_us", c), "1000", "rt period");
  is_str (get ("%s/cpu.rt_runtime_us", c), "950", "rt runtime");
  is_str (get ("/sys/fs/cgroup/cpuset/pre/cpuset.cpus"), "0-3\n",
          "a new cpuset parent inherits cpus");
  is_str (get ("/sys/fs/cgroup/cpuset/pre/c1/cpuset.cpus"), "0-1", "cpuset.cpus");
  is_str (get ("/sys/fs/cgroup/cpuset/pre/c1/cpuset.mems"), "0\n", "mems inherited");
  is_str (get ("/sys/fs/cgroup/pids/pre/c1/pids.max"), "max", "pids -1 is max");
  is_str (get ("/sys/fs/cgroup/blkio/pre/c1/blkio.weight"), "500", "blkio.weight as is");
  is_str (get ("/sys/fs/cgroup/blkio/pre/c1/blkio.leaf_weight"), "300", "blkio.leaf_weight");
  is_str (get ("/sys/fs/cgroup/blkio/pre/c1/blkio.throttle.read_bps_device"), "8:0 100",
          "throttle");
  is_str (get ("/sys/fs/cgroup/hugetlb/pre/c1/hugetlb.2MB.limit_in_bytes"), "2097152", "hugetlb");
  is_str (get ("/sys/fs/cgroup/net_cls,net_prio/pre/c1/net_cls.classid"), "1048577",
          "net_cls.classid");
  is_str (get ("/sys/fs/cgroup/net_cls,net_prio/pre/c1/net_prio.ifpriomap"), "eth0 5", "net_prio");
  is_str (get ("/sys/fs/cgroup/devices/pre/c1/devices.deny"), "a *:* rwm", "devices.deny all");
  is_str (get ("/sys/fs/cgroup/devices/pre/c1/devices.allow"), "c 136:* rwm",
          "the last allow rule");
  ok (exists ("/sys/fs/cgroup/systemd/pre/c1"), "placed in name=systemd too");

  ok (cg_freeze (cg, true, &err) == 0, "v1 freeze");
  is_str (get ("/sys/fs/cgroup/freezer/pre/c1/freezer.state"), "FROZEN", "freezer.state FROZEN");
  ok (cg_freeze (cg, false, &err) == 0
          && strcmp (get ("/sys/fs/cgroup/freezer/pre/c1/freezer.state"), "THAWED") == 0,
      "thawed");

  struct husk_spec_resources *u = resources ("{\"unified\":{\"memory.high\":\"1\"}}");
  struct cg_apply_opts ao = { .update = true };
  ok (cg_apply (cg, u, &ao, &err) < 0, "unified on pure v1 refused");
  like (err.msg, "linux.resources.unified: invalid configuration: the container has no cgroup v2",
        "message says why");
  spec_free_resources (u);
  u = resources ("{\"unified\":{}}");
  ok (cg_apply (cg, u, &ao, &err) == 0, "an empty unified is fine on v1");
  spec_free_resources (u);
  /* growing memory+swap: memsw first; shrinking: the limit first */
  u = resources ("{\"memory\":{\"limit\":8388608,\"swap\":16777216}}");
  ok (cg_apply (cg, u, &ao, &err) == 0
          && strcmp (get ("%s/memory.memsw.limit_in_bytes", m), "16777216") == 0
          && strcmp (get ("%s/memory.limit_in_bytes", m), "8388608") == 0,
      "update memory and swap");
  spec_free_resources (u);
  ok (hk_cgroup_destroy (cg, &err) == 0, "destroy");
  ok (exists ("/sys/fs/cgroup/memory/pre/c1"), "the memory cgroup husk found is kept");
  ok (!exists ("/sys/fs/cgroup/pids/pre"), "those husk made are gone");

  /* the default path, then no swap accounting */
  struct husk_spec_resources *s = resources ("{\"memory\":{\"swap\":-1}}");
  struct husk_cgroup_opts d = { .id = "c2", .resources = s, .fs_root = root };
  ok (hk_cgroup_create (&d, &cg, &err) < 0, "swap without memsw refused");
  like (err.msg, "swap accounting", "message says why");
  ok (!exists ("/sys/fs/cgroup/memory/husk"), "and nothing is left");
  spec_free_resources (s);
  spec_free_resources (r);
  drop_root ();
}

/* The driver table: chosen once from --systemd-cgroup and the host's mode
 * (fake v1, hybrid and v2 roots, and v2 with a named hierarchy beside it),
 * and again from the record; what goes through it (freeze, the clone
 * target) lands where that host has it. */
static void
test_drivers (void)
{
  struct husk_error err = { 0 };
  ok (cg_driver_choose (false, HK_CGROUP_V1) == &cg_fs_v1, "choose: v1 host, cgroupfs v1");
  ok (cg_driver_choose (false, HK_CGROUP_HYBRID) == &cg_fs_v1, "choose: hybrid host, cgroupfs v1");
  ok (cg_driver_choose (false, HK_CGROUP_V2) == &cg_fs_v2, "choose: v2 host, cgroupfs v2");
  ok (cg_driver_choose (true, HK_CGROUP_V1) == &cg_systemd
          && cg_driver_choose (true, HK_CGROUP_HYBRID) == &cg_systemd
          && cg_driver_choose (true, HK_CGROUP_V2) == &cg_systemd,
      "choose: --systemd-cgroup, systemd");
  is_str (cg_fs_v1.name, "cgroupfs", "cgroupfs v1 is recorded as cgroupfs");
  is_str (cg_fs_v2.name, "cgroupfs", "so is cgroupfs v2");
  is_str (cg_systemd.name, "systemd", "and systemd as systemd");

  static const struct
  {
    const char *name, *mi, *pc, *freeze_file;
    enum hk_cgroup_mode mode;
    const struct cg_driver *drv;
    const char *clone; /* the clone target, NULL: none */
  } hosts[] = {
    { "v1",
      "31 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
      "32 30 0:29 / /sys/fs/cgroup/freezer rw - cgroup cgroup rw,freezer\n",
      "2:freezer:/\n1:memory:/\n", "/sys/fs/cgroup/freezer/husk/d1/freezer.state", HK_CGROUP_V1,
      &cg_fs_v1, NULL },
    { "hybrid",
      "31 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
      "37 30 0:37 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n",
      "1:memory:/\n0::/\n", "/sys/fs/cgroup/unified/husk/d1/cgroup.freeze", HK_CGROUP_HYBRID,
      &cg_fs_v1, NULL },
    { "v2", "25 20 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/\n",
      "/sys/fs/cgroup/husk/d1/cgroup.freeze", HK_CGROUP_V2, &cg_fs_v2, "/sys/fs/cgroup/husk/d1" },
    { "v2 and name=systemd",
      "25 20 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
      "26 25 0:23 / /run/sd rw - cgroup cgroup rw,name=systemd\n",
      "1:name=systemd:/\n0::/\n", "/sys/fs/cgroup/husk/d1/cgroup.freeze", HK_CGROUP_V2, &cg_fs_v2,
      NULL },
  };
  for (size_t i = 0; i < ARRAY_SIZE (hosts); i++)
    {
      const char *h = hosts[i].name;
      char d[160];
      new_root ();
      put ("/proc/self/mountinfo", hosts[i].mi);
      put ("/proc/self/cgroup", hosts[i].pc);
      mkdirs ("/sys/fs/cgroup/memory");
      mkdirs ("/sys/fs/cgroup/freezer");
      mkdirs ("/sys/fs/cgroup/unified");
      mkdirs ("/run/sd");
      struct husk_cgroup_opts o = { .id = "d1", .fs_root = root };
      struct husk_cgroup *cg = NULL, *again = NULL;
      int ret = hk_cgroup_create (&o, &cg, &err);
      snprintf (d, sizeof d, "%s: create", h);
      ok (ret == 0, d);
      if (ret < 0)
        {
          printf ("# %s\n", err.msg);
          drop_root ();
          continue;
        }
      snprintf (d, sizeof d, "%s: mode %s, driver %s", h, hk_cgroup_mode_name (hosts[i].mode),
                hosts[i].drv == &cg_fs_v2 ? "cgroupfs v2" : "cgroupfs v1");
      ok (cg->mode == hosts[i].mode && cg->drv == hosts[i].drv && cg->fs == hosts[i].drv, d);
      const struct cg_place *cp = cg->drv->clone_place (cg);
      snprintf (d, sizeof d, "%s: clone target %s", h, hosts[i].clone ? hosts[i].clone : "none");
      ok (hosts[i].clone ? cp && strcmp (cp->dir, hosts[i].clone) == 0 : cp == NULL, d);
      snprintf (d, sizeof d, "%s: freeze through the table", h);
      ok (cg_freeze (cg, true, &err) == 0 && exists (hosts[i].freeze_file), d);
      char *rec = NULL;
      snprintf (d, sizeof d, "%s: the record gives the same driver back", h);
      ok (hk_cgroup_to_state (cg, &rec, &err) == 0
              && hk_cgroup_from_state (rec, root, &again, &err) == 0 && again->drv == hosts[i].drv
              && again->mode == hosts[i].mode,
          d);
      free (rec);
      hk_cgroup_free (again);
      snprintf (d, sizeof d, "%s: destroy", h);
      ok (hk_cgroup_destroy (cg, &err) == 0 && !exists ("/sys/fs/cgroup/memory/husk")
              && !exists ("/sys/fs/cgroup/husk"),
          d);
      drop_root ();
    }

  /* systemd: the scope is not there before enter (no clone target, nothing
   * made); from a record, what is the hierarchies' goes to cgroupfs v2 */
  new_root ();
  put ("/proc/self/mountinfo", hosts[2].mi);
  put ("/proc/self/cgroup", hosts[2].pc);
  mkdirs ("/sys/fs/cgroup");
  struct husk_cgroup_opts so = { .id = "s1", .systemd = true, .fs_root = root };
  struct husk_cgroup *sd = NULL;
  ok (hk_cgroup_create (&so, &sd, &err) == 0 && sd->drv == &cg_systemd && sd->fs == &cg_fs_v2,
      "systemd on v2: the systemd driver, cgroupfs v2 beneath");
  ok (sd && sd->n == 1 && strcmp (sd->p[0].dir, "/sys/fs/cgroup/system.slice/husk-s1.scope") == 0,
      "systemd: the scope's place");
  ok (sd && sd->drv->clone_place (sd) == NULL && !exists ("/sys/fs/cgroup/system.slice"),
      "systemd: nothing to clone into before the scope starts, nothing made");
  hk_cgroup_free (sd);
  sd = NULL;
  mkdirs ("/sys/fs/cgroup/system.slice/husk-s1.scope");
  ok (hk_cgroup_from_state ("{\"driver\":\"systemd\",\"mode\":\"v2\",\"slice\":\"system.slice\","
                            "\"unit\":\"husk-s1.scope\",\"places\":[{\"controllers\":\"\","
                            "\"v2\":true,\"path\":\"/sys/fs/cgroup/system.slice/husk-s1.scope\"}]}",
                            root, &sd, &err)
              == 0
          && sd->drv == &cg_systemd && sd->fs == &cg_fs_v2,
      "systemd record: systemd, cgroupfs v2 beneath");
  ok (sd && sd->drv->clone_place (sd) == &sd->p[0], "systemd record: the scope is a clone target");
  ok (sd && cg_freeze (sd, true, &err) == 0
          && strcmp (get ("/sys/fs/cgroup/system.slice/husk-s1.scope/cgroup.freeze"), "1") == 0,
      "systemd: freeze goes to cgroup.freeze");
  hk_cgroup_free (sd);
  drop_root ();
}

/* husk exec's way into the recorded cgroup: the clone target chosen
 * against fake roots (v2: the container's cgroup or --cgroup's sub-cgroup
 * in it; v1, hybrid, v2 beside a named hierarchy: none, the pid is
 * written), and the fallback's writes. */
static void
test_join (void)
{
  struct husk_error err = { 0 };
  static const struct
  {
    const char *name, *mi, *pc;
    bool clone;
  } hosts[] = {
    { "v2", "25 20 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/\n", true },
    { "v2 and name=systemd",
      "25 20 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
      "26 25 0:23 / /run/sd rw - cgroup cgroup rw,name=systemd\n",
      "1:name=systemd:/\n0::/\n", false },
    { "hybrid",
      "31 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
      "37 30 0:37 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n",
      "1:memory:/\n0::/\n", false },
    { "v1",
      "31 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
      "32 30 0:29 / /sys/fs/cgroup/freezer rw - cgroup cgroup rw,freezer\n",
      "2:freezer:/\n1:memory:/\n", false },
  };
  char self[32];
  snprintf (self, sizeof self, "%d", (int) getpid ());
  for (size_t i = 0; i < ARRAY_SIZE (hosts); i++)
    {
      const char *h = hosts[i].name;
      char d[200];
      new_root ();
      put ("/proc/self/mountinfo", hosts[i].mi);
      put ("/proc/self/cgroup", hosts[i].pc);
      mkdirs ("/sys/fs/cgroup/memory");
      mkdirs ("/sys/fs/cgroup/freezer");
      mkdirs ("/sys/fs/cgroup/unified");
      mkdirs ("/run/sd");
      struct husk_cgroup_opts o = { .id = "j1", .fs_root = root };
      struct husk_cgroup *cg = NULL;
      char *rec = NULL;
      if (hk_cgroup_create (&o, &cg, &err) < 0 || hk_cgroup_to_state (cg, &rec, &err) < 0)
        {
          printf ("# %s: %s\n", h, err.msg);
          ok (0, "join: a container to join");
          drop_root ();
          continue;
        }
      const char *own = hosts[i].clone ? "/sys/fs/cgroup/husk/j1" : NULL;
      struct hk_cgroup_join *j = NULL;
      int fd = -2;
      snprintf (d, sizeof d, "%s: clone target %s", h, own ? own : "none: the pid is written");
      ok (hk_cgroup_join_new (rec, NULL, root, &j, &err) == 0
              && cg_join_clone_fd (j, &fd, &err) == 0 && (own ? fd >= 0 : fd == -1),
          d);
      if (own && fd >= 0)
        {
          char path[PATH_MAX * 2];
          struct stat a, b;
          snprintf (path, sizeof path, "%s%s", root, own);
          snprintf (d, sizeof d, "%s: ... the container's cgroup", h);
          ok (fstat (fd, &a) == 0 && stat (path, &b) == 0 && a.st_ino == b.st_ino, d);
        }
      if (fd >= 0)
        close (fd);
      if (!own && j)
        {
          /* the fallback, as the child runs it: every place gets the pid */
          snprintf (d, sizeof d, "%s: the pid written in every hierarchy", h);
          bool all = hk_cgroup_join_enter (j, &err) == 0;
          for (size_t k = 0; all && k < cg->n; k++)
            all = strcmp (get ("%s/cgroup.procs", cg->p[k].dir), self) == 0;
          ok (all, d);
        }
      hk_cgroup_join_free (j);
      j = NULL;

      /* --cgroup: a sub-cgroup below the container's */
      char subprocs[PATH_MAX];
      for (size_t k = 0; k < cg->n; k++)
        {
          mkdirs ("%s/sub", cg->p[k].dir);
          snprintf (subprocs, sizeof subprocs, "%s/sub/cgroup.procs", cg->p[k].dir);
          put (subprocs, "");
        }
      fd = -2;
      snprintf (d, sizeof d, "%s: --cgroup sub", h);
      ok (hk_cgroup_join_new (rec, "sub", root, &j, &err) == 0
              && cg_join_clone_fd (j, &fd, &err) == 0 && (own ? fd >= 0 : fd == -1),
          d);
      if (own && fd >= 0)
        {
          char path[PATH_MAX * 2];
          struct stat a, b;
          snprintf (path, sizeof path, "%s%s/sub", root, own);
          snprintf (d, sizeof d, "%s: ... clones into the sub-cgroup", h);
          ok (fstat (fd, &a) == 0 && stat (path, &b) == 0 && a.st_ino == b.st_ino, d);
        }
      if (fd >= 0)
        close (fd);
      if (!own && j)
        {
          snprintf (d, sizeof d, "%s: ... the pid written in the sub-cgroups", h);
          bool all = hk_cgroup_join_enter (j, &err) == 0;
          for (size_t k = 0; all && k < cg->n; k++)
            all = strcmp (get ("%s/sub/cgroup.procs", cg->p[k].dir), self) == 0;
          ok (all, d);
        }
      hk_cgroup_join_free (j);
      j = NULL;
      snprintf (d, sizeof d, "%s: --cgroup of a missing sub-cgroup is refused", h);
      bool refused = hk_cgroup_join_new (rec, "nosuch", root, &j, &err) < 0;
      if (!refused)
        refused = own ? cg_join_clone_fd (j, &fd, &err) < 0 : hk_cgroup_join_enter (j, &err) < 0;
      ok (refused, d);
      like (err.msg, "--cgroup \"nosuch\"", "... naming --cgroup");
      hk_cgroup_join_free (j);
      j = NULL;
      snprintf (d, sizeof d, "%s: --cgroup of a controller the container lacks is refused", h);
      ok (hk_cgroup_join_new (rec, "rdma:sub", root, &j, &err) < 0 && j == NULL, d);
      like (err.msg, "--cgroup \"rdma:sub\": the container has no \"rdma\" cgroup",
            "... saying so");

      /* this process is no member: destroy would kill it */
      for (size_t k = 0; k < cg->n; k++)
        {
          char procs[PATH_MAX];
          snprintf (procs, sizeof procs, "%s/cgroup.procs", cg->p[k].dir);
          put (procs, "");
          snprintf (procs, sizeof procs, "%s/sub/cgroup.procs", cg->p[k].dir);
          put (procs, "");
        }
      free (rec);
      struct husk_error ignored;
      hk_cgroup_destroy (cg, &ignored);
      drop_root ();
    }

  /* no cgroup recorded (rootless): nothing to join, and --cgroup refused */
  struct hk_cgroup_join *j = NULL;
  ok (hk_cgroup_join_new (NULL, NULL, "/nonexistent", &j, &err) == 0
          && hk_cgroup_join_enter (j, &err) == 0,
      "no record: nothing to join");
  hk_cgroup_join_free (j);
  j = NULL;
  ok (hk_cgroup_join_new (NULL, "sub", "/nonexistent", &j, &err) < 0 && j == NULL,
      "no record: --cgroup refused");
  like (err.msg, "--cgroup \"sub\": the container has no cgroup", "... saying so");
}

/* This process is in cgroup rel of the v2 hierarchy. */
static bool
in_cgroup (const char *rel)
{
  struct husk_error err;
  _cleanup_free_ char *pc = NULL;
  char want[80];
  snprintf (want, sizeof want, "0::%s\n", rel);
  return hk_read_file ("/proc/self/cgroup", 1 << 20, &pc, NULL, &err) == 0 && strstr (pc, want);
}

/* The real thing, on this host's cgroup2 hierarchy (a hybrid host's
 * "unified" one will do): exec's path with a record of a v2 cgroup clones
 * the child straight into it (CLONE_INTO_CGROUP); with a record of a
 * hybrid host's the child writes its pid. Root only. */
static void
test_clone_real (void)
{
  struct husk_error err = { 0 };
  struct hk_cgroup_layout l;
  if (geteuid () != 0 || hk_cgroup_layout_load (NULL, &l, &err) < 0 || l.v2 < 0)
    {
      ok (1, "clone into a cgroup # SKIP needs root and a cgroup2 hierarchy");
      return;
    }
  const struct hk_cgroup_mount *m = &l.m[l.v2];
  char dir[PATH_MAX], rel[64];
  snprintf (rel, sizeof rel, "/husk-clone-test.%d", (int) getpid ());
  snprintf (dir, sizeof dir, "%s%s", m->mount, rel);
  if (strcmp (m->root, "/") != 0 || mkdir (dir, 0755) < 0)
    {
      ok (1, "clone into a cgroup # SKIP cannot make a cgroup2 directory");
      hk_cgroup_layout_clear (&l);
      return;
    }
  for (int hybrid = 0; hybrid < 2; hybrid++)
    {
      char rec[PATH_MAX + 200];
      snprintf (rec, sizeof rec,
                "{\"driver\":\"cgroupfs\",\"mode\":\"%s\",\"places\":[{\"controllers\":\"\","
                "\"v2\":true,\"path\":\"%s\"}]}",
                hybrid ? "hybrid" : "v2", dir);
      struct hk_cgroup_join *j = NULL;
      if (hk_cgroup_join_new (rec, NULL, NULL, &j, &err) < 0)
        {
          printf ("# %s\n", err.msg);
          ok (0, "a record of the test cgroup");
          continue;
        }
      pid_t pid = hk_cgroup_join_fork (j, &err);
      if (pid == 0)
        {
          /* 0: where it should be, from the start (v2) or once it wrote
           * its pid (hybrid); 1: from the start on hybrid or not on v2;
           * 2: not there; 3: the join failed */
          struct husk_error e2;
          bool before = in_cgroup (rel);
          if (hk_cgroup_join_enter (j, &e2) < 0)
            _exit (3);
          if (!in_cgroup (rel))
            _exit (2);
          _exit (before == !hybrid ? 0 : 1);
        }
      int st = -1;
      if (pid > 0)
        waitpid (pid, &st, 0);
      int code = pid > 0 && WIFEXITED (st) ? WEXITSTATUS (st) : -1;
      if (!hybrid && code == 1)
        ok (1, "v2 record: cloned into the cgroup # SKIP no clone3 with CLONE_INTO_CGROUP here");
      else
        ok (code == 0, hybrid ? "hybrid record: the child wrote its pid into the cgroup"
                              : "v2 record: the child was cloned straight into the cgroup");
      hk_cgroup_join_free (j);

      /* create's init: hk_cgroup_clone, with the same choice */
      struct husk_cgroup *cg = NULL;
      if (hk_cgroup_from_state (rec, NULL, &cg, &err) < 0)
        {
          printf ("# %s\n", err.msg);
          ok (0, "a cgroup of the test cgroup");
          continue;
        }
      pid = hk_cgroup_clone (cg, 0);
      if (pid == 0)
        _exit (in_cgroup (rel) ? 0 : 1);
      st = -1;
      if (pid > 0)
        waitpid (pid, &st, 0);
      code = pid > 0 && WIFEXITED (st) ? WEXITSTATUS (st) : -1;
      if (!hybrid && code == 1)
        ok (1, "v2: the init cloned into the cgroup # SKIP no clone3 with CLONE_INTO_CGROUP here");
      else
        ok (code == (hybrid ? 1 : 0), hybrid ? "hybrid: a plain clone (the pid is written after)"
                                             : "v2: the init is cloned straight into the cgroup");
      hk_cgroup_free (cg);
    }
  for (int i = 0; i < 100 && rmdir (dir) < 0 && errno == EBUSY; i++)
    usleep (10000);
  ok (access (dir, F_OK) < 0, "the test cgroup is removed");
  hk_cgroup_layout_clear (&l);
}

/* What earlier calls leave on the stack. */
static __attribute__ ((noinline)) void
dirty_stack (void)
{
  volatile unsigned char junk[8192];
  for (size_t i = 0; i < sizeof junk; i++)
    junk[i] = 0xa5;
}

/* An update that fails before it has anything frees only what it made: its
 * cleanup variable used to be declared after the first goto, so the early
 * errors freed an uninitialised pointer (found building for tests/fuzz). */
static void
test_update_early_error (void)
{
  struct husk_store store = { .dirfd = -1, .root = (char *) "/nonexistent" };
  struct husk_error err = { 0 };
  dirty_stack ();
  ok (husk_container_update (&store, "nope", "{}", NULL, &err) < 0,
      "update of a missing container fails cleanly");
  like (err.msg, "does not exist", "and says why");
}

int
main (void)
{
  test_v2 ();
  test_v1 ();
  test_drivers ();
  test_join ();
  test_clone_real ();
  test_update_early_error ();
  return tap_done ();
}
