/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include "husk/state.h"
#include "json.h"
#include "idmap.h"
#include "utils.h"
#include "store.h"
#include "syscalls.h"

#define STATE_MAX_SIZE (4u << 20)

static const char *const status_names[] = {
  [HUSK_STATUS_CREATING] = "creating", [HUSK_STATUS_CREATED] = "created",
  [HUSK_STATUS_RUNNING] = "running",   [HUSK_STATUS_PAUSED] = "paused",
  [HUSK_STATUS_STOPPED] = "stopped",
};

const char *
husk_status_name (enum husk_status status)
{
  if ((size_t) status >= ARRAY_SIZE (status_names))
    return "unknown";
  return status_names[status];
}

int
husk_status_parse (const char *name, enum husk_status *out)
{
  for (size_t i = 0; i < ARRAY_SIZE (status_names); i++)
    if (name && strcmp (name, status_names[i]) == 0)
      {
        *out = (enum husk_status) i;
        return 0;
      }
  return -EINVAL;
}

bool
husk_rootless_detect (void)
{
  return geteuid () != 0 || !hk_initial_userns ();
}

int
husk_default_root (char **out, struct husk_error *err)
{
  const char *xdg = getenv ("XDG_RUNTIME_DIR");
  /* root in a user namespace (Podman rootless) cannot write /run: its
   * XDG_RUNTIME_DIR when it has one */
  if (geteuid () == 0 && (hk_initial_userns () || xdg == NULL || xdg[0] != '/'))
    return hk_strdup ("/run/husk", out, err);
  if (xdg == NULL || xdg[0] != '/')
    return husk_error_setx (err, EINVAL,
                            "XDG_RUNTIME_DIR is not set to an absolute path: use --root");
  if (asprintf (out, "%s/husk", xdg) < 0)
    return husk_error_set (err, ENOMEM, "state root");
  return 0;
}

static int
id_validate (const char *id, struct husk_error *err)
{
  if (id == NULL || id[0] == '\0')
    return husk_error_setx (err, EINVAL, "container id must not be empty");
  size_t len = strlen (id);
  if (len > HUSK_ID_MAX)
    return husk_error_setx (err, EINVAL, "container id is too long (%zu characters, at most %d)",
                            len, HUSK_ID_MAX);
  if (strcmp (id, ".") == 0 || strcmp (id, "..") == 0)
    return husk_error_setx (err, EINVAL, "invalid container id \"%s\"", id);
  for (const char *p = id; *p; p++)
    {
      unsigned char c = (unsigned char) *p;
      if (!(isascii (c) && (isalnum (c) || c == '_' || c == '+' || c == '.' || c == '-')))
        return husk_error_setx (err, EINVAL,
                                "invalid container id \"%s\": only [A-Za-z0-9_+.-] are allowed",
                                id);
    }
  return 0;
}

int
husk_id_validate (const char *id, struct husk_error *err)
{
  return husk_error_invalid (err, id_validate (id, err));
}

/* mkdir -p with mode 0700 for the directories it creates. */
static int
mkdir_p (const char *path, struct husk_error *err)
{
  _cleanup_free_ char *copy = strdup (path);
  if (copy == NULL)
    return husk_error_set (err, ENOMEM, "mkdir \"%s\"", path);
  for (char *p = copy + 1;; p++)
    {
      if (*p == '/' || *p == '\0')
        {
          char saved = *p;
          *p = '\0';
          if (mkdir (copy, 0700) < 0 && errno != EEXIST)
            return husk_error_set (err, errno, "mkdir \"%s\"", copy);
          *p = saved;
          if (saved == '\0')
            break;
        }
    }
  return 0;
}

int
husk_store_open (struct husk_store *store, const char *root, bool create, struct husk_error *err)
{
  store->dirfd = -1;
  store->root = NULL;
  if (root == NULL || root[0] == '\0')
    return husk_error_setx (err, EINVAL, "--root: must not be empty");
  int ret = hk_strdup (root, &store->root, err);
  if (ret < 0)
    return ret;
  if (create)
    {
      ret = mkdir_p (root, err);
      if (ret < 0)
        {
          husk_store_close (store);
          return husk_error_prefix (err, "state root");
        }
    }
  store->dirfd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (store->dirfd < 0)
    {
      if (errno == ENOENT && !create)
        return 0;
      int e = errno;
      husk_store_close (store);
      return husk_error_set (err, e, "open state root \"%s\"", root);
    }
  return 0;
}

