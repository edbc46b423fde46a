/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define CREATE_OPTIONS \
  "  -b, --bundle DIR          bundle directory (default: the current directory)\n" \
  "      --console-socket PATH unix socket that receives the pty master of a terminal process\n" \
  "      --pid-file FILE       write the container init's pid to FILE\n" \
  "      --no-pivot            use MS_MOVE and chroot instead of pivot_root (ramfs hosts)\n" \
  "      --no-new-keyring      keep the caller's session keyring\n" \
  "      --preserve-fds N      pass N more file descriptors (3 .. 3+N-1) to the container\n" \
  "      --config FILE         the config to use instead of BUNDLE/config.json (crun's)\n"

const struct husk_command husk_commands[] = {
  { "checkpoint", "checkpoint a running container (needs CRIU)", "[OPTIONS] ID", NULL,
    cmd_pending },
  { "create", "create a container from a bundle", "[OPTIONS] ID", CREATE_OPTIONS, cmd_create },
  { "delete", "delete a container and everything it holds", "[--force] ID",
    "  -f, --force               kill a running container with SIGKILL first\n", cmd_delete },
  { "events", "show a container's events and resource statistics", "[--stats] [--interval D] ID",
    "      --interval D          time between statistics (default 5s)\n"
    "      --stats               print statistics once and exit\n",
    cmd_events },
  { "exec", "run another process in a running container", "[OPTIONS] ID COMMAND [ARGS...]",
    "  -p, --process FILE        the process to run, as config.json's \"process\"\n"
    "      --cwd DIR             working directory in the container\n"
    "  -e, --env KEY=VALUE       set an environment variable (repeatable)\n"
    "  -u, --user UID[:GID]      run as this user\n"
    "  -g, --additional-gids G   additional group ids (repeatable, or comma-separated)\n"
    "  -t, --tty                 allocate a pseudo-terminal\n"
    "      --console-socket PATH unix socket that receives the pty master\n"
    "  -d, --detach              do not wait for the process\n"
    "      --pid-file FILE       write the process's host pid to FILE\n"
    "      --process-label L     SELinux label of the process\n"
    "      --apparmor P          AppArmor profile of the process\n"
    "      --no-new-privs        set no_new_privs\n"
    "  -c, --cap CAP             add a capability (repeatable)\n"
    "      --preserve-fds N      pass N more file descriptors (3 .. 3+N-1)\n"
    "      --cgroup PATH         run in a sub-cgroup (or CONTROLLER:PATH)\n"
    "      --ignore-paused       exec even into a paused container\n",
    cmd_exec },
  { "features", "show the features this husk implements (JSON)", "", NULL, cmd_features },
  { "kill", "send a signal to a container's init (default SIGTERM)", "[--all] ID [SIGNAL]",
    "  -a, --all                 signal every process of the container\n", cmd_kill },
  { "list", "list the containers of the state root", "[--format table|json] [--quiet]",
    "  -f, --format FMT          table (default) or json\n"
    "  -q, --quiet               print the ids only\n",
    cmd_list },
  { "pause", "freeze every process of a container", "ID", NULL, cmd_pause },
  { "ps", "show the processes of a container", "[--format table|json] ID [PS_ARGS...]",
    "  -f, --format FMT          table (default) or json\n", cmd_ps },
  { "restore", "restore a container from a checkpoint (needs CRIU)", "[OPTIONS] ID", NULL,
    cmd_pending },
  { "resume", "thaw a paused container", "ID", NULL, cmd_resume },
  { "run", "create and start a container", "[OPTIONS] ID",
    CREATE_OPTIONS
    "  -d, --detach              do not wait for the container's process\n"
    "      --keep                do not delete the container when it exits\n"
    "      --no-subreaper        do not become a subreaper of the container's orphans\n",
    cmd_create },
  { "spec", "write a default config.json", "[--bundle DIR] [--rootless]",
    "  -b, --bundle DIR          write DIR/config.json (default: the current directory)\n"
    "      --rootless            a config for a container run by an unprivileged user\n",
    cmd_spec },
  { "start", "start the process of a created container", "ID", NULL, cmd_start },
  { "state", "print the state of a container (JSON)", "ID", NULL, cmd_state },
  { "update", "change a container's resource limits", "[OPTIONS] ID",
    "  -r, --resources FILE      the linux.resources JSON to apply (\"-\": standard input);\n"
    "                            the flags below are then ignored\n"
    "      --memory N            memory limit in bytes (k, m, g suffixes; -1: none)\n"
    "      --memory-swap N       memory+swap limit in bytes (-1: unlimited swap)\n"
    "      --memory-reservation N  memory soft limit in bytes\n"
    "      --kernel-memory N     kernel memory limit (v1 kernels that still have it)\n"
    "      --kernel-memory-tcp N kernel TCP buffer limit (v1)\n"
    "      --cpu-shares N        CPU shares (relative weight; --cpu-share too)\n"
    "      --cpu-quota N         CPU time in microseconds per period (-1: none)\n"
    "      --cpu-period N        CFS period in microseconds\n"
    "      --cpu-burst N         CFS burst in microseconds\n"
    "      --cpu-rt-period N     realtime period in microseconds (v1)\n"
    "      --cpu-rt-runtime N    realtime runtime in microseconds (v1)\n"
    "      --cpu-idle N          SCHED_IDLE for the cgroup (0 or 1)\n"
    "      --cpuset-cpus LIST    CPUs allowed (0-3,7)\n"
    "      --cpuset-mems LIST    memory nodes allowed\n"
    "      --pids-limit N        maximum number of tasks (-1: none, 0: unchanged)\n"
    "      --blkio-weight N      block IO weight (10-1000)\n",
    cmd_update },
  { NULL, NULL, NULL, NULL, NULL },
};

