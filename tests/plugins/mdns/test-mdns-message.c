/* The DNS message codec of mDNS: round trips with name compression, the
 * records libp2p peers send, and malformed input refused.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-mdns-message.h"

#define INSTANCE "k51qzi5uqu5dlvj2baxnqndepeb._p2p._udp.local"

static SatoriMdnsMessage *
sample_response (void)
{
  SatoriMdnsMessage *message = satori_mdns_message_new (SATORI_MDNS_FLAG_RESPONSE);
  SatoriMdnsRecord *ptr = satori_mdns_record_new ("_p2p._udp.local", SATORI_MDNS_TYPE_PTR, 120);
  ptr->target = g_strdup (INSTANCE);
  g_ptr_array_add (message->answers, ptr);

  SatoriMdnsRecord *txt = satori_mdns_record_new (INSTANCE, SATORI_MDNS_TYPE_TXT, 120);
  txt->cache_flush = TRUE;
  satori_mdns_record_add_string (txt, "dnsaddr=/ip4/10.0.0.1/tcp/4001");
  satori_mdns_record_add_string (txt, "");
  g_ptr_array_add (message->additionals, txt);

  SatoriMdnsRecord *srv = satori_mdns_record_new (INSTANCE, SATORI_MDNS_TYPE_SRV, 120);
  srv->priority = 1;
  srv->weight = 2;
  srv->port = 4001;
  srv->target = g_strdup ("k51qzi5uqu5dlvj2baxnqndepeb.local");
  g_ptr_array_add (message->additionals, srv);

  SatoriMdnsRecord *a = satori_mdns_record_new (srv->target, SATORI_MDNS_TYPE_A, 120);
  memcpy (a->address, (guint8[]) { 10, 0, 0, 1 }, 4);
  g_ptr_array_add (message->additionals, a);
  SatoriMdnsRecord *aaaa = satori_mdns_record_new (srv->target, SATORI_MDNS_TYPE_AAAA, 120);
  aaaa->address[0] = 0xfd;
  aaaa->address[15] = 1;
  g_ptr_array_add (message->additionals, aaaa);
  return message;
}

static guint
count (const guint8 *data, gsize len, const char *needle)
{
  guint found = 0;
  gsize n = strlen (needle);
  for (gsize i = 0; i + n <= len; i++)
    found += memcmp (data + i, needle, n) == 0;
  return found;
}

static void
test_round_trip (void)
{
  g_autoptr(SatoriMdnsMessage) message = sample_response ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = satori_mdns_message_encode (message, SATORI_MDNS_MAX_MESSAGE, &error);
  g_assert_no_error (error);

  /* Compressed: the service name is written once, the instance's label
   * twice (the instance and the host name), later occurrences are 2-byte
   * pointers. */
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (count (data, len, "_p2p"), ==, 1);
  g_assert_cmpuint (count (data, len, "k51qzi5uqu5dlvj2baxnqndepeb"), ==, 2);

  g_autoptr(SatoriMdnsMessage) decoded = satori_mdns_message_decode (data, len, &error);
  g_assert_no_error (error);
  g_assert_true (satori_mdns_message_is_response (decoded));
  g_assert_cmpuint (decoded->questions->len, ==, 0);
  g_assert_cmpuint (decoded->answers->len, ==, 1);
  g_assert_cmpuint (decoded->additionals->len, ==, 4);

  SatoriMdnsRecord *ptr = decoded->answers->pdata[0];
  g_assert_cmpstr (ptr->name, ==, "_p2p._udp.local");
  g_assert_cmpstr (ptr->target, ==, INSTANCE);
  g_assert_cmpuint (ptr->ttl, ==, 120);
  g_assert_false (ptr->cache_flush);

  SatoriMdnsRecord *txt = decoded->additionals->pdata[0];
  g_assert_cmpuint (txt->type, ==, SATORI_MDNS_TYPE_TXT);
  g_assert_true (txt->cache_flush);
  g_assert_cmpuint (txt->klass, ==, SATORI_MDNS_CLASS_IN);
  g_assert_cmpuint (txt->strings->len, ==, 2);
  g_assert_cmpmem (g_bytes_get_data (txt->strings->pdata[0], NULL),
                   g_bytes_get_size (txt->strings->pdata[0]),
                   "dnsaddr=/ip4/10.0.0.1/tcp/4001", 30);
  g_assert_cmpuint (g_bytes_get_size (txt->strings->pdata[1]), ==, 0);

  SatoriMdnsRecord *srv = decoded->additionals->pdata[1];
  g_assert_cmpuint (srv->priority, ==, 1);
  g_assert_cmpuint (srv->weight, ==, 2);
  g_assert_cmpuint (srv->port, ==, 4001);
  g_assert_cmpstr (srv->target, ==, "k51qzi5uqu5dlvj2baxnqndepeb.local");

  SatoriMdnsRecord *a = decoded->additionals->pdata[2];
  g_assert_cmpmem (a->address, 4, ((guint8[]) { 10, 0, 0, 1 }), 4);
  SatoriMdnsRecord *aaaa = decoded->additionals->pdata[3];
  g_assert_cmpuint (aaaa->address[0], ==, 0xfd);
  g_assert_cmpuint (aaaa->address[15], ==, 1);
}

