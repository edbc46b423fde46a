/* SPDX-License-Identifier: Apache-2.0 */
/* Sanitizer builds (configure --enable-sanitizers) only: keep the reports
 * of a child that leaves the host's file system (the init, the exec child)
 * where the test run reads them. Everywhere else these do nothing. */
#ifndef HUSK_SANITIZER_H
#define HUSK_SANITIZER_H

/* True when husk was built with AddressSanitizer. */
int hk_sanitizer_enabled (void);

/* In a child about to pivot_root or setns into a container: open the
 * report file named by $HUSK_SANITIZER_REPORTS (a directory on the host)
 * and send every later sanitizer report there, since the log_path of
 * ASAN_OPTIONS will not resolve inside the container. Returns the fd to
 * keep open (close-on-exec: the user's program has its own reports), or -1
 * when there is nothing to pin. */
int hk_sanitizer_pin_reports (void);

#endif
