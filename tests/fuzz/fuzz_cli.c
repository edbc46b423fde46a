/* SPDX-License-Identifier: Apache-2.0 */
/* The husk command line: the input split at NUL bytes is argv after
 * "husk"; the global options, then the command's own flags and arguments
 * are parsed (struct husk_cli.parse_only: no command runs). Run with
 * -close_fd_mask=3: usage errors print on stdout and stderr. */
#include "config.h"
#include <getopt.h>
#include "fuzz.h"
#include "cli.h"

#define MAX_ARGS 64

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > 4096)
    return 0;
  char *buf, *argv[MAX_ARGS + 2];
  argv[0] = (char *) "husk";
  int argc = 1 + (int) fuzz_split (data, size, argv + 1, MAX_ARGS, &buf);
  argv[argc] = NULL;

  struct husk_cli cli = { .rootless = "auto", .parse_only = true };
  const char *log_path = NULL;
  int code;
  husk_log_init (&cli.log);
  optind = 0; /* a fresh getopt for every input */
  int i = cli_parse_globals (&cli, argc, argv, &log_path, &code);
  if (i >= 0 && i < argc)
    {
      const struct husk_command *cmd = cli_find_command (argv[i]);
      if (cmd)
        {
          optind = 0;
          int status = cmd->run (&cli, cmd, argc - i, argv + i);
          FUZZ_ASSERT (status == 0 || status == 1);
        }
    }
  else
    FUZZ_ASSERT (i == -2 ? code == 0 || code == 1 : i == argc);
  free (buf);
  return 0;
}
