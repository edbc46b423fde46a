/* TEMPORARY: until libcontainer/security/seccomp.c lands. */
#include "config.h"
#include "security/seccomp.h"
#include "utils.h"

int
husk_seccomp_load (const struct husk_spec_seccomp *sc, int *notify_fd, struct husk_error *err)
{
  (void) sc;
  *notify_fd = -1;
  return husk_error_setx (err, ENOSYS, "linux.seccomp: not implemented yet");
}

int
husk_seccomp_notify_send (const struct husk_spec_seccomp *sc, int notify_fd, pid_t pid,
                          const char *state_json, struct husk_error *err)
{
  (void) sc; (void) notify_fd; (void) pid; (void) state_json;
  return husk_error_setx (err, ENOSYS, "linux.seccomp: not implemented yet");
}
