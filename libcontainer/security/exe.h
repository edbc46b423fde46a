/* SPDX-License-Identifier: Apache-2.0 */
/* The /proc/self/exe class of escapes (CVE-2019-5736): a container process
 * that executes the runtime's own binary (an entrypoint or interpreter that
 * is /proc/self/exe) could hold it open and rewrite the host's husk once
 * husk exits. husk's processes that enter a container therefore run from a
 * sealed in-memory copy of the binary: nothing a container reaches through
 * /proc/PID/exe is the file on the host, and the copy cannot be written. */
#ifndef HUSK_EXE_H
#define HUSK_EXE_H

#include <stdbool.h>
#include "husk/error.h"

/* True when the running binary is a sealed memfd. */
bool hk_exe_is_sealed (void);

/* Unless already running from a sealed copy: copy /proc/self/exe into a
 * memfd, seal it against every change, and execve it with argv and envp.
 * Returns only on failure (or 0 when nothing had to be done). */
int hk_exe_reexec_sealed (char **argv, char **envp, struct husk_error *err);

#endif
