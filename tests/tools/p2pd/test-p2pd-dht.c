/* The DHT requests of satori-p2pd's control protocol, served in process:
 * the daemon's host A and two more hosts B and C with the kad plugin on
 * the memory transport, in a line A - B - C; a client on A's unix control
 * socket sends each request and checks every message of the answer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kad-test-hosts.h"
#include "p2pd.pb-c.h"
#include "satori-p2pd-server.h"
#include "satori-test-host.h"
#include "satori-test-sink.h"
#include "satori-test-util.h"
#include "satori-test-vectors.h"

#define N_HOSTS 3
#define MAX_MESSAGE (64 * 1024)

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];
  SatoriMultiaddr *addresses[N_HOSTS];
  SatoriP2pdServer *server;
  char *dir;
  char *socket_path;
} Fixture;

/* An answer: the Response, then the DHTResponses of a stream. */
typedef struct
{
  P2pd__Pb__Response *response;
  GPtrArray *items;
} Answer;

static void
answer_free (Answer *answer)
{
  protobuf_c_message_free_unpacked (&answer->response->base, NULL);
  g_ptr_array_unref (answer->items);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

static void
free_item (gpointer item)
{
  protobuf_c_message_free_unpacked (item, NULL);
}

/* The daemon's control socket on @host. */
static void
serve (Fixture *fixture, SatoriHost *host)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("satori-p2pd-dht-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->socket_path = g_build_filename (fixture->dir, "p2pd.sock", NULL);
  g_autofree char *text = g_strdup_printf ("/unix%s", fixture->socket_path);
  g_autoptr(SatoriMultiaddr) control = satori_multiaddr_new_from_string (text, &error);
  g_assert_no_error (error);
  fixture->server = satori_p2pd_server_new (host);
  g_autoptr(SatoriMultiaddr) listening = satori_p2pd_server_listen (fixture->server, control,
                                                                    &error);
  g_assert_no_error (error);
  g_assert_true (satori_multiaddr_equal (listening, control));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->registry = kad_test_hosts_registry ();
  kad_test_hosts_start_line (fixture->registry, data == NULL, fixture->hosts,
                             fixture->addresses);
  serve (fixture, fixture->hosts[0]);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_p2pd_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  kad_test_hosts_stop (N_HOSTS, fixture->hosts, fixture->addresses);
  g_object_unref (fixture->registry);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->socket_path);
}

static SatoriPeerId *
peer_of (Fixture *fixture, guint i)
{
  return satori_host_get_peer_id (fixture->hosts[i]);
}

/* Sends `Request{type=DHT, dht=@dht}` and reads the whole answer, the main
 * loop running meanwhile (the daemon is in this process). */
static Answer *
ask (Fixture *fixture, P2pd__Pb__DHTRequest *dht)
{
  g_autoptr(GError) error = NULL;
  P2pd__Pb__Request message = P2PD__PB__REQUEST__INIT;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (fixture->socket_path);
  g_autoptr(GAsyncResult) connected = NULL;
  g_autoptr(GAsyncResult) written = NULL;
  g_autoptr(GAsyncResult) spliced = NULL;

  message.has_type = TRUE;
  message.type = P2PD__PB__REQUEST__TYPE__DHT;
  message.dht = dht;
  g_autoptr(GBytes) request = satori_protobuf_pack_delimited (&message.base);

  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), NULL,
                                 satori_test_store_result, &connected);
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_finish (
    client, satori_test_wait (&connected), &error);
  g_assert_no_error (error);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all_async (out, g_bytes_get_data (request, NULL),
                                   g_bytes_get_size (request), G_PRIORITY_DEFAULT, NULL,
                                   satori_test_store_result, &written);
  g_output_stream_write_all_finish (out, satori_test_wait (&written), NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (sink, g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT, NULL,
                                satori_test_store_result, &spliced);
  g_output_stream_splice_finish (sink, satori_test_wait (&spliced), &error);
  g_assert_no_error (error);
  g_autoptr(GBytes) bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));

  /* The Response; after BEGIN, DHTResponses up to END, and nothing more. */
  gsize len, consumed = 0, offset = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  Answer *answer = g_new0 (Answer, 1);
  answer->items = g_ptr_array_new_with_free_func (free_item);
  answer->response = (P2pd__Pb__Response *) satori_protobuf_unpack_delimited (
    &p2pd__pb__response__descriptor, data, len, MAX_MESSAGE, &consumed, &error);
  g_assert_no_error (error);
  offset = consumed;
  gboolean streaming = answer->response->dht != NULL &&
                       answer->response->dht->type == P2PD__PB__DHTRESPONSE__TYPE__BEGIN;
  while (streaming)
    {
      P2pd__Pb__DHTResponse *item = (P2pd__Pb__DHTResponse *) satori_protobuf_unpack_delimited (
        &p2pd__pb__dhtresponse__descriptor, data + offset, len - offset, MAX_MESSAGE,
        &consumed, &error);
      g_assert_no_error (error);
      offset += consumed;
      g_assert_true (item->has_type);
      streaming = item->type != P2PD__PB__DHTRESPONSE__TYPE__END;
      if (streaming)
        g_ptr_array_add (answer->items, item);
      else
        free_item (item);
    }
  g_assert_cmpuint (offset, ==, len);
  return answer;
}

