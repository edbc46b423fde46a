/* SPDX-License-Identifier: Apache-2.0 */
/* container-stats: a few statistics of a running container, read through
 * libhusk as a struct (husk_container_stats_read), one "name value" line
 * each. `husk events --stats ID` prints the same numbers as runc's JSON.
 *
 *   cc -o container-stats container-stats.c $(pkg-config --cflags --libs husk)
 *   sudo ./container-stats [-r STATE_ROOT] ID
 *
 * STATE_ROOT is the CLI's --root (default /run/husk for root). */
#define _GNU_SOURCE
#include <husk/husk.h>
#include <inttypes.h>
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
  if (argc - optind != 1)
    goto usage;

  struct husk_error err = { 0 };
  char *default_root = NULL;
  if (root == NULL && husk_default_root (&default_root, &err) < 0)
    goto fail;
  if (root == NULL)
    root = default_root;
  struct husk_store store;
  struct husk_stats *s = NULL;
  if (husk_store_open (&store, root, false, &err) < 0)
    goto fail;
  int ret = husk_container_stats_read (&store, argv[optind], &s, &err);
  husk_store_close (&store);
  free (default_root);
  default_root = NULL;
  if (ret < 0)
    goto fail;

  /* a part the host does not have is absent, not 0 */
  if (s->cpu.has_total)
    printf ("cpu.total %" PRIu64 "\n", s->cpu.total);
  if (s->cpu.has_percpu)
    printf ("cpu.ncpu %zu\n", s->cpu.n_percpu);
  if (s->memory.present)
    printf ("memory.limit %" PRIu64 "\nmemory.usage %" PRIu64 "\n", s->memory.usage.limit,
            s->memory.usage.usage);
  if (s->pids.present)
    printf ("pids.current %" PRIu64 "\npids.limit %" PRIu64 "\n", s->pids.current, s->pids.limit);
  for (size_t i = 0; i < s->n_hugetlb; i++)
    printf ("hugetlb.%s.usage %" PRIu64 "\n", s->hugetlb[i].pagesize, s->hugetlb[i].usage);
  if (s->has_network)
    for (size_t i = 0; i < s->n_network; i++)
      printf ("net.%s.rx_bytes %" PRIu64 "\n", s->network[i].name, s->network[i].rx_bytes);
  husk_stats_free (s);
  return 0;

fail:
  fprintf (stderr, "container-stats: %s\n", err.msg);
  free (default_root);
  return 1;
usage:
  fprintf (stderr, "usage: %s [-r STATE_ROOT] ID\n", argv[0]);
  return 2;
}
