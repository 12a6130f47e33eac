/* The rendezvous point's core and the client's requests and schedule,
 * against each other with a fake clock (plain numbers of microseconds). */
#include "satorip2p.h"
#include "satori-rendezvous-client.h"
#include "satori-rendezvous-server.h"
#include "satori-test-util.h"

#define SECOND G_GINT64_CONSTANT (1000000)
#define HOUR (3600 * SECOND)

/* A peer with a fixed key and its signed peer record. */
typedef struct
{
  SatoriPrivateKey *key;
  SatoriPeerId *id;
  GBytes *record;
} Peer;

static Peer *
peer_new (guint8 fill)
{
  g_autoptr(GError) error = NULL;
  Peer *peer = g_new0 (Peer, 1);
  g_autofree char *text = g_strdup_printf ("/memory/%u", fill);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (
    (GDestroyNotify) satori_multiaddr_unref);

  peer->key = satori_test_secp256k1_key_filled (fill);
  peer->id = satori_peer_id_new_from_public_key (satori_private_key_get_public_key (peer->key));
  g_ptr_array_add (addresses, satori_multiaddr_new_from_string (text, &error));
  g_assert_no_error (error);
  g_autoptr(SatoriPeerRecord) record = satori_peer_record_new (peer->id, 1, addresses);
  g_autoptr(SatoriEnvelope) envelope = satori_peer_record_seal (record, peer->key, &error);
  g_assert_no_error (error);
  peer->record = satori_envelope_encode (envelope);
  return peer;
}

static void
peer_free (Peer *peer)
{
  g_object_unref (peer->key);
  satori_peer_id_unref (peer->id);
  g_bytes_unref (peer->record);
  g_free (peer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

static SatoriRendezvousServer *
server_new (void)
{
  SatoriRendezvousLimits limits;

  satori_rendezvous_limits_init (&limits);
  return satori_rendezvous_server_new (&limits);
}

/* Sends @request from @from and returns the response. */
static GBytes *
handle (SatoriRendezvousServer *server, SatoriPeerId *from, GBytes *request, gint64 now)
{
  g_autoptr(GError) error = NULL;
  GBytes *response = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (request, &len);

  g_assert_true (satori_rendezvous_server_handle (server, from, data, len, now, &response,
                                                  &error));
  g_assert_no_error (error);
  return response;
}

/* Registers and returns the TTL granted, or 0 with @error set. */
static guint
try_register (SatoriRendezvousServer *server, SatoriPeerId *from, const char *ns, GBytes *record,
              guint ttl, gint64 now, GError **error)
{
  g_autoptr(GBytes) request = satori_rendezvous_register_request (ns, record, ttl);
  g_autoptr(GBytes) response = handle (server, from, request, now);
  guint granted = 0;

  g_assert_nonnull (response);
  if (!satori_rendezvous_read_register_response (g_bytes_get_data (response, NULL),
                                                 g_bytes_get_size (response), &granted, error))
    return 0;
  return granted;
}

static void
assert_registered (SatoriRendezvousServer *server, Peer *peer, const char *ns, guint ttl,
                   gint64 now)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (try_register (server, peer->id, ns, peer->record, ttl, now, &error), ==, ttl);
  g_assert_no_error (error);
}

static void
assert_refused (SatoriRendezvousServer *server, SatoriPeerId *from, const char *ns,
                GBytes *record, guint ttl, int status)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (try_register (server, from, ns, record, ttl, 0, &error), ==, 0);
  g_assert_error (error, SATORI_RENDEZVOUS_ERROR, status);
}

/* Discovers; @cookie is read and replaced. Returns the peers, or NULL with
 * @error set. */