static void
test_query (void)
{
  g_autoptr(SatoriMdnsMessage) query = satori_mdns_message_new (0);
  SatoriMdnsQuestion *question = satori_mdns_message_add_question (query, "_P2P._udp.LOCAL",
                                                                  SATORI_MDNS_TYPE_PTR);
  question->unicast = TRUE;
  g_autoptr(GBytes) bytes = satori_mdns_message_encode (query, 512, NULL);
  /* Header, 4 labels + root, type, class with the QU bit. */
  static const guint8 expected[] = {
    0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
    4, '_', 'P', '2', 'P', 4, '_', 'u', 'd', 'p', 5, 'L', 'O', 'C', 'A', 'L', 0,
    0, 12, 0x80, 1,
  };
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected,
                   sizeof expected);

  g_autoptr(SatoriMdnsMessage) decoded =
    satori_mdns_message_decode (expected, sizeof expected, NULL);
  g_assert_false (satori_mdns_message_is_response (decoded));
  SatoriMdnsQuestion *back = decoded->questions->pdata[0];
  g_assert_true (satori_mdns_name_equal (back->name, "_p2p._udp.local"));
  g_assert_true (back->unicast);
  g_assert_cmpuint (back->klass, ==, SATORI_MDNS_CLASS_IN);
}

static void
test_encode_limits (void)
{
  g_autoptr(SatoriMdnsMessage) message = sample_response ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) small = satori_mdns_message_encode (message, 100, &error);
  g_assert_error (error, SATORI_MDNS_ERROR, SATORI_MDNS_ERROR_TOO_LARGE);
  g_assert_null (small);
  g_clear_error (&error);

  const char *bad[] = { "a..b", ".a", "a.", "0123456789012345678901234567890123456789012345678901234567890123.x" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SatoriMdnsMessage) query = satori_mdns_message_new (0);
      satori_mdns_message_add_question (query, bad[i], SATORI_MDNS_TYPE_PTR);
      g_autoptr(GBytes) bytes = satori_mdns_message_encode (query, 512, &error);
      g_assert_null (bytes);
      g_assert_error (error, SATORI_MDNS_ERROR, SATORI_MDNS_ERROR_MALFORMED);
      g_clear_error (&error);
    }
}

static void
expect_malformed (const guint8 *data, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMdnsMessage) message = satori_mdns_message_decode (data, len, &error);
  g_assert_null (message);
  g_assert_error (error, SATORI_MDNS_ERROR, SATORI_MDNS_ERROR_MALFORMED);
}

static void
test_decode_malformed (void)
{
  /* A question whose name points at itself, and one pointing forward. */
  static const guint8 loop[] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 12, 0, 1 };
  static const guint8 forward[] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 14, 0, 12, 0, 1 };
  /* Labels pointing back into themselves through a second pointer. */
  static const guint8 cycle[] = { 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0,
                                  1, 'a', 0xc0, 18, 0, 12, 0, 1,
                                  1, 'b', 0xc0, 12, 0, 12, 0, 1 };
  /* More records announced than bytes follow. */
  static const guint8 counts[] = { 0, 0, 0x84, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0 };
  /* An A record of 3 bytes; a TXT string running past its record. */
  static const guint8 short_a[] = { 0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0,
                                    0, 0, 1, 0, 1, 0, 0, 0, 120, 0, 3, 10, 0, 0 };
  static const guint8 long_txt[] = { 0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0,
                                     0, 0, 16, 0, 1, 0, 0, 0, 120, 0, 2, 5, 'a' };
  /* A label with a dot in it; an extended label type. */
  static const guint8 dotted[] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
                                   3, 'a', '.', 'b', 0, 0, 12, 0, 1 };
  static const guint8 extended[] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 12, 0, 1 };

  expect_malformed (loop, sizeof loop);
  expect_malformed (forward, sizeof forward);
  expect_malformed (cycle, sizeof cycle);
  expect_malformed (counts, sizeof counts);
  expect_malformed (short_a, sizeof short_a);
  expect_malformed (long_txt, sizeof long_txt);
  expect_malformed (dotted, sizeof dotted);
  expect_malformed (extended, sizeof extended);
  expect_malformed (loop, 5);

  /* A name longer than 255 bytes, written with 63-byte labels. */
  g_autoptr(GByteArray) huge = g_byte_array_new ();
  g_byte_array_append (huge, (const guint8[]) { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 }, 12);
  for (guint i = 0; i < 5; i++)
    {
      guint8 label[64];
      label[0] = 63;
      memset (label + 1, 'x', 63);
      g_byte_array_append (huge, label, sizeof label);
    }
  g_byte_array_append (huge, (const guint8[]) { 0, 0, 12, 0, 1 }, 5);
  expect_malformed (huge->data, huge->len);
}

static void
test_unknown_type_skipped (void)
{
  /* A response with an HINFO-like record of type 13 and 4 data bytes. */
  static const guint8 data[] = { 0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0,
                                 1, 'h', 0, 0, 13, 0x80, 1, 0, 0, 0, 10, 0, 4, 1, 'x', 1, 'y' };
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMdnsMessage) message = satori_mdns_message_decode (data, sizeof data, &error);
  g_assert_no_error (error);
  SatoriMdnsRecord *record = message->answers->pdata[0];
  g_assert_cmpuint (record->type, ==, 13);
  g_assert_true (record->cache_flush);
  g_assert_null (record->target);
  g_assert_null (record->strings);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mdns/message/round-trip", test_round_trip);
  g_test_add_func ("/mdns/message/query", test_query);
  g_test_add_func ("/mdns/message/encode-limits", test_encode_limits);
  g_test_add_func ("/mdns/message/decode-malformed", test_decode_malformed);
  g_test_add_func ("/mdns/message/unknown-type-skipped", test_unknown_type_skipped);
  return g_test_run ();
}
