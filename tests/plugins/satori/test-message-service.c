/* /satori/1.0.0 between real hosts in one process (memory transport,
 * plaintext, yamux), with secp256k1 identities as Satori nodes have; no
 * offline store on these hosts, so held messages come in undeduplicated. */
#include <string.h>

#include "satorip2p.h"
#include "satori-message-cipher.h"
#include "satori-message-envelope.h"
#include "satori-message-service.h"
#include "satori-message-stream.h"
#include "satori-test-host.h"
#include "satori-test-log.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_satori_register (SatoriRegistry *registry, GError **error);

#define N_HOSTS 3

typedef struct
{
  char *text;
  gboolean encrypted;
  SatoriPeerId *peer;
} Received;

static void
received_free (gpointer data)
{
  Received *received = data;

  g_free (received->text);
  satori_peer_id_unref (received->peer);
  g_free (received);
}

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];   /* a, b, c */
  SatoriMessageService *services[N_HOSTS];
  GPtrArray *received[N_HOSTS];   /* Received, message-received on each */
  GPtrArray *held;                /* requests kept unanswered */
} Fixture;

static char *
text_of (GBytes *bytes)
{
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static GBytes *
bytes_of (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static void
on_message (SatoriMessenger *messenger, SatoriPeerId *peer, GBytes *message, gboolean encrypted,
            gpointer user_data)
{
  Received *received = g_new0 (Received, 1);

  received->text = text_of (message);
  received->encrypted = encrypted;
  received->peer = satori_peer_id_ref (peer);
  g_ptr_array_add (user_data, received);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SatoriMultiaddr *addresses[N_HOSTS];

  satori_test_log_clear ();
  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_satori_register (fixture->registry, &error));
  g_assert_no_error (error);
  fixture->held = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < N_HOSTS; i++)
    {
      g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (i + 1);
      fixture->hosts[i] = satori_test_host_new_with_key (fixture->registry, key, "memory",
                                                         "plaintext", "yamux");
      fixture->services[i] = satori_test_create (fixture->registry,
                                                 SATORI_TYPE_PROTOCOL_HANDLER, "satori");
      satori_host_set_handler (fixture->hosts[i], SATORI_MESSAGE_PROTOCOL,
                               SATORI_PROTOCOL_HANDLER (fixture->services[i]));
      fixture->received[i] = g_ptr_array_new_with_free_func (received_free);
      g_signal_connect (fixture->services[i], "message-received", G_CALLBACK (on_message),
                        fixture->received[i]);
      addresses[i] = satori_test_listen_address (fixture->hosts[i], "/memory/0");
    }
  for (guint i = 0; i < N_HOSTS; i++)
    for (guint j = 0; j < N_HOSTS; j++)
      if (i != j)
        satori_peerstore_add_address (satori_host_get_peerstore (fixture->hosts[i]),
                                      satori_host_get_peer_id (fixture->hosts[j]),
                                      addresses[j]);
  for (guint i = 0; i < N_HOSTS; i++)
    satori_multiaddr_unref (addresses[i]);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_ptr_array_unref (fixture->held);
  for (guint i = 0; i < N_HOSTS; i++)
    satori_host_close (fixture->hosts[i]);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < N_HOSTS; i++)
    {
      g_object_unref (fixture->hosts[i]);
      g_object_unref (fixture->services[i]);
      g_ptr_array_unref (fixture->received[i]);
    }
  g_object_unref (fixture->registry);
}

static SatoriPeerId *
peer_of (Fixture *fixture, guint i)
{
  return satori_host_get_peer_id (fixture->hosts[i]);
}

static gboolean
send_message (Fixture *fixture, guint from, guint to, const char *text,
              SatoriMessengerFlags flags, GError **error)
{
  SatoriMessenger *messenger = SATORI_MESSENGER (fixture->services[from]);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) message = bytes_of (text);

  satori_messenger_send_async (messenger, peer_of (fixture, to), message, flags, NULL,
                               satori_test_store_result, &result);
  return satori_messenger_send_finish (messenger, satori_test_wait (&result), error);
}