static GPtrArray *
try_discover (SatoriRendezvousServer *server, const char *ns, guint limit, GBytes **cookie,
              gint64 now, GError **error)
{
  g_autoptr(Peer) asker = peer_new (0x7f);
  g_autoptr(GBytes) request = satori_rendezvous_discover_request (ns, limit,
                                                                   cookie ? *cookie : NULL);
  g_autoptr(GBytes) response = handle (server, asker->id, request, now);
  g_autoptr(GBytes) next = NULL;

  g_assert_nonnull (response);
  GPtrArray *peers = satori_rendezvous_read_discover_response (
    g_bytes_get_data (response, NULL), g_bytes_get_size (response), ns, &next, error);
  if (peers != NULL && cookie != NULL)
    {
      g_assert_nonnull (next);
      g_clear_pointer (cookie, g_bytes_unref);
      *cookie = g_steal_pointer (&next);
    }
  return peers;
}

static GPtrArray *
discover (SatoriRendezvousServer *server, const char *ns, guint limit, GBytes **cookie,
          gint64 now)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *peers = try_discover (server, ns, limit, cookie, now, &error);

  g_assert_no_error (error);
  g_assert_nonnull (peers);
  return peers;
}

static gboolean
has_peer (GPtrArray *peers, Peer *peer)
{
  for (guint i = 0; i < peers->len; i++)
    if (satori_peer_id_equal (satori_peer_info_get_peer_id (g_ptr_array_index (peers, i)),
                              peer->id))
      return TRUE;
  return FALSE;
}

static void
test_register_discover (void)
{
  g_autoptr(SatoriRendezvousServer) server = server_new ();
  g_autoptr(Peer) b = peer_new (0x02);
  g_autoptr(Peer) d = peer_new (0x04);

  g_test_summary ("A registration is discovered with the record's addresses, in its namespace "
                  "only, and in a discover of all namespaces");
  assert_registered (server, b, "satori/pub/stream-1", 7200, 0);
  assert_registered (server, d, "satori/sub/stream-1", 7200, 0);

  g_autoptr(GPtrArray) peers = discover (server, "satori/pub/stream-1", 0, NULL, SECOND);
  g_assert_cmpuint (peers->len, ==, 1);
  SatoriPeerInfo *info = g_ptr_array_index (peers, 0);
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (info), b->id));
  GPtrArray *addresses = satori_peer_info_get_addresses (info);
  g_assert_cmpuint (addresses->len, ==, 1);
  g_autofree char *address = satori_multiaddr_to_string (g_ptr_array_index (addresses, 0));
  g_assert_cmpstr (address, ==, "/memory/2");

  g_autoptr(GPtrArray) all = discover (server, NULL, 0, NULL, SECOND);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_true (has_peer (all, b) && has_peer (all, d));
  g_autoptr(GPtrArray) none = discover (server, "satori/pub/other", 0, NULL, SECOND);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_default_ttl (void)
{
  g_autoptr(SatoriRendezvousServer) server = server_new ();
  g_autoptr(Peer) b = peer_new (0x02);
  g_autoptr(GError) error = NULL;
  Satori__Rendezvous__Message__Register body = SATORI__RENDEZVOUS__MESSAGE__REGISTER__INIT;
  SatoriRendezvousMessage message = SATORI__RENDEZVOUS__MESSAGE__INIT;
  guint ttl = 0;

  g_test_summary ("A registration without a TTL gets 2 h");
  body.ns = (char *) "ns";
  body.has_signedpeerrecord = TRUE;
  body.signedpeerrecord.data = (guint8 *) g_bytes_get_data (b->record,
                                                             &body.signedpeerrecord.len);
  message.has_type = TRUE;
  message.type = SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__REGISTER;
  message.register_ = &body;
  g_autoptr(GBytes) request = satori_protobuf_pack (&message.base);
  g_autoptr(GBytes) response = handle (server, b->id, request, 0);
  g_assert_true (satori_rendezvous_read_register_response (g_bytes_get_data (response, NULL),
                                                           g_bytes_get_size (response), &ttl,
                                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ttl, ==, 7200);
}

static void
test_paging (void)
{
  g_autoptr(SatoriRendezvousServer) server = server_new ();
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  g_autoptr(GBytes) cookie = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (satori_peer_id_hash, satori_peer_id_equal);

  g_test_summary ("Pages of a discover follow each other by cookie without repeats, and the "
                  "last cookie then returns only new registrations");
  for (guint8 i = 0; i < 5; i++)
    {
      g_ptr_array_add (peers, peer_new (0x10 + i));
      assert_registered (server, g_ptr_array_index (peers, i), "ns", 7200, 0);
    }
  static const guint pages[] = { 2, 2, 1, 0 };
  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      g_autoptr(GPtrArray) page = discover (server, "ns", 2, &cookie, SECOND);
      g_assert_cmpuint (page->len, ==, pages[p]);
      for (guint i = 0; i < page->len; i++)
        g_assert_true (g_hash_table_add (seen, satori_peer_info_get_peer_id (
                                           g_ptr_array_index (page, i))));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 5);

  g_autoptr(Peer) late = peer_new (0x20);
  assert_registered (server, late, "ns", 7200, 2 * SECOND);
  g_autoptr(GPtrArray) fresh = discover (server, "ns", 0, &cookie, 3 * SECOND);
  g_assert_cmpuint (fresh->len, ==, 1);
  g_assert_true (has_peer (fresh, late));
}

