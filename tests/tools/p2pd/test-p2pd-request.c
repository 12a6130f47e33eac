/* The libp2p daemon control request decoder and response encoders of
 * satori-p2pd: valid requests, malformed ones, and unsupported types.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <string.h>

#include "p2pd.pb-c.h"
#include "satori-p2pd-request.h"

static SatoriPeerId *
make_peer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, &error);
  g_assert_no_error (error);
  return satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
}

/* Packs @message and decodes it as a request. */
static SatoriP2pdRequest *
decode (P2pd__Pb__Request *message, GError **error)
{
  g_autoptr(GBytes) bytes = satori_protobuf_pack (&message->base);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return satori_p2pd_request_decode (data, len, error);
}

static void
assert_refused (P2pd__Pb__Request *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriP2pdRequest) request = decode (message, &error);

  g_assert_null (request);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_identify (void)
{
  P2pd__Pb__Request message = P2PD__PB__REQUEST__INIT;
  g_autoptr(GError) error = NULL;

  message.has_type = TRUE;
  message.type = P2PD__PB__REQUEST__TYPE__IDENTIFY;
  g_autoptr(SatoriP2pdRequest) request = decode (&message, &error);
  g_assert_no_error (error);
  g_assert_cmpint (request->type, ==, SATORI_P2PD_REQUEST_IDENTIFY);
  g_assert_null (request->peer);
}

static void
test_connect (void)
{
  P2pd__Pb__Request message = P2PD__PB__REQUEST__INIT;
  P2pd__Pb__ConnectRequest connect = P2PD__PB__CONNECT_REQUEST__INIT;
  g_autoptr(SatoriPeerId) peer = make_peer ();
  GBytes *id = satori_peer_id_get_bytes (peer);
  g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string ("/ip4/127.0.0.1/tcp/4001",
                                                                         NULL);
  GBytes *address_bytes = satori_multiaddr_get_bytes (address);
  ProtobufCBinaryData addrs[1];
  g_autoptr(GError) error = NULL;

  message.has_type = TRUE;
  message.type = P2PD__PB__REQUEST__TYPE__CONNECT;
  message.connect = &connect;
  connect.has_peer = TRUE;
  connect.peer.data = (guint8 *) g_bytes_get_data (id, &connect.peer.len);
  addrs[0].data = (guint8 *) g_bytes_get_data (address_bytes, &addrs[0].len);
  connect.n_addrs = 1;
  connect.addrs = addrs;
  connect.has_timeout = TRUE;
  connect.timeout = 5;

  g_autoptr(SatoriP2pdRequest) request = decode (&message, &error);
  g_assert_no_error (error);
  g_assert_cmpint (request->type, ==, SATORI_P2PD_REQUEST_CONNECT);
  g_assert_true (satori_peer_id_equal (request->peer, peer));
  g_assert_cmpuint (request->addresses->len, ==, 1);
  g_assert_true (satori_multiaddr_equal (g_ptr_array_index (request->addresses, 0), address));
  g_assert_cmpint (request->timeout_seconds, ==, 5);

  /* A bad address, then a bad peer id, then no peer at all. */
  guint8 junk[] = { 0xff, 0xff, 0xff };
  addrs[0].data = junk;
  addrs[0].len = sizeof junk;
  assert_refused (&message);
  connect.n_addrs = 0;
  connect.peer.data = junk;
  connect.peer.len = sizeof junk;
  assert_refused (&message);
  connect.has_peer = FALSE;
  assert_refused (&message);
  message.connect = NULL;
  assert_refused (&message);
}

