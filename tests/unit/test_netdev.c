/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of hk_netdev_move (linux.netDevices) on real interfaces: as root,
 * it creates dummy interfaces (veth pairs where the kernel has no dummy
 * driver) with addresses on the host and a network namespace held by a child
 * process, moves them, and looks from inside the namespace with ip(8). It
 * removes everything it creates. Not root: skipped. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "husk/husk.h"
#include "netdev.h"
#include "tap.h"

static pid_t ns_holder = -1; /* keeps the test's network namespace alive */
static int ns_fd = -1;
static char created[16][16]; /* host interfaces this test made */
static int n_created;
static bool use_veth;

/* run a shell command, return its stdout (malloc'ed) and its status */
static char *
sh (int *status, const char *fmt, ...)
{
  char cmd[1024];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (cmd, sizeof cmd, fmt, ap);
  va_end (ap);
  FILE *p = popen (cmd, "r");
  if (p == NULL)
    return strdup ("");
  size_t cap = 4096, len = 0;
  char *out = malloc (cap);
  size_t n;
  while (out && (n = fread (out + len, 1, cap - len - 1, p)) > 0)
    {
      len += n;
      if (cap - len < 2)
        out = realloc (out, cap *= 2);
    }
  int st = pclose (p);
  if (status)
    *status = WIFEXITED (st) ? WEXITSTATUS (st) : 255;
  if (out)
    out[len] = '\0';
  return out ? out : strdup ("");
}

/* the same, inside the test's network namespace (stderr too) */
static char *
in_ns (int *status, const char *fmt, ...)
{
  char cmd[768];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (cmd, sizeof cmd, fmt, ap);
  va_end (ap);
  return sh (status, "nsenter --net=/proc/%d/ns/net sh -c '%s' 2>&1", (int) ns_holder, cmd);
}

static bool
run (const char *fmt, ...)
{
  char cmd[1024];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (cmd, sizeof cmd, fmt, ap);
  va_end (ap);
  int st = system (cmd);
  return st != -1 && WIFEXITED (st) && WEXITSTATUS (st) == 0;
}

/* a host interface named name, up, with the given addresses */
static bool
make_if (const char *name)
{
  bool made = use_veth ? run ("ip link add %s type veth peer name %sp >/dev/null 2>&1", name, name)
                       : run ("ip link add %s type dummy >/dev/null 2>&1", name);
  if (!made)
    return false;
  /* deleting a veth's host end deletes its peer too, wherever it is */
  if (use_veth)
    snprintf (created[n_created++], sizeof created[0], "%sp", name);
  else
    snprintf (created[n_created++], sizeof created[0], "%s", name);
  return run ("ip link set %s up", name);
}

/* `ip -o link` output shows the link administratively up */
static bool
is_up (const char *out)
{
  return strstr (out, ",UP,") || strstr (out, ",UP>") || strstr (out, "<UP,")
         || strstr (out, "<UP>");
}

static bool
host_has (const char *name)
{
  return run ("ip link show dev %s >/dev/null 2>&1", name);
}

static void
cleanup (void)
{
  for (int i = 0; i < n_created; i++)
    if (host_has (created[i]))
      run ("ip link del %s >/dev/null 2>&1", created[i]);
  if (ns_fd >= 0)
    close (ns_fd);
  if (ns_holder > 0)
    {
      kill (ns_holder, SIGKILL);
      waitpid (ns_holder, NULL, 0);
      ns_holder = -1;
    }
}

static void
on_signal (int sig)
{
  cleanup ();
  signal (sig, SIG_DFL);
  raise (sig);
}

/* a child in a new network namespace that waits to be killed */
static bool
make_netns (void)
{
  int p[2];
  if (pipe (p) < 0)
    return false;
  ns_holder = fork ();
  if (ns_holder < 0)
    return false;
  if (ns_holder == 0)
    {
      close (p[0]);
      char ok = unshare (CLONE_NEWNET) == 0 ? 'y' : 'n';
      if (write (p[1], &ok, 1) != 1)
        _exit (1);
      for (;;)
        pause ();
    }
  close (p[1]);
  char c = 'n';
  if (read (p[0], &c, 1) != 1 || c != 'y')
    return false;
  close (p[0]);
  char path[64];
  snprintf (path, sizeof path, "/proc/%d/ns/net", (int) ns_holder);
  ns_fd = open (path, O_RDONLY | O_CLOEXEC);
  return ns_fd >= 0;
}

static ino_t
my_netns (void)
{
  struct stat st;
  return stat ("/proc/self/ns/net", &st) == 0 ? st.st_ino : 0;
}