static char *
ask (Fixture *fixture, guint from, guint to, const char *text, SatoriMessengerFlags flags,
     guint timeout_ms, GError **error)
{
  SatoriMessenger *messenger = SATORI_MESSENGER (fixture->services[from]);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) message = bytes_of (text);

  satori_messenger_request_async (messenger, peer_of (fixture, to), message, flags, timeout_ms,
                                  NULL, satori_test_store_result, &result);
  g_autoptr(GBytes) answer = satori_messenger_request_finish (messenger,
                                                              satori_test_wait (&result), error);
  return answer != NULL ? text_of (answer) : NULL;
}

static void
wait_received (Fixture *fixture, guint host, guint count)
{
  while (fixture->received[host]->len < count)
    g_main_context_iteration (NULL, TRUE);
}

/* A /satori/1.0.0 stream from host @from to @to that bypasses the
 * service: what a broken or hostile peer would write on. */
static GIOStream *
open_raw (Fixture *fixture, guint from, guint to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  const char *protocols[] = { SATORI_MESSAGE_PROTOCOL, NULL };

  satori_host_new_stream_async (fixture->hosts[from], peer_of (fixture, to), protocols, NULL,
                                satori_test_store_result, &opened);
  GIOStream *stream = satori_host_new_stream_finish (fixture->hosts[from],
                                                     satori_test_wait (&opened), NULL, &error);
  g_assert_no_error (error);
  return stream;
}

/* Writes @data as one whole message on a raw stream. */
static void
write_raw (Fixture *fixture, guint from, guint to, const guint8 *data, gsize len)
{
  g_autoptr(GIOStream) stream = open_raw (fixture, from, to);
  /* The peer may close the stream before all is written (over its limit). */
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(GAsyncResult) written = NULL;
  satori_message_stream_write_async (stream, bytes, NULL, satori_test_store_result, &written);
  satori_message_stream_write_finish (stream, satori_test_wait (&written), NULL);
}

/* A request handler that answers {"from": <host>, "got": <request>}. */
static gboolean
on_request_answer (SatoriMessenger *messenger, SatoriMessengerRequest *request,
                   gpointer user_data)
{
  g_autofree char *got = text_of (satori_messenger_request_get_message (request));
  g_autofree char *reply = g_strdup_printf ("{\"from\":\"%s\",\"got\":%s,\"encrypted\":%s}",
                                            (const char *) user_data, got,
                                            satori_messenger_request_get_encrypted (request)
                                            ? "true" : "false");
  g_autoptr(GBytes) bytes = bytes_of (reply);

  satori_messenger_request_reply (request, bytes);
  return TRUE;
}

/* A request handler that keeps the request and does not answer yet. */
static gboolean
on_request_hold (SatoriMessenger *messenger, SatoriMessengerRequest *request, gpointer user_data)
{
  g_ptr_array_add (user_data, g_object_ref (request));
  return TRUE;
}

static void
test_send (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A message is delivered whole, once, with the sender's peer id");
  g_assert_true (send_message (fixture, 0, 1, "{\"hello\": \"world\", \"n\": [1, 2]}",
                               SATORI_MESSENGER_FLAGS_NONE, &error));
  g_assert_no_error (error);
  wait_received (fixture, 1, 1);
  Received *received = g_ptr_array_index (fixture->received[1], 0);
  g_assert_cmpstr (received->text, ==, "{\"hello\": \"world\", \"n\": [1, 2]}");
  g_assert_false (received->encrypted);
  g_assert_true (satori_peer_id_equal (received->peer, peer_of (fixture, 0)));

  /* The reverse direction, and a message that is not an object. */
  g_assert_true (send_message (fixture, 1, 0, "\"just text\"",
                               SATORI_MESSENGER_FLAGS_NONE, &error));
  wait_received (fixture, 0, 1);
  g_assert_cmpstr (((Received *) g_ptr_array_index (fixture->received[0], 0))->text, ==,
                   "\"just text\"");

  /* What is not JSON is not sent. */
  g_assert_false (send_message (fixture, 0, 1, "{oops", SATORI_MESSENGER_FLAGS_NONE, &error));
  g_assert_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_INVALID);
}

