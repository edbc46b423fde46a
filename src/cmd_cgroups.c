/* SPDX-License-Identifier: Apache-2.0 */
/* pause, resume, update, events, ps: the cgroup commands, with runc's flags
 * and output. */
#include "config.h"
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "husk/cgroups.h"

static int
one_id (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv,
        struct husk_store *store, struct husk_error *err, const char **id)
{
  int c, code;
  while ((c = cli_getopt (cli, cmd, argc, argv, "", NULL, &code)) != -1)
    if (c == -2)
      return code;
  if (cli_want_args (cli, cmd, argc - optind, 1, 1))
    return 1;
  *id = argv[optind];
  if (cli->parse_only)
    return 0;
  if (husk_id_validate (*id, err) < 0 || cli_open_store (cli, store, false, err) < 0)
    return cli_fail (cli, err);
  return -1;
}

static int
freeze_cmd (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv, bool pause)
{
  struct husk_error err = { 0 };
  struct husk_store store;
  const char *id = NULL;
  int r = one_id (cli, cmd, argc, argv, &store, &err, &id);
  if (r >= 0)
    return r;
  int ret = pause ? husk_container_pause (&store, id, &err)
                  : husk_container_resume (&store, id, &err);
  husk_store_close (&store);
  return ret < 0 ? cli_fail (cli, &err) : 0;
}

int
cmd_pause (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  return freeze_cmd (cli, cmd, argc, argv, true);
}

int
cmd_resume (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  return freeze_cmd (cli, cmd, argc, argv, false);
}

/* ------------------------------------------------------------ update */

/* Bytes as runc's flags take them: "-1", "1024", "512k", "64m", "1g", "1GB". */
static int
parse_bytes (const char *s, int64_t *out)
{
  if (strcmp (s, "-1") == 0)
    {
      *out = -1;
      return 0;
    }
  char *e;
  errno = 0;
  if (!isdigit ((unsigned char) s[0]))
    return -EINVAL;
  double v = strtod (s, &e);
  if (errno || e == s)
    return -EINVAL;
  while (*e == ' ')
    e++;
  double mul = 1;
  const char *u = "kmgtp";
  const char *k = *e ? strchr (u, tolower ((unsigned char) *e)) : NULL;
  if (k)
    {
      for (const char *i = u; i <= k; i++)
        mul *= 1024;
      e++;
      if (*e == 'i' || *e == 'I')
        e++;
    }
  if (*e == 'b' || *e == 'B')
    e++;
  if (*e || v * mul > 9.2e18)
    return -EINVAL;
  *out = (int64_t) (v * mul);
  return 0;
}

static int
parse_i64 (const char *s, int64_t *out)
{
  char *e;
  errno = 0;
  long long v = strtoll (s, &e, 10);
  if (errno || e == s || *e)
    return -EINVAL;
  *out = v;
  return 0;
}

static int
parse_u64 (const char *s, uint64_t *out)
{
  char *e;
  errno = 0;
  if (s[0] == '-')
    return -EINVAL;
  unsigned long long v = strtoull (s, &e, 10);
  if (errno || e == s || *e)
    return -EINVAL;
  *out = v;
  return 0;
}

static bool
cpu_list_ok (const char *s)
{
  for (; *s; s++)
    if (!isdigit ((unsigned char) *s) && *s != ',' && *s != '-')
      return false;
  return true;
}

static int
read_all (FILE *f, char **out)
{
  size_t cap = 4096, len = 0;
  char *b = malloc (cap);
  if (b == NULL)
    return -ENOMEM;
  size_t n;
  while ((n = fread (b + len, 1, cap - len - 1, f)) > 0)
    {
      len += n;
      if (cap - len < 2)
        {
          char *nb = cap > (16 << 20) ? NULL : realloc (b, cap * 2);
          if (nb == NULL)
            {
              free (b);
              return -EFBIG;
            }
          b = nb;
          cap *= 2;
        }
    }
  if (ferror (f))
    {
      free (b);
      return -EIO;
    }
  b[len] = '\0';
  /* the JSON goes on as a C string: a NUL byte would cut it short */
  if (memchr (b, '\0', len))
    {
      free (b);
      return -EILSEQ;
    }
  *out = b;
  return 0;
}

