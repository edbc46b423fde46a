/* SPDX-License-Identifier: Apache-2.0 */
/* start, kill, delete: one container each. */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "husk/container.h"

/* Open the store (it must exist) and check the id. */
static int
open_for (struct husk_cli *cli, const char *id, struct husk_store *store, struct husk_error *err)
{
  if (husk_id_validate (id, err) < 0)
    return -1;
  return cli_open_store (cli, store, false, err);
}

int
cmd_start (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  static const struct option opts[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
  int c, code;
  while ((c = cli_getopt (cli, cmd, argc, argv, "", opts, &code)) != -1)
    if (c == -2)
      return code;
  if (cli_want_args (cli, cmd, argc - optind, 1, 1))
    return 1;
  if (cli->parse_only)
    return 0;
  struct husk_error err = { 0 };
  struct husk_store store;
  if (open_for (cli, argv[optind], &store, &err) < 0)
    return cli_fail (cli, &err);
  int ret = husk_container_start (&store, argv[optind], &cli->log, &err);
  husk_store_close (&store);
  return ret < 0 ? cli_fail (cli, &err) : 0;
}

int
cmd_kill (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  static const struct option opts[] = {
    { "all", no_argument, NULL, 'a' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  bool all = false;
  int c, code;
  while ((c = cli_getopt (cli, cmd, argc, argv, "a", opts, &code)) != -1)
    {
      if (c == -2)
        return code;
      if (c == 'a')
        all = true;
    }
  if (cli_want_args (cli, cmd, argc - optind, 1, 2))
    return 1;
  const char *id = argv[optind];
  int sig = 15;
  if (argc - optind == 2 && husk_signal_parse (argv[optind + 1], &sig) < 0)
    return cli_failf (cli, "kill: unknown signal \"%s\"", argv[optind + 1]);
  if (cli->parse_only)
    return 0;
  struct husk_error err = { 0 };
  struct husk_store store;
  if (open_for (cli, id, &store, &err) < 0)
    return cli_fail (cli, &err);
  int ret = husk_container_kill (&store, id, sig, all, &err);
  husk_store_close (&store);
  return ret < 0 ? cli_fail (cli, &err) : 0;
}

int
cmd_delete (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  static const struct option opts[] = {
    { "force", no_argument, NULL, 'f' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  bool force = false;
  int c, code;
  while ((c = cli_getopt (cli, cmd, argc, argv, "f", opts, &code)) != -1)
    {
      if (c == -2)
        return code;
      if (c == 'f')
        force = true;
    }
  if (cli_want_args (cli, cmd, argc - optind, 1, 1))
    return 1;
  const char *id = argv[optind];
  if (cli->parse_only)
    return 0;
  struct husk_error err = { 0 };
  struct husk_store store;
  if (open_for (cli, id, &store, &err) < 0)
    return cli_fail (cli, &err);
  int ret = husk_container_delete (&store, id, force, &cli->log, &err);
  husk_store_close (&store);
  /* runc: deleting a missing container with --force succeeds quietly */
  if (ret == -ENOENT && force)
    return 0;
  return ret < 0 ? cli_fail (cli, &err) : 0;
}
