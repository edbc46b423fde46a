/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

struct row
{
  struct husk_state *st;
  char pid[24];
  char owner[64];
};

static void
owner_name (uid_t uid, char *buf, size_t size)
{
  struct passwd pw, *res = NULL;
  char tmp[1024];
  if (getpwuid_r (uid, &pw, tmp, sizeof tmp, &res) == 0 && res)
    snprintf (buf, size, "%s", res->pw_name);
  else
    snprintf (buf, size, "#%u", (unsigned) uid);
}

/* Columns padded as runc's tabwriter pads them: at least 12 wide, 3 spaces
 * after the longest cell; the last column is not padded. */
static void
print_table (struct row *rows, size_t n)
{
  const char *head[6] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" };
  size_t w[5];
  for (int c = 0; c < 5; c++)
    w[c] = strlen (head[c]);
  for (size_t i = 0; i < n; i++)
    {
      const char *cells[5] = { rows[i].st->id, rows[i].pid, husk_status_name (rows[i].st->status),
                               rows[i].st->bundle, rows[i].st->created };
      for (int c = 0; c < 5; c++)
        if (strlen (cells[c]) > w[c])
          w[c] = strlen (cells[c]);
    }
  for (int c = 0; c < 5; c++)
    w[c] = w[c] + 3 < 12 ? 12 : w[c] + 3;
  printf ("%-*s%-*s%-*s%-*s%-*s%s\n", (int) w[0], head[0], (int) w[1], head[1], (int) w[2], head[2],
          (int) w[3], head[3], (int) w[4], head[4], head[5]);
  for (size_t i = 0; i < n; i++)
    printf ("%-*s%-*s%-*s%-*s%-*s%s\n", (int) w[0], rows[i].st->id, (int) w[1], rows[i].pid,
            (int) w[2], husk_status_name (rows[i].st->status), (int) w[3], rows[i].st->bundle,
            (int) w[4], rows[i].st->created, rows[i].owner);
}

/* runc prints a JSON array of states, compact, and "null" when there is none. */
static int
print_json (struct row *rows, size_t n, struct husk_error *err)
{
  if (n == 0)
    {
      puts ("null");
      return 0;
    }
  fputc ('[', stdout);
  for (size_t i = 0; i < n; i++)
    {
      char *json = NULL;
      int ret = husk_state_to_json (rows[i].st, false, rows[i].owner, NULL, &json, NULL, err);
      if (ret < 0)
        return ret;
      printf ("%s%s", i ? "," : "", json);
      free (json);
    }
  puts ("]");
  return 0;
}

int
cmd_list (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  static const struct option opts[] = {
    { "format", required_argument, NULL, 'f' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *format = "table";
  bool quiet = false;
  int c, code;
  while ((c = cli_getopt (cli, cmd, argc, argv, "f:q", opts, &code)) != -1)
    {
      if (c == -2)
        return code;
      if (c == 'f')
        format = optarg;
      else if (c == 'q')
        quiet = true;
    }
  if (strcmp (format, "table") != 0 && strcmp (format, "json") != 0)
    return cli_usage_error (cli, cmd, "list: --format: unknown format \"%s\" (table or json)",
                            format);
  if (cli_want_args (cli, cmd, argc - optind, 0, 0))
    return 1;
  if (cli->parse_only)
    return 0;

  struct husk_error err = { 0 };
  struct husk_store store;
  if (cli_open_store (cli, &store, false, &err) < 0)
    return cli_fail (cli, &err);
  char **ids = NULL;
  size_t n = 0, nrows = 0;
  int status = 0;
  struct row *rows = NULL;
  if (husk_store_list (&store, &ids, &n, &err) < 0)
    {
      status = cli_fail (cli, &err);
      goto out;
    }
  rows = calloc (n ? n : 1, sizeof *rows);
  if (rows == NULL)
    {
      status = cli_failf (cli, "list: out of memory");
      goto out;
    }
  for (size_t i = 0; i < n; i++)
    {
      struct husk_state *st = NULL;
      /* a container deleted meanwhile, or a create in progress, is skipped */
      if (husk_state_load (&store, ids[i], &st, &err) < 0)
        {
          husk_log_debug (&cli->log, "list: %s", err.msg);
          continue;
        }
      rows[nrows].st = st;
      snprintf (rows[nrows].pid, sizeof rows[nrows].pid, "%d", (int) st->pid);
      owner_name (st->owner, rows[nrows].owner, sizeof rows[nrows].owner);
      nrows++;
    }
  if (quiet)
    for (size_t i = 0; i < nrows; i++)
      puts (rows[i].st->id);
  else if (strcmp (format, "json") == 0)
    {
      if (print_json (rows, nrows, &err) < 0)
        status = cli_fail (cli, &err);
    }
  else
    print_table (rows, nrows);
out:
  for (size_t i = 0; i < nrows; i++)
    husk_state_free (rows[i].st);
  free (rows);
  husk_strv_free (ids, n);
  husk_store_close (&store);
  return status;
}