enum
{
  U_RESOURCES = 'r',
  U_MEMORY = 256,
  U_MEMSWAP,
  U_MEMRES,
  U_KMEM,
  U_KMEMTCP,
  U_SHARES,
  U_QUOTA,
  U_PERIOD,
  U_BURST,
  U_RTPERIOD,
  U_RTRUNTIME,
  U_CPUS,
  U_MEMS,
  U_PIDS,
  U_BLKIO,
  U_IDLE,
  U_L3,
  U_MBW,
};

/* One section of the JSON built from flags: "memory":{"limit":1,...}. */
struct section
{
  char buf[1024];
  size_t len;
};

static void add (struct section *s, const char *key, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
static void
add (struct section *s, const char *key, const char *fmt, ...)
{
  va_list ap;
  /* a section that is full stays cut where it was: never past the buffer */
  if (s->len + 1 >= sizeof s->buf)
    return;
  int n = snprintf (s->buf + s->len, sizeof s->buf - s->len, "%s\"%s\":", s->len ? "," : "", key);
  if (n >= 0)
    s->len += (size_t) n;
  if (s->len + 1 >= sizeof s->buf)
    {
      s->len = sizeof s->buf - 1;
      return;
    }
  va_start (ap, fmt);
  n = vsnprintf (s->buf + s->len, sizeof s->buf - s->len, fmt, ap);
  va_end (ap);
  if (n >= 0)
    s->len += (size_t) n;
  if (s->len >= sizeof s->buf)
    s->len = sizeof s->buf - 1;
}

int
cmd_update (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  static const struct option opts[] = {
    { "resources", required_argument, NULL, U_RESOURCES },
    { "memory", required_argument, NULL, U_MEMORY },
    { "memory-swap", required_argument, NULL, U_MEMSWAP },
    { "memory-reservation", required_argument, NULL, U_MEMRES },
    { "kernel-memory", required_argument, NULL, U_KMEM },
    { "kernel-memory-tcp", required_argument, NULL, U_KMEMTCP },
    { "cpu-shares", required_argument, NULL, U_SHARES },
    { "cpu-share", required_argument, NULL, U_SHARES },
    { "cpu-quota", required_argument, NULL, U_QUOTA },
    { "cpu-period", required_argument, NULL, U_PERIOD },
    { "cpu-burst", required_argument, NULL, U_BURST },
    { "cpu-rt-period", required_argument, NULL, U_RTPERIOD },
    { "cpu-rt-runtime", required_argument, NULL, U_RTRUNTIME },
    { "cpu-idle", required_argument, NULL, U_IDLE },
    { "cpuset-cpus", required_argument, NULL, U_CPUS },
    { "cpuset-mems", required_argument, NULL, U_MEMS },
    { "pids-limit", required_argument, NULL, U_PIDS },
    { "blkio-weight", required_argument, NULL, U_BLKIO },
    { "l3-cache-schema", required_argument, NULL, U_L3 },
    { "mem-bw-schema", required_argument, NULL, U_MBW },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct section mem = { .len = 0 }, cpu = { .len = 0 }, pids = { .len = 0 }, blk = { .len = 0 };
  const char *resources = NULL;
  bool any = false;
  int c, code;
  while ((c = cli_getopt (cli, cmd, argc, argv, "r:", opts, &code)) != -1)
    {
      if (c == -2)
        return code;
      int64_t i;
      uint64_t u;
      char flag[40] = "";
      for (const struct option *op = opts; op->name; op++)
        if (op->val == c)
          {
            snprintf (flag, sizeof flag, "--%s", op->name);
            break;
          }
      any = true;
      switch (c)
        {
        case U_RESOURCES:
          resources = optarg;
          break;
        case U_MEMORY:
        case U_MEMSWAP:
        case U_MEMRES:
        case U_KMEM:
        case U_KMEMTCP:
          if (parse_bytes (optarg, &i) < 0)
            return cli_failf (cli, "update: %s \"%s\": not a size in bytes", flag, optarg);
          add (&mem,
               c == U_MEMORY    ? "limit"
               : c == U_MEMSWAP ? "swap"
               : c == U_MEMRES  ? "reservation"
               : c == U_KMEM    ? "kernel"
                                : "kernelTCP",
               "%" PRId64, i);
          break;
        case U_SHARES:
        case U_PERIOD:
        case U_BURST:
        case U_RTPERIOD:
          if (parse_u64 (optarg, &u) < 0)
            return cli_failf (cli, "update: %s \"%s\": not a number", flag, optarg);
          add (&cpu,
               c == U_SHARES   ? "shares"
               : c == U_PERIOD ? "period"
               : c == U_BURST  ? "burst"
                               : "realtimePeriod",
               "%" PRIu64, u);
          break;
        case U_QUOTA:
        case U_RTRUNTIME:
        case U_IDLE:
          if (parse_i64 (optarg, &i) < 0)
            return cli_failf (cli, "update: %s \"%s\": not a number", flag, optarg);
          add (&cpu,
               c == U_QUOTA  ? "quota"
               : c == U_IDLE ? "idle"
                             : "realtimeRuntime",
               "%" PRId64, i);
          break;
        case U_CPUS:
        case U_MEMS:
          if (!cpu_list_ok (optarg))
            return cli_failf (cli, "update: %s \"%s\": not a list like 0-3,7", flag, optarg);
          add (&cpu, c == U_CPUS ? "cpus" : "mems", "\"%s\"", optarg);
          break;
        case U_PIDS:
          if (parse_i64 (optarg, &i) < 0)
            return cli_failf (cli, "update: %s \"%s\": not a number", flag, optarg);
          add (&pids, "limit", "%" PRId64, i);
          break;
        case U_BLKIO:
          if (parse_u64 (optarg, &u) < 0 || u > 1000)
            return cli_failf (cli, "update: %s \"%s\": not a weight (10-1000)", flag, optarg);
          add (&blk, "weight", "%" PRIu64, u);
          break;
        case U_L3:
        case U_MBW:
          return cli_failf (cli, "update: %s: Intel RDT is not supported by husk", flag);
        }
    }
  if (cli_want_args (cli, cmd, argc - optind, 1, 1))
    return 1;
  const char *id = argv[optind];
  if (!any)
    return cli_usage_error (cli, cmd,
                            "update: nothing to update: give --resources or a resource flag");
  if (cli->parse_only)
    return 0;
  char *json = NULL;
  if (resources)
    {
      /* as runc: with --resources the single flags are ignored */
      FILE *f = strcmp (resources, "-") == 0 ? stdin : fopen (resources, "re");
      if (f == NULL)
        return cli_failf (cli, "update: --resources \"%s\": %s", resources, strerror (errno));
      int r = read_all (f, &json);
      if (f != stdin)
        fclose (f);
      if (r < 0)
        return cli_failf (cli, "update: --resources \"%s\": %s", resources,
                          r == -EILSEQ ? "NUL character in the JSON" : strerror (-r));
    }
  else
    {
      /* only the sections the flags fill */
      struct section *secs[] = { &mem, &cpu, &pids, &blk };
      static const char *const names[] = { "memory", "cpu", "pids", "blockIO" };
      struct section all = { .len = 0 };
      for (size_t i = 0; i < 4; i++)
        if (secs[i]->len)
          add (&all, names[i], "{%s}", secs[i]->buf);
      if (asprintf (&json, "{%s}", all.buf) < 0)
        return cli_failf (cli, "update: %s", strerror (ENOMEM));
    }
  struct husk_error err = { 0 };
  struct husk_store store;
  int ret = -1;
  if (husk_id_validate (id, &err) == 0 && cli_open_store (cli, &store, false, &err) == 0)
    {
      ret = husk_container_update (&store, id, json, &cli->log, &err);
      husk_store_close (&store);
    }
  free (json);
  return ret < 0 ? cli_fail (cli, &err) : 0;
}

/* ------------------------------------------------------------ events */

/* A Go duration as runc takes it: "5s", "500ms", "1m30s", "1h". */
static int
parse_duration_ms (const char *s, unsigned *out)
{
  double total = 0;
  const char *p = s;
  if (*p == '\0')
    return -EINVAL;
  while (*p)
    {
      char *e;
      double v = strtod (p, &e);
      if (e == p || v < 0)
        return -EINVAL;
      p = e;
      double mul;
      if (strncmp (p, "ns", 2) == 0)
        {
          mul = 1e-6;
          p += 2;
        }
      else if (strncmp (p, "us", 2) == 0)
        {
          mul = 1e-3;
          p += 2;
        }
      else if (strncmp (p, "ms", 2) == 0)
        {
          mul = 1;
          p += 2;
        }
      else if (*p == 's')
        {
          mul = 1000;
          p++;
        }
      else if (*p == 'm')
        {
          mul = 60000;
          p++;
        }
      else if (*p == 'h')
        {
          mul = 3600000;
          p++;
        }
      else
        return -EINVAL;
      total += v * mul;
    }
  if (total < 1 || total > 86400000.0 * 24)
    return -EINVAL;
  *out = (unsigned) total;
  return 0;
}

static int
print_line (const char *line, void *data)
{
  (void) data;
  if (printf ("%s\n", line) < 0 || fflush (stdout) != 0)
    return 1;
  return 0;
}

int
cmd_events (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  enum
  {
    E_INTERVAL = 256,
    E_STATS
  };
  static const struct option opts[] = {
    { "interval", required_argument, NULL, E_INTERVAL },
    { "stats", no_argument, NULL, E_STATS },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  unsigned interval = 5000;
  bool stats = false;
  int c, code;
  while ((c = cli_getopt (cli, cmd, argc, argv, "", opts, &code)) != -1)
    {
      if (c == -2)
        return code;
      if (c == E_STATS)
        stats = true;
      else if (c == E_INTERVAL && parse_duration_ms (optarg, &interval) < 0)
        return cli_failf (cli, "events: --interval \"%s\": not a duration like 5s or 500ms",
                          optarg);
    }
  if (cli_want_args (cli, cmd, argc - optind, 1, 1))
    return 1;
  const char *id = argv[optind];
  if (cli->parse_only)
    return 0;
  struct husk_error err = { 0 };
  struct husk_store store;
  if (husk_id_validate (id, &err) < 0 || cli_open_store (cli, &store, false, &err) < 0)
    return cli_fail (cli, &err);
  int ret;
  if (stats)
    {
      char *line = NULL;
      ret = husk_container_stats (&store, id, &line, &err);
      if (ret == 0)
        print_line (line, NULL);
      free (line);
    }
  else
    ret = husk_container_events (&store, id, interval, print_line, NULL, &err);
  husk_store_close (&store);
  return ret < 0 ? cli_fail (cli, &err) : 0;
}

/* ------------------------------------------------------------ ps */

static bool
has_pid (const pid_t *pids, size_t n, long p)
{
  for (size_t i = 0; i < n; i++)
    if (pids[i] == p)
      return true;
  return false;
}

/* Run ps with args and keep the header and the container's lines. */
static int
ps_table (struct husk_cli *cli, char **args, int nargs, const pid_t *pids, size_t n)
{
  int fds[2];
  if (pipe (fds) < 0)
    return cli_failf (cli, "ps: pipe: %s", strerror (errno));
  char **av = calloc ((size_t) nargs + 3, sizeof *av);
  if (av == NULL)
    return cli_failf (cli, "ps: %s", strerror (ENOMEM));
  av[0] = (char *) "ps";
  if (nargs == 0)
    av[1] = (char *) "-ef";
  for (int i = 0; i < nargs; i++)
    av[1 + i] = args[i];
  fflush (NULL);
  pid_t child = fork ();
  if (child == 0)
    {
      dup2 (fds[1], 1);
      close (fds[0]);
      close (fds[1]);
      execvp ("ps", av);
      fprintf (stderr, "husk: ps: exec ps: %s\n", strerror (errno));
      _exit (127);
    }
  free (av);
  close (fds[1]);
  if (child < 0)
    {
      close (fds[0]);
      return cli_failf (cli, "ps: fork: %s", strerror (errno));
    }
  FILE *f = fdopen (fds[0], "r");
  char *line = NULL;
  size_t cap = 0;
  int pidcol = -1, rc = 0;
  bool header = true;
  while (f && getline (&line, &cap, f) > 0)
    {
      if (header)
        {
          /* the PID column of the header */
          int col = 0;
          char *save = NULL, *copy = strdup (line);
          for (char *t = copy ? strtok_r (copy, " \t\n", &save) : NULL; t;
               t = strtok_r (NULL, " \t\n", &save), col++)
            if (strcmp (t, "PID") == 0)
              {
                pidcol = col;
                break;
              }
          free (copy);
          header = false;
          if (pidcol < 0)
            {
              rc = cli_failf (cli, "ps: couldn't find PID field in ps output");
              break;
            }
          fputs (line, stdout);
          continue;
        }
      int col = 0;
      const char *p = line;
      while (col < pidcol)
        {
          while (*p == ' ' || *p == '\t')
            p++;
          while (*p && *p != ' ' && *p != '\t')
            p++;
          col++;
        }
      char *e;
      long v = strtol (p, &e, 10);
      if (e != p && has_pid (pids, n, v))
        fputs (line, stdout);
    }
  free (line);
  if (f)
    fclose (f);
  else
    close (fds[0]);
  int status;
  waitpid (child, &status, 0);
  if (rc == 0 && (!WIFEXITED (status) || WEXITSTATUS (status) != 0))
    rc = cli_failf (cli, "ps: ps exited with status %d",
                    WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
  return rc;
}

int
cmd_ps (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  static const struct option opts[] = {
    { "format", required_argument, NULL, 'f' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *format = "table";
  int c, code;
  while ((c = cli_getopt (cli, cmd, argc, argv, "+f:", opts, &code)) != -1)
    {
      if (c == -2)
        return code;
      if (c == 'f')
        format = optarg;
    }
  if (strcmp (format, "table") != 0 && strcmp (format, "json") != 0)
    return cli_failf (cli, "ps: invalid format option \"%s\": table or json", format);
  if (cli_want_args (cli, cmd, argc - optind, 1, -1))
    return 1;
  const char *id = argv[optind];
  if (cli->parse_only)
    return 0;
  struct husk_error err = { 0 };
  struct husk_store store;
  if (husk_id_validate (id, &err) < 0 || cli_open_store (cli, &store, false, &err) < 0)
    return cli_fail (cli, &err);
  pid_t *pids = NULL;
  size_t n = 0;
  int ret = husk_container_pids (&store, id, &pids, &n, &err);
  husk_store_close (&store);
  if (ret < 0)
    return cli_fail (cli, &err);
  int rc = 0;
  if (strcmp (format, "json") == 0)
    {
      if (argc - optind > 1)
        rc = cli_failf (cli, "ps: ps arguments cannot be used with --format json");
      else
        {
          printf ("[");
          for (size_t i = 0; i < n; i++)
            printf ("%s%d", i ? "," : "", (int) pids[i]);
          printf ("]\n");
        }
    }
  else
    {
      /* "--" separates ps's own arguments, as for runc */
      int first = optind + 1;
      if (first < argc && strcmp (argv[first], "--") == 0)
        first++;
      rc = ps_table (cli, argv + first, argc - first, pids, n);
    }
  free (pids);
  return rc;
}