static void
test_stream_open (void)
{
  P2pd__Pb__Request message = P2PD__PB__REQUEST__INIT;
  P2pd__Pb__StreamOpenRequest open = P2PD__PB__STREAM_OPEN_REQUEST__INIT;
  g_autoptr(SatoriPeerId) peer = make_peer ();
  GBytes *id = satori_peer_id_get_bytes (peer);
  char *protocols[] = { (char *) "/echo/1.0.0", (char *) "no-slash" };
  g_autoptr(GError) error = NULL;

  message.has_type = TRUE;
  message.type = P2PD__PB__REQUEST__TYPE__STREAM_OPEN;
  message.streamopen = &open;
  open.has_peer = TRUE;
  open.peer.data = (guint8 *) g_bytes_get_data (id, &open.peer.len);
  open.n_proto = 1;
  open.proto = protocols;

  g_autoptr(SatoriP2pdRequest) request = decode (&message, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (request->protocols, ((const char *[]) { "/echo/1.0.0", NULL }));
  g_assert_cmpint (request->timeout_seconds, ==, 0);

  open.n_proto = 2;
  assert_refused (&message);
  open.n_proto = 0;
  assert_refused (&message);
}

static void
test_stream_handler (void)
{
  P2pd__Pb__Request message = P2PD__PB__REQUEST__INIT;
  P2pd__Pb__StreamHandlerRequest handler = P2PD__PB__STREAM_HANDLER_REQUEST__INIT;
  g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string ("/unix/tmp/client.sock",
                                                                         NULL);
  GBytes *address_bytes = satori_multiaddr_get_bytes (address);
  char *protocols[] = { (char *) "/echo/1.0.0" };
  g_autoptr(GError) error = NULL;

  message.has_type = TRUE;
  message.type = P2PD__PB__REQUEST__TYPE__STREAM_HANDLER;
  message.streamhandler = &handler;
  handler.has_addr = TRUE;
  handler.addr.data = (guint8 *) g_bytes_get_data (address_bytes, &handler.addr.len);
  handler.n_proto = 1;
  handler.proto = protocols;

  g_autoptr(SatoriP2pdRequest) request = decode (&message, &error);
  g_assert_no_error (error);
  g_assert_true (satori_multiaddr_equal (request->handler_address, address));

  handler.has_addr = FALSE;
  assert_refused (&message);
}

static void
test_unsupported (void)
{
  P2pd__Pb__Request message = P2PD__PB__REQUEST__INIT;
  g_autoptr(GError) error = NULL;

  message.has_type = TRUE;
  message.type = P2PD__PB__REQUEST__TYPE__CONNMANAGER;
  g_autoptr(SatoriP2pdRequest) request = decode (&message, &error);
  g_assert_no_error (error);
  g_assert_nonnull (satori_p2pd_request_type_unsupported (request->type));
  g_assert_null (satori_p2pd_request_type_unsupported (SATORI_P2PD_REQUEST_IDENTIFY));
  g_assert_null (satori_p2pd_request_type_unsupported (SATORI_P2PD_REQUEST_DHT));

  message.type = 42;
  assert_refused (&message);
  message.has_type = FALSE;
  assert_refused (&message);
}

static SatoriP2pdRequest *
decode_dht (P2pd__Pb__DHTRequest *dht, GError **error)
{
  P2pd__Pb__Request message = P2PD__PB__REQUEST__INIT;

  message.has_type = TRUE;
  message.type = P2PD__PB__REQUEST__TYPE__DHT;
  message.dht = dht;
  return decode (&message, error);
}

static void
assert_dht_refused (P2pd__Pb__DHTRequest *dht)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriP2pdRequest) request = decode_dht (dht, &error);

  g_assert_null (request);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
set_field (ProtobufCBinaryData *field, protobuf_c_boolean *has, const void *data, gsize len)
{
  *has = TRUE;
  field->data = (guint8 *) data;
  field->len = len;
}