static void
test_bad_cookie (void)
{
  g_autoptr(SatoriRendezvousServer) server = server_new ();
  g_autoptr(Peer) b = peer_new (0x02);
  g_autoptr(GBytes) cookie = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A cookie of another namespace, a made-up one and one from the future are "
                  "refused with E_INVALID_COOKIE");
  assert_registered (server, b, "a", 7200, 0);
  g_autoptr(GPtrArray) first = discover (server, "a", 0, &cookie, 0);
  g_assert_cmpuint (first->len, ==, 1);

  GBytes *for_a = g_bytes_ref (cookie);
  g_assert_null (try_discover (server, "b", 0, &cookie, 0, &error));
  g_assert_error (error, SATORI_RENDEZVOUS_ERROR, SATORI_RENDEZVOUS_ERROR_INVALID_COOKIE);
  g_clear_error (&error);
  g_assert_true (cookie == for_a);
  g_bytes_unref (for_a);

  static const guint8 garbage[] = { 1, 2, 3 };
  static const guint8 future[] = { 0, 0, 0, 0, 0, 0, 0, 9, 'a' };
  GBytes *bad[] = { g_bytes_new_static (garbage, sizeof garbage),
                    g_bytes_new_static (future, sizeof future) };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      GBytes *c = bad[i];
      g_assert_null (try_discover (server, "a", 0, &c, 0, &error));
      g_assert_error (error, SATORI_RENDEZVOUS_ERROR, SATORI_RENDEZVOUS_ERROR_INVALID_COOKIE);
      g_clear_error (&error);
      g_bytes_unref (c);
    }
}

static void
test_expiry (void)
{
  g_autoptr(SatoriRendezvousServer) server = server_new ();
  g_autoptr(Peer) b = peer_new (0x02);

  g_test_summary ("A registration is discovered until its TTL runs out, then dropped");
  assert_registered (server, b, "ns", 7200, 0);
  g_autoptr(GPtrArray) before = discover (server, "ns", 0, NULL, 7200 * SECOND - 1);
  g_assert_cmpuint (before->len, ==, 1);
  g_autoptr(GPtrArray) after = discover (server, "ns", 0, NULL, 7200 * SECOND);
  g_assert_cmpuint (after->len, ==, 0);
  g_assert_cmpuint (satori_rendezvous_server_get_count (server), ==, 0);
}

