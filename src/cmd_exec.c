/* SPDX-License-Identifier: Apache-2.0 */
/* husk exec: runc's flags. */
#include "config.h"
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "husk/container.h"

static int
push (char ***v, size_t *n, char *s)
{
  char **nv = realloc (*v, (*n + 2) * sizeof *nv);
  if (nv == NULL)
    return -1;
  nv[(*n)++] = s;
  nv[*n] = NULL;
  *v = nv;
  return 0;
}

static int
parse_unsigned (const char *s, unsigned long max, unsigned long *out)
{
  char *end;
  errno = 0;
  unsigned long v = strtoul (s, &end, 10);
  if (errno || end == s || *end || !isdigit ((unsigned char) s[0]) || v > max)
    return -1;
  *out = v;
  return 0;
}

/* --user UID[:GID], each a decimal id of 0 .. 2^31-1 */
static int
parse_user (const char *s, struct husk_exec_opts *o)
{
  unsigned long v;
  const char *colon = strchr (s, ':');
  char uid[16];
  size_t n = colon ? (size_t) (colon - s) : strlen (s);
  if (n >= sizeof uid)
    return -EINVAL;
  memcpy (uid, s, n);
  uid[n] = '\0';
  if (parse_unsigned (uid, HUSK_UGID_MAX, &v) < 0)
    return -EINVAL;
  o->set_uid = true;
  o->uid = (uint32_t) v;
  if (colon)
    {
      if (parse_unsigned (colon + 1, HUSK_UGID_MAX, &v) < 0)
        return -EINVAL;
      o->set_gid = true;
      o->gid = (uint32_t) v;
    }
  return 0;
}

int
cmd_exec (struct husk_cli *cli, const struct husk_command *cmd, int argc, char **argv)
{
  enum
  {
    OPT_CONSOLE = 256,
    OPT_PIDFILE,
    OPT_LABEL,
    OPT_APPARMOR,
    OPT_NNP,
    OPT_PRESERVE,
    OPT_CGROUP,
    OPT_IGNORE_PAUSED,
    OPT_CWD
  };
  static const struct option opts[] = {
    { "process", required_argument, NULL, 'p' },
    { "cwd", required_argument, NULL, OPT_CWD },
    { "env", required_argument, NULL, 'e' },
    { "user", required_argument, NULL, 'u' },
    { "additional-gids", required_argument, NULL, 'g' },
    { "tty", no_argument, NULL, 't' },
    { "console-socket", required_argument, NULL, OPT_CONSOLE },
    { "detach", no_argument, NULL, 'd' },
    { "pid-file", required_argument, NULL, OPT_PIDFILE },
    { "process-label", required_argument, NULL, OPT_LABEL },
    { "apparmor", required_argument, NULL, OPT_APPARMOR },
    { "no-new-privs", no_argument, NULL, OPT_NNP },
    { "cap", required_argument, NULL, 'c' },
    { "preserve-fds", required_argument, NULL, OPT_PRESERVE },
    { "cgroup", required_argument, NULL, OPT_CGROUP },
    { "ignore-paused", no_argument, NULL, OPT_IGNORE_PAUSED },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct husk_exec_opts o = { .log = &cli->log };
  unsigned *gids = NULL;
  int c, code, status = 1;
  unsigned long v;
  /* options stop at the first non-option (the id): the command's own flags
   * are not ours */
  while ((c = cli_getopt (cli, cmd, argc, argv, "+p:e:u:g:tdc:", opts, &code)) != -1)
    {
      switch (c)
        {
        case -2:
          status = code;
          goto out;
        case 'p':
          o.process_file = optarg;
          break;
        case OPT_CWD:
          o.cwd = optarg;
          break;
        case 'e':
          if (push (&o.env, &o.env_len, optarg) < 0)
            goto oom;
          break;
        case 'u':
          if (parse_user (optarg, &o) < 0)
            {
              status = cli_failf (cli, "--user \"%s\": must be UID[:GID], each 0 to %u", optarg,
                                  HUSK_UGID_MAX);
              goto out;
            }
          break;
        case 'g':
          {
            char *list = optarg, *save = NULL;
            if (optarg[0] == '\0')
              {
                status = cli_usage_error (cli, cmd, "exec: --additional-gids: empty list");
                goto out;
              }
            for (char *t = strtok_r (list, ",", &save); t; t = strtok_r (NULL, ",", &save))
              {
                if (parse_unsigned (t, HUSK_UGID_MAX, &v) < 0)
                  {
                    status = cli_usage_error (cli, cmd,
                                              "exec: --additional-gids: not a gid: \"%s\"", t);
                    goto out;
                  }
                unsigned *ng = realloc (gids, (o.additional_gids_len + 1) * sizeof *ng);
                if (ng == NULL)
                  goto oom;
                gids = ng;
                gids[o.additional_gids_len++] = (unsigned) v;
              }
            o.additional_gids = gids;
          }
          break;
        case 't':
          o.tty = true;
          break;
        case OPT_CONSOLE:
          o.console_socket = optarg;
          break;
        case 'd':
          o.detach = true;
          break;
        case OPT_PIDFILE:
          o.pid_file = optarg;
          break;
        case OPT_LABEL:
          o.process_label = optarg;
          break;
        case OPT_APPARMOR:
          o.apparmor = optarg;
          break;
        case OPT_NNP:
          o.no_new_privs = true;
          break;
        case 'c':
          if (push (&o.caps, &o.caps_len, optarg) < 0)
            goto oom;
          break;
        case OPT_PRESERVE:
          if (parse_unsigned (optarg, INT_MAX, &v) < 0)
            {
              status = cli_usage_error (cli, cmd,
                                        "exec: --preserve-fds: not a non-negative number: \"%s\"",
                                        optarg);
              goto out;
            }
          o.preserve_fds = (unsigned) v;
          break;
        case OPT_CGROUP:
          o.cgroup = optarg;
          break;
        case OPT_IGNORE_PAUSED:
          o.ignore_paused = true;
          break;
        default:
          break;
        }
    }
  if (cli_want_args (cli, cmd, argc - optind, 1, -1))
    goto out;
  o.id = argv[optind];
  o.args = argv + optind + 1;
  o.args_len = (size_t) (argc - optind - 1);
  if (o.process_file && o.args_len > 0)
    {
      status = cli_usage_error (cli, cmd, "exec: give either --process or a command, not both");
      goto out;
    }
  if (!o.process_file && o.args_len == 0)
    {
      status = cli_usage_error (cli, cmd, "exec: a command is required (or --process)");
      goto out;
    }
  if (cli->parse_only)
    {
      status = 0;
      goto out;
    }
  struct husk_error err = { 0 };
  struct husk_store store;
  int ret = husk_id_validate (o.id, &err);
  if (ret == 0)
    ret = cli_open_store (cli, &store, false, &err);
  if (ret == 0)
    {
      ret = husk_container_exec (&store, &o, &status, &err);
      husk_store_close (&store);
    }
  /* runc's exit status for exec's own failures: 255, so that the caller
   * tells them from the process's status; a malformed request exits 1 */
  if (ret < 0)
    {
      cli_fail (cli, &err);
      status = err.kind == HUSK_ERROR_INVALID ? 1 : 255;
    }
  goto out;
oom:
  status = cli_failf (cli, "exec: out of memory");
out:
  free (o.env);
  free (o.caps);
  free (gids);
  return status;
}