enum
{
  OPT_ROOT = 256,
  OPT_LOG,
  OPT_LOG_FORMAT,
  OPT_DEBUG,
  OPT_SYSTEMD_CGROUP,
  OPT_ROOTLESS,
  OPT_CRIU,
  OPT_CGROUP_MANAGER
};

static void
print_version (void)
{
  char seccomp[32];
  husk_libseccomp_version (seccomp, sizeof seccomp);
  printf ("husk version %s\nspec: %s\nlibseccomp: %s\n", husk_version (), HUSK_OCI_SPEC_VERSION,
          seccomp);
}

int
cli_parse_globals (struct husk_cli *cli, int argc, char **argv, const char **log_path,
                   int *exit_code)
{
  static const struct option opts[] = {
    { "root", required_argument, NULL, OPT_ROOT },
    { "log", required_argument, NULL, OPT_LOG },
    { "log-format", required_argument, NULL, OPT_LOG_FORMAT },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP },
    { "rootless", required_argument, NULL, OPT_ROOTLESS },
    { "criu", required_argument, NULL, OPT_CRIU },
    { "cgroup-manager", required_argument, NULL, OPT_CGROUP_MANAGER },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'v' },
    { NULL, 0, NULL, 0 },
  };
  const char *log_format = NULL;

  *exit_code = 0;
  opterr = 0;
  int c;
  while ((c = getopt_long (argc, argv, "+:hv", opts, NULL)) != -1)
    {
      switch (c)
        {
        case OPT_ROOT:
          cli->root_flag = optarg;
          break;
        case OPT_LOG:
          *log_path = optarg;
          break;
        case OPT_LOG_FORMAT:
          log_format = optarg;
          break;
        case OPT_DEBUG:
          cli->debug = true;
          break;
        case OPT_SYSTEMD_CGROUP:
          cli->systemd_cgroup = true;
          break;
        case OPT_ROOTLESS:
          cli->rootless = optarg;
          break;
        case OPT_CRIU:
          break;
        case OPT_CGROUP_MANAGER:
          /* crun's spelling of the cgroup driver */
          if (strcmp (optarg, "systemd") == 0)
            cli->systemd_cgroup = true, cli->cgroups_disabled = false;
          else if (strcmp (optarg, "cgroupfs") == 0)
            cli->systemd_cgroup = false, cli->cgroups_disabled = false;
          else if (strcmp (optarg, "disabled") == 0)
            cli->systemd_cgroup = false, cli->cgroups_disabled = true;
          else
            {
              *exit_code = cli_usage_error (cli, NULL,
                                            "--cgroup-manager: unknown manager \"%s\" "
                                            "(cgroupfs, systemd or disabled)",
                                            optarg);
              return -2;
            }
          break;
        case 'h':
          cli_print_main_usage (stdout);
          return -2;
        case 'v':
          print_version ();
          return -2;
        case ':':
          *exit_code = cli_usage_error (cli, NULL, "flag %s needs a value", argv[optind - 1]);
          return -2;
        default:
          if (optopt)
            *exit_code = cli_usage_error (cli, NULL, "unknown flag -%c", optopt);
          else
            *exit_code = cli_usage_error (cli, NULL, "unknown flag %s", argv[optind - 1]);
          return -2;
        }
    }

  if (log_format && husk_log_format_parse (log_format, &cli->log.format) < 0)
    *exit_code = cli_usage_error (cli, NULL, "--log-format: unknown format \"%s\" (text or json)",
                                  log_format);
  else if (strcmp (cli->rootless, "true") != 0 && strcmp (cli->rootless, "false") != 0
           && strcmp (cli->rootless, "auto") != 0)
    *exit_code = cli_usage_error (cli, NULL,
                                  "--rootless: invalid value \"%s\" (true, false or auto)",
                                  cli->rootless);
  else if (cli->root_flag && cli->root_flag[0] == '\0')
    *exit_code = cli_usage_error (cli, NULL, "--root: must not be empty");
  return *exit_code ? -2 : optind;
}

