/* SPDX-License-Identifier: Apache-2.0 */
/* linux.seccomp: the filter, built with libseccomp and loaded by the init as
 * the very last step before execve (after no_new_privs), and the
 * SCMP_ACT_NOTIFY listener hand-off. */
#ifndef HUSK_SECCOMP_H
#define HUSK_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "husk/error.h"
#include "husk/spec.h"

/* Build and load the filter into the calling process. *notify_fd is the
 * seccomp user-notification fd when the profile uses SCMP_ACT_NOTIFY,
 * otherwise -1. Errors name the field: `linux.seccomp.syscalls[3].action: ...`. */
int hk_seccomp_load (const struct husk_spec_seccomp *sc, int *notify_fd, struct husk_error *err);

/* Called with the listener fd right after the filter is in place, before the
 * loader makes any other system call; the fd is closed when it returns. From
 * then on every syscall of the process may wait for the agent, so the fd
 * must reach it first. */
typedef int (*hk_seccomp_listener_fn) (int fd, void *data, struct husk_error *err);

/* hk_seccomp_load, with the listener fd handed to fn. */
int hk_seccomp_load_send (const struct husk_spec_seccomp *sc, hk_seccomp_listener_fn fn, void *data,
                          struct husk_error *err);

/* The BPF put in front of the profile's program: on the architecture arch
 * (an AUDIT_ARCH_* value), a syscall number above max_nr returns ENOSYS
 * (x32's numbers on x86_64 excepted). Fills stub, returns its length (0
 * when max_nr < 0). */
#define HK_SECCOMP_STUB_MAX 6
struct sock_filter;
size_t hk_seccomp_enosys_stub (uint32_t arch, int max_nr, struct sock_filter *stub);

/* Send the notify fd and the container process state (runtime-spec
 * config-linux.md "Container Process State": ociVersion, fds, pid, metadata,
 * state) to the unix socket at sc->listener_path. Called by the runtime on
 * the host side. state_json is the container's OCI state. */
int hk_seccomp_notify_send (const struct husk_spec_seccomp *sc, int notify_fd, pid_t pid,
                            const char *state_json, struct husk_error *err);

/* Call fn for every syscall name of the profile that neither libseccomp nor
 * husk knows: hk_seccomp_load skips them (profiles list syscalls newer than
 * the host), so that the runtime can log them at debug level. */
/* For `husk features`: whether a filter with this flag (a
 * HUSK_SPEC_SECCOMP_FLAG_* bit) can be loaded here (libseccomp and kernel),
 * and whether libseccomp knows an architecture ("SCMP_ARCH_X86"). */
bool hk_seccomp_flag_supported (uint32_t flag);
bool hk_seccomp_arch_supported (const char *name);

void hk_seccomp_foreach_unknown (const struct husk_spec_seccomp *sc,
                                 void (*fn) (const char *name, void *data), void *data);

#endif