static void
test_refresh (void)
{
  g_autoptr(SatoriRendezvousServer) server = server_new ();
  g_autoptr(Peer) b = peer_new (0x02);

  g_test_summary ("Registering again supersedes the registration and its TTL");
  assert_registered (server, b, "ns", 7200, 0);
  assert_registered (server, b, "ns", 7200, HOUR);
  g_assert_cmpuint (satori_rendezvous_server_get_count (server), ==, 1);
  g_autoptr(GPtrArray) later = discover (server, "ns", 0, NULL, 2 * HOUR + 30 * 60 * SECOND);
  g_assert_cmpuint (later->len, ==, 1);
  g_autoptr(GPtrArray) gone = discover (server, "ns", 0, NULL, 3 * HOUR);
  g_assert_cmpuint (gone->len, ==, 0);
}

static void
test_ttl_bounds (void)
{
  g_autoptr(SatoriRendezvousServer) server = server_new ();
  g_autoptr(Peer) b = peer_new (0x02);

  g_test_summary ("TTLs under 2 h or over 72 h are refused with E_INVALID_TTL");
  assert_refused (server, b->id, "ns", b->record, 60, SATORI_RENDEZVOUS_ERROR_INVALID_TTL);
  assert_refused (server, b->id, "ns", b->record, 72 * 3600 + 1,
                  SATORI_RENDEZVOUS_ERROR_INVALID_TTL);
  assert_registered (server, b, "ns", 72 * 3600, 0);
  assert_registered (server, b, "ns", 2 * 3600, 0);
}

static void
test_bad_namespace (void)
{
  g_autoptr(SatoriRendezvousServer) server = server_new ();
  g_autoptr(Peer) b = peer_new (0x02);
  g_autoptr(GError) error = NULL;
  g_autofree char *longest = g_strnfill (255, 'n');
  g_autofree char *too_long = g_strnfill (256, 'n');

  g_test_summary ("Empty, over 255 bytes or not UTF-8: E_INVALID_NAMESPACE, for register and "
                  "discover");
  assert_refused (server, b->id, "", b->record, 7200, SATORI_RENDEZVOUS_ERROR_INVALID_NAMESPACE);
  assert_refused (server, b->id, too_long, b->record, 7200,
                  SATORI_RENDEZVOUS_ERROR_INVALID_NAMESPACE);
  assert_refused (server, b->id, "bad\xff", b->record, 7200,
                  SATORI_RENDEZVOUS_ERROR_INVALID_NAMESPACE);
  assert_registered (server, b, longest, 7200, 0);
  g_assert_null (try_discover (server, too_long, 0, NULL, 0, &error));
  g_assert_error (error, SATORI_RENDEZVOUS_ERROR, SATORI_RENDEZVOUS_ERROR_INVALID_NAMESPACE);
}

static void
test_bad_record (void)
{
  g_autoptr(SatoriRendezvousServer) server = server_new ();
  g_autoptr(Peer) b = peer_new (0x02);
  g_autoptr(Peer) c = peer_new (0x03);
  static const guint8 garbage[] = { 0x0a, 0x03, 'x', 'y', 'z' };
  g_autoptr(GBytes) junk = g_bytes_new_static (garbage, sizeof garbage);
  g_autoptr(GByteArray) tampered = g_byte_array_new ();

  g_test_summary ("Malformed or badly signed records are refused with "
                  "E_INVALID_SIGNED_PEER_RECORD, another peer's with E_NOT_AUTHORIZED");
  assert_refused (server, b->id, "ns", junk, 7200,
                  SATORI_RENDEZVOUS_ERROR_INVALID_SIGNED_PEER_RECORD);
  g_byte_array_append (tampered, g_bytes_get_data (b->record, NULL), g_bytes_get_size (b->record));
  tampered->data[tampered->len - 1] ^= 0x01;   /* in the signature */
  g_autoptr(GBytes) forged = g_byte_array_free_to_bytes (g_steal_pointer (&tampered));
  assert_refused (server, b->id, "ns", forged, 7200,
                  SATORI_RENDEZVOUS_ERROR_INVALID_SIGNED_PEER_RECORD);
  assert_refused (server, b->id, "ns", c->record, 7200, SATORI_RENDEZVOUS_ERROR_NOT_AUTHORIZED);
  g_assert_cmpuint (satori_rendezvous_server_get_count (server), ==, 0);
}