static void
assert_ok (Answer *answer)
{
  g_assert_true (answer->response->has_type);
  if (answer->response->type == P2PD__PB__RESPONSE__TYPE__ERROR)
    g_error ("unexpected ERROR: %s", answer->response->error->msg);
}

static void
assert_error (Answer *answer, const char *part)
{
  g_assert_cmpint (answer->response->type, ==, P2PD__PB__RESPONSE__TYPE__ERROR);
  g_assert_nonnull (answer->response->error);
  g_test_message ("ERROR: %s", answer->response->error->msg);
  g_assert_nonnull (strstr (answer->response->error->msg, part));
}

/* The single VALUE an answer carries in its Response. */
static P2pd__Pb__DHTResponse *
single_value (Answer *answer)
{
  assert_ok (answer);
  g_assert_nonnull (answer->response->dht);
  g_assert_cmpint (answer->response->dht->type, ==, P2PD__PB__DHTRESPONSE__TYPE__VALUE);
  g_assert_cmpuint (answer->items->len, ==, 0);
  return answer->response->dht;
}

/* A stream's VALUEs. */
static GPtrArray *
stream_values (Answer *answer)
{
  assert_ok (answer);
  g_assert_nonnull (answer->response->dht);
  g_assert_cmpint (answer->response->dht->type, ==, P2PD__PB__DHTRESPONSE__TYPE__BEGIN);
  for (guint i = 0; i < answer->items->len; i++)
    g_assert_cmpint (((P2pd__Pb__DHTResponse *) g_ptr_array_index (answer->items, i))->type, ==,
                     P2PD__PB__DHTRESPONSE__TYPE__VALUE);
  return answer->items;
}

static void
set_field (ProtobufCBinaryData *field, protobuf_c_boolean *has, GBytes *bytes)
{
  *has = TRUE;
  field->data = (guint8 *) g_bytes_get_data (bytes, &field->len);
}

static gboolean
bytes_equal_field (GBytes *bytes, const ProtobufCBinaryData *field)
{
  return g_bytes_get_size (bytes) == field->len &&
         memcmp (g_bytes_get_data (bytes, NULL), field->data, field->len) == 0;
}

static P2pd__Pb__DHTRequest
dht_request (P2pd__Pb__DHTRequest__Type type)
{
  P2pd__Pb__DHTRequest dht = P2PD__PB__DHTREQUEST__INIT;

  dht.has_type = TRUE;
  dht.type = type;
  return dht;
}

static void
test_find_peer (Fixture *fixture, gconstpointer data)
{
  P2pd__Pb__DHTRequest dht = dht_request (P2PD__PB__DHTREQUEST__TYPE__FIND_PEER);
  GBytes *c_id = satori_peer_id_get_bytes (peer_of (fixture, 2));

  g_test_summary ("FIND_PEER of C, not connected to A: one Response with C's id and address");
  set_field (&dht.peer, &dht.has_peer, c_id);
  g_autoptr(Answer) answer = ask (fixture, &dht);
  P2pd__Pb__DHTResponse *value = single_value (answer);
  g_assert_nonnull (value->peer);
  g_assert_true (bytes_equal_field (c_id, &value->peer->id));
  GBytes *address = satori_multiaddr_get_bytes (fixture->addresses[2]);
  gboolean listed = FALSE;
  for (gsize i = 0; i < value->peer->n_addrs; i++)
    listed |= bytes_equal_field (address, &value->peer->addrs[i]);
  g_assert_true (listed);
}

