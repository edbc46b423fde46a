/* SPDX-License-Identifier: Apache-2.0 */
/* run-inline: run a command in a container whose config is made in memory
 * and handed to libhusk (struct husk_create_opts.config_json): no
 * config.json is written or read. Only a root filesystem is needed.
 *
 *   cc -o run-inline run-inline.c $(pkg-config --cflags --libs husk)
 *   sudo ./run-inline [-r STATE_ROOT] ROOTFS ID COMMAND [ARG...]
 *
 * The container has its own pid, mount, ipc, uts and network namespaces,
 * the hostname "inline", a read-only root, /proc and a tmpfs /dev; it
 * prints on this program's stdout and stderr. STATE_ROOT is the CLI's
 * --root (default /run/husk for root). */
#define _GNU_SOURCE
#include <husk/husk.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* s as a JSON string (quotes, backslashes and control characters escaped). */
static void
json_string (FILE *f, const char *s)
{
  fputc ('"', f);
  for (; *s; s++)
    {
      unsigned char c = (unsigned char) *s;
      if (c == '"' || c == '\\')
        fprintf (f, "\\%c", c);
      else if (c < 0x20)
        fprintf (f, "\\u%04x", c);
      else
        fputc (c, f);
    }
  fputc ('"', f);
}

/* The config: the command, the root file system, the rest fixed. */
static char *
make_config (const char *rootfs, char **args, size_t *len)
{
  char *text = NULL;
  FILE *f = open_memstream (&text, len);
  if (f == NULL)
    return NULL;
  fputs ("{\"ociVersion\":\"1.2.0\",\"process\":{\"terminal\":false,"
         "\"user\":{\"uid\":0,\"gid\":0},\"cwd\":\"/\","
         "\"env\":[\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\"],\"noNewPrivileges\":true,\"args\":[",
         f);
  for (size_t i = 0; args[i]; i++)
    {
      if (i)
        fputc (',', f);
      json_string (f, args[i]);
    }
  fputs ("]},\"root\":{\"path\":", f);
  json_string (f, rootfs);
  fputs (",\"readonly\":true},\"hostname\":\"inline\","
         "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
         "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
         "\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]}],"
         "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},{\"type\":\"ipc\"},"
         "{\"type\":\"uts\"},{\"type\":\"network\"}]}}",
         f);
  if (fclose (f) != 0)
    {
      free (text);
      return NULL;
    }
  return text;
}

int
main (int argc, char **argv)
{
  const char *root = NULL;
  int opt;
  while ((opt = getopt (argc, argv, "+r:")) != -1)
    {
      if (opt != 'r')
        goto usage;
      root = optarg;
    }
  if (argc - optind < 3)
    goto usage;
  const char *rootfs = argv[optind], *id = argv[optind + 1];
  size_t len = 0;
  char *config = make_config (rootfs, argv + optind + 2, &len);
  if (config == NULL)
    {
      perror ("run-inline: config");
      return 1;
    }

  struct husk_error err = { 0 };
  char *default_root = NULL;
  if (root == NULL && husk_default_root (&default_root, &err) < 0)
    goto fail;
  if (root == NULL)
    root = default_root;
  struct husk_store store;
  if (husk_store_open (&store, root, true, &err) < 0)
    goto fail;
  struct husk_run_opts o = {
    .create = {
      .id = id,
      .bundle = ".",          /* recorded in the state; a relative root.path would be under it */
      .config_json = config,
      .config_len = len,
    },
  };
  sigset_t saved;
  sigprocmask (SIG_SETMASK, NULL, &saved);
  int status = 0;
  int ret = husk_container_run (&store, &o, &status, &err);
  sigprocmask (SIG_SETMASK, &saved, NULL);
  husk_store_close (&store);
  if (ret < 0)
    goto fail;
  free (config);
  free (default_root);
  printf ("run-inline: container %s exited with status %d\n", id, status);
  return status;

fail:
  fprintf (stderr, "run-inline: %s\n", err.msg);
  free (config);
  free (default_root);
  return 1;
usage:
  fprintf (stderr, "usage: %s [-r STATE_ROOT] ROOTFS ID COMMAND [ARG...]\n", argv[0]);
  return 2;
}
