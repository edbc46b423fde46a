/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "security/exe.h"

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
  struct husk_cli cli = { .rootless = "auto" };
  const char *log_path = NULL;
  husk_log_init (&cli.log);
  int code;
  if (cli_parse_globals (&cli, argc, argv, &log_path, &code) < 0)
    return code;
  /* The commands that put a process in a container run from a sealed
   * copy of husk (see libcontainer/security/exe.h). */
  if (optind < argc
      && (strcmp (argv[optind], "create") == 0 || strcmp (argv[optind], "run") == 0
          || strcmp (argv[optind], "exec") == 0))
    {
      struct husk_error err = { 0 };
      if (hk_exe_reexec_sealed (argv, environ, &err) < 0)
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
