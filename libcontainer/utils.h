/* SPDX-License-Identifier: Apache-2.0 */
/* Internal helpers of libhusk: cleanup attributes and small file utilities. */
#ifndef HUSK_UTILS_H
#define HUSK_UTILS_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include "husk/error.h"

static inline void
cleanup_freep (void *p)
{
  free (*(void **) p);
}

static inline void
cleanup_closep (int *fd)
{
  if (*fd >= 0)
    {
      int saved = errno;
      close (*fd);
      errno = saved;
    }
}

static inline void
cleanup_fclosep (FILE **f)
{
  if (*f)
    fclose (*f);
}

#define _cleanup_free_ __attribute__ ((cleanup (cleanup_freep)))
#define _cleanup_close_ __attribute__ ((cleanup (cleanup_closep)))
#define _cleanup_fclose_ __attribute__ ((cleanup (cleanup_fclosep)))

/* Hand ownership out of a cleanup variable. */
#define steal_pointer(pp) \
  ({ \
    __typeof__ (*(pp)) _p = *(pp); \
    *(pp) = NULL; \
    _p; \
  })
#define steal_fd(fdp) \
  ({ \
    int _fd = *(fdp); \
    *(fdp) = -1; \
    _fd; \
  })

#define ARRAY_SIZE(a) (sizeof (a) / sizeof ((a)[0]))

/* Read a whole file (at most max bytes) into a NUL-terminated buffer. */
int hk_read_file (const char *path, size_t max, char **out, size_t *len, struct husk_error *err);
int hk_read_fd (int fd, const char *name, size_t max, char **out, size_t *len,
                struct husk_error *err);

/* Write data to path atomically: a temporary file in the same directory,
 * fsync-free write, then rename over path. */
int hk_write_file_atomic (int dirfd, const char *dirname, const char *name, const char *data,
                          size_t len, mode_t mode, struct husk_error *err);

/* Write all of buf to fd, retrying on EINTR and short writes. */
int hk_write_all (int fd, const void *buf, size_t len);

/* strdup that reports failure as -ENOMEM through err. */
int hk_strdup (const char *s, char **out, struct husk_error *err);

/* Close every fd from first up that is not in keep (n entries; negative
 * entries are ignored). Nothing of the runtime's may stay open in a process
 * that resolves paths a config names: /proc/self/fd/N would lead out. */
void hk_close_fds_except (int first, const int *keep, size_t n);

/* Mark every fd from first up close-on-exec (close_range, or one by one on
 * a kernel without CLOSE_RANGE_CLOEXEC). */
void hk_cloexec_from (int first);

/* Recursively remove a directory tree relative to dirfd (no symlink following). */
int hk_rmtree_at (int dirfd, const char *name, struct husk_error *err);

/* Undo the octal escapes of a /proc/PID/mountinfo field (\040 for a space)
 * in place. */
void hk_mountinfo_unescape (char *s);

#endif