static void
test_dht_peer (void)
{
  P2pd__Pb__DHTRequest dht = P2PD__PB__DHTREQUEST__INIT;
  g_autoptr(SatoriPeerId) peer = make_peer ();
  GBytes *id = satori_peer_id_get_bytes (peer);
  const P2pd__Pb__DHTRequest__Type types[] = {
    P2PD__PB__DHTREQUEST__TYPE__FIND_PEER,
    P2PD__PB__DHTREQUEST__TYPE__FIND_PEERS_CONNECTED_TO_PEER,
    P2PD__PB__DHTREQUEST__TYPE__GET_PUBLIC_KEY,
  };

  g_test_summary ("FIND_PEER, FIND_PEERS_CONNECTED_TO_PEER and GET_PUBLIC_KEY need a valid "
                  "peer id; the timeout is kept");
  dht.has_type = TRUE;
  dht.has_timeout = TRUE;
  dht.timeout = 7;
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GError) error = NULL;
      dht.type = types[i];
      dht.has_peer = FALSE;
      assert_dht_refused (&dht);
      set_field (&dht.peer, &dht.has_peer, "\xff\xff", 2);
      assert_dht_refused (&dht);
      set_field (&dht.peer, &dht.has_peer, g_bytes_get_data (id, NULL), g_bytes_get_size (id));
      g_autoptr(SatoriP2pdRequest) request = decode_dht (&dht, &error);
      g_assert_no_error (error);
      g_assert_cmpint (request->type, ==, SATORI_P2PD_REQUEST_DHT);
      g_assert_cmpint (request->dht_type, ==, (int) types[i]);
      g_assert_true (satori_peer_id_equal (request->peer, peer));
      g_assert_cmpint (request->timeout_seconds, ==, 7);
    }
}

static void
test_dht_key (void)
{
  P2pd__Pb__DHTRequest dht = P2PD__PB__DHTREQUEST__INIT;
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/key", 9);
  const P2pd__Pb__DHTRequest__Type types[] = {
    P2PD__PB__DHTREQUEST__TYPE__GET_CLOSEST_PEERS,
    P2PD__PB__DHTREQUEST__TYPE__GET_VALUE,
    P2PD__PB__DHTREQUEST__TYPE__SEARCH_VALUE,
    P2PD__PB__DHTREQUEST__TYPE__PUT_VALUE,
  };

  g_test_summary ("GET_CLOSEST_PEERS, GET_VALUE, SEARCH_VALUE and PUT_VALUE need a non-empty "
                  "key; PUT_VALUE also a value (which may be empty)");
  dht.has_type = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean put = types[i] == P2PD__PB__DHTREQUEST__TYPE__PUT_VALUE;
      dht.type = types[i];
      dht.has_key = FALSE;
      dht.has_value = FALSE;
      assert_dht_refused (&dht);
      set_field (&dht.key, &dht.has_key, "", 0);
      assert_dht_refused (&dht);
      set_field (&dht.key, &dht.has_key, "/test/key", 9);
      if (put)
        {
          assert_dht_refused (&dht);
          set_field (&dht.value, &dht.has_value, "", 0);
        }
      g_autoptr(SatoriP2pdRequest) request = decode_dht (&dht, &error);
      g_assert_no_error (error);
      g_assert_cmpint (request->dht_type, ==, (int) types[i]);
      g_assert_true (g_bytes_equal (request->key, key));
      g_assert_true (put ? request->data != NULL && g_bytes_get_size (request->data) == 0
                         : request->data == NULL);
    }
}