static void
test_request_answered (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A request gets its handler's answer; non-objects arrive wrapped in data");
  g_signal_connect (fixture->services[1], "request-received", G_CALLBACK (on_request_answer),
                    "b");
  g_autofree char *answer = ask (fixture, 0, 1, "{\"q\":1}", SATORI_MESSENGER_FLAGS_NONE,
                                 5000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer, ==, "{\"from\":\"b\",\"got\":{\"q\":1},\"encrypted\":false}");

  g_autofree char *wrapped = ask (fixture, 0, 1, "7", SATORI_MESSENGER_FLAGS_NONE, 5000,
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wrapped, ==, "{\"from\":\"b\",\"got\":{\"data\":7},\"encrypted\":false}");
  g_assert_cmpuint (satori_message_service_get_pending_requests (fixture->services[0]), ==, 0);
  /* Requests and answers are not plain messages. */
  g_assert_cmpuint (fixture->received[0]->len, ==, 0);
  g_assert_cmpuint (fixture->received[1]->len, ==, 0);
}

static void
test_three_hosts (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *results[2] = { NULL };
  SatoriMessenger *a = SATORI_MESSENGER (fixture->services[0]);

  g_test_summary ("Concurrent requests to two peers each get their own peer's answer");
  g_signal_connect (fixture->services[1], "request-received", G_CALLBACK (on_request_answer),
                    "b");
  g_signal_connect (fixture->services[2], "request-received", G_CALLBACK (on_request_answer),
                    "c");
  g_autoptr(GBytes) message = bytes_of ("{\"q\":\"who\"}");
  for (guint i = 0; i < 2; i++)
    satori_messenger_request_async (a, peer_of (fixture, i + 1), message,
                                    SATORI_MESSENGER_FLAGS_NONE, 5000, NULL,
                                    satori_test_store_result, &results[i]);
  g_assert_cmpuint (satori_message_service_get_pending_requests (fixture->services[0]), ==, 2);
  /* Meanwhile c messages b. */
  g_assert_true (send_message (fixture, 2, 1, "{\"from\":\"c\"}",
                               SATORI_MESSENGER_FLAGS_NONE, &error));
  const char *expected[] = {
    "{\"from\":\"b\",\"got\":{\"q\":\"who\"},\"encrypted\":false}",
    "{\"from\":\"c\",\"got\":{\"q\":\"who\"},\"encrypted\":false}",
  };
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) answer = satori_messenger_request_finish (a,
                                                                  satori_test_wait (&results[i]),
                                                                  &error);
      g_assert_no_error (error);
      g_autofree char *text = text_of (answer);
      g_assert_cmpstr (text, ==, expected[i]);
      g_clear_object (&results[i]);
    }
  wait_received (fixture, 1, 1);
  g_assert_true (satori_peer_id_equal (
    ((Received *) g_ptr_array_index (fixture->received[1], 0))->peer, peer_of (fixture, 2)));
}

static void
test_request_timeout (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A request not answered in time fails with a timeout; a late answer is "
                  "ignored");
  g_signal_connect (fixture->services[1], "request-received", G_CALLBACK (on_request_hold),
                    fixture->held);
  gint64 start = g_get_monotonic_time ();
  g_autofree char *answer = ask (fixture, 0, 1, "{\"q\":1}", SATORI_MESSENGER_FLAGS_NONE,
                                 200, &error);
  g_assert_null (answer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 200 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (satori_message_service_get_pending_requests (fixture->services[0]), ==, 0);
  g_assert_cmpuint (fixture->held->len, ==, 1);

  /* b answers too late: a drops it and keeps working. */
  g_autoptr(GBytes) late = bytes_of ("{\"late\":true}");
  satori_messenger_request_reply (g_ptr_array_index (fixture->held, 0), late);
  g_clear_error (&error);
  g_assert_true (send_message (fixture, 1, 0, "{\"after\":1}",
                               SATORI_MESSENGER_FLAGS_NONE, &error));
  wait_received (fixture, 0, 1);
  g_assert_cmpstr (((Received *) g_ptr_array_index (fixture->received[0], 0))->text, ==,
                   "{\"after\":1}");
}