static void
test_limits (void)
{
  SatoriRendezvousLimits limits;
  g_autoptr(Peer) b = peer_new (0x02);
  g_autoptr(Peer) c = peer_new (0x03);
  g_autoptr(Peer) d = peer_new (0x04);

  g_test_summary ("Registrations per peer, per namespace and in all are bounded; a refresh "
                  "is not a new one; discover returns at most max-discover");
  satori_rendezvous_limits_init (&limits);
  limits.max_per_peer = 2;
  limits.max_per_namespace = 2;
  limits.max_total = 3;
  limits.max_discover = 1;
  g_autoptr(SatoriRendezvousServer) server = satori_rendezvous_server_new (&limits);

  assert_registered (server, b, "x", 7200, 0);
  assert_registered (server, b, "y", 7200, 0);
  assert_refused (server, b->id, "z", b->record, 7200, SATORI_RENDEZVOUS_ERROR_NOT_AUTHORIZED);
  assert_registered (server, b, "x", 7200, 0);
  assert_registered (server, c, "x", 7200, 0);
  assert_refused (server, d->id, "x", d->record, 7200, SATORI_RENDEZVOUS_ERROR_UNAVAILABLE);
  assert_refused (server, d->id, "z", d->record, 7200, SATORI_RENDEZVOUS_ERROR_UNAVAILABLE);
  g_assert_cmpuint (satori_rendezvous_server_get_count (server), ==, 3);
  g_autoptr(GPtrArray) page = discover (server, "x", 10, NULL, 0);
  g_assert_cmpuint (page->len, ==, 1);
}

static void
test_unregister (void)
{
  g_autoptr(SatoriRendezvousServer) server = server_new ();
  g_autoptr(Peer) b = peer_new (0x02);
  g_autoptr(Peer) c = peer_new (0x03);

  g_test_summary ("Unregister drops the sender's own registration only, and has no response");
  assert_registered (server, b, "ns", 7200, 0);
  assert_registered (server, c, "ns", 7200, 0);
  g_autoptr(GBytes) by_c = satori_rendezvous_unregister_request ("ns", b->id);
  g_assert_null (handle (server, c->id, by_c, 0));
  g_autoptr(GPtrArray) both = discover (server, "ns", 0, NULL, 0);
  g_assert_true (has_peer (both, b) && !has_peer (both, c));
  g_autoptr(GBytes) by_b = satori_rendezvous_unregister_request ("ns", b->id);
  g_assert_null (handle (server, b->id, by_b, 0));
  g_assert_cmpuint (satori_rendezvous_server_get_count (server), ==, 0);
}

static void
test_unavailable (void)
{
  g_autoptr(SatoriRendezvousServer) server = server_new ();
  g_autoptr(Peer) b = peer_new (0x02);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A host that is not a point answers E_UNAVAILABLE");
  satori_rendezvous_server_set_available (server, FALSE);
  assert_refused (server, b->id, "ns", b->record, 7200, SATORI_RENDEZVOUS_ERROR_UNAVAILABLE);
  g_assert_null (try_discover (server, "ns", 0, NULL, 0, &error));
  g_assert_error (error, SATORI_RENDEZVOUS_ERROR, SATORI_RENDEZVOUS_ERROR_UNAVAILABLE);
}

