/* satori-test-netns.c — a test process in a network namespace of its own
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* unshare() */
#endif
#include "satori-test-netns.h"

#include <gio/gio.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

/* One write, as /proc's id maps want it. */
static gboolean
write_file (const char *path, const char *text, GError **error)
{
  int fd = open (path, O_WRONLY);
  gssize len = (gssize) strlen (text);
  gboolean written = fd >= 0 && write (fd, text, (gsize) len) == len;
  int saved = errno;

  if (fd >= 0)
    close (fd);
  if (!written)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot write %s: %s", path,
                 g_strerror (saved));
  return written;
}

/**
 * satori_test_netns_enter:
 * @error: why the namespace could not be made
 *
 * Moves the calling process into a new network namespace, whose only
 * interface is a loopback that is down: nothing it sends reaches the
 * machine's networks. As root a plain network namespace; otherwise (or
 * when that is refused) inside a new user namespace where we are root, as
 * `unshare -rn` does. Call it first in main(), while the process has one
 * thread.
 *
 * Returns: whether the process is in its own namespace now
 */
gboolean
satori_test_netns_enter (GError **error)
{
  uid_t uid = geteuid ();
  gid_t gid = getegid ();

  if (uid == 0 && unshare (CLONE_NEWNET) == 0)
    return TRUE;
  if (unshare (CLONE_NEWUSER | CLONE_NEWNET) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create a network namespace (unshare: %s); the mDNS tests "
                   "need root or unprivileged user namespaces", g_strerror (saved));
      return FALSE;
    }
  g_autofree char *uid_map = g_strdup_printf ("0 %u 1\n", (guint) uid);
  g_autofree char *gid_map = g_strdup_printf ("0 %u 1\n", (guint) gid);
  return write_file ("/proc/self/setgroups", "deny", error) &&
         write_file ("/proc/self/uid_map", uid_map, error) &&
         write_file ("/proc/self/gid_map", gid_map, error);
}

/**
 * satori_test_netns_ip:
 * @arguments: the arguments of an `ip` command, e.g. `link set lo up`
 *
 * Runs `ip` in the namespace; the test fails when it does.
 */
void
satori_test_netns_ip (const char *arguments)
{
  g_autofree char *ip = g_find_program_in_path ("ip");
  if (ip == NULL && g_file_test ("/usr/sbin/ip", G_FILE_TEST_IS_EXECUTABLE))
    ip = g_strdup ("/usr/sbin/ip");
  if (ip == NULL)
    g_error ("no “ip” command (Debian package iproute2): cannot set up the test's network");
  g_autofree char *command = g_strdup_printf ("%s %s", ip, arguments);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_command_line_sync (command, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("“%s” failed: %s", command, err);
}

/**
 * satori_test_netns_veth_up:
 * @name: one end of a veth pair, e.g. `mdns0`
 * @address: its address with prefix, e.g. `10.253.0.1/24`
 * @peer_name: the other end
 * @peer_address: its address
 *
 * A veth pair in the namespace, both ends up, multicast-capable.
 */
void
satori_test_netns_veth_up (const char *name, const char *address, const char *peer_name,
                           const char *peer_address)
{
  g_autofree char *add = g_strdup_printf ("link add %s type veth peer name %s", name, peer_name);
  g_autofree char *address_0 = g_strdup_printf ("addr add %s dev %s", address, name);
  g_autofree char *address_1 = g_strdup_printf ("addr add %s dev %s", peer_address, peer_name);
  g_autofree char *up_0 = g_strdup_printf ("link set %s up", name);
  g_autofree char *up_1 = g_strdup_printf ("link set %s up", peer_name);

  satori_test_netns_ip (add);
  satori_test_netns_ip (address_0);
  satori_test_netns_ip (address_1);
  satori_test_netns_ip (up_0);
  satori_test_netns_ip (up_1);
}

/**
 * satori_test_netns_veth_down:
 * @name: one end of a veth pair made by satori_test_netns_veth_up()
 *
 * Deletes the pair (both ends).
 */
void
satori_test_netns_veth_down (const char *name)
{
  g_autofree char *del = g_strdup_printf ("link del %s", name);
  satori_test_netns_ip (del);
}