static void
test_request_refused (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A request nobody handles is refused at once, not left to time out");
  g_autofree char *answer = ask (fixture, 0, 1, "{\"q\":1}", SATORI_MESSENGER_FLAGS_NONE,
                                 60000, &error);
  g_assert_null (answer);
  g_assert_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_REFUSED);
}

static void
test_request_cancelled (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  SatoriMessenger *a = SATORI_MESSENGER (fixture->services[0]);

  g_test_summary ("Cancelling a request that waits for its answer ends it");
  g_signal_connect (fixture->services[1], "request-received", G_CALLBACK (on_request_hold),
                    fixture->held);
  g_autoptr(GBytes) message = bytes_of ("{}");
  satori_messenger_request_async (a, peer_of (fixture, 1), message, SATORI_MESSENGER_FLAGS_NONE,
                                  60000, cancellable, satori_test_store_result, &result);
  while (fixture->held->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  g_assert_null (satori_messenger_request_finish (a, satori_test_wait (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (satori_message_service_get_pending_requests (fixture->services[0]), ==, 0);
}

static void
test_encrypted (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Encrypted messages and requests both ways; the answer comes encrypted");
  g_assert_true (send_message (fixture, 0, 1, "{\"secret\":42}", SATORI_MESSENGER_FLAGS_ENCRYPTED,
                               &error));
  g_assert_no_error (error);
  wait_received (fixture, 1, 1);
  Received *received = g_ptr_array_index (fixture->received[1], 0);
  g_assert_cmpstr (received->text, ==, "{\"secret\":42}");
  g_assert_true (received->encrypted);

  g_signal_connect (fixture->services[0], "request-received", G_CALLBACK (on_request_answer),
                    "a");
  g_autofree char *answer = ask (fixture, 1, 0, "{\"q\":\"hidden\"}",
                                 SATORI_MESSENGER_FLAGS_ENCRYPTED, 5000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer, ==, "{\"from\":\"a\",\"got\":{\"q\":\"hidden\"},\"encrypted\":true}");
}

static void
test_unsupported_key (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, &error);
  g_autoptr(SatoriPeerId) ed25519 = satori_peer_id_new_from_public_key (
    satori_private_key_get_public_key (key));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) message = bytes_of ("{}");
  SatoriMessenger *a = SATORI_MESSENGER (fixture->services[0]);

  g_test_summary ("Encrypting for a peer whose key is not secp256k1 is a clear error");
  satori_messenger_send_async (a, ed25519, message, SATORI_MESSENGER_FLAGS_ENCRYPTED, NULL,
                               satori_test_store_result, &result);
  g_assert_false (satori_messenger_send_finish (a, satori_test_wait (&result), &error));
  g_assert_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_UNSUPPORTED_KEY);
  g_assert_nonnull (strstr (error->message, "secp256k1"));
}

/* The base64 payload of an encrypted wrapper with one ciphertext bit flipped. */
/* @text sealed by host @from for host @to, as a sender keeps it stored. */
static GBytes *
sealed_for (Fixture *fixture, guint from, guint to, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriEvrmoreKey) key = satori_evrmore_key_new_from_private_key (
    satori_host_get_private_key (fixture->hosts[from]), &error);
  g_autoptr(GBytes) plain = bytes_of (text);
  GBytes *sealed = satori_message_cipher_seal (key, peer_of (fixture, to), plain, &error);

  g_assert_no_error (error);
  return sealed;
}

