/* SPDX-License-Identifier: Apache-2.0 */
/* run-bundle: run the container of an OCI bundle through libhusk, as
 * `husk run BUNDLE` does, and print its exit status.
 *
 *   cc -o run-bundle run-bundle.c $(pkg-config --cflags --libs husk)
 *   sudo ./run-bundle [-r STATE_ROOT] BUNDLE ID
 *
 * The container's process inherits this program's stdin, stdout and stderr
 * (set process.terminal to false in config.json, or it gets a pty whose
 * output is copied to stdout). The exit status is the container's, as with
 * `husk run`: 128+N when a signal N killed it. */
#define _GNU_SOURCE
#include <husk/husk.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  const char *root = NULL;
  int opt;
  while ((opt = getopt (argc, argv, "r:")) != -1)
    {
      if (opt != 'r')
        goto usage;
      root = optarg;
    }
  if (argc - optind != 2)
    goto usage;
  const char *bundle = argv[optind], *id = argv[optind + 1];

  struct husk_error err = { 0 };
  char *default_root = NULL;
  if (root == NULL)
    {
      /* /run/husk for root, $XDG_RUNTIME_DIR/husk otherwise: the CLI's */
      if (husk_default_root (&default_root, &err) < 0)
        goto fail;
      root = default_root;
    }
  struct husk_store store;
  if (husk_store_open (&store, root, true, &err) < 0)
    goto fail;

  /* warnings of the library go to stderr ("husk: ...") */
  struct husk_logger log;
  husk_log_init (&log);
  struct husk_run_opts o = {
    .create = { .id = id, .bundle = bundle, .log = &log },
  };

  /* in the foreground, the signals we get go to the container while it
   * runs; our signal mask is ours again when the call returns (see
   * docs/library.md) */
  int status = 0;
  int ret = husk_container_run (&store, &o, &status, &err);
  husk_store_close (&store);
  free (default_root);
  if (ret < 0)
    goto fail;
  printf ("run-bundle: container %s exited with status %d\n", id, status);
  return status;

fail:
  fprintf (stderr, "run-bundle: %s\n", err.msg);
  free (default_root);
  return 1;
usage:
  fprintf (stderr, "usage: %s [-r STATE_ROOT] BUNDLE ID\n", argv[0]);
  return 2;
}
