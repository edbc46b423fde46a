/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the state store: ids, state.json round trip, listing,
 * locking and status refresh. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "husk/husk.h"
#include "tap.h"
#include "store.h"

static void
test_ids (void)
{
  struct husk_error err = { 0 };
  ok (husk_id_validate ("abc-DEF_1.2+x", &err) == 0, "valid id accepted");
  ok (husk_id_validate ("", &err) < 0, "empty id refused");
  like (err.msg, "must not be empty", "empty id message");
  ok (husk_id_validate ("a/b", &err) < 0, "slash refused");
  like (err.msg, "invalid container id \"a/b\"", "slash message names the id");
  ok (husk_id_validate ("..", &err) < 0, "dot-dot refused");
  ok (husk_id_validate (".", &err) < 0, "dot refused");
  ok (husk_id_validate ("a b", &err) < 0, "space refused");
  ok (husk_id_validate ("é", &err) < 0, "non-ASCII refused");
  char longid[HUSK_ID_MAX + 2];
  memset (longid, 'a', sizeof longid - 1);
  longid[sizeof longid - 1] = '\0';
  ok (husk_id_validate (longid, &err) < 0, "too long refused");
  like (err.msg, "too long", "too long message");
  longid[HUSK_ID_MAX] = '\0';
  ok (husk_id_validate (longid, &err) == 0, "HUSK_ID_MAX characters accepted");
}

static void
test_status (void)
{
  enum husk_status s;
  is_str (husk_status_name (HUSK_STATUS_CREATED), "created", "status name");
  ok (husk_status_parse ("paused", &s) == 0 && s == HUSK_STATUS_PAUSED, "status parse");
  ok (husk_status_parse ("bogus", &s) < 0, "unknown status refused");
}