static GBytes *
tampered_for (Fixture *fixture, guint from, guint to, const char *text)
{
  g_autoptr(GBytes) wrapper = sealed_for (fixture, from, to, text);
  g_autofree char *json = text_of (wrapper);
  char *payload = strstr (json, "\"payload\":\"") + strlen ("\"payload\":\"");
  *strchr (payload, '"') = '\0';
  gsize len = 0;
  g_autofree guchar *sealed = g_base64_decode (payload, &len);
  sealed[SATORI_EVRMORE_NONCE_LENGTH] ^= 0x01;
  g_autofree char *again = g_base64_encode (sealed, len);
  g_autofree char *out = g_strdup_printf ("{\"_encrypted\":\"evrmore-ecdh-aes-256-gcm\","
                                          "\"payload\":\"%s\"}", again);
  return bytes_of (out);
}

static void
test_tampered (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A tampered ciphertext is dropped with a logged reason; the host goes on");
  g_autoptr(GBytes) tampered = tampered_for (fixture, 0, 1, "{\"pay\":100}");
  write_raw (fixture, 0, 1, g_bytes_get_data (tampered, NULL), g_bytes_get_size (tampered));
  satori_test_log_wait_for ("does not decrypt");
  g_assert_cmpuint (fixture->received[1]->len, ==, 0);

  g_assert_true (send_message (fixture, 0, 1, "{\"pay\":1}",
                               SATORI_MESSENGER_FLAGS_ENCRYPTED, &error));
  wait_received (fixture, 1, 1);
  g_assert_cmpstr (((Received *) g_ptr_array_index (fixture->received[1], 0))->text, ==,
                   "{\"pay\":1}");
}

static void
test_invalid_json (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Invalid JSON is dropped with a logged reason; the host goes on");
  const char *junk[] = { "{\"a\": tru", "\xff\xfe", "{\"_request_id\": 12}", "" };
  for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
    write_raw (fixture, 0, 1, (const guint8 *) junk[i], strlen (junk[i]));
  while (satori_test_log_count () < G_N_ELEMENTS (junk))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (satori_test_log_contains ("Dropping a Satori message from"));
  g_assert_cmpuint (fixture->received[1]->len, ==, 0);

  g_assert_true (send_message (fixture, 0, 1, "{\"ok\":true}",
                               SATORI_MESSENGER_FLAGS_NONE, &error));
  wait_received (fixture, 1, 1);
}

static void
test_oversized (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A message over the limit is refused by the reader and by the sender");
  g_object_set (fixture->services[1], "max-message-size", 1024, NULL);
  g_autoptr(GString) big = g_string_new ("\"");
  while (big->len < 4096)
    g_string_append (big, "abcdefgh");
  g_string_append_c (big, '"');
  write_raw (fixture, 0, 1, (const guint8 *) big->str, big->len);
  satori_test_log_wait_for ("over the limit of 1024 bytes");
  g_assert_cmpuint (fixture->received[1]->len, ==, 0);

  g_assert_false (send_message (fixture, 1, 0, big->str, SATORI_MESSENGER_FLAGS_NONE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_clear_error (&error);

  /* Up to the limit still passes. */
  g_assert_true (send_message (fixture, 0, 1, "[1]", SATORI_MESSENGER_FLAGS_NONE, &error));
  wait_received (fixture, 1, 1);
}

static void
test_inbound_limit (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) streams = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A peer that leaves streams unfinished gets 8 read at once, no more; "
                  "others still get through");
  for (guint i = 0; i < 9; i++)
    {
      GIOStream *stream = open_raw (fixture, 0, 1);
      GOutputStream *output = g_io_stream_get_output_stream (stream);
      g_autoptr(GAsyncResult) written = NULL;
      g_output_stream_write_all_async (output, "[", 1, G_PRIORITY_DEFAULT, NULL,
                                       satori_test_store_result, &written);
      g_assert_true (g_output_stream_write_all_finish (output, satori_test_wait (&written), NULL,
                                                       &error));
      g_ptr_array_add (streams, stream);
    }
  satori_test_log_wait_for ("8 already being read");
  g_assert_cmpuint (fixture->received[1]->len, ==, 0);

  /* Another peer is not held up. */
  g_assert_true (send_message (fixture, 2, 1, "{\"c\":1}", SATORI_MESSENGER_FLAGS_NONE,
                               &error));
  wait_received (fixture, 1, 1);
  /* The unfinished streams end as invalid JSON when closed. */
  for (guint i = 0; i < streams->len; i++)
    g_io_stream_close_async (g_ptr_array_index (streams, i), G_PRIORITY_DEFAULT, NULL, NULL,
                             NULL);
  satori_test_log_wait_for ("Dropping a Satori message from");
}

