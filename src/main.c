#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

enum { OPT_ROOT = 256, OPT_LOG, OPT_LOG_FORMAT, OPT_DEBUG, OPT_SYSTEMD_CGROUP, OPT_ROOTLESS, OPT_CRIU };

static void
print_version (void)
{
  char seccomp[32];
  husk_libseccomp_version (seccomp, sizeof seccomp);
  printf ("husk version %s\nspec: %s\nlibseccomp: %s\n", husk_version (),
          HUSK_OCI_SPEC_VERSION, seccomp);
}

static int
cmd_help (struct husk_cli *cli, int argc, char **argv)
{
  if (argc < 2)
    {
      cli_print_main_usage (stdout);
      return 0;
    }
  const struct husk_command *cmd = cli_find_command (argv[1]);
  if (cmd == NULL)
    return cli_usage_error (cli, NULL, "help: unknown command \"%s\"", argv[1]);
  cli_print_usage (stdout, cmd);
  return 0;
}

int
main (int argc, char **argv)
{
  static const struct option opts[] = {
    { "root", required_argument, NULL, OPT_ROOT },
    { "log", required_argument, NULL, OPT_LOG },
    { "log-format", required_argument, NULL, OPT_LOG_FORMAT },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP },
    { "rootless", required_argument, NULL, OPT_ROOTLESS },
    { "criu", required_argument, NULL, OPT_CRIU },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'v' },
    { NULL, 0, NULL, 0 },
  };
  struct husk_cli cli = { .rootless = "auto" };
  const char *log_path = NULL, *log_format = NULL;
  husk_log_init (&cli.log);

  opterr = 0;
  int c;
  while ((c = getopt_long (argc, argv, "+:hv", opts, NULL)) != -1)
    {
      switch (c)
        {
        case OPT_ROOT:
          cli.root_flag = optarg;
          break;
        case OPT_LOG:
          log_path = optarg;
          break;
        case OPT_LOG_FORMAT:
          log_format = optarg;
          break;
        case OPT_DEBUG:
          cli.debug = true;
          break;
        case OPT_SYSTEMD_CGROUP:
          cli.systemd_cgroup = true;
          break;
        case OPT_ROOTLESS:
          cli.rootless = optarg;
          break;
        case OPT_CRIU:
          break;
        case 'h':
          cli_print_main_usage (stdout);
          return 0;
        case 'v':
          print_version ();
          return 0;
        case ':':
          return cli_usage_error (&cli, NULL, "flag %s needs a value", argv[optind - 1]);
        default:
          if (optopt)
            return cli_usage_error (&cli, NULL, "unknown flag -%c", optopt);
          return cli_usage_error (&cli, NULL, "unknown flag %s", argv[optind - 1]);
        }
    }

  if (log_format && husk_log_format_parse (log_format, &cli.log.format) < 0)
    return cli_usage_error (&cli, NULL, "--log-format: unknown format \"%s\" (text or json)", log_format);
  if (strcmp (cli.rootless, "true") != 0 && strcmp (cli.rootless, "false") != 0
      && strcmp (cli.rootless, "auto") != 0)
    return cli_usage_error (&cli, NULL, "--rootless: invalid value \"%s\" (true, false or auto)",
                            cli.rootless);
  if (cli.root_flag && cli.root_flag[0] == '\0')
    return cli_usage_error (&cli, NULL, "--root: must not be empty");
  /* The commands that put a process in a container run from a sealed
   * copy of husk (see libcontainer/security/exe.h). */
  if (optind < argc && (strcmp (argv[optind], "create") == 0 || strcmp (argv[optind], "run") == 0
                        || strcmp (argv[optind], "exec") == 0))
    {
      struct husk_error err = { 0 };
      if (husk_reexec_sealed (argv, environ, &err) < 0)
        return cli_fail (&cli, &err);
    }
  if (cli.debug)
    cli.log.level = HUSK_LOG_DEBUG;
  if (log_path)
    {
      int ret = husk_log_open (&cli.log, log_path);
      if (ret < 0)
        return cli_failf (&cli, "--log: open \"%s\": %s", log_path, strerror (-ret));
    }

  if (optind >= argc)
    return cli_usage_error (&cli, NULL, "no command given");

  const char *name = argv[optind];
  int cargc = argc - optind;
  char **cargv = argv + optind;
  int status;
  if (strcmp (name, "help") == 0 || strcmp (name, "h") == 0)
    status = cmd_help (&cli, cargc, cargv);
  else
    {
      const struct husk_command *cmd = cli_find_command (name);
      if (cmd == NULL)
        return cli_usage_error (&cli, NULL, "unknown command \"%s\"", name);
      husk_log_debug (&cli.log, "command %s", name);
      optind = 0; /* reset getopt for the command's own options */
      status = cmd->run (&cli, cmd, cargc, cargv);
    }
  if (fflush (stdout) != 0 && status == 0)
    status = cli_failf (&cli, "write output: %s", strerror (errno));
  husk_log_close (&cli.log);
  return status;
}
