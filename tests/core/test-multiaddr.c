/* Tests of SatoriMultiaddr and the protocol table.
 *
 * Expected bytes are written out from the multicodec codes by hand; the
 * peer id and certhash vectors are those of go-multiaddr's tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-errors.h"
#include "satori-multiaddr.h"
#include "satori-multibase.h"
#include "satori-test-util.h"

#define QM_PEER "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC"
/* The multihashes, and their /p2p/ components (code, length, multihash). */
#define QM_PEER_MH_HEX "1220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b"
#define QM_PEER_HEX "a50322" QM_PEER_MH_HEX
#define ED_PEER "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV"
#define ED_PEER_MH_HEX "0024080112202d3de6d16ae87f7a933fe1552162a2d3f04951e90e8051e4ee2c18f002dd0fb4"
#define ED_PEER_HEX "a50326" ED_PEER_MH_HEX
#define IP6_LOOPBACK_HEX "2900000000000000000000000000000001"
#define EXAMPLE_COM_HEX "0b6578616d706c652e636f6d"
#define ONION3_HOST "vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd"

static char *
hex_of (const SatoriMultiaddr *ma)
{
  gsize len;
  const guint8 *data = satori_multiaddr_get_data (ma, &len);
  GString *hex = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  return g_string_free (hex, FALSE);
}

static SatoriMultiaddr *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  SatoriMultiaddr *ma = satori_multiaddr_new_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ma);
  return ma;
}

static char *
to_string (const char *text)
{
  g_autoptr(SatoriMultiaddr) ma = parse (text);
  return satori_multiaddr_to_string (ma);
}

typedef struct {
  const char *text;
  const char *canonical;   /* NULL when it is @text */
  const char *hex;
} Vector;

static const Vector vectors[] = {
  { "/ip4/127.0.0.1/udp/1234", NULL, "047f000001910204d2" },
  { "/ip4/127.0.0.1/tcp/4321", NULL, "047f0000010610e1" },
  { "/ip4/192.0.2.42/tcp/443", NULL, "04c000022a0601bb" },
  { "/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321", NULL, "047f000001910204d2047f0000010610e1" },
  { "/ip4/127.0.0.1/tcp/1234/", "/ip4/127.0.0.1/tcp/1234", "047f0000010604d2" },
  { "/ip6/::1/tcp/4001", NULL, IP6_LOOPBACK_HEX "060fa1" },
  { "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21/udp/1234/quic-v1", NULL,
    "2926010009 4f819700803eca6566e80c21" "910204d2" "cd03" },
  { "/ip6/::ffff:127.0.0.1/tcp/111", NULL, "2900000000000000000000ffff7f000001" "06006f" },
  { "/ip6zone/eth0/ip6/::1", NULL, "2a0465746830" IP6_LOOPBACK_HEX },
  { "/dns4/example.com/tcp/443/wss", NULL, "36" EXAMPLE_COM_HEX "0601bb" "de03" },
  { "/dns/example.com/tcp/443/tls/ws", NULL, "35" EXAMPLE_COM_HEX "0601bb" "c003" "dd03" },
  { "/dns6/x/udp/1", NULL, "370178" "91020001" },
  { "/dnsaddr/bootstrap.libp2p.io", NULL, "3813626f6f7473747261702e6c69627032702e696f" },
  { "/sctp/1234", NULL, "840104d2" },
  { "/dccp/65535", NULL, "21ffff" },
  { "/tcp/0", NULL, "060000" },
  { "/tcp/080", "/tcp/80", "060050" },
  { "/unix/tmp/s.sock", NULL, "90030b2f746d702f732e736f636b" },
  { "/ip4/1.2.3.4/tcp/80/unix/a/b/c/d/e/f", NULL,
    "0401020304" "060050" "90030c2f612f622f632f642f652f66" },
  /* A path written as one percent-encoded segment, as it must be when
   * something follows it, or when its text starts like an encoded one. */
  { "/unix/%2Ftmp%2Fs.sock", "/unix/tmp/s.sock", "90030b2f746d702f732e736f636b" },
  { "/unix/%2Ftmp%2Fs.sock/tcp/443", NULL, "90030b2f746d702f732e736f636b" "0601bb" },
  { "/unix/%2fa%2fb/p2p-circuit", "/unix/%2Fa%2Fb/p2p-circuit", "9003042f612f62" "a202" },
  { "/unix/%2F%252Fx", NULL, "9003052f25324678" },
  { "/unix/%41/%2F", NULL, "9003082f2534312f253246" },
  { "/memory/4", NULL, "89060000000000000004" },
  { "/memory/18446744073709551615", NULL, "8906ffffffffffffffff" },
  { "/p2p/" QM_PEER, NULL, QM_PEER_HEX },
  { "/ipfs/" QM_PEER, "/p2p/" QM_PEER, QM_PEER_HEX },
  { "/p2p/" ED_PEER, NULL, ED_PEER_HEX },
  /* CIDv1 libp2p-key texts of the same two peers. */
  { "/p2p/bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm", "/p2p/" QM_PEER,
    QM_PEER_HEX },
  { "/p2p/bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u", "/p2p/" ED_PEER,
    ED_PEER_HEX },
  { "/ip4/127.0.0.1/tcp/4001/p2p/" QM_PEER "/p2p-circuit/p2p/" ED_PEER, NULL,
    "047f000001060fa1" QM_PEER_HEX "a202" ED_PEER_HEX },
  { "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
    NULL,
    "047f000001910204d2cd03d103" "d203221220c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2" },
  { "/certhash/b2uaraocy6yrdblb4sfptaddgimjmmpy", "/certhash/u1QEQOFj2IjCsPJFfMAxmQxLGPw",
    "d20313d501103858f62230ac3c915f300c664312c63f" },
  { "/onion/aaimaq4ygg2iegci:80", NULL, "bc030010c0439831b48218480050" },
  { "/onion3/" ONION3_HOST ":1234", NULL,
    "bd03adadec040be047f9658668b11a504f3155001f231a37f54c4476c07fb4cc139ed7e30304d2" },
  { "/onion3/VWW6YBAL4BD7SZMGNCYRUUCPGFKQAHZDDI37KTCEO3AH7NGMCOPNPYYD:1234",
    "/onion3/" ONION3_HOST ":1234",
    "bd03adadec040be047f9658668b11a504f3155001f231a37f54c4476c07fb4cc139ed7e30304d2" },
  { "/ip4/127.0.0.1/tcp/443/tls/sni/example.com/http", NULL,
    "047f0000010601bb" "c003" "c103" EXAMPLE_COM_HEX "e003" },
  { "/ip4/127.0.0.1/tcp/9090/http/p2p-webrtc-direct", NULL, "047f000001062382e0039402" },
  { "/ip4/0.0.0.0/udp/0/quic/noise/https/webrtc/webrtc-direct/utp/udt", NULL,
    "040000000091020000" "cc03c603bb0399029802ae02ad02" },
  { "/ip4/192.0.2.0/ipcidr/24", NULL, "04c00002002b18" },
  { "/", NULL, "" },
};