typedef struct
{
  guint subscriptions;
  guint peers;
  guint data;
  char *last;
} Routed;

static void
on_subscription (SatoriMessageService *service, SatoriPeerId *sender, const char *stream_id,
                 const char *peer_id, const char *address, gboolean publisher, Routed *routed)
{
  routed->subscriptions++;
  g_free (routed->last);
  routed->last = g_strdup_printf ("%s %s %s %d", stream_id, peer_id, address, publisher);
}

static void
on_peer (SatoriMessageService *service, SatoriPeerId *sender, const char *peer_id,
         const char *address, gboolean relay, GBytes *info, Routed *routed)
{
  g_autofree char *text = text_of (info);

  routed->peers++;
  g_free (routed->last);
  routed->last = g_strdup_printf ("%s %s %d %s", peer_id, address, relay, text);
}

static void
on_data (SatoriMessageService *service, SatoriPeerId *sender, const char *stream_id,
         GBytes *data, Routed *routed)
{
  g_autofree char *text = text_of (data);

  routed->data++;
  g_free (routed->last);
  routed->last = g_strdup_printf ("%s %s", stream_id, text);
}

static void
test_routing (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  Routed routed = { 0 };
  SatoriMessageService *b = fixture->services[1];

  g_test_summary ("Announcements and stream data are routed to their signals, and are "
                  "messages too");
  g_signal_connect (b, "subscription-announced", G_CALLBACK (on_subscription), &routed);
  g_signal_connect (b, "peer-announced", G_CALLBACK (on_peer), &routed);
  g_signal_connect (b, "stream-data", G_CALLBACK (on_data), &routed);

  g_assert_true (send_message (fixture, 0, 1,
                               "{\"type\":\"subscription_announce\",\"stream_id\":\"s-1\","
                               "\"peer_id\":\"16Uiu2HAx\",\"evrmore_address\":\"Exyz\","
                               "\"is_publisher\":true}", SATORI_MESSENGER_FLAGS_NONE, &error));
  wait_received (fixture, 1, 1);
  g_assert_cmpuint (routed.subscriptions, ==, 1);
  g_assert_cmpstr (routed.last, ==, "s-1 16Uiu2HAx Exyz 1");

  g_assert_true (send_message (fixture, 0, 1,
                               "{\"type\":\"peer_announce\","
                               "\"peer_info\":{\"peer_id\":\"16Uiu2HAy\","
                               "\"evrmore_address\":\"Eabc\",\"is_relay\":true}}",
                               SATORI_MESSENGER_FLAGS_NONE, &error));
  wait_received (fixture, 1, 2);
  g_assert_cmpuint (routed.peers, ==, 1);
  g_assert_cmpstr (routed.last, ==, "16Uiu2HAy Eabc 1 {\"peer_id\":\"16Uiu2HAy\","
                                    "\"evrmore_address\":\"Eabc\",\"is_relay\":true}");

  g_assert_true (send_message (fixture, 0, 1,
                               "{\"method\":\"data\",\"params\":{\"uuid\":\"stream-7\"},"
                               "\"data\":{\"value\":3.5}}",
                               SATORI_MESSENGER_FLAGS_ENCRYPTED, &error));
  wait_received (fixture, 1, 3);
  g_assert_cmpuint (routed.data, ==, 1);
  g_assert_cmpstr (routed.last, ==, "stream-7 {\"value\":3.5}");
  g_free (routed.last);
}

