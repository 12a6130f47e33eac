/* Expanding unspecified listen addresses to interface addresses. */
#include "satorip2p.h"
#include "satori-interface-addresses.h"

static GPtrArray *
ips (const char *first, ...)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;

  va_start (args, first);
  for (const char *text = first; text != NULL; text = va_arg (args, const char *))
    g_ptr_array_add (array, g_inet_address_new_from_string (text));
  va_end (args);
  return array;
}

static void
assert_expands (const char *listen, GPtrArray *interfaces, const char * const *expected)
{
  g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (listen, NULL);
  g_autoptr(GPtrArray) expanded = satori_multiaddr_expand_unspecified (address, interfaces);

  g_assert_cmpuint (expanded->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < expanded->len; i++)
    {
      g_autofree char *text = satori_multiaddr_to_string (g_ptr_array_index (expanded, i));
      g_assert_cmpstr (text, ==, expected[i]);
    }
}

static void
test_expand (void)
{
  g_autoptr(GPtrArray) interfaces = ips ("127.0.0.1", "192.168.1.7", "::1", "2001:db8::5", NULL);

  g_test_summary ("0.0.0.0 and :: become each interface address of their family, the rest kept");
  assert_expands ("/ip4/0.0.0.0/tcp/4001", interfaces,
                  (const char * const[]) { "/ip4/127.0.0.1/tcp/4001", "/ip4/192.168.1.7/tcp/4001",
                                           NULL });
  assert_expands ("/ip6/::/udp/4001/quic-v1", interfaces,
                  (const char * const[]) { "/ip6/::1/udp/4001/quic-v1",
                                           "/ip6/2001:db8::5/udp/4001/quic-v1", NULL });
  assert_expands ("/ip4/10.1.2.3/tcp/1", interfaces,
                  (const char * const[]) { "/ip4/10.1.2.3/tcp/1", NULL });
  assert_expands ("/memory/7", interfaces, (const char * const[]) { "/memory/7", NULL });
}

static void
test_machine (void)
{
  g_test_summary ("This machine's addresses include loopback and no IPv6 link-local address");
  g_autoptr(GPtrArray) interfaces = satori_interface_addresses_get ();
  gboolean loopback = FALSE;

  for (guint i = 0; i < interfaces->len; i++)
    {
      GInetAddress *ip = g_ptr_array_index (interfaces, i);
      loopback |= g_inet_address_get_is_loopback (ip);
      g_assert_false (g_inet_address_get_is_link_local (ip));
    }
  g_assert_true (loopback);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/interface-addresses/expand/unspecified", test_expand);
  g_test_add_func ("/interface-addresses/get/machine", test_machine);
  return g_test_run ();
}