static void
test_round_trip (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      const Vector *v = &vectors[i];
      const char *canonical = v->canonical != NULL ? v->canonical : v->text;
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) hex = g_string_new (v->hex);

      g_test_message ("%s", v->text);
      g_string_replace (hex, " ", "", 0);

      g_autoptr(SatoriMultiaddr) ma = parse (v->text);
      g_autofree char *got_hex = hex_of (ma);
      g_assert_cmpstr (got_hex, ==, hex->str);
      g_autofree char *text = satori_multiaddr_to_string (ma);
      g_assert_cmpstr (text, ==, canonical);

      g_autoptr(GBytes) bytes = satori_test_bytes_from_hex (hex->str);
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);
      g_autoptr(SatoriMultiaddr) from_bytes = satori_multiaddr_new_from_bytes (data, len, &error);
      g_assert_no_error (error);
      g_autofree char *text2 = satori_multiaddr_to_string (from_bytes);
      g_assert_cmpstr (text2, ==, canonical);
      g_assert_true (satori_multiaddr_equal (ma, from_bytes));
      g_assert_true (g_bytes_equal (satori_multiaddr_get_bytes (ma), bytes));
    }
}

static void
test_parse_ip4_tcp (void)
{
  g_autoptr(SatoriMultiaddr) ma = parse ("/ip4/192.0.2.42/tcp/443");
  guint32 code;
  const guint8 *value;
  gsize len;

  g_assert_cmpuint (satori_multiaddr_get_n_components (ma), ==, 2);
  g_assert_true (satori_multiaddr_get_component (ma, 0, &code, &value, &len));
  g_assert_cmpuint (code, ==, SATORI_PROTO_IP4);
  g_assert_cmpmem (value, len, "\xc0\x00\x02\x2a", 4);
  g_assert_true (satori_multiaddr_get_component (ma, 1, &code, &value, &len));
  g_assert_cmpuint (code, ==, SATORI_PROTO_TCP);
  g_assert_cmpmem (value, len, "\x01\xbb", 2);
  g_assert_false (satori_multiaddr_get_component (ma, 2, &code, &value, &len));
  g_assert_true (satori_multiaddr_get_component (ma, 1, NULL, NULL, NULL));
}