void
husk_store_close (struct husk_store *store)
{
  if (store->dirfd >= 0)
    close (store->dirfd);
  store->dirfd = -1;
  free (store->root);
  store->root = NULL;
}

void
husk_strv_free (char **v, size_t n)
{
  if (v == NULL)
    return;
  for (size_t i = 0; i < n; i++)
    free (v[i]);
  free (v);
}

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

int
husk_store_list (const struct husk_store *store, char ***ids, size_t *n, struct husk_error *err)
{
  *ids = NULL;
  *n = 0;
  if (store->dirfd < 0)
    return 0;
  int fd = openat (store->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return husk_error_set (err, errno, "open state root \"%s\"", store->root);
  DIR *d = fdopendir (fd);
  if (d == NULL)
    {
      close (fd);
      return husk_error_set (err, errno, "read state root \"%s\"", store->root);
    }
  char **v = NULL;
  size_t len = 0, cap = 0;
  struct dirent *de;
  int ret = 0;
  while ((de = readdir (d)) != NULL)
    {
      if (de->d_name[0] == '.' || husk_id_validate (de->d_name, NULL) < 0)
        continue;
      char path[NAME_MAX + sizeof (HUSK_STATE_FILE) + 2];
      snprintf (path, sizeof path, "%s/%s", de->d_name, HUSK_STATE_FILE);
      struct stat st;
      if (fstatat (dirfd (d), path, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG (st.st_mode))
        continue;
      if (len == cap)
        {
          size_t ncap = cap ? cap * 2 : 16;
          char **nv = realloc (v, ncap * sizeof *nv);
          if (nv == NULL)
            {
              ret = husk_error_set (err, ENOMEM, "list containers");
              break;
            }
          v = nv;
          cap = ncap;
        }
      v[len] = strdup (de->d_name);
      if (v[len] == NULL)
        {
          ret = husk_error_set (err, ENOMEM, "list containers");
          break;
        }
      len++;
    }
  closedir (d);
  if (ret < 0)
    {
      husk_strv_free (v, len);
      return ret;
    }
  if (len > 1)
    qsort (v, len, sizeof *v, cmp_str);
  *ids = v;
  *n = len;
  return 0;
}

static int
lock_dir (int fd, const char *id, struct husk_error *err)
{
  while (flock (fd, LOCK_EX) < 0)
    if (errno != EINTR)
      return husk_error_set (err, errno, "lock container \"%s\"", id);
  return 0;
}

int
hk_container_dir_create (const struct husk_store *store, const char *id, int *dirfd,
                         struct husk_error *err)
{
  int ret = husk_id_validate (id, err);
  if (ret < 0)
    return ret;
  if (mkdirat (store->dirfd, id, 0700) < 0)
    {
      if (errno == EEXIST)
        return husk_error_setx (err, EEXIST, "container \"%s\" already exists", id);
      return husk_error_set (err, errno, "mkdir \"%s/%s\"", store->root, id);
    }
  _cleanup_close_ int fd = openat (store->dirfd, id,
                                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      ret = husk_error_set (err, errno, "open \"%s/%s\"", store->root, id);
      unlinkat (store->dirfd, id, AT_REMOVEDIR);
      return ret;
    }
  ret = lock_dir (fd, id, err);
  if (ret < 0)
    {
      unlinkat (store->dirfd, id, AT_REMOVEDIR);
      return ret;
    }
  *dirfd = steal_fd (&fd);
  return 0;
}

/* Does the container's state.json say "creating"? (Its creator holds the
 * lock: the file is read without it, as it is replaced atomically.) */
static bool
being_created (int fd, const char *id)
{
  struct husk_state *st = NULL;
  struct husk_error ignored;
  if (hk_state_read (fd, id, &st, &ignored) < 0)
    return false;
  bool creating = st->status == HUSK_STATUS_CREATING;
  husk_state_free (st);
  return creating;
}

int
hk_container_dir_open (const struct husk_store *store, const char *id, int *dirfd,
                       struct husk_error *err)
{
  int ret = husk_id_validate (id, err);
  if (ret < 0)
    return ret;
  if (store->dirfd < 0)
    return husk_error_setx (err, ENOENT, "container \"%s\" does not exist", id);
  _cleanup_close_ int fd = openat (store->dirfd, id,
                                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      if (errno == ENOENT || errno == ENOTDIR)
        return husk_error_setx (err, ENOENT, "container \"%s\" does not exist", id);
      return husk_error_set (err, errno, "open \"%s/%s\"", store->root, id);
    }
  /* A create in progress holds the lock until it returns: without a
   * state.json yet, or with its intent ("creating") while its creator
   * lives, answer at once (as runc) rather than wait for it, which would
   * deadlock a hook of that create that calls husk. */
  if (faccessat (fd, HUSK_STATE_FILE, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
    return husk_error_setx (err, ENOENT, "container \"%s\" does not exist", id);
  if (flock (fd, LOCK_EX | LOCK_NB) < 0)
    {
      if (errno == EWOULDBLOCK && being_created (fd, id))
        return husk_error_setx (err, ENOENT,
                                "container \"%s\" does not exist (it is being created)", id);
      ret = lock_dir (fd, id, err);
      if (ret < 0)
        return ret;
    }
  /* A container is its state.json: a directory without one is a create in
   * progress that has not written it yet, or a leftover. */
  if (faccessat (fd, HUSK_STATE_FILE, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
    return husk_error_setx (err, ENOENT, "container \"%s\" does not exist", id);
  *dirfd = steal_fd (&fd);
  return 0;
}

int
hk_container_dir_remove (const struct husk_store *store, const char *id, struct husk_error *err)
{
  int ret = husk_id_validate (id, err);
  if (ret < 0)
    return ret;
  return hk_rmtree_at (store->dirfd, id, err);
}

void
hk_time_now_rfc3339 (char *buf, size_t size)
{
  struct timespec ts;
  struct tm tm;
  clock_gettime (CLOCK_REALTIME, &ts);
  gmtime_r (&ts.tv_sec, &tm);
  size_t n = strftime (buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf (buf + n, size - n, ".%09ldZ", ts.tv_nsec);
}

int
hk_proc_start_time (pid_t pid, unsigned long long *out)
{
  char path[64], buf[1024];
  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  _cleanup_close_ int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? -ESRCH : -errno;
  ssize_t n = read (fd, buf, sizeof buf - 1);
  if (n <= 0)
    return -ESRCH;
  buf[n] = '\0';
  /* comm may hold spaces and parentheses: fields start after the last ')' */
  char *p = strrchr (buf, ')');
  if (p == NULL)
    return -EINVAL;
  p++;
  /* after ')' come field 3 (state) .. field 22 (starttime) */
  char state = 0;
  for (int field = 3; field <= 22; field++)
    {
      while (*p == ' ')
        p++;
      if (*p == '\0')
        return -EINVAL;
      if (field == 3)
        state = *p;
      if (field == 22)
        {
          *out = strtoull (p, NULL, 10);
          /* a zombie has exited: for the state machine it is stopped */
          return state == 'Z' || state == 'X' ? -ESRCH : 0;
        }
      while (*p && *p != ' ')
        p++;
    }
  return -EINVAL;
}

void
hk_state_refresh (struct husk_state *state)
{
  if (state->status == HUSK_STATUS_STOPPED)
    {
      state->pid = 0;
      return;
    }
  if (state->pid <= 0)
    {
      if (state->status != HUSK_STATUS_CREATING)
        state->status = HUSK_STATUS_STOPPED;
      return;
    }
  /* a pid is ours only with the start time recorded at create: without
   * one (a forged or damaged state.json) it may name any host process */
  unsigned long long start;
  if (state->pid_start_time == 0 || hk_proc_start_time (state->pid, &start) < 0
      || start != state->pid_start_time)
    {
      state->status = HUSK_STATUS_STOPPED;
      state->pid = 0;
    }
}

int
hk_state_pidfd (const struct husk_state *state)
{
  if (state->pid <= 0 || state->pid_start_time == 0)
    return -ESRCH;
  int fd = hk_sys_pidfd_open (state->pid, 0);
  if (fd < 0)
    return errno == ENOSYS || errno == EINVAL ? -errno : -ESRCH;
  /* the pidfd pins the process: if the start time still matches now, the
   * pidfd is the init's and cannot be recycled to another process */
  unsigned long long start;
  if (hk_proc_start_time (state->pid, &start) < 0 || start != state->pid_start_time)
    {
      close (fd);
      return -ESRCH;
    }
  return fd;
}

void
husk_state_free (struct husk_state *state)
{
  if (state == NULL)
    return;
  free (state->oci_version);
  free (state->id);
  free (state->bundle);
  free (state->rootfs);
  free (state->created);
  free (state->cgroup);
  for (size_t i = 0; i < state->annotations_len; i++)
    {
      free (state->annotations[i].key);
      free (state->annotations[i].value);
    }
  free (state->annotations);
  free (state);
}

int
husk_state_to_json (const struct husk_state *state, bool internal, const char *owner_name,
                    const char *indent, char **out, size_t *len, struct husk_error *err)
{
  _cleanup_gen_ yajl_gen g = hk_json_gen (indent);
  if (g == NULL)
    return husk_error_set (err, ENOMEM, "state JSON");
  yajl_gen_map_open (g);
  hk_json_kstr (g, "ociVersion", state->oci_version);
  hk_json_kstr (g, "id", state->id);
  hk_json_kint (g, "pid", state->pid);
  hk_json_kstr (g, "status", husk_status_name (state->status));
  hk_json_kstr (g, "bundle", state->bundle);
  hk_json_kstr (g, "rootfs", state->rootfs);
  hk_json_kstr (g, "created", state->created);
  if (state->annotations_len > 0)
    {
      hk_json_key (g, "annotations");
      yajl_gen_map_open (g);
      for (size_t i = 0; i < state->annotations_len; i++)
        hk_json_kstr (g, state->annotations[i].key, state->annotations[i].value);
      yajl_gen_map_close (g);
    }
  if (internal)
    {
      hk_json_kint (g, "ownerUid", state->owner);
      hk_json_kint (g, "pidStartTime", (long long) state->pid_start_time);
      if (state->cgroup)
        hk_json_kstr (g, "cgroup", state->cgroup);
    }
  else
    hk_json_kstr (g, "owner", owner_name ? owner_name : "");
  yajl_gen_map_close (g);
  return hk_json_finish (g, indent != NULL, out, len, err);
}

static int
dup_field (yajl_val root, const char *key, bool required, char **out, struct husk_error *err)
{
  const char *s = hk_json_get_str (root, key);
  if (s == NULL)
    {
      /* absent is fine when optional; anything but a string is not */
      if (required || hk_json_has (root, key))
        return husk_error_setx (err, EINVAL, "state.json: \"%s\": missing or not a string", key);
      return 0;
    }
  return hk_strdup (s, out, err);
}

/* An integer field from min to max; 0 when absent. A value of another
 * type, a fraction or out of range is an error naming the field. */
static int
get_int (yajl_val root, const char *key, long long min, long long max, long long *out,
         struct husk_error *err)
{
  *out = 0;
  if (!hk_json_has (root, key))
    return 0;
  yajl_val v = hk_json_get (root, key, yajl_t_number);
  if (v == NULL || !YAJL_IS_INTEGER (v) || YAJL_GET_INTEGER (v) < min || YAJL_GET_INTEGER (v) > max)
    return husk_error_setx (err, EINVAL, "state.json: \"%s\": not an integer from %lld to %lld",
                            key, min, max);
  *out = YAJL_GET_INTEGER (v);
  return 0;
}

int
husk_state_from_json (const char *data, size_t len, struct husk_state **out, struct husk_error *err)
{
  _cleanup_tree_ yajl_val root = NULL;
  int pret = hk_json_parse (data, len, "state.json", &root, err);
  if (pret < 0)
    return pret;
  if (!YAJL_IS_OBJECT (root))
    return husk_error_setx (err, EINVAL, "state.json: not a JSON object");
  struct husk_state *st = calloc (1, sizeof *st);
  if (st == NULL)
    return husk_error_set (err, ENOMEM, "state.json");
  int ret;
  if ((ret = dup_field (root, "ociVersion", true, &st->oci_version, err)) < 0
      || (ret = dup_field (root, "id", true, &st->id, err)) < 0
      || (ret = dup_field (root, "bundle", true, &st->bundle, err)) < 0
      || (ret = dup_field (root, "rootfs", false, &st->rootfs, err)) < 0
      || (ret = dup_field (root, "created", false, &st->created, err)) < 0)
    goto fail;
  if (husk_status_parse (hk_json_get_str (root, "status"), &st->status) < 0)
    {
      ret = husk_error_setx (err, EINVAL, "state.json: \"status\": unknown value");
      goto fail;
    }
  long long pid, start, owner;
  if ((ret = get_int (root, "pid", 0, HUSK_PID_MAX, &pid, err)) < 0
      || (ret = get_int (root, "pidStartTime", 0, LLONG_MAX, &start, err)) < 0
      || (ret = get_int (root, "ownerUid", 0, HUSK_UGID_MAX, &owner, err)) < 0)
    goto fail;
  st->pid = (pid_t) pid;
  st->pid_start_time = (unsigned long long) start;
  if ((ret = dup_field (root, "cgroup", false, &st->cgroup, err)) < 0)
    goto fail;
  st->owner = (uid_t) owner;
  yajl_val ann = hk_json_get (root, "annotations", yajl_t_object);
  if (ann == NULL && hk_json_has (root, "annotations"))
    {
      ret = husk_error_setx (err, EINVAL, "state.json: \"annotations\": not an object");
      goto fail;
    }
  if (ann && ann->u.object.len > 0)
    {
      st->annotations = calloc (ann->u.object.len, sizeof *st->annotations);
      if (st->annotations == NULL)
        {
          ret = husk_error_set (err, ENOMEM, "state.json");
          goto fail;
        }
      for (size_t i = 0; i < ann->u.object.len; i++)
        {
          const char *v = YAJL_GET_STRING (ann->u.object.values[i]);
          if (v == NULL)
            {
              ret = husk_error_setx (err, EINVAL, "state.json: annotations[\"%s\"]: not a string",
                                     ann->u.object.keys[i]);
              goto fail;
            }
          st->annotations[st->annotations_len].key = strdup (ann->u.object.keys[i]);
          st->annotations[st->annotations_len].value = strdup (v ? v : "");
          st->annotations_len++;
          if (!st->annotations[i].key || !st->annotations[i].value)
            {
              ret = husk_error_set (err, ENOMEM, "state.json");
              goto fail;
            }
        }
    }
  *out = st;
  return 0;
fail:
  husk_state_free (st);
  return ret;
}

int
hk_state_write (int dirfd, const struct husk_state *state, struct husk_error *err)
{
  _cleanup_free_ char *json = NULL;
  size_t len;
  int ret = husk_state_to_json (state, true, NULL, NULL, &json, &len, err);
  if (ret < 0)
    return ret;
  return hk_write_file_atomic (dirfd, state->id, HUSK_STATE_FILE, json, len, 0600, err);
}

int
hk_state_read (int dirfd, const char *id, struct husk_state **out, struct husk_error *err)
{
  _cleanup_close_ int fd = openat (dirfd, HUSK_STATE_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      if (errno == ENOENT)
        return husk_error_setx (err, ENOENT, "container \"%s\" does not exist", id);
      return husk_error_set (err, errno, "open state of \"%s\"", id);
    }
  _cleanup_free_ char *data = NULL;
  size_t len;
  int ret = hk_read_fd (fd, HUSK_STATE_FILE, STATE_MAX_SIZE, &data, &len, err);
  if (ret < 0)
    return ret;
  ret = husk_state_from_json (data, len, out, err);
  if (ret < 0)
    return husk_error_prefix (err, "container \"%s\"", id);
  hk_state_refresh (*out);
  /* a start that died after the init opened its fifo (the process runs)
   * but before it wrote "running": the fifo's absence says it started */
  if ((*out)->status == HUSK_STATUS_CREATED
      && faccessat (dirfd, EXEC_FIFO, F_OK, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT)
    (*out)->status = HUSK_STATUS_RUNNING;
  return 0;
}

int
husk_state_load (const struct husk_store *store, const char *id, struct husk_state **out,
                 struct husk_error *err)
{
  _cleanup_close_ int fd = -1;
  int ret = hk_container_dir_open (store, id, &fd, err);
  if (ret < 0)
    return ret;
  return hk_state_read (fd, id, out, err);
}
