/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of issue 12's cgroup cases against fake roots, for what the
 * hybrid test machines cannot show: a frozen cgroupsPath on pure v2, the
 * undo of a failed update, a hybrid host without hugetlb on v2, unified
 * keys of a v1 controller, and waits that end on a pending SIGTERM. */
#include "config.h"
#include <signal.h>
#include <time.h>
#include "husk/cgroups.h"
#include "cgroups/internal.h"
#include "tap.h"
#include "cgfake.h"

/* Issue 12 on fake roots: what this hybrid test host cannot show. A pure
 * v2 host: a frozen cgroupsPath (cgroup.freeze 1, or frozen through a
 * parent) refused and left as it was; an update whose late write fails
 * puts back what it wrote. A hybrid host whose v2 hierarchy lacks hugetlb:
 * hugepageLimits refused naming the field; unified keys of a v1
 * controller refused as an invalid configuration. */
static void
test_issue12 (void)
{
  struct husk_error err = { 0 };
  new_root ();
  put ("/proc/self/mountinfo",
       "25 20 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
  put ("/proc/self/cgroup", "0::/\n");
  mkdirs ("/sys/fs/cgroup/frz/ctr");
  put ("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory hugetlb pids\n");
  put ("/sys/fs/cgroup/cgroup.subtree_control", "");
  put ("/sys/fs/cgroup/frz/cgroup.freeze", "1\n");
  put ("/sys/fs/cgroup/frz/ctr/cgroup.freeze", "0\n");
  put ("/sys/fs/cgroup/frz/ctr/cgroup.events", "populated 0\nfrozen 1\n");
  struct husk_cgroup *cg = NULL;
  struct husk_cgroup_opts o = { .id = "f1", .cgroups_path = "/frz", .fs_root = root };
  ok (hk_cgroup_create (&o, &cg, &err) < 0 && cg == NULL, "v2: a frozen cgroupsPath is refused");
  like (err.msg,
        "linux.cgroupsPath \"/frz\": container's cgroup is frozen (/sys/fs/cgroup/frz: "
        "cgroup.freeze 1)",
        "the error names the path, the cgroup and the file");
  o.cgroups_path = "/frz/ctr";
  ok (hk_cgroup_create (&o, &cg, &err) < 0, "v2: frozen through its parent (cgroup.events)");
  like (err.msg, "frozen 1", "the error says how");
  o.cgroups_path = "/frz/new";
  ok (hk_cgroup_create (&o, &cg, &err) < 0 && !exists ("/sys/fs/cgroup/frz/new"),
      "v2: a new cgroup below a frozen one: refused, nothing made");
  is_str (get ("/sys/fs/cgroup/frz/cgroup.freeze"), "1\n", "the frozen cgroup is left as it was");

  /* the update transaction */
  struct husk_spec_resources *r = resources (
      "{\"cpu\":{\"shares\":1024,\"cpus\":\"0-1\"},\"pids\":{\"limit\":10}}");
  struct husk_cgroup_opts u = { .id = "u1", .resources = r, .fs_root = root };
  ok (hk_cgroup_create (&u, &cg, &err) == 0, "v2: a container to update");
  const char *d = "/sys/fs/cgroup/husk/u1";
  /* io.max cannot be written (a directory): blockIO comes after cpuset,
   * cpu and pids */
  mkdirs ("%s/io.max", d);
  char *rec = NULL;
  ok (cg
          && hk_cgroup_update (cg,
                               "{\"cpu\":{\"shares\":512,\"cpus\":\"0\"},\"pids\":{\"limit\":20},"
                               "\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,"
                               "\"rate\":1}]}}",
                               &rec, &err)
                 < 0
          && rec == NULL,
      "v2: an update whose last write fails fails");
  like (err.msg, "write \"8:0 rbps=1\" to /sys/fs/cgroup/husk/u1/io.max", "naming the file");
  like (err.msg, "(the values written before are restored)", "and saying what it undid");
  is_str (get ("%s/cpu.weight", d), "39", "cpu.weight put back");
  is_str (get ("%s/cpuset.cpus", d), "0-1", "cpuset.cpus put back");
  is_str (get ("%s/pids.max", d), "10", "pids.max put back");
  rmdir (strcat (strcpy ((char[PATH_MAX * 2]) { 0 }, root), "/sys/fs/cgroup/husk/u1/io.max"));
  ok (cg && hk_cgroup_update (cg, "{\"pids\":{\"limit\":30}}", &rec, &err) == 0
          && strcmp (get ("%s/pids.max", d), "30") == 0,
      "v2: an update that succeeds is kept");
  free (rec);
  hk_cgroup_destroy (cg, &err);
  spec_free_resources (r);
  drop_root ();

  /* hybrid, with nothing on its v2 hierarchy */
  new_root ();
  put ("/proc/self/mountinfo", "31 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                               "37 30 0:37 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");
  put ("/proc/self/cgroup", "1:memory:/\n0::/\n");
  mkdirs ("/sys/fs/cgroup/memory");
  mkdirs ("/sys/fs/cgroup/unified");
  put ("/sys/fs/cgroup/unified/cgroup.controllers", "\n");
  r = resources ("{\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":2097152}]}");
  struct husk_cgroup_opts h = { .id = "h1", .resources = r, .fs_root = root };
  ok (hk_cgroup_create (&h, &cg, &err) < 0, "hybrid without hugetlb: hugepageLimits refused");
  like (err.msg, "linux.resources.hugepageLimits: this host has no hugetlb controller",
        "the error names the field");
  ok (!exists ("/sys/fs/cgroup/unified/husk") && !exists ("/sys/fs/cgroup/memory/husk"),
      "nothing is made");
  spec_free_resources (r);
  r = resources ("{\"unified\":{\"memory.high\":\"1\"}}");
  h.resources = r;
  ok (hk_cgroup_create (&h, &cg, &err) < 0, "hybrid: a unified key of a v1 controller refused");
  like (err.msg, "linux.resources.unified[\"memory.high\"]: invalid configuration",
        "as an invalid configuration naming the field");
  like (err.msg, "on this host it is a v1 controller", "saying why");
  ok (!exists ("/sys/fs/cgroup/unified/husk"), "nothing is made");
  spec_free_resources (r);
  r = resources ("{\"hugepageLimits\":[{\"pageSize\":\"3MB\",\"limit\":2097152}]}");
  put ("/sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n");
  h.resources = r;
  ok (hk_cgroup_create (&h, &cg, &err) < 0, "a page size the host lacks refused");
  like (err.msg, "hugepageLimits[0].pageSize \"3MB\": this host has no huge pages of that size",
        "naming the field");
  spec_free_resources (r);
  drop_root ();

  /* every wait on a cgroup ends at once on a pending SIGTERM, also while
   * it is blocked (husk run holds it back to forward it) */
  sigset_t term, old;
  sigemptyset (&term);
  sigaddset (&term, SIGTERM);
  sigprocmask (SIG_BLOCK, &term, &old);
  ok (cg_wait_ms (1), "a wait without a pending signal sleeps");
  raise (SIGTERM);
  struct timespec t0, t1;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  bool waited = cg_wait_ms (5000);
  clock_gettime (CLOCK_MONOTONIC, &t1);
  ok (!waited && t1.tv_sec - t0.tv_sec < 2, "a pending SIGTERM ends the wait at once");
  signal (SIGTERM, SIG_IGN);
  sigprocmask (SIG_SETMASK, &old, NULL);
  signal (SIGTERM, SIG_DFL);
}

int
main (void)
{
  test_issue12 ();
  return tap_done ();
}