static void
test_parse_empty (void)
{
  g_autoptr(SatoriMultiaddr) slash = parse ("/");
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMultiaddr) none = satori_multiaddr_new_from_bytes (NULL, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (satori_multiaddr_get_n_components (slash), ==, 0);
  g_assert_true (satori_multiaddr_equal (slash, none));
  g_autofree char *text = satori_multiaddr_to_string (none);
  g_assert_cmpstr (text, ==, "/");
  g_assert_null (satori_multiaddr_get_peer_id_bytes (none));
  g_assert_false (satori_multiaddr_has_protocol (none, SATORI_PROTO_IP4));
}

typedef struct {
  const char *text;
  SatoriMultiaddrError code;
} BadText;

static void
test_parse_invalid_text (void)
{
  /* A CIDv1 of a dag-pb multihash: a CID, but not of a libp2p key. */
  g_autofree char *dag_pb = NULL;
  guint8 cid[36] = { 0x01, 0x70, 0x12, 0x20 };
  dag_pb = satori_multibase_encode (SATORI_MULTIBASE_BASE32, cid, sizeof cid);
  g_autofree char *dag_pb_addr = g_strconcat ("/p2p/", dag_pb, NULL);
  g_autofree char *too_long = g_strnfill (SATORI_MULTIADDR_MAX_BYTES * 16 + 1, '/');
  GString *many = g_string_new (NULL);
  for (guint i = 0; i <= SATORI_MULTIADDR_MAX_BYTES / 2; i++)
    g_string_append (many, "/p2p-circuit");
  g_autofree char *too_many = g_string_free (many, FALSE);

  const BadText cases[] = {
    { "", SATORI_MULTIADDR_ERROR_INVALID },
    { "ip4/1.2.3.4", SATORI_MULTIADDR_ERROR_INVALID },
    { "//", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4/", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4//tcp/1", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4/::1", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4/256.0.0.1", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4/1.2.3.4x", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4/fdpsofodsajfdoisa", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip6/1.2.3.4", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip6/fe80::1%eth0", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4/1.2.3.4//tcp/1", SATORI_MULTIADDR_ERROR_INVALID },
    { "/tcp/65536", SATORI_MULTIADDR_ERROR_INVALID },
    { "/udp/65536", SATORI_MULTIADDR_ERROR_INVALID },
    { "/tcp/-1", SATORI_MULTIADDR_ERROR_INVALID },
    { "/tcp/+1", SATORI_MULTIADDR_ERROR_INVALID },
    { "/tcp/ 1", SATORI_MULTIADDR_ERROR_INVALID },
    { "/tcp/99999999999999999999999", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4/127.0.0.1/udp/jfodsajfidosajfoidsa", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4/127.0.0.1/tcp", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ipcidr/256", SATORI_MULTIADDR_ERROR_INVALID },
    { "/foo/1", SATORI_MULTIADDR_ERROR_UNKNOWN_PROTOCOL },
    { "/ip4/127.0.0.1/tcp/9090/http/p2p-webcrt-direct", SATORI_MULTIADDR_ERROR_UNKNOWN_PROTOCOL },
    { "/udp/1234/sctp", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4/127.0.0.1/quic/1234", SATORI_MULTIADDR_ERROR_UNKNOWN_PROTOCOL },
    { "/ip6zone", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip6zone/", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip6zone//ip6/fe80::1", SATORI_MULTIADDR_ERROR_INVALID },
    { "/dns4//tcp/1", SATORI_MULTIADDR_ERROR_INVALID },
    { "/unix", SATORI_MULTIADDR_ERROR_INVALID },
    { "/unix/", SATORI_MULTIADDR_ERROR_INVALID },
    { "/unix/%2F", SATORI_MULTIADDR_ERROR_INVALID },
    { "/unix/%2Fa%2", SATORI_MULTIADDR_ERROR_INVALID },
    { "/unix/%2Fa%zz", SATORI_MULTIADDR_ERROR_INVALID },
    { "/unix/%2F%00a", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4/127.0.0.1/p2p", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4/127.0.0.1/p2p/tcp", SATORI_MULTIADDR_ERROR_INVALID },
    /* sha2-256 multihash with a 33-byte digest */
    { "/p2p/QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY", SATORI_MULTIADDR_ERROR_INVALID },
    /* base36 is not a multibase we read */
    { "/p2p/k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7", SATORI_MULTIADDR_ERROR_INVALID },
    { "/p2p/?unknownmultibase", SATORI_MULTIADDR_ERROR_INVALID },
    { dag_pb_addr, SATORI_MULTIADDR_ERROR_INVALID },
    { "/memory/18446744073709551616", SATORI_MULTIADDR_ERROR_INVALID },
    { "/memory/x", SATORI_MULTIADDR_ERROR_INVALID },
    { "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash", SATORI_MULTIADDR_ERROR_INVALID },
    { "/certhash/b2uaraocy6yrdblb4sfptaddgimjmmp", SATORI_MULTIADDR_ERROR_INVALID },
    { "/certhash/uAA", SATORI_MULTIADDR_ERROR_INVALID },
    { "/onion/aaimaq4ygg2iegci7:80", SATORI_MULTIADDR_ERROR_INVALID },
    { "/onion/timaq4ygg2iegci7", SATORI_MULTIADDR_ERROR_INVALID },
    { "/onion/timaq4ygg2iegci7:0", SATORI_MULTIADDR_ERROR_INVALID },
    { "/onion3/" ONION3_HOST, SATORI_MULTIADDR_ERROR_INVALID },
    { "/onion3/" ONION3_HOST ":0", SATORI_MULTIADDR_ERROR_INVALID },
    { "/onion3/" ONION3_HOST ":-1", SATORI_MULTIADDR_ERROR_INVALID },
    { "/onion3/" ONION3_HOST ":1:2", SATORI_MULTIADDR_ERROR_INVALID },
    { "/onion3/9ww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:80", SATORI_MULTIADDR_ERROR_INVALID },
    { too_long, SATORI_MULTIADDR_ERROR_TOO_LARGE },
    { too_many, SATORI_MULTIADDR_ERROR_TOO_LARGE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%.80s", cases[i].text);
      g_autoptr(SatoriMultiaddr) ma = satori_multiaddr_new_from_string (cases[i].text, &error);
      g_assert_error (error, SATORI_MULTIADDR_ERROR, (gint) cases[i].code);
      g_assert_null (ma);
    }
}

typedef struct {
  const char *hex;
  SatoriMultiaddrError code;
} BadBytes;

static void
test_parse_invalid_bytes (void)
{
  const BadBytes cases[] = {
    { "047f0000", SATORI_MULTIADDR_ERROR_TRUNCATED },            /* ip4 with 3 bytes */
    { "0600", SATORI_MULTIADDR_ERROR_TRUNCATED },                /* tcp with 1 byte */
    { "047f000001910204", SATORI_MULTIADDR_ERROR_TRUNCATED },
    { "35", SATORI_MULTIADDR_ERROR_TRUNCATED },                  /* dns without length */
    { "350561", SATORI_MULTIADDR_ERROR_TRUNCATED },              /* 5 announced, 1 there */
    { "35ffffffff0f6162", SATORI_MULTIADDR_ERROR_TRUNCATED },    /* 4 GiB announced */
    { "a5", SATORI_MULTIADDR_ERROR_TRUNCATED },                  /* code cut in two */
    { "35ffffffffffffffffff01", SATORI_MULTIADDR_ERROR_TOO_LARGE }, /* 10-byte varint */
    { "ffffffffffffffffff7f", SATORI_MULTIADDR_ERROR_TOO_LARGE },
    { "07", SATORI_MULTIADDR_ERROR_UNKNOWN_PROTOCOL },
    { "ff7f", SATORI_MULTIADDR_ERROR_UNKNOWN_PROTOCOL },
    { "8400", SATORI_MULTIADDR_ERROR_INVALID },                  /* ip4 code, not minimal */
    { "3500", SATORI_MULTIADDR_ERROR_INVALID },                  /* empty dns name */
    { "3503612f62", SATORI_MULTIADDR_ERROR_INVALID },            /* dns "a/b" */
    { "3503610062", SATORI_MULTIADDR_ERROR_INVALID },            /* dns "a\0b" */
    { "900303616263", SATORI_MULTIADDR_ERROR_INVALID },          /* relative unix path */
    { "9003012f", SATORI_MULTIADDR_ERROR_INVALID },              /* unix path "/" */
    /* p2p: sha2-256 announcing 33 digest bytes (go-multiaddr's vector) */
    { "a503221221c05877cbae039d70a5e600ea02c6f9f2942439285c9e344e26f8d280c850fad6",
      SATORI_MULTIADDR_ERROR_INVALID },
    { "a5030411021234", SATORI_MULTIADDR_ERROR_INVALID },        /* sha1 peer id */
    { "a50300", SATORI_MULTIADDR_ERROR_INVALID },                /* empty multihash */
    { "d20300", SATORI_MULTIADDR_ERROR_INVALID },                /* empty certhash */
    { "bc030010c0439831b48218480000", SATORI_MULTIADDR_ERROR_INVALID }, /* onion port 0 */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = satori_test_bytes_from_hex (cases[i].hex);
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      g_test_message ("%s", cases[i].hex);
      g_autoptr(SatoriMultiaddr) ma = satori_multiaddr_new_from_bytes (data, len, &error);
      g_assert_error (error, SATORI_MULTIADDR_ERROR, (gint) cases[i].code);
      g_assert_null (ma);
    }

  /* Longer than the limit, though every component is fine. */
  g_autoptr(GByteArray) long_one = g_byte_array_new ();
  for (guint i = 0; i <= SATORI_MULTIADDR_MAX_BYTES / 2; i++)
    g_byte_array_append (long_one, (const guint8 *) "\xa2\x02", 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMultiaddr) ma = satori_multiaddr_new_from_bytes (long_one->data,
                                                                   long_one->len, &error);
  g_assert_error (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_TOO_LARGE);
  g_assert_null (ma);
}

static void
test_value_string (void)
{
  g_autoptr(SatoriMultiaddr) ma =
    parse ("/ip4/127.0.0.1/utp/tcp/5555/udp/1234/tls/utp/ipfs/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP");
  struct { guint32 code; const char *value; } expected[] = {
    { SATORI_PROTO_IP4, "127.0.0.1" },
    { SATORI_PROTO_UTP, "" },
    { SATORI_PROTO_TLS, "" },
    { SATORI_PROTO_TCP, "5555" },
    { SATORI_PROTO_UDP, "1234" },
    { SATORI_PROTO_P2P, "QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *value = satori_multiaddr_get_value_string (ma, expected[i].code);
      g_assert_cmpstr (value, ==, expected[i].value);
      g_assert_true (satori_multiaddr_has_protocol (ma, expected[i].code));
    }
  g_assert_null (satori_multiaddr_get_value_string (ma, SATORI_PROTO_IP6));
  g_assert_false (satori_multiaddr_has_protocol (ma, SATORI_PROTO_IP6));

  /* The first of several; the unix path keeps its '/'. */
  g_autoptr(SatoriMultiaddr) twice = parse ("/ip4/1.1.1.1/ip4/2.2.2.2/unix/a/b/c/d");
  g_autofree char *first = satori_multiaddr_get_value_string (twice, SATORI_PROTO_IP4);
  g_assert_cmpstr (first, ==, "1.1.1.1");
  g_autofree char *path = satori_multiaddr_get_value_string (twice, SATORI_PROTO_UNIX);
  g_assert_cmpstr (path, ==, "/a/b/c/d");
}

static void
test_peer_id (void)
{
  g_autoptr(SatoriMultiaddr) circuit =
    parse ("/ip4/127.0.0.1/tcp/4001/p2p/" QM_PEER "/p2p-circuit/p2p/" ED_PEER);
  g_autoptr(GBytes) target = satori_multiaddr_get_peer_id_bytes (circuit);
  g_autoptr(GBytes) expected_target = satori_test_bytes_from_hex (ED_PEER_MH_HEX);

  g_assert_true (g_bytes_equal (target, expected_target));

  g_autoptr(SatoriMultiaddr) relay = satori_multiaddr_decapsulate (circuit, SATORI_PROTO_P2P_CIRCUIT);
  g_autofree char *relay_text = satori_multiaddr_to_string (relay);
  g_assert_cmpstr (relay_text, ==, "/ip4/127.0.0.1/tcp/4001/p2p/" QM_PEER);
  g_autoptr(GBytes) relay_id = satori_multiaddr_get_peer_id_bytes (relay);
  g_autoptr(GBytes) expected_relay = satori_test_bytes_from_hex (QM_PEER_MH_HEX);
  g_assert_true (g_bytes_equal (relay_id, expected_relay));

  g_autoptr(SatoriMultiaddr) bare = parse ("/ip4/127.0.0.1/tcp/4001");
  g_assert_null (satori_multiaddr_get_peer_id_bytes (bare));
}

static void
test_encapsulate (void)
{
  g_autoptr(SatoriMultiaddr) outer = parse ("/ip4/127.0.0.1/udp/1234");
  g_autoptr(SatoriMultiaddr) inner = parse ("/udp/5678/dns/x");
  g_autoptr(SatoriMultiaddr) both = satori_multiaddr_encapsulate (outer, inner);
  g_autofree char *text = satori_multiaddr_to_string (both);
  guint32 code;
  const guint8 *value;
  gsize len;

  g_assert_cmpstr (text, ==, "/ip4/127.0.0.1/udp/1234/udp/5678/dns/x");
  g_assert_cmpuint (satori_multiaddr_get_n_components (both), ==, 4);
  g_assert_true (satori_multiaddr_get_component (both, 2, &code, &value, &len));
  g_assert_cmpuint (code, ==, SATORI_PROTO_UDP);
  g_assert_cmpmem (value, len, "\x16\x2e", 2);
  g_assert_true (satori_multiaddr_get_component (both, 3, &code, &value, &len));
  g_assert_cmpmem (value, len, "x", 1);

  /* Same as parsing the whole text. */
  g_autoptr(SatoriMultiaddr) parsed = parse (text);
  g_assert_true (satori_multiaddr_equal (both, parsed));

  g_autoptr(SatoriMultiaddr) empty = parse ("/");
  g_autoptr(SatoriMultiaddr) same = satori_multiaddr_encapsulate (empty, outer);
  g_assert_true (satori_multiaddr_equal (same, outer));
  g_autoptr(SatoriMultiaddr) same2 = satori_multiaddr_encapsulate (outer, empty);
  g_assert_true (satori_multiaddr_equal (same2, outer));
}

typedef struct {
  const char *address;
  guint32 code;
  const char *expected;
} Decap;

static void
test_decapsulate (void)
{
  const Decap cases[] = {
    { "/ip4/127.0.0.1/udp/1234/udp/5678", SATORI_PROTO_UDP, "/ip4/127.0.0.1/udp/1234" },
    { "/ip4/1.2.3.4/tcp/1234", SATORI_PROTO_IP4, "/" },
    { "/ip4/1.2.3.5/udp/1234/quic-v1", SATORI_PROTO_UDP, "/ip4/1.2.3.5" },
    { "/ip4/1.2.3.7/tcp/1234", SATORI_PROTO_WS, "/ip4/1.2.3.7/tcp/1234" },
    { "/dnsaddr/wss.com/tcp/4001/ws", SATORI_PROTO_WSS, "/dnsaddr/wss.com/tcp/4001/ws" },
    { "/dnsaddr/wss.com/tcp/4001/wss", SATORI_PROTO_WSS, "/dnsaddr/wss.com/tcp/4001" },
    { "/ip4/1.2.3.4/tcp/1/p2p/" QM_PEER, SATORI_PROTO_P2P, "/ip4/1.2.3.4/tcp/1" },
    { "/", SATORI_PROTO_TCP, "/" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SatoriMultiaddr) ma = parse (cases[i].address);
      g_autoptr(SatoriMultiaddr) rest = satori_multiaddr_decapsulate (ma, cases[i].code);
      g_autofree char *text = satori_multiaddr_to_string (rest);

      g_assert_cmpstr (text, ==, cases[i].expected);
      g_autoptr(SatoriMultiaddr) parsed = parse (cases[i].expected);
      g_assert_true (satori_multiaddr_equal (rest, parsed));
      g_assert_cmpuint (satori_multiaddr_get_n_components (rest), ==,
                        satori_multiaddr_get_n_components (parsed));
    }

  /* Nothing to drop: the same object back. */
  g_autoptr(SatoriMultiaddr) ma = parse ("/ip4/1.2.3.4/tcp/1");
  g_autoptr(SatoriMultiaddr) rest = satori_multiaddr_decapsulate (ma, SATORI_PROTO_UDP);
  g_assert_true (rest == ma);
}

static void
test_equal_hash (void)
{
  g_autoptr(SatoriMultiaddr) udp = parse ("/ip4/127.0.0.1/udp/1234");
  g_autoptr(SatoriMultiaddr) tcp = parse ("/ip4/127.0.0.1/tcp/1234");
  g_autoptr(SatoriMultiaddr) tcp2 = parse ("/ip4/127.0.0.1/tcp/1234/");
  g_autoptr(SatoriMultiaddr) p2p = parse ("/p2p/" QM_PEER);
  g_autoptr(SatoriMultiaddr) ipfs = parse ("/ipfs/" QM_PEER);
  g_autoptr(GHashTable) set = g_hash_table_new (satori_multiaddr_hash, satori_multiaddr_equal);

  g_assert_false (satori_multiaddr_equal (udp, tcp));
  g_assert_true (satori_multiaddr_equal (tcp, tcp2));
  g_assert_true (satori_multiaddr_equal (tcp, tcp));
  g_assert_true (satori_multiaddr_equal (p2p, ipfs));
  g_assert_cmpuint (satori_multiaddr_hash (tcp), ==, satori_multiaddr_hash (tcp2));
  g_assert_cmpuint (satori_multiaddr_hash (p2p), ==, satori_multiaddr_hash (ipfs));

  g_hash_table_add (set, udp);
  g_hash_table_add (set, tcp);
  g_hash_table_add (set, p2p);
  g_assert_true (g_hash_table_contains (set, tcp2));
  g_assert_true (g_hash_table_contains (set, ipfs));
  g_assert_cmpuint (g_hash_table_size (set), ==, 3);
}

static void
test_build (void)
{
  g_autoptr(GInetAddress) v4 = g_inet_address_new_from_string ("192.0.2.42");
  g_autoptr(GInetAddress) v6 = g_inet_address_new_from_string ("::1");
  g_autoptr(GError) error = NULL;

  g_autoptr(SatoriMultiaddr) tcp = satori_multiaddr_new_ip_tcp (v4, 443);
  g_autofree char *tcp_text = satori_multiaddr_to_string (tcp);
  g_assert_cmpstr (tcp_text, ==, "/ip4/192.0.2.42/tcp/443");

  g_autoptr(SatoriMultiaddr) udp = satori_multiaddr_new_ip_udp (v6, 65535);
  g_autofree char *udp_text = satori_multiaddr_to_string (udp);
  g_assert_cmpstr (udp_text, ==, "/ip6/::1/udp/65535");

  g_autoptr(SatoriMultiaddr) memory = satori_multiaddr_new_memory (G_MAXUINT64);
  g_autofree char *memory_text = satori_multiaddr_to_string (memory);
  g_assert_cmpstr (memory_text, ==, "/memory/18446744073709551615");
  g_autofree char *memory_value = satori_multiaddr_get_value_string (memory, SATORI_PROTO_MEMORY);
  g_assert_cmpstr (memory_value, ==, "18446744073709551615");

  g_autoptr(GBytes) id = satori_test_bytes_from_hex (ED_PEER_MH_HEX);
  g_autoptr(SatoriMultiaddr) p2p = satori_multiaddr_new_p2p (g_bytes_get_data (id, NULL),
                                                             g_bytes_get_size (id), &error);
  g_assert_no_error (error);
  g_autofree char *p2p_text = satori_multiaddr_to_string (p2p);
  g_assert_cmpstr (p2p_text, ==, "/p2p/" ED_PEER);

  g_autoptr(SatoriMultiaddr) bad = satori_multiaddr_new_p2p ((const guint8 *) "\x12\x01\x00", 3,
                                                             &error);
  g_assert_error (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_INVALID);
  g_assert_null (bad);
}

static void
test_socket_address (void)
{
  g_autoptr(SatoriMultiaddr) v4 = parse ("/ip4/127.0.0.1/tcp/4001/p2p/" QM_PEER);
  g_autoptr(SatoriMultiaddr) v6 = parse ("/ip6/::1/udp/9/quic-v1");
  g_autoptr(GError) error = NULL;
  guint32 transport = 0;

  g_autoptr(GSocketAddress) a = satori_multiaddr_to_inet_socket_address (v4, &transport, &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_INET_SOCKET_ADDRESS (a));
  g_assert_cmpuint (transport, ==, SATORI_PROTO_TCP);
  g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (a)), ==, 4001);
  g_autofree char *a_ip =
    g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (a)));
  g_assert_cmpstr (a_ip, ==, "127.0.0.1");

  g_autoptr(GSocketAddress) b = satori_multiaddr_to_inet_socket_address (v6, &transport, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (transport, ==, SATORI_PROTO_UDP);
  g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (b)), ==, 9);
  GInetAddress *b_address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (b));
  g_assert_cmpint (g_inet_address_get_family (b_address), ==, G_SOCKET_FAMILY_IPV6);
  g_assert_true (g_inet_address_get_is_loopback (b_address));

  /* And back. */
  g_autoptr(SatoriMultiaddr) again =
    satori_multiaddr_new_ip_tcp (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (a)),
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (a)));
  g_autoptr(SatoriMultiaddr) expected = satori_multiaddr_decapsulate (v4, SATORI_PROTO_P2P);
  g_assert_true (satori_multiaddr_equal (again, expected));

  const char *unsupported[] = {
    "/", "/ip4/1.2.3.4", "/dns4/example.com/tcp/1", "/tcp/1/ip4/1.2.3.4",
    "/ip4/1.2.3.4/sctp/1", "/ip6zone/eth0/ip6/fe80::1/tcp/1", "/memory/4",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (unsupported); i++)
    {
      g_autoptr(SatoriMultiaddr) ma = parse (unsupported[i]);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GSocketAddress) none = satori_multiaddr_to_inet_socket_address (ma, NULL,
                                                                                &local_error);
      g_assert_error (local_error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_UNSUPPORTED);
      g_assert_null (none);
    }
}

