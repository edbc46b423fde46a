/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"

int
cmd_state (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  static const struct option opts[] = {
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  int c, code;
  while ((c = cli_getopt (cli, cmd, argc, argv, "", opts, &code)) != -1)
    if (c == -2)
      return code;
  if (cli_want_args (cli, cmd, argc - optind, 1, 1))
    return 1;
  const char *id = argv[optind];
  if (cli->parse_only)
    return 0;

  struct husk_error err = { 0 };
  struct husk_store store;
  if (husk_id_validate (id, &err) < 0 || cli_open_store (cli, &store, false, &err) < 0)
    return cli_fail (cli, &err);
  struct husk_state *st = NULL;
  int ret = husk_state_load (&store, id, &st, &err);
  husk_store_close (&store);
  if (ret < 0)
    return cli_fail (cli, &err);
  char *json = NULL;
  ret = husk_state_to_json (st, false, NULL, "  ", &json, NULL, &err);
  husk_state_free (st);
  if (ret < 0)
    return cli_fail (cli, &err);
  fputs (json, stdout);
  free (json);
  return 0;
}