/* Host @holder pushes @message to host @to as held for it from host @from. */
static void
push_held (Fixture *fixture, guint holder, guint from, guint to, GBytes *message,
           const char *id)
{
  g_autofree char *source = satori_peer_id_to_string (peer_of (fixture, from));
  g_autoptr(GBytes) pushed = satori_message_envelope_new_stored (message, id, source, NULL);

  write_raw (fixture, holder, to, g_bytes_get_data (pushed, NULL), g_bytes_get_size (pushed));
}

static void
test_stored (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("A message pushed by a holder (b) with _stored comes out from its source "
                  "(a), decrypted with the source's key when it was sealed for us; a bad "
                  "_stored, a stored message inside another or inside an encrypted one is "
                  "dropped with a logged reason");
  const char *junk[] = {
    "{\"_stored\": {\"message_id\": \"m-1\", \"source_peer\": \"nobody\"}}",
    "{\"_stored\": {\"message_id\": 1, \"source_peer\": \"16Uiu2HA\"}}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
    write_raw (fixture, 1, 2, (const guint8 *) junk[i], strlen (junk[i]));
  g_autoptr(GBytes) inner = bytes_of ("{\"x\": 1}");
  g_autofree char *source = satori_peer_id_to_string (peer_of (fixture, 0));
  g_autoptr(GBytes) stored = satori_message_envelope_new_stored (inner, "m-2", source, NULL);
  push_held (fixture, 1, 0, 2, stored, "m-3");
  g_autofree char *stored_text = text_of (stored);
  g_autoptr(GBytes) sealed_stored = sealed_for (fixture, 0, 2, stored_text);
  push_held (fixture, 1, 0, 2, sealed_stored, "m-4");
  while (satori_test_log_count () < G_N_ELEMENTS (junk) + 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (satori_test_log_contains ("holds another stored one"));
  g_assert_true (satori_test_log_contains ("encrypted or stored one"));
  g_assert_cmpuint (fixture->received[2]->len, ==, 0);

  g_autoptr(GBytes) plain = bytes_of ("{\"held\":\"plain\"}");
  push_held (fixture, 1, 0, 2, plain, "m-5");
  g_autoptr(GBytes) sealed = sealed_for (fixture, 0, 2, "{\"held\":\"sealed\"}");
  push_held (fixture, 1, 0, 2, sealed, "m-6");
  wait_received (fixture, 2, 2);
  guint encrypted = 0;
  for (guint i = 0; i < 2; i++)
    {
      Received *received = g_ptr_array_index (fixture->received[2], i);
      encrypted += received->encrypted;
      g_assert_true (satori_peer_id_equal (received->peer, peer_of (fixture, 0)));
      g_assert_cmpstr (received->text, ==, received->encrypted ? "{\"held\":\"sealed\"}"
                                                               : "{\"held\":\"plain\"}");
    }
  g_assert_cmpuint (encrypted, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  satori_test_log_capture ("satori-satori");

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/satori/messages/send", test_send);
  ADD ("/satori/messages/request-answered", test_request_answered);
  ADD ("/satori/messages/three-hosts", test_three_hosts);
  ADD ("/satori/messages/request-timeout", test_request_timeout);
  ADD ("/satori/messages/request-refused", test_request_refused);
  ADD ("/satori/messages/request-cancelled", test_request_cancelled);
  ADD ("/satori/messages/encrypted", test_encrypted);
  ADD ("/satori/messages/unsupported-key", test_unsupported_key);
  ADD ("/satori/messages/tampered", test_tampered);
  ADD ("/satori/messages/invalid-json", test_invalid_json);
  ADD ("/satori/messages/oversized", test_oversized);
  ADD ("/satori/messages/routing", test_routing);
  ADD ("/satori/messages/inbound-limit", test_inbound_limit);
  ADD ("/satori/messages/stored", test_stored);
#undef ADD
  return g_test_run ();
}
