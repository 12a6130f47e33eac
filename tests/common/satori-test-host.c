/* satori-test-host.c — host fixtures shared by the test suites */
#include "satori-test-host.h"
#include "satori-test-util.h"

/* A new instance of the feature (iface, name); asserts it is registered. */
gpointer
satori_test_create (SatoriRegistry *registry, GType iface, const char *name)
{
  SatoriFeature *feature = satori_registry_lookup (registry, iface, name);
  g_assert_nonnull (feature);
  return satori_feature_create (feature);
}

static const char *
first_protocol_id (SatoriRegistry *registry, GType iface, const char *name)
{
  SatoriFeature *feature = satori_registry_lookup (registry, iface, name);
  g_assert_nonnull (feature);
  const char * const *ids = satori_feature_get_protocol_ids (feature);
  g_assert_nonnull (ids);
  g_assert_nonnull (ids[0]);
  return ids[0];
}

/* A host with a fresh Ed25519 key and the named transport, security and
 * muxer features, the latter two under their features' first protocol id. */
SatoriHost *
satori_test_host_new (SatoriRegistry *registry, const char *transport, const char *security,
                      const char *muxer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, &error);
  g_assert_no_error (error);
  return satori_test_host_new_with_key (registry, key, transport, security, muxer);
}

/* The same with the given key (a secp256k1 one for Satori identities). */
SatoriHost *
satori_test_host_new_with_key (SatoriRegistry *registry, SatoriPrivateKey *key,
                               const char *transport, const char *security, const char *muxer)
{
  SatoriHost *host = satori_host_new (key);
  g_autoptr(SatoriTransport) t = satori_test_create (registry, SATORI_TYPE_TRANSPORT, transport);
  g_autoptr(SatoriSecurity) s = satori_test_create (registry, SATORI_TYPE_SECURITY, security);
  g_autoptr(SatoriMuxer) m = satori_test_create (registry, SATORI_TYPE_MUXER, muxer);

  satori_host_add_transport (host, t);
  satori_host_add_security (host, first_protocol_id (registry, SATORI_TYPE_SECURITY, security),
                            s);
  satori_host_add_muxer (host, first_protocol_id (registry, SATORI_TYPE_MUXER, muxer), m);
  return host;
}

/* address + /p2p/<peer>. */
SatoriMultiaddr *
satori_test_address_with_peer (SatoriMultiaddr *address, SatoriPeerId *peer)
{
  GBytes *id = satori_peer_id_get_bytes (peer);   /* transfer none */
  g_autoptr(SatoriMultiaddr) p2p = satori_multiaddr_new_p2p (g_bytes_get_data (id, NULL),
                                                             g_bytes_get_size (id), NULL);
  return satori_multiaddr_encapsulate (address, p2p);
}

/* Connects and waits. */
SatoriConnection *
satori_test_connect (SatoriHost *host, SatoriMultiaddr *address, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  satori_host_connect_async (host, address, NULL, satori_test_store_result, &result);
  return satori_host_connect_finish (host, satori_test_wait (&result), error);
}

/* Listens on @address (asserting success) and returns the host's first
 * listen address, without /p2p/. */
SatoriMultiaddr *
satori_test_listen_address (SatoriHost *host, const char *address)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SatoriMultiaddr) any = satori_multiaddr_new_from_string (address, &error);

  g_assert_no_error (error);
  satori_host_listen_async (host, any, NULL, satori_test_store_result, &result);
  g_assert_true (satori_host_listen_finish (host, satori_test_wait (&result), &error));
  g_assert_no_error (error);
  g_autoptr(GPtrArray) addresses = satori_host_get_listen_addresses (host);
  g_assert_cmpuint (addresses->len, >=, 1);
  return satori_multiaddr_ref (g_ptr_array_index (addresses, 0));
}

/* As satori_test_listen_address(), as text with /p2p/<host's peer id>. */
char *
satori_test_listen (SatoriHost *host, const char *address)
{
  g_autoptr(SatoriMultiaddr) bound = satori_test_listen_address (host, address);
  g_autofree char *text = satori_multiaddr_to_string (bound);
  g_autofree char *peer = satori_peer_id_to_string (satori_host_get_peer_id (host));

  return g_strdup_printf ("%s/p2p/%s", text, peer);
}