static void
test_closest_peers (Fixture *fixture, gconstpointer data)
{
  P2pd__Pb__DHTRequest dht = dht_request (P2PD__PB__DHTREQUEST__TYPE__GET_CLOSEST_PEERS);
  g_autoptr(GBytes) key = g_bytes_new_static ("a key", 5);

  g_test_summary ("GET_CLOSEST_PEERS: BEGIN, the ids of B and C as values, END");
  set_field (&dht.key, &dht.has_key, key);
  g_autoptr(Answer) answer = ask (fixture, &dht);
  GPtrArray *values = stream_values (answer);
  g_assert_cmpuint (values->len, ==, 2);
  for (guint i = 1; i < N_HOSTS; i++)
    {
      gboolean found = FALSE;
      for (guint j = 0; j < values->len; j++)
        found |= bytes_equal_field (satori_peer_id_get_bytes (peer_of (fixture, i)),
                                    &((P2pd__Pb__DHTResponse *) values->pdata[j])->value);
      g_assert_true (found);
    }
}

static void
test_values (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/p2pd", 10);
  g_autoptr(GBytes) value = g_bytes_new_static ("from the daemon", 15);
  g_autoptr(GBytes) missing = g_bytes_new_static ("/test/missing", 13);
  g_autoptr(GBytes) refused = g_bytes_new_static ("/other/key", 10);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("PUT_VALUE answers OK and C finds the record; GET_VALUE answers one VALUE, "
                  "SEARCH_VALUE streams it; a missing key and a key without validator are "
                  "ERRORs, a search for a missing key an empty stream");
  P2pd__Pb__DHTRequest put = dht_request (P2PD__PB__DHTREQUEST__TYPE__PUT_VALUE);
  set_field (&put.key, &put.has_key, key);
  set_field (&put.value, &put.has_value, value);
  g_autoptr(Answer) put_answer = ask (fixture, &put);
  assert_ok (put_answer);
  g_assert_null (put_answer->response->dht);
  SatoriRouting *c = satori_host_get_routing (fixture->hosts[2]);
  satori_routing_get_value_async (c, key, NULL, NULL, NULL, satori_test_store_result, &result);
  g_autoptr(GBytes) at_c = satori_routing_get_value_finish (c, satori_test_wait (&result),
                                                           &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (at_c, value));

  P2pd__Pb__DHTRequest get = dht_request (P2PD__PB__DHTREQUEST__TYPE__GET_VALUE);
  set_field (&get.key, &get.has_key, key);
  g_autoptr(Answer) got = ask (fixture, &get);
  g_assert_true (bytes_equal_field (value, &single_value (got)->value));

  P2pd__Pb__DHTRequest search = dht_request (P2PD__PB__DHTREQUEST__TYPE__SEARCH_VALUE);
  set_field (&search.key, &search.has_key, key);
  g_autoptr(Answer) searched = ask (fixture, &search);
  GPtrArray *values = stream_values (searched);
  g_assert_cmpuint (values->len, ==, 1);
  g_assert_true (bytes_equal_field (value, &((P2pd__Pb__DHTResponse *) values->pdata[0])->value));

  set_field (&get.key, &get.has_key, missing);
  g_autoptr(Answer) not_found = ask (fixture, &get);
  assert_error (not_found, "found no");
  set_field (&search.key, &search.has_key, missing);
  g_autoptr(Answer) nothing = ask (fixture, &search);
  g_assert_cmpuint (stream_values (nothing)->len, ==, 0);
  set_field (&put.key, &put.has_key, refused);
  g_autoptr(Answer) no_validator = ask (fixture, &put);
  assert_error (no_validator, "");
}