static int
move (const char *host_name, const char *name, struct husk_error *err)
{
  struct husk_spec_net_device d = { .host_name = (char *) host_name, .name = (char *) name };
  husk_error_clear (err);
  return hk_netdev_move (&d, 1, ns_fd, err);
}

int
main (void)
{
  if (geteuid () != 0)
    {
      printf ("1..0 # SKIP needs root\n");
      return 0;
    }
  if (!run ("command -v ip >/dev/null && command -v nsenter >/dev/null"))
    {
      printf ("1..0 # SKIP needs ip(8) and nsenter(1)\n");
      return 0;
    }
  signal (SIGINT, on_signal);
  signal (SIGTERM, on_signal);
  atexit (cleanup);

  unsigned id = (unsigned) getpid () % 100000;
  char a[16], b[16], c[16], d[16], e[16], f[16], g[16], h[16], missing[16];
  snprintf (a, sizeof a, "hk%05ua", id);
  snprintf (b, sizeof b, "hk%05ub", id);
  snprintf (c, sizeof c, "hk%05uc", id);
  snprintf (d, sizeof d, "hk%05ud", id);
  snprintf (e, sizeof e, "hk%05ue", id);
  snprintf (f, sizeof f, "hk%05uf", id);
  snprintf (g, sizeof g, "hk%05ug", id);
  snprintf (h, sizeof h, "hk%05uh", id);
  snprintf (missing, sizeof missing, "hk%05uz", id);

  if (!make_if (a))
    {
      use_veth = true;
      n_created = 0;
      if (!make_if (a))
        {
          printf ("1..0 # SKIP cannot create a dummy or veth interface\n");
          return 0;
        }
    }
  printf ("# using %s interfaces\n", use_veth ? "veth" : "dummy");
  if (!make_netns ())
    {
      printf ("1..0 # SKIP cannot create a network namespace\n");
      return 0;
    }
  ino_t host_ns = my_netns ();
  struct husk_error err = { 0 };
  int status;
  char *out;

  /* move and rename, with permanent global addresses only */
  ok (run ("ip addr add 10.210.0.5/24 dev %s", a), "host: IPv4 address added");
  ok (run ("ip addr add 2001:db8:42::5/64 dev %s nodad", a), "host: IPv6 address added");
  ok (run ("ip addr add 10.210.1.5/24 dev %s valid_lft 300 preferred_lft 300", a),
      "host: a non-permanent address added");
  ok (run ("ip addr add 10.210.2.5/24 dev %s scope host", a), "host: a host-scope address added");
  is_int (move (a, "ctr0", &err), 0, "move with a new name");
  is_str (err.msg, "", "no error message");
  ok (my_netns () == host_ns, "the caller stays in its network namespace");
  ok (!host_has (a), "the interface left the host");
  out = in_ns (&status, "ip -o link show dev %s", "ctr0");
  is_int (status, 0, "the interface is in the namespace as ctr0");
  like (out, ": ctr0", "ip link output names ctr0");
  ok (is_up (out), "ctr0 is up");
  free (out);
  out = in_ns (&status, "ip -o addr show dev %s", "ctr0");
  like (out, "inet 10.210.0.5/24 ", "the IPv4 address came along");
  like (out, "inet6 2001:db8:42::5/64 ", "the IPv6 address came along");
  ok (strstr (out, "10.210.1.5") == NULL, "the non-permanent address did not");
  ok (strstr (out, "10.210.2.5") == NULL, "the host-scope address did not");
  free (out);

  /* the caller's own namespace: refused, nothing renamed */
  ok (make_if (h), "host: an interface for the host-namespace case");
  int self_fd = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  struct husk_spec_net_device self_dev = { .host_name = h, .name = (char *) "ctrself" };
  husk_error_clear (&err);
  is_int (hk_netdev_move (&self_dev, 1, self_fd, &err), -EINVAL,
          "moving into the caller's own namespace is refused");
  is_str (err.msg, "linux.netDevices: the container shares the host's network namespace",
          "its message");
  close (self_fd);
  ok (host_has (h) && !host_has ("ctrself"), "the interface kept its name on the host");

  /* missing */
  is_int (move (missing, NULL, &err), -ENODEV, "a missing interface is an error");
  char want[128];
  snprintf (want, sizeof want, "linux.netDevices \"%s\": no such network interface", missing);
  is_str (err.msg, want, "missing interface message");

  /* taken name: the device stays on the host as it was */
  ok (make_if (b), "host: second interface");
  ok (run ("ip addr add 10.210.3.5/24 dev %s", b), "host: its address");
  is_int (move (b, "ctr0", &err), -EEXIST, "a name taken in the namespace is an error");
  snprintf (want, sizeof want, "linux.netDevices \"%s\": the name \"ctr0\" is already taken", b);
  like (err.msg, want, "taken name message");
  ok (host_has (b), "the device stayed on the host");
  out = sh (NULL, "ip -o addr show dev %s; ip -o link show dev %s", b, b);
  like (out, "10.210.3.5/24", "with its address");
  ok (is_up (out), "and up");
  free (out);

  /* same name, no rename */
  is_int (move (b, NULL, &err), 0, "move keeping the host name");
  out = in_ns (&status, "ip -o addr show dev %s", b);
  is_int (status, 0, "the interface is in the namespace under its host name");
  like (out, "10.210.3.5/24", "with its address");
  free (out);
  ok (make_if (g), "host: another interface");
  is_int (move (g, "", &err), 0, "an empty name means the host name, as runc");
  out = in_ns (&status, "ip -o link show dev %s", g);
  is_int (status, 0, "the interface is in the namespace under its host name");
  free (out);

  /* templates */
  ok (make_if (c), "host: third interface");
  ok (make_if (d), "host: fourth interface");
  ok (run ("ip addr add 10.210.4.5/24 dev %s", d), "host: its address");
  struct husk_spec_net_device two[] = { { .host_name = c, .name = (char *) "eth%d" },
                                        { .host_name = d, .name = (char *) "eth%d" } };
  husk_error_clear (&err);
  is_int (hk_netdev_move (two, 2, ns_fd, &err), 0, "two devices with the template eth%d");
  is_str (err.msg, "", "no error message");
  out = in_ns (&status,
               "ip -o link show dev eth0; ip -o link show dev eth1; ip -o addr show dev eth1");
  is_int (status, 0, "eth0 and eth1 exist in the namespace");
  like (out, ": eth0", "eth0");
  like (out, ": eth1", "eth1");
  like (out, "inet 10.210.4.5/24", "the second one kept its address");
  free (out);
  ok (!host_has (c) && !host_has (d), "both left the host");

  /* a later device fails: the earlier one goes back to the host as it was */
  ok (make_if (e), "host: fifth interface");
  ok (run ("ip addr add 10.210.5.5/24 dev %s && ip addr add 2001:db8:43::5/64 dev %s nodad", e, e),
      "host: its addresses");
  struct husk_spec_net_device bad[] = { { .host_name = e, .name = (char *) "ctr5" },
                                        { .host_name = missing, .name = NULL } };
  husk_error_clear (&err);
  is_int (hk_netdev_move (bad, 2, ns_fd, &err), -ENODEV, "the second device is missing");
  like (err.msg, "no such network interface", "message of the second device");
  ok (host_has (e), "the first device is back on the host");
  out = sh (NULL, "ip -o addr show dev %s; ip -o link show dev %s", e, e);
  like (out, "10.210.5.5/24", "with its IPv4 address");
  like (out, "2001:db8:43::5/64", "with its IPv6 address");
  ok (is_up (out), "and up");
  free (out);
  out = in_ns (&status, "ip -o link show dev %s", "ctr5");
  ok (status != 0, "nothing named ctr5 is left in the namespace");
  free (out);

  /* the kernel refuses the rename after the move (an altname holds the
   * name, which a name lookup does not show): the device comes back */
  ok (make_if (f), "host: sixth interface");
  out = in_ns (&status, "ip link property add dev ctr0 altname %s", "ctralt");
  if (status != 0)
    printf ("# altname not supported here: %s", out);
  free (out);
  if (status == 0)
    {
      int ret = move (f, "ctralt", &err);
      ok (ret < 0, "a rename refused by the kernel is an error");
      snprintf (want, sizeof want, "linux.netDevices \"%s\": ", f);
      like (err.msg, want, "the message names the device");
      printf ("#   %s\n", err.msg);
      ok (host_has (f), "the device is back on the host");
      out = sh (NULL, "ip -o link show dev %s", f);
      ok (is_up (out), "and up");
      free (out);
    }

  /* an interface that cannot change namespace: the kernel says why */
  char br[16];
  snprintf (br, sizeof br, "hk%05ur", id);
  if (run ("ip link add %s type bridge >/dev/null 2>&1", br))
    {
      snprintf (created[n_created++], sizeof created[0], "%s", br);
      is_int (move (br, NULL, &err), -EINVAL, "a bridge cannot be moved");
      snprintf (want, sizeof want,
                "linux.netDevices \"%s\": move it into the container's network namespace", br);
      like (err.msg, want, "the message names the device and the step");
      printf ("#   %s\n", err.msg);
      ok (host_has (br), "the bridge is still on the host");
    }

  ok (my_netns () == host_ns, "the caller is still in its network namespace");
  cleanup ();
  return tap_done ();
}