static void
test_store (void)
{
  struct husk_error err = { 0 };
  char tmpl[] = "/tmp/husk-unit-XXXXXX";
  ok (mkdtemp (tmpl) != NULL, "temp dir");
  char root[256];
  snprintf (root, sizeof root, "%s/a/b/root", tmpl);

  struct husk_store store;
  ok (husk_store_open (&store, root, false, &err) == 0 && store.dirfd < 0,
      "missing root without create is not an error");
  husk_store_close (&store);
  char **ids;
  size_t n;
  ok (husk_store_open (&store, root, true, &err) == 0 && store.dirfd >= 0, "root created");
  struct stat st;
  ok (stat (root, &st) == 0 && (st.st_mode & 0777) == 0700, "root is mode 0700");
  ok (husk_store_list (&store, &ids, &n, &err) == 0 && n == 0, "empty store lists nothing");
  husk_strv_free (ids, n);

  int fd = -1;
  ok (hk_container_dir_create (&store, "c2", &fd, &err) == 0, "container dir created");
  struct husk_state s = {
    .oci_version = (char *) "1.3.0",
    .id = (char *) "c2",
    .status = HUSK_STATUS_CREATED,
    .pid = getpid (),
    .bundle = (char *) "/b",
    .rootfs = (char *) "/b/rootfs",
    .created = (char *) "2026-01-01T00:00:00.000000000Z",
    .owner = 0,
  };
  struct husk_spec_kv ann[] = { { (char *) "k1", (char *) "v1" },
                                { (char *) "k2", (char *) "v\"2" } };
  s.annotations = ann;
  s.annotations_len = 2;
  hk_proc_start_time (getpid (), &s.pid_start_time);
  ok (hk_state_write (fd, &s, &err) == 0, "state written");
  ok (faccessat (fd, ".state.json.tmp", F_OK, 0) < 0, "no temp file left");

  int fd2 = -1;
  ok (hk_container_dir_create (&store, "c2", &fd2, &err) < 0, "duplicate id refused");
  is_str (err.msg, "container \"c2\" already exists", "duplicate message");

  /* the lock is held: another open on a separate fd would block */
  int probe = openat (store.dirfd, "c2", O_RDONLY | O_DIRECTORY);
  ok (flock (probe, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK,
      "directory is locked while open");
  close (fd);
  ok (flock (probe, LOCK_EX | LOCK_NB) == 0, "lock released on close");
  close (probe);

  /* created: the init still waits on its exec fifo */
  ok (mkfifoat (store.dirfd, "c2/" EXEC_FIFO, 0622) == 0, "exec fifo made");
  struct husk_state *r = NULL;
  ok (husk_state_load (&store, "c2", &r, &err) == 0, "state loaded");
  if (r)
    {
      is_str (r->id, "c2", "id round trip");
      is_str (r->bundle, "/b", "bundle round trip");
      is_int (r->status, HUSK_STATUS_CREATED, "live pid keeps status");
      is_int (r->pid, getpid (), "pid round trip");
      is_int (r->annotations_len, 2, "annotations round trip");
      is_str (r->annotations[1].value, "v\"2", "annotation value escaped and read back");
      char *json = NULL;
      husk_state_to_json (r, false, NULL, NULL, &json, NULL, &err);
      like (json, "\"owner\":\"\"", "public state has owner");
      ok (strstr (json, "pidStartTime") == NULL, "public state hides internal fields");
      like (json, "\"annotations\":{\"k1\":\"v1\"", "annotations in public state");
      free (json);
      husk_state_free (r);
    }
  /* a start that died after it took the fifo: the process runs */
  unlinkat (store.dirfd, "c2/" EXEC_FIFO, 0);
  r = NULL;
  ok (husk_state_load (&store, "c2", &r, &err) == 0, "state loaded again");
  if (r)
    is_int (r->status, HUSK_STATUS_RUNNING, "created without its exec fifo reads as running");
  husk_state_free (r);

  /* a dead init makes the container stopped */
  pid_t child = fork ();
  if (child == 0)
    _exit (0);
  waitpid (child, NULL, 0);
  ok (hk_container_dir_create (&store, "c1", &fd, &err) == 0, "second container");
  s.id = (char *) "c1";
  s.pid = child;
  s.status = HUSK_STATUS_RUNNING;
  s.annotations_len = 0;
  hk_state_write (fd, &s, &err);
  close (fd);
  r = NULL;
  ok (husk_state_load (&store, "c1", &r, &err) == 0, "stopped container loads");
  if (r)
    {
      is_str (husk_status_name (r->status), "stopped", "dead init: stopped");
      is_int (r->pid, 0, "stopped container has no pid");
      husk_state_free (r);
    }

  /* a reused pid (different start time) is not our init */
  s.pid = getpid ();
  s.pid_start_time = 1;
  ok (hk_container_dir_open (&store, "c1", &fd, &err) == 0, "reopen");
  hk_state_write (fd, &s, &err);
  r = NULL;
  hk_state_read (fd, "c1", &r, &err);
  close (fd);
  ok (r && r->status == HUSK_STATUS_STOPPED, "reused pid: stopped");
  husk_state_free (r);

  /* a live pid without a recorded start time may be anyone's: stopped,
   * and no pidfd is handed out for it (issue 10) */
  s.pid = getpid ();
  s.pid_start_time = 0;
  ok (hk_container_dir_open (&store, "c1", &fd, &err) == 0, "reopen for no start time");
  hk_state_write (fd, &s, &err);
  r = NULL;
  hk_state_read (fd, "c1", &r, &err);
  close (fd);
  ok (r && r->status == HUSK_STATUS_STOPPED && r->pid == 0, "pid without start time: stopped");
  husk_state_free (r);
  ok (hk_state_pidfd (&s) == -ESRCH, "no pidfd for a pid without start time");
  hk_proc_start_time (getpid (), &s.pid_start_time);
  int pfd = hk_state_pidfd (&s);
  ok (pfd >= 0, "pidfd for a verified pid");
  if (pfd >= 0)
    close (pfd);
  s.pid_start_time += 1;
  ok (hk_state_pidfd (&s) == -ESRCH, "no pidfd for a different start time");
  /* pids out of range are refused when read */
  struct husk_state *bad = NULL;
  static const char neg[] = "{\"ociVersion\":\"1.0.2\",\"id\":\"x\",\"status\":\"running\","
                            "\"bundle\":\"/b\",\"pid\":-1,\"pidStartTime\":5}";
  ok (husk_state_from_json (neg, sizeof neg - 1, &bad, &err) < 0, "negative pid refused");
  like (err.msg, "\"pid\"", "message names pid");

  /* a directory without state.json (create in progress) is not listed */
  mkdirat (store.dirfd, "partial", 0700);
  ok (husk_store_list (&store, &ids, &n, &err) == 0 && n == 2, "two containers listed");
  if (n == 2)
    {
      is_str (ids[0], "c1", "sorted first");
      is_str (ids[1], "c2", "sorted second");
    }
  husk_strv_free (ids, n);
  ok (husk_state_load (&store, "partial", &r, &err) < 0, "partial dir is not a container");
  is_str (err.msg, "container \"partial\" does not exist", "missing message");
  ok (husk_state_load (&store, "nope", &r, &err) < 0, "missing container refused");

  ok (hk_container_dir_remove (&store, "c1", &err) == 0, "remove");
  ok (faccessat (store.dirfd, "c1", F_OK, 0) < 0, "directory gone");
  hk_container_dir_remove (&store, "c2", &err);
  hk_container_dir_remove (&store, "partial", &err);
  husk_store_close (&store);

  ok (husk_state_from_json ("{\"id\":1}", 8, &r, &err) < 0, "bad state.json refused");
  like (err.msg, "state.json", "bad state names the file");

  char cmd[300];
  snprintf (cmd, sizeof cmd, "rm -rf %s", tmpl);
  ok (system (cmd) == 0, "cleanup");
}

/* Every field of state.json has its type: nothing is read as 0 or "" */
static void
test_strict_types (void)
{
  static const struct
  {
    const char *field, *want;
  } cases[] = {
    { "\"pid\":\"1\"", "\"pid\"" },
    { "\"pid\":1.5", "\"pid\"" },
    { "\"pid\":9223372036854775808", "state.json" },
    { "\"pid\":4194305", "\"pid\"" },
    { "\"pidStartTime\":\"x\"", "\"pidStartTime\"" },
    { "\"created\":5", "\"created\"" },
    { "\"cgroup\":5", "\"cgroup\"" },
    { "\"ownerUid\":4294967295", "\"ownerUid\"" },
    { "\"annotations\":{\"a\":1}", "annotations" },
    { "\"annotations\":[]", "annotations" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      char json[512];
      snprintf (json, sizeof json,
                "{\"ociVersion\":\"1.3.0\",\"id\":\"a\",\"status\":\"stopped\","
                "\"bundle\":\"/b\",%s}",
                cases[i].field);
      struct husk_error err = { 0 };
      struct husk_state *st = NULL;
      int ret = husk_state_from_json (json, strlen (json), &st, &err);
      if (!ok (ret < 0 && strstr (err.msg, cases[i].want) != NULL, cases[i].field))
        printf ("#   got %d \"%s\"\n", ret, err.msg);
      if (ret == 0)
        husk_state_free (st);
    }
  static const char good[] = "{\"ociVersion\":\"1.3.0\",\"id\":\"a\",\"status\":\"stopped\","
                             "\"bundle\":\"/b\",\"pid\":0,\"cgroup\":null}";
  struct husk_error err = { 0 };
  struct husk_state *st = NULL;
  ok (husk_state_from_json (good, sizeof good - 1, &st, &err) == 0, "null reads as absent");
  if (st)
    husk_state_free (st);
}

int
main (void)
{
  test_ids ();
  test_strict_types ();
  test_status ();
  test_store ();
  return tap_done ();
}