static void
test_malformed (void)
{
  g_autoptr(SatoriRendezvousServer) server = server_new ();
  g_autoptr(Peer) b = peer_new (0x02);
  static const guint8 garbage[] = { 0xff, 0xff, 0xff };
  static const guint8 no_body[] = { 0x08, 0x00 };   /* type REGISTER */
  static const guint8 response[] = { 0x08, 0x01, 0x1a, 0x00 };   /* REGISTER_RESPONSE {} */
  static const guint8 unknown[] = { 0x08, 0x09 };
  const struct { const guint8 *data; gsize len; } cases[] = {
    { garbage, sizeof garbage }, { no_body, sizeof no_body },
    { response, sizeof response }, { unknown, sizeof unknown },
  };

  g_test_summary ("Bytes that are not a request are an error (the stream is closed), and "
                  "change nothing");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      GBytes *reply = NULL;
      g_assert_false (satori_rendezvous_server_handle (server, b->id, cases[i].data, cases[i].len,
                                                       0, &reply, &error));
      g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
      g_assert_null (reply);
    }
  g_assert_cmpuint (satori_rendezvous_server_get_count (server), ==, 0);
}

static void
test_forged_response (void)
{
  g_autoptr(Peer) b = peer_new (0x02);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) cookie = NULL;
  Satori__Rendezvous__Message__Register good = SATORI__RENDEZVOUS__MESSAGE__REGISTER__INIT;
  Satori__Rendezvous__Message__Register other_ns = SATORI__RENDEZVOUS__MESSAGE__REGISTER__INIT;
  Satori__Rendezvous__Message__Register forged = SATORI__RENDEZVOUS__MESSAGE__REGISTER__INIT;
  Satori__Rendezvous__Message__Register *registrations[] = { &good, &other_ns, &forged };
  Satori__Rendezvous__Message__DiscoverResponse body =
    SATORI__RENDEZVOUS__MESSAGE__DISCOVER_RESPONSE__INIT;
  SatoriRendezvousMessage message = SATORI__RENDEZVOUS__MESSAGE__INIT;
  g_autoptr(GByteArray) tampered = g_byte_array_new ();

  g_test_summary ("A client keeps only verified records in the namespace it asked about");
  g_byte_array_append (tampered, g_bytes_get_data (b->record, NULL), g_bytes_get_size (b->record));
  tampered->data[tampered->len - 1] ^= 0x01;
  for (guint i = 0; i < G_N_ELEMENTS (registrations); i++)
    {
      Satori__Rendezvous__Message__Register *r = registrations[i];
      r->ns = (char *) (r == &other_ns ? "other" : "ns");
      r->has_signedpeerrecord = TRUE;
      r->signedpeerrecord.data = r == &forged ? tampered->data
                                 : (guint8 *) g_bytes_get_data (b->record, NULL);
      r->signedpeerrecord.len = g_bytes_get_size (b->record);
    }
  body.n_registrations = G_N_ELEMENTS (registrations);
  body.registrations = registrations;
  message.has_type = TRUE;
  message.type = SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__DISCOVER_RESPONSE;
  message.discoverresponse = &body;
  g_autoptr(GBytes) packed = satori_protobuf_pack (&message.base);
  g_autoptr(GPtrArray) peers = satori_rendezvous_read_discover_response (
    g_bytes_get_data (packed, NULL), g_bytes_get_size (packed), "ns", &cookie, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peers->len, ==, 1);
  g_assert_true (has_peer (peers, b));
  g_assert_null (cookie);
}

