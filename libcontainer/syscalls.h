/* SPDX-License-Identifier: Apache-2.0 */
/* The one home of raw system calls and of kernel flags newer than the libc
 * headers: typed wrappers that return what the kernel returns (-1 and errno
 * on failure, as libc does). Nothing else in libhusk calls syscall(2) for
 * these. */
#ifndef HUSK_SYSCALLS_H
#define HUSK_SYSCALLS_H

#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/openat2.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
/* open_tree(2) and move_mount(2) flags (linux/mount.h) */
#define HK_OPEN_TREE_CLONE 1U
#define HK_MOVE_MOUNT_F_EMPTY_PATH 0x00000004U
#define HK_MOVE_MOUNT_T_EMPTY_PATH 0x00000040U

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

static inline int
hk_sys_pidfd_open (pid_t pid, unsigned int flags)
{
  return (int) syscall (SYS_pidfd_open, pid, flags);
}

static inline int
hk_sys_pidfd_send_signal (int pidfd, int sig, siginfo_t *info, unsigned int flags)
{
  return (int) syscall (SYS_pidfd_send_signal, pidfd, sig, info, flags);
}

/* The clone3 arguments (linux/sched.h, up to CLONE_INTO_CGROUP). */
struct hk_clone_args
{
  uint64_t flags;
  uint64_t pidfd;
  uint64_t child_tid;
  uint64_t parent_tid;
  uint64_t exit_signal;
  uint64_t stack;
  uint64_t stack_size;
  uint64_t tls;
  uint64_t set_tid;
  uint64_t set_tid_size;
  uint64_t cgroup;
};

/* fork(2)-like: 0 in the child, the child's pid in the parent. */
static inline pid_t
hk_sys_clone3 (struct hk_clone_args *args)
{
  return (pid_t) syscall (SYS_clone3, args, sizeof *args);
}

/* clone(2) without a new stack: fork-like, with namespace flags. */
static inline pid_t
hk_sys_clone (unsigned long flags)
{
  return (pid_t) syscall (SYS_clone, flags, NULL, NULL, NULL, NULL);
}

static inline int
hk_sys_close_range (unsigned int first, unsigned int last, unsigned int flags)
{
  return (int) syscall (SYS_close_range, first, last, flags);
}

static inline int
hk_sys_openat2 (int dirfd, const char *path, struct open_how *how)
{
  return (int) syscall (SYS_openat2, dirfd, path, how, sizeof *how);
}

/* attr: a struct mount_attr of size bytes (linux/mount.h) */
static inline int
hk_sys_mount_setattr (int dirfd, const char *path, unsigned int flags, const void *attr,
                      size_t size)
{
  return (int) syscall (SYS_mount_setattr, dirfd, path, flags, attr, size);
}

static inline int
hk_sys_open_tree (int dirfd, const char *path, unsigned int flags)
{
  return (int) syscall (SYS_open_tree, dirfd, path, flags);
}

static inline int
hk_sys_move_mount (int from_dirfd, const char *from, int to_dirfd, const char *to,
                   unsigned int flags)
{
  return (int) syscall (SYS_move_mount, from_dirfd, from, to_dirfd, to, flags);
}

static inline int
hk_sys_pivot_root (const char *new_root, const char *put_old)
{
  return (int) syscall (SYS_pivot_root, new_root, put_old);
}

static inline long
hk_sys_keyctl (int op, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
  return syscall (SYS_keyctl, op, a2, a3, a4, a5);
}

/* attr: a struct sched_attr (linux/sched/types.h) */
static inline int
hk_sys_sched_setattr (pid_t pid, void *attr, unsigned int flags)
{
  return (int) syscall (SYS_sched_setattr, pid, attr, flags);
}

static inline long
hk_sys_set_mempolicy (int mode, const unsigned long *nodemask, unsigned long maxnode)
{
  return syscall (SYS_set_mempolicy, mode, nodemask, maxnode);
}

static inline int
hk_sys_ioprio_set (int which, int who, int prio)
{
  return (int) syscall (SYS_ioprio_set, which, who, prio);
}

/* hdr, data: cap_user_header_t, cap_user_data_t (linux/capability.h) */
static inline int
hk_sys_capset (void *hdr, void *data)
{
  return (int) syscall (SYS_capset, hdr, data);
}

static inline int
hk_sys_execveat (int dirfd, const char *path, char *const argv[], char *const envp[], int flags)
{
  return (int) syscall (SYS_execveat, dirfd, path, argv, envp, flags);
}

static inline long
hk_sys_seccomp (unsigned int op, unsigned int flags, void *args)
{
  return syscall (SYS_seccomp, op, flags, args);
}

/* attr: a union bpf_attr of size bytes (linux/bpf.h) */
static inline int
hk_sys_bpf (int cmd, void *attr, unsigned int size)
{
  return (int) syscall (SYS_bpf, cmd, attr, size);
}

#endif
