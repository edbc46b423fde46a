/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "husk/container.h"

struct create_flags
{
  const char *bundle;
  const char *console_socket;
  const char *pid_file;
  bool no_pivot;
  bool no_new_keyring;
  unsigned preserve_fds;
  bool detach;        /* run only */
  bool keep;          /* run only */
  bool no_subreaper;  /* run only */
  const char *config; /* --config FILE (crun): instead of BUNDLE/config.json */
};

/* The whole of a config file, at most HUSK_SPEC_MAX_SIZE bytes. */
static int
read_config (const char *path, char **out, size_t *len)
{
  FILE *f = fopen (path, "re");
  if (f == NULL)
    return -errno;
  char *buf = malloc (HUSK_SPEC_MAX_SIZE + 1);
  size_t n = buf ? fread (buf, 1, HUSK_SPEC_MAX_SIZE + 1, f) : 0;
  int e = buf == NULL ? ENOMEM : ferror (f) ? EIO : n > HUSK_SPEC_MAX_SIZE ? EFBIG : 0;
  fclose (f);
  if (e)
    {
      free (buf);
      return -e;
    }
  *out = buf;
  *len = n;
  return 0;
}

static int
parse_uint (const char *s, unsigned *out)
{
  char *end;
  errno = 0;
  unsigned long v = strtoul (s, &end, 10);
  if (errno || end == s || *end || s[0] == '-' || v > INT_MAX)
    return -EINVAL;
  *out = (unsigned) v;
  return 0;
}

/* create and run: the same flags (run adds --detach, --keep, --no-subreaper). */
int
cmd_create (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  enum
  {
    OPT_CONSOLE = 256,
    OPT_PIDFILE,
    OPT_NOPIVOT,
    OPT_NOKEYRING,
    OPT_PRESERVE,
    OPT_KEEP,
    OPT_NOSUBREAPER,
    OPT_CONFIG
  };
  static const struct option create_opts[] = {
    { "bundle", required_argument, NULL, 'b' },
    { "console-socket", required_argument, NULL, OPT_CONSOLE },
    { "pid-file", required_argument, NULL, OPT_PIDFILE },
    { "no-pivot", no_argument, NULL, OPT_NOPIVOT },
    { "no-new-keyring", no_argument, NULL, OPT_NOKEYRING },
    { "preserve-fds", required_argument, NULL, OPT_PRESERVE },
    { "config", required_argument, NULL, OPT_CONFIG },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  static const struct option run_opts[] = {
    { "bundle", required_argument, NULL, 'b' },
    { "console-socket", required_argument, NULL, OPT_CONSOLE },
    { "pid-file", required_argument, NULL, OPT_PIDFILE },
    { "no-pivot", no_argument, NULL, OPT_NOPIVOT },
    { "no-new-keyring", no_argument, NULL, OPT_NOKEYRING },
    { "preserve-fds", required_argument, NULL, OPT_PRESERVE },
    { "detach", no_argument, NULL, 'd' },
    { "keep", no_argument, NULL, OPT_KEEP },
    { "no-subreaper", no_argument, NULL, OPT_NOSUBREAPER },
    { "config", required_argument, NULL, OPT_CONFIG },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  bool is_run = strcmp (cmd->name, "run") == 0;
  struct create_flags fl = { .bundle = "." };
  int c, code;
  while ((c = cli_getopt (cli, cmd, argc, argv,
                          is_run ? "b:d" : "b:", is_run ? run_opts : create_opts, &code))
         != -1)
    {
      switch (c)
        {
        case -2:
          return code;
        case 'b':
          fl.bundle = optarg;
          break;
        case OPT_CONSOLE:
          fl.console_socket = optarg;
          break;
        case OPT_PIDFILE:
          fl.pid_file = optarg;
          break;
        case OPT_NOPIVOT:
          fl.no_pivot = true;
          break;
        case OPT_NOKEYRING:
          fl.no_new_keyring = true;
          break;
        case OPT_PRESERVE:
          if (parse_uint (optarg, &fl.preserve_fds) < 0)
            return cli_usage_error (cli, cmd,
                                    "%s: --preserve-fds: not a non-negative number: \"%s\"",
                                    cmd->name, optarg);
          break;
        case 'd':
          fl.detach = true;
          break;
        case OPT_KEEP:
          fl.keep = true;
          break;
        case OPT_NOSUBREAPER:
          fl.no_subreaper = true;
          break;
        case OPT_CONFIG:
          fl.config = optarg;
          break;
        default:
          break;
        }
    }
  if (cli_want_args (cli, cmd, argc - optind, 1, 1))
    return 1;
  const char *id = argv[optind];

  struct husk_error err = { 0 };
  if (husk_id_validate (id, &err) < 0)
    return cli_fail (cli, &err);
  if (fl.console_socket && fl.console_socket[0] == '\0')
    return cli_failf (cli, "%s: --console-socket: must not be empty", cmd->name);
  if (fl.pid_file && fl.pid_file[0] == '\0')
    return cli_failf (cli, "%s: --pid-file: must not be empty", cmd->name);
  if (fl.config && fl.config[0] == '\0')
    return cli_failf (cli, "%s: --config: must not be empty", cmd->name);
  if (cli->parse_only)
    return 0;

  char *config = NULL;
  size_t config_len = 0;
  int r;
  if (fl.config && (r = read_config (fl.config, &config, &config_len)) < 0)
    return cli_failf (cli, "%s: --config \"%s\": %s", cmd->name, fl.config, strerror (-r));
  struct husk_store store;
  if (cli_open_store (cli, &store, true, &err) < 0)
    {
      free (config);
      return cli_fail (cli, &err);
    }
  struct husk_run_opts ro = {
    .create = {
      .id = id, .bundle = fl.bundle, .console_socket = fl.console_socket,
      .pid_file = fl.pid_file, .no_pivot = fl.no_pivot, .no_new_keyring = fl.no_new_keyring,
      .preserve_fds = fl.preserve_fds, .log = &cli->log,
      .systemd_cgroup = cli->systemd_cgroup, .cgroups_disabled = cli->cgroups_disabled,
      .config_json = config, .config_len = config_len,
      .rootless = cli_rootless (cli),
    },
    .detach = fl.detach, .keep = fl.keep, .no_subreaper = fl.no_subreaper,
  };
  int ret, status = 0;
  if (is_run)
    ret = husk_container_run (&store, &ro, &status, &err);
  else
    {
      struct husk_created created;
      ret = husk_container_create (&store, &ro.create, false, &created, &err);
    }
  husk_store_close (&store);
  free (config);
  if (ret < 0)
    return cli_fail (cli, &err);
  return status;
}
