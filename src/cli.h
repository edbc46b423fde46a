/* SPDX-License-Identifier: Apache-2.0 */
/* The husk command: global options and one function per command. The CLI
 * parses flags, calls libhusk, prints; it never touches the kernel itself. */
#ifndef HUSK_CLI_H
#define HUSK_CLI_H

#include <stdbool.h>
#include "husk/husk.h"

struct husk_cli
{
  const char *root_flag; /* --root, NULL for the default */
  struct husk_logger log;
  bool debug;
  bool systemd_cgroup;
  bool cgroups_disabled; /* --cgroup-manager disabled (crun) */
  const char *rootless;  /* "true", "false" or "auto" */
  bool parse_only;       /* commands return 0 once their flags and
                               arguments are checked (tests/fuzz) */
};

struct husk_command
{
  const char *name;
  const char *summary;
  const char *usage;   /* arguments after the command name */
  const char *options; /* help text of the options, or NULL */
  int (*run) (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv);
};

extern const struct husk_command husk_commands[];
const struct husk_command *cli_find_command (const char *name);

/* The global options before the command (--root, --log, ...) into cli;
 * --log's file in *log_path (not opened). Returns the index of the command
 * in argv (argc when there is none), or -2 when husk is done: -h, -v, or a
 * usage error (printed), with the exit status in *exit_code. */
int cli_parse_globals (struct husk_cli *cli, int argc, char **argv, const char **log_path,
                       int *exit_code);

/* Print an error (logged as configured) and return the exit status 1. */
int cli_fail (struct husk_cli *cli, const struct husk_error *err);
int cli_failf (struct husk_cli *cli, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* A usage error: message, then the command's usage on stderr; returns 1. */
int cli_usage_error (struct husk_cli *cli, const struct husk_command *cmd, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
void cli_print_usage (FILE *out, const struct husk_command *cmd);
void cli_print_main_usage (FILE *out);

/* getopt_long over a command's arguments. Handles -h/--help (prints usage,
 * *exit_code = 0) and unknown flags (usage error, *exit_code = 1): then it
 * returns -2 and the command returns *exit_code. */
struct option;
int cli_getopt (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv,
                const char *shortopts, const struct option *longopts, int *exit_code);

/* Check the number of positional arguments left after options. */
int cli_want_args (struct husk_cli *cli, const struct husk_command *cmd, int nargs, int min,
                   int max);

/* Open the state root (creating it when create). */
/* --rootless true|false|auto, decided. */
bool cli_rootless (const struct husk_cli *cli);
int cli_open_store (struct husk_cli *cli, struct husk_store *store, bool create,
                    struct husk_error *err);

int cmd_spec (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_state (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_list (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_features (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_create (struct husk_cli *, const struct husk_command *, int, char **); /* and run */
int cmd_start (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_kill (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_delete (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_pause (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_resume (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_update (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_events (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_ps (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_exec (struct husk_cli *, const struct husk_command *, int, char **);
int cmd_pending (struct husk_cli *, const struct husk_command *, int, char **);

#endif
