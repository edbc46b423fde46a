/* SPDX-License-Identifier: Apache-2.0 */
/* Terminals: the container's pty, the console socket protocol of runc's
 * callers (the master sent with SCM_RIGHTS), and the caller's terminal in
 * raw mode for `run` in the foreground. */
#ifndef HUSK_TERMINAL_H
#define HUSK_TERMINAL_H

#include <stdbool.h>
#include <termios.h>
#include "husk/error.h"

/* Open a new pty through ptmx_path ("/dev/ptmx" of the container's devpts);
 * the slave is opened from the master (TIOCGPTPEER), never by path. */
int hk_pty_open (const char *ptmx_path, int *master, int *slave, struct husk_error *err);

/* Set the window size. */
int hk_pty_set_size (int fd, unsigned height, unsigned width, struct husk_error *err);

/* Make slave the controlling terminal and stdio of the calling process
 * (which must be a session leader or become one). */
int hk_pty_make_controlling (int slave, struct husk_error *err);

/* Connect to the unix socket at path and send fd over it (SCM_RIGHTS). */
int hk_console_socket_send (const char *path, int fd, struct husk_error *err);

/* Connect to a console socket; the connected fd is returned in *sock. */
int hk_console_socket_connect (const char *path, int *sock, struct husk_error *err);
int hk_send_fd (int sock, int fd, const char *name, struct husk_error *err);

/* The caller's terminal in raw mode; restored with hk_tty_restore. */
struct husk_tty
{
  int fd;
  bool saved;
  struct termios orig;
};
int hk_tty_raw (int fd, struct husk_tty *tty, struct husk_error *err);
void hk_tty_restore (struct husk_tty *tty);
/* Copy the window size of from to the pty to. */
void hk_tty_copy_size (int from, int to);

#endif
