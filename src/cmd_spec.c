/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

int
cmd_spec (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  enum
  {
    OPT_ROOTLESS = 256
  };
  static const struct option opts[] = {
    { "bundle", required_argument, NULL, 'b' },
    { "rootless", no_argument, NULL, OPT_ROOTLESS },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *bundle = ".";
  bool rootless = false;
  int c, code;
  while ((c = cli_getopt (cli, cmd, argc, argv, "b:", opts, &code)) != -1)
    {
      if (c == -2)
        return code;
      if (c == 'b')
        bundle = optarg;
      else if (c == OPT_ROOTLESS)
        rootless = true;
    }
  if (cli_want_args (cli, cmd, argc - optind, 0, 0))
    return 1;
  if (cli->parse_only)
    return 0;

  struct husk_error err = { 0 };
  char *json = NULL;
  size_t len;
  if (husk_spec_default_json (rootless, &json, &len, &err) < 0)
    return cli_fail (cli, &err);

  int dirfd = open (bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    {
      int e = errno;
      free (json);
      return cli_failf (cli, "spec: --bundle \"%s\": %s", bundle, strerror (e));
    }
  int fd = openat (dirfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                   0644);
  int e = errno;
  close (dirfd);
  if (fd < 0)
    {
      free (json);
      if (e == EEXIST)
        return cli_failf (cli, "spec: \"%s/config.json\" already exists: remove it first", bundle);
      return cli_failf (cli, "spec: create \"%s/config.json\": %s", bundle, strerror (e));
    }
  ssize_t off = 0;
  while ((size_t) off < len)
    {
      ssize_t n = write (fd, json + off, len - (size_t) off);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          e = errno;
          close (fd);
          free (json);
          return cli_failf (cli, "spec: write \"%s/config.json\": %s", bundle, strerror (e));
        }
      off += n;
    }
  free (json);
  if (close (fd) < 0)
    return cli_failf (cli, "spec: write \"%s/config.json\": %s", bundle, strerror (errno));
  return 0;
}