static void
test_providers (Fixture *fixture, gconstpointer data)
{
  /* A CIDv1 (raw codec) of a SHA-256 multihash, and that multihash. */
  static const guint8 cid[36] = { 0x01, 0x55, 0x12, 0x20, 0xca, 0xfe };
  g_autoptr(GBytes) cid_bytes = g_bytes_new_static (cid, sizeof cid);
  g_autoptr(GBytes) multihash = g_bytes_new_static (cid + 2, sizeof cid - 2);
  g_autoptr(GBytes) satori_key = g_bytes_new_static ("/satori/sub/7", 13);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SatoriRouting *c = satori_host_get_routing (fixture->hosts[2]);

  g_test_summary ("PROVIDE of a CID answers OK and C finds A under the CID's multihash; "
                  "FIND_PROVIDERS of a /satori/ key C provides streams C with its address, "
                  "and COUNT 1 gives one provider of two");
  P2pd__Pb__DHTRequest provide = dht_request (P2PD__PB__DHTREQUEST__TYPE__PROVIDE);
  set_field (&provide.cid, &provide.has_cid, cid_bytes);
  g_autoptr(Answer) provided = ask (fixture, &provide);
  assert_ok (provided);
  satori_routing_find_providers_async (c, multihash, 0, NULL, NULL, NULL,
                                       satori_test_store_result, &result);
  g_autoptr(GPtrArray) providers = satori_routing_find_providers_finish (
    c, satori_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (providers->len, ==, 1);
  g_assert_true (satori_peer_id_equal (
    satori_peer_info_get_peer_id (g_ptr_array_index (providers, 0)), peer_of (fixture, 0)));

  kad_test_routing_provide (c, satori_key);
  P2pd__Pb__DHTRequest find = dht_request (P2PD__PB__DHTREQUEST__TYPE__FIND_PROVIDERS);
  set_field (&find.cid, &find.has_cid, satori_key);
  g_autoptr(Answer) found = ask (fixture, &find);
  GPtrArray *values = stream_values (found);
  g_assert_cmpuint (values->len, ==, 1);
  P2pd__Pb__PeerInfo *peer = ((P2pd__Pb__DHTResponse *) values->pdata[0])->peer;
  g_assert_nonnull (peer);
  g_assert_true (bytes_equal_field (satori_peer_id_get_bytes (peer_of (fixture, 2)), &peer->id));
  g_assert_cmpuint (peer->n_addrs, >=, 1);

  /* B provides it too: two providers, one asked for. */
  kad_test_routing_provide (satori_host_get_routing (fixture->hosts[1]), satori_key);
  find.has_count = TRUE;
  find.count = 1;
  g_autoptr(Answer) one = ask (fixture, &find);
  g_assert_cmpuint (stream_values (one)->len, ==, 1);
  find.count = 0;
  g_autoptr(Answer) both = ask (fixture, &find);
  g_assert_cmpuint (stream_values (both)->len, ==, 2);
}

static void
test_public_key (Fixture *fixture, gconstpointer data)
{
  /* An ECDSA key: too long to be inlined in its peer id. */
  g_autoptr(SatoriPublicKey) key = satori_test_public_key_from_hex (spec_ecdsa_public);
  g_autoptr(SatoriPeerId) owner = satori_peer_id_new_from_public_key (key);
  g_autoptr(GBytes) protobuf = satori_public_key_to_protobuf (key);
  g_autoptr(GBytes) record_key = kad_test_pk_key (owner);

  g_test_summary ("GET_PUBLIC_KEY of a peer known only by the /pk/ record C put: the key's "
                  "protobuf; of our own peer: ours");
  kad_test_routing_put (satori_host_get_routing (fixture->hosts[2]), record_key, protobuf);

  P2pd__Pb__DHTRequest get = dht_request (P2PD__PB__DHTREQUEST__TYPE__GET_PUBLIC_KEY);
  set_field (&get.peer, &get.has_peer, satori_peer_id_get_bytes (owner));
  g_autoptr(Answer) answer = ask (fixture, &get);
  g_assert_true (bytes_equal_field (protobuf, &single_value (answer)->value));

  SatoriHost *a = fixture->hosts[0];
  g_autoptr(GBytes) own = satori_public_key_to_protobuf (
    satori_private_key_get_public_key (satori_host_get_private_key (a)));
  set_field (&get.peer, &get.has_peer, satori_peer_id_get_bytes (satori_host_get_peer_id (a)));
  g_autoptr(Answer) ours = ask (fixture, &get);
  g_assert_true (bytes_equal_field (own, &single_value (ours)->value));
}

static void
test_connected_to_peer (Fixture *fixture, gconstpointer data)
{
  P2pd__Pb__DHTRequest dht = dht_request (
    P2PD__PB__DHTREQUEST__TYPE__FIND_PEERS_CONNECTED_TO_PEER);

  g_test_summary ("FIND_PEERS_CONNECTED_TO_PEER is refused with a clear ERROR");
  set_field (&dht.peer, &dht.has_peer, satori_peer_id_get_bytes (peer_of (fixture, 1)));
  g_autoptr(Answer) answer = ask (fixture, &dht);
  assert_error (answer, "not supported");
}

static void
test_disabled (Fixture *fixture, gconstpointer data)
{
  P2pd__Pb__DHTRequest dht = dht_request (P2PD__PB__DHTREQUEST__TYPE__GET_VALUE);
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/x", 7);

  g_test_summary ("Without a DHT on the host, DHT requests are an ERROR naming -dht");
  g_assert_null (satori_host_get_routing (fixture->hosts[0]));
  set_field (&dht.key, &dht.has_key, key);
  g_autoptr(Answer) answer = ask (fixture, &dht);
  assert_error (answer, "-dht");
}

static void
test_timeout (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriHost) silent = kad_test_hosts_new (fixture->registry, FALSE,
                                                     SATORI_KAD_MODE_SERVER);
  g_autoptr(SatoriTestSink) sink = satori_test_sink_new ();
  g_autoptr(SatoriMultiaddr) address = satori_test_listen_address (silent, "/memory/0");
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/slow", 10);

  g_test_summary ("A lookup held up by a peer that never answers (A's DHT waits 2 s for it) "
                  "is cut by a 1 s request timeout: GET_VALUE answers an ERROR, "
                  "FIND_PROVIDERS ends its stream, both before the DHT's own timeout");
  satori_host_set_handler (silent, SATORI_KAD_PROTOCOL_ID, SATORI_PROTOCOL_HANDLER (sink));
  kad_test_hosts_connect (fixture->hosts[0], address);
  kad_test_hosts_wait_for_table (fixture->hosts[0], 2);

  P2pd__Pb__DHTRequest get = dht_request (P2PD__PB__DHTREQUEST__TYPE__GET_VALUE);
  set_field (&get.key, &get.has_key, key);
  get.has_timeout = TRUE;
  get.timeout = 1;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(Answer) got = ask (fixture, &get);
  gint64 get_us = g_get_monotonic_time () - start;
  assert_error (got, "timed out");

  P2pd__Pb__DHTRequest find = dht_request (P2PD__PB__DHTREQUEST__TYPE__FIND_PROVIDERS);
  set_field (&find.cid, &find.has_cid, key);
  find.has_timeout = TRUE;
  find.timeout = 1;
  start = g_get_monotonic_time ();
  g_autoptr(Answer) found = ask (fixture, &find);
  gint64 find_us = g_get_monotonic_time () - start;
  stream_values (found);
  g_test_message ("GET_VALUE answered after %" G_GINT64_FORMAT " ms, FIND_PROVIDERS after %"
                  G_GINT64_FORMAT " ms", get_us / 1000, find_us / 1000);
  g_assert_cmpint (get_us, <, 1900 * 1000);
  g_assert_cmpint (find_us, <, 1900 * 1000);
  g_assert_cmpuint (satori_test_sink_get_streams (sink)->len, >=, 1);
  satori_host_close (silent);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn, data) \
  g_test_add (path, Fixture, data, fixture_set_up, fn, fixture_tear_down)
  ADD ("/p2pd/dht/find-peer", test_find_peer, NULL);
  ADD ("/p2pd/dht/closest-peers", test_closest_peers, NULL);
  ADD ("/p2pd/dht/values", test_values, NULL);
  ADD ("/p2pd/dht/providers", test_providers, NULL);
  ADD ("/p2pd/dht/public-key", test_public_key, NULL);
  ADD ("/p2pd/dht/connected-to-peer-unsupported", test_connected_to_peer, NULL);
  ADD ("/p2pd/dht/timeout", test_timeout, NULL);
  ADD ("/p2pd/dht/disabled", test_disabled, "no dht");
  return g_test_run ();
}