const struct husk_command *
cli_find_command (const char *name)
{
  for (const struct husk_command *c = husk_commands; c->name; c++)
    if (strcmp (c->name, name) == 0)
      return c;
  return NULL;
}

void
cli_print_main_usage (FILE *out)
{
  fprintf (out, "Usage: husk [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS...]\n"
                "\n"
                "husk runs containers from OCI bundles, as runc does.\n"
                "\n"
                "Commands:\n");
  for (const struct husk_command *c = husk_commands; c->name; c++)
    fprintf (out, "  %-12s %s\n", c->name, c->summary);
  fprintf (out, "  %-12s %s\n", "help", "show this help, or the help of a command");
  fprintf (
      out,
      "\n"
      "Global options:\n"
      "      --root DIR            state root (default /run/husk, or $XDG_RUNTIME_DIR/husk)\n"
      "      --log FILE            also write log lines to FILE\n"
      "      --log-format FMT      text (default) or json\n"
      "      --debug               log debug messages\n"
      "      --systemd-cgroup      use the systemd cgroup driver (cgroupsPath slice:prefix:name)\n"
      "      --cgroup-manager M    cgroupfs, systemd (as --systemd-cgroup) or disabled (crun's)\n"
      "      --rootless VALUE      true, false or auto (default auto)\n"
      "  -h, --help                show this help\n"
      "  -v, --version             show the version\n"
      "\n"
      "Run 'husk help COMMAND' or 'husk COMMAND --help' for a command's options.\n");
}