static void
test_boxed (void)
{
  g_autoptr(SatoriMultiaddr) ma = parse ("/memory/7");
  GValue value = G_VALUE_INIT;

  g_value_init (&value, SATORI_TYPE_MULTIADDR);
  g_value_set_boxed (&value, ma);
  SatoriMultiaddr *copy = g_value_dup_boxed (&value);
  g_assert_true (copy == ma);
  g_value_unset (&value);
  satori_multiaddr_unref (copy);

  g_autofree char *text = to_string ("/memory/7");
  g_assert_cmpstr (text, ==, "/memory/7");
}

static void
test_protocol_table (void)
{
  const SatoriMultiaddrProtocol *p2p = satori_multiaddr_protocol_from_name ("p2p", -1);
  const SatoriMultiaddrProtocol *ipfs = satori_multiaddr_protocol_from_name ("ipfs/x", 4);

  g_assert_nonnull (p2p);
  g_assert_true (p2p == ipfs);
  g_assert_true (p2p == satori_multiaddr_protocol_from_code (SATORI_PROTO_P2P));
  g_assert_cmpint (p2p->size, ==, SATORI_MULTIADDR_PROTOCOL_VARIABLE);
  g_assert_null (satori_multiaddr_protocol_from_name ("ip", -1));
  g_assert_null (satori_multiaddr_protocol_from_code (0x12));

  const SatoriMultiaddrProtocol *unix_proto = satori_multiaddr_protocol_from_code (SATORI_PROTO_UNIX);
  g_assert_true (unix_proto->path);
  g_assert_cmpstr (unix_proto->name, ==, "unix");
  g_assert_cmpint (satori_multiaddr_protocol_from_name ("ip6", -1)->size, ==, 128);
  g_assert_cmpint (satori_multiaddr_protocol_from_name ("onion3", -1)->size, ==, 296);
  g_assert_cmpint (satori_multiaddr_protocol_from_name ("memory", -1)->size, ==, 64);
  g_assert_cmpint (satori_multiaddr_protocol_from_name ("quic-v1", -1)->size, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("Multiaddr parsing, printing and manipulation");

  g_test_add_func ("/multiaddr/parse/round-trip", test_round_trip);
  g_test_add_func ("/multiaddr/parse/ip4-tcp", test_parse_ip4_tcp);
  g_test_add_func ("/multiaddr/parse/empty", test_parse_empty);
  g_test_add_func ("/multiaddr/parse/invalid-text", test_parse_invalid_text);
  g_test_add_func ("/multiaddr/parse/invalid-bytes", test_parse_invalid_bytes);
  g_test_add_func ("/multiaddr/protocol/table", test_protocol_table);
  g_test_add_func ("/multiaddr/component/value-string", test_value_string);
  g_test_add_func ("/multiaddr/component/peer-id", test_peer_id);
  g_test_add_func ("/multiaddr/encapsulate/basic", test_encapsulate);
  g_test_add_func ("/multiaddr/decapsulate/basic", test_decapsulate);
  g_test_add_func ("/multiaddr/compare/equal-hash", test_equal_hash);
  g_test_add_func ("/multiaddr/build/helpers", test_build);
  g_test_add_func ("/multiaddr/socket/convert", test_socket_address);
  g_test_add_func ("/multiaddr/boxed/type", test_boxed);
  return g_test_run ();
}
