/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"

int
cmd_features (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  static const struct option opts[] = {
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  int c, code;
  while ((c = cli_getopt (cli, cmd, argc, argv, "", opts, &code)) != -1)
    if (c == -2)
      return code;
  if (cli_want_args (cli, cmd, argc - optind, 0, 0))
    return 1;
  if (cli->parse_only)
    return 0;
  struct husk_error err = { 0 };
  char *json = NULL;
  if (husk_features_json (&json, NULL, &err) < 0)
    return cli_fail (cli, &err);
  fputs (json, stdout);
  free (json);
  return 0;
}