static void
test_dht_cid (void)
{
  P2pd__Pb__DHTRequest dht = P2PD__PB__DHTREQUEST__INIT;
  guint8 multihash[34] = { 0x12, 0x20, 1, 2, 3 };
  guint8 cid_v1[36] = { 0x01, 0x55 };
  guint8 short_digest[] = { 0x12, 0x20, 1, 2, 3 };
  guint8 cid_v1_bad[] = { 0x01, 0x55, 0x12, 0x20, 1 };
  const char satori_key[] = "/satori/sub/42";
  g_autoptr(GBytes) expected = g_bytes_new_static (multihash, sizeof multihash);

  g_test_summary ("FIND_PROVIDERS and PROVIDE: a CIDv0 or CIDv1 gives its multihash, a "
                  "/-prefixed key its own bytes; a count is kept; anything else is refused");
  memcpy (cid_v1 + 2, multihash, sizeof multihash);
  dht.has_type = TRUE;
  dht.type = P2PD__PB__DHTREQUEST__TYPE__FIND_PROVIDERS;
  dht.has_count = TRUE;
  dht.count = 3;
  assert_dht_refused (&dht);
  const struct { const void *data; gsize len; gboolean ok; } cases[] = {
    { multihash, sizeof multihash, TRUE },
    { cid_v1, sizeof cid_v1, TRUE },
    { satori_key, strlen (satori_key), TRUE },
    { short_digest, sizeof short_digest, FALSE },
    { cid_v1_bad, sizeof cid_v1_bad, FALSE },
    { "", 0, FALSE },
    { "\x80", 1, FALSE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      set_field (&dht.cid, &dht.has_cid, cases[i].data, cases[i].len);
      g_autoptr(SatoriP2pdRequest) request = decode_dht (&dht, &error);
      g_test_message ("case %u", i);
      if (!cases[i].ok)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (request->count, ==, 3);
      if (i == 2)
        g_assert_cmpmem (g_bytes_get_data (request->key, NULL), g_bytes_get_size (request->key),
                         satori_key, strlen (satori_key));
      else
        g_assert_true (g_bytes_equal (request->key, expected));
    }

  dht.type = P2PD__PB__DHTREQUEST__TYPE__PROVIDE;
  dht.has_count = FALSE;
  set_field (&dht.cid, &dht.has_cid, cid_v1, sizeof cid_v1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriP2pdRequest) request = decode_dht (&dht, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (request->key, expected));
  g_assert_cmpuint (request->count, ==, 0);

  dht.type = 99;
  assert_dht_refused (&dht);
  dht.has_type = FALSE;
  assert_dht_refused (&dht);
  assert_dht_refused (NULL);
}

static void
test_malformed (void)
{
  const struct {
    const char *name;
    const guint8 *data;
    gsize len;
  } cases[] = {
    { "empty", (const guint8 *) "", 0 },
    { "truncated varint", (const guint8 *) "\x08\x80", 2 },
    { "wrong wire type", (const guint8 *) "\x0a\x01\x00", 3 },
    { "sub-message overruns", (const guint8 *) "\x08\x01\x12\x7f\x0a", 5 },
    { "bad sub-message", (const guint8 *) "\x08\x01\x12\x02\x08\x01", 6 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriP2pdRequest) request =
        satori_p2pd_request_decode (cases[i].data, cases[i].len, &error);
      g_test_message ("%s", cases[i].name);
      g_assert_null (request);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

static void
test_error_response (void)
{
  g_autoptr(GBytes) bytes = satori_p2pd_response_error ("DHT requests are not supported yet");
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  gsize consumed = 0;
  P2pd__Pb__Response *response =
    (P2pd__Pb__Response *) satori_protobuf_unpack_delimited (&p2pd__pb__response__descriptor,
                                                             data, len, 4096, &consumed, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, len);
  g_assert_true (response->has_type);
  g_assert_cmpint (response->type, ==, P2PD__PB__RESPONSE__TYPE__ERROR);
  g_assert_cmpstr (response->error->msg, ==, "DHT requests are not supported yet");
  protobuf_c_message_free_unpacked (&response->base, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/p2pd/request/identify", test_identify);
  g_test_add_func ("/p2pd/request/connect", test_connect);
  g_test_add_func ("/p2pd/request/stream-open", test_stream_open);
  g_test_add_func ("/p2pd/request/stream-handler", test_stream_handler);
  g_test_add_func ("/p2pd/request/unsupported", test_unsupported);
  g_test_add_func ("/p2pd/request/dht-peer", test_dht_peer);
  g_test_add_func ("/p2pd/request/dht-key", test_dht_key);
  g_test_add_func ("/p2pd/request/dht-cid", test_dht_cid);
  g_test_add_func ("/p2pd/request/malformed", test_malformed);
  g_test_add_func ("/p2pd/response/error", test_error_response);
  return g_test_run ();
}