void
cli_print_usage (FILE *out, const struct husk_command *cmd)
{
  fprintf (out, "Usage: husk %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
  fprintf (out, "\nOptions:\n%s  -h, --help                show this help\n",
           cmd->options ? cmd->options : "");
}

int
cli_fail (struct husk_cli *cli, const struct husk_error *err)
{
  husk_log_error (&cli->log, "%s", err->msg[0] ? err->msg : "unknown error");
  return 1;
}

int
cli_failf (struct husk_cli *cli, const char *fmt, ...)
{
  char msg[HUSK_ERROR_MSG_MAX];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  husk_log_error (&cli->log, "%s", msg);
  return 1;
}

int
cli_usage_error (struct husk_cli *cli, const struct husk_command *cmd, const char *fmt, ...)
{
  char msg[HUSK_ERROR_MSG_MAX];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  husk_log_error (&cli->log, "%s", msg);
  fputc ('\n', stderr);
  if (cmd)
    cli_print_usage (stderr, cmd);
  else
    cli_print_main_usage (stderr);
  return 1;
}

int
cli_getopt (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv,
            const char *shortopts, const struct option *longopts, int *exit_code)
{
  /* Every command takes -h/--help: look for it first among the options. */
  static const struct option help_only[] = { { "help", no_argument, NULL, 'h' }, { 0 } };
  /* Options may follow the container id, as with runc ("husk update ID
   * --cpu-period 900000"); a command whose operands are a command line of
   * their own or its arguments (exec, ps) starts shortopts with '+':
   * options end at the id, as runc's SkipArgReorder. */
  char spec[64];
  const char *so = shortopts ? shortopts : "";
  bool in_order = so[0] == '+';
  snprintf (spec, sizeof spec, "%s:h%s", in_order ? "+" : "", in_order ? so + 1 : so);
  int old_opterr = opterr;
  opterr = 0;
  int c = getopt_long (argc, argv, spec, longopts ? longopts : help_only, NULL);
  opterr = old_opterr;
  switch (c)
    {
    case 'h':
      cli_print_usage (stdout, cmd);
      *exit_code = 0;
      return -2;
    case '?':
      if (optopt)
        *exit_code = cli_usage_error (cli, cmd, "%s: unknown flag -%c", cmd->name, optopt);
      else
        *exit_code = cli_usage_error (cli, cmd, "%s: unknown flag %s", cmd->name, argv[optind - 1]);
      return -2;
    case ':':
      *exit_code = cli_usage_error (cli, cmd, "%s: flag %s needs a value", cmd->name,
                                    argv[optind - 1]);
      return -2;
    default:
      return c;
    }
}

int
cli_want_args (struct husk_cli *cli, const struct husk_command *cmd, int nargs, int min, int max)
{
  if (nargs < min)
    {
      if (min == 1 && strstr (cmd->usage, "ID"))
        return cli_usage_error (cli, cmd, "%s: a container id is required", cmd->name);
      return cli_usage_error (cli, cmd, "%s: expected at least %d argument(s), got %d", cmd->name,
                              min, nargs);
    }
  if (max >= 0 && nargs > max)
    return cli_usage_error (cli, cmd, "%s: expected at most %d argument(s), got %d", cmd->name, max,
                            nargs);
  return 0;
}

bool
cli_rootless (const struct husk_cli *cli)
{
  if (strcmp (cli->rootless, "true") == 0)
    return true;
  if (strcmp (cli->rootless, "false") == 0)
    return false;
  return husk_rootless_detect ();
}

int
cli_open_store (struct husk_cli *cli, struct husk_store *store, bool create, struct husk_error *err)
{
  char *def = NULL;
  const char *root = cli->root_flag;
  if (root == NULL)
    {
      int ret = husk_default_root (&def, err);
      if (ret < 0)
        return ret;
      root = def;
    }
  int ret = husk_store_open (store, root, create, err);
  free (def);
  return ret;
}

int
cmd_pending (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  /* --help works; everything else says plainly that it is not there yet. */
  for (int i = 1; i < argc && strcmp (argv[i], "--") != 0; i++)
    if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
      {
        cli_print_usage (stdout, cmd);
        return 0;
      }
  return cli_failf (cli, "%s: not implemented yet", cmd->name);
}
