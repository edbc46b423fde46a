/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "husk/husk.h"
#include "security/exe.h"
#include "utils.h"
#include "syscalls.h"

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

bool
hk_exe_is_sealed (void)
{
  int fd = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  int seals = fcntl (fd, F_GET_SEALS);
  close (fd);
  return seals >= 0 && (seals & SEALS) == SEALS;
}

int
hk_exe_reexec_sealed (char **argv, char **envp, struct husk_error *err)
{
  _cleanup_close_ int self = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (self < 0)
    return husk_error_set (err, errno, "open /proc/self/exe");
  int seals = fcntl (self, F_GET_SEALS);
  if (seals >= 0 && (seals & SEALS) == SEALS)
    return 0;
  struct stat st;
  if (fstat (self, &st) < 0)
    return husk_error_set (err, errno, "stat /proc/self/exe");
  _cleanup_close_ int mem = memfd_create ("husk", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mem < 0)
    return husk_error_set (err, errno, "memfd_create");
  off_t left = st.st_size;
  while (left > 0)
    {
      ssize_t n = sendfile (mem, self, NULL, (size_t) left);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return husk_error_set (err, n < 0 ? errno : EIO, "copy /proc/self/exe to a memfd");
      left -= n;
    }
  if (fcntl (mem, F_ADD_SEALS, SEALS) < 0)
    return husk_error_set (err, errno, "seal the memfd copy of husk");
  hk_sys_execveat (mem, "", argv, envp, AT_EMPTY_PATH);
  return husk_error_set (err, errno, "execute the sealed copy of husk");
}