static void
test_refresh_schedule (void)
{
  g_autoptr(SatoriRendezvousClient) client = satori_rendezvous_client_new ();

  g_test_summary ("A registration is due for a refresh at 80 % of its TTL, with the same TTL; "
                  "a failed one a minute later; an unregistered one never");
  g_assert_cmpint (satori_rendezvous_client_next_deadline (client), ==, G_MAXINT64);
  satori_rendezvous_client_registered (client, "QmPoint", "satori/pub/1", 7200, 0);
  satori_rendezvous_client_registered (client, "QmPoint", "satori/sub/1", 7200, HOUR);
  g_assert_cmpint (satori_rendezvous_client_next_deadline (client), ==, 5760 * SECOND);
  g_autoptr(GPtrArray) early = satori_rendezvous_client_take_due (client, 5760 * SECOND - 1);
  g_assert_cmpuint (early->len, ==, 0);
  g_autoptr(GPtrArray) due = satori_rendezvous_client_take_due (client, 5760 * SECOND);
  g_assert_cmpuint (due->len, ==, 1);
  SatoriRendezvousRefresh *refresh = g_ptr_array_index (due, 0);
  g_assert_cmpstr (refresh->point, ==, "QmPoint");
  g_assert_cmpstr (refresh->namespace_, ==, "satori/pub/1");
  g_assert_cmpuint (refresh->ttl, ==, 7200);

  satori_rendezvous_client_retry (client, "QmPoint", "satori/pub/1", 7200, 5760 * SECOND);
  g_assert_cmpint (satori_rendezvous_client_next_deadline (client), ==, 5820 * SECOND);
  satori_rendezvous_client_unregistered (client, "QmPoint", "satori/pub/1");
  g_assert_cmpint (satori_rendezvous_client_next_deadline (client), ==, HOUR + 5760 * SECOND);
  satori_rendezvous_client_unregistered (client, "QmPoint", "satori/sub/1");
  g_assert_cmpint (satori_rendezvous_client_next_deadline (client), ==, G_MAXINT64);
}

static void
test_refresh_in_flight (void)
{
  g_autoptr(SatoriRendezvousClient) client = satori_rendezvous_client_new ();

  g_test_summary ("A registration whose refresh is in flight stays held but is not due "
                  "again; unregistered meanwhile, it is no longer held, so the refresh's "
                  "answer cannot bring it back");
  satori_rendezvous_client_registered (client, "QmPoint", "satori/sub/1", 100, 0);
  g_autoptr(GPtrArray) due = satori_rendezvous_client_take_due (client, 80 * SECOND);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_true (satori_rendezvous_client_is_held (client, "QmPoint", "satori/sub/1"));
  g_assert_cmpint (satori_rendezvous_client_next_deadline (client), ==, G_MAXINT64);
  g_autoptr(GPtrArray) again = satori_rendezvous_client_take_due (client, HOUR);
  g_assert_cmpuint (again->len, ==, 0);

  satori_rendezvous_client_unregistered (client, "QmPoint", "satori/sub/1");
  g_assert_false (satori_rendezvous_client_is_held (client, "QmPoint", "satori/sub/1"));
  g_assert_false (satori_rendezvous_client_is_held (client, "QmOther", "satori/sub/1"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rendezvous/server/register-discover", test_register_discover);
  g_test_add_func ("/rendezvous/server/default-ttl", test_default_ttl);
  g_test_add_func ("/rendezvous/server/paging-cookie", test_paging);
  g_test_add_func ("/rendezvous/server/bad-cookie", test_bad_cookie);
  g_test_add_func ("/rendezvous/server/expiry", test_expiry);
  g_test_add_func ("/rendezvous/server/refresh", test_refresh);
  g_test_add_func ("/rendezvous/server/ttl-bounds", test_ttl_bounds);
  g_test_add_func ("/rendezvous/server/bad-namespace", test_bad_namespace);
  g_test_add_func ("/rendezvous/server/bad-record", test_bad_record);
  g_test_add_func ("/rendezvous/server/limits", test_limits);
  g_test_add_func ("/rendezvous/server/unregister", test_unregister);
  g_test_add_func ("/rendezvous/server/unavailable", test_unavailable);
  g_test_add_func ("/rendezvous/server/malformed", test_malformed);
  g_test_add_func ("/rendezvous/client/forged-response", test_forged_response);
  g_test_add_func ("/rendezvous/client/refresh-schedule", test_refresh_schedule);
  g_test_add_func ("/rendezvous/client/refresh-in-flight", test_refresh_in_flight);
  return g_test_run ();
}
