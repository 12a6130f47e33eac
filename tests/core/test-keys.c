/* Tests of libp2p keys: SatoriPrivateKey, SatoriPublicKey and the four key
 * types, against the libp2p/specs peer-ids test vectors, signatures made by
 * OpenSSL and go-libp2p, and malformed encodings.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-errors.h"
#include "satori-private-key.h"
#include "satori-public-key.h"
#include "satori-test-util.h"
#include "satori-test-vectors.h"

/* libp2p/specs peer-ids/peer-ids.md, "Test vectors": PrivateKey and
 * PublicKey protobufs in hex. */
static const char spec_ed25519_private[] =
  "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
  "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
static const char spec_secp256k1_private[] =
  "0802122053DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB";
static const char spec_ecdsa_private[] =
  "08031279307702010104203E5B1FE9712E6C314942A750BD67485DE3C1EFE85B1BFB520A"
  "E8F9AE3DFA4A4CA00A06082A8648CE3D030107A14403420004DE3D300FA36AE0E8F5D530"
  "899D83ABAB44ABF3161F162A4BC901D8E6ECDA020E8B6D5F8DA30525E71D6851510C098E"
  "5C47C646A597FB4DCEC034E9F77C409E62";
static const char spec_rsa_private[] =
  "080012ae123082092a0201000282020100e1beab071d08200bde24eef00d049449b07770"
  "ff9910257b2d7d5dda242ce8f0e2f12e1af4b32d9efd2c090f66b0f29986dbb645dae988"
  "0089704a94e5066d594162ae6ee8892e6ec70701db0a6c445c04778eb3de1293aa1a23c3"
  "825b85c6620a2bc3f82f9b0c309bc0ab3aeb1873282bebd3da03c33e76c21e9beb172fd4"
  "4c9e43be32e2c99827033cf8d0f0c606f4579326c930eb4e854395ad941256542c793902"
  "185153c474bed109d6ff5141ebf9cd256cf58893a37f83729f97e7cb435ec679d2e33901"
  "d27bb35aa0d7e20561da08885ef0abbf8e2fb48d6a5487047a9ecb1ad41fa7ed84f6e3e8"
  "ecd5d98b3982d2a901b4454991766da295ab78822add5612a2df83bcee814cf50973e80d"
  "7ef38111b1bd87da2ae92438a2c8cbcc70b31ee319939a3b9c761dbc13b5c086d6b64bf7"
  "ae7dacc14622375d92a8ff9af7eb962162bbddebf90acb32adb5e4e4029f1c96019949ec"
  "fbfeffd7ac1e3fbcc6b6168c34be3d5a2e5999fcbb39bba7adbca78eab09b9bc39f7fa4b"
  "93411f4cc175e70c0a083e96bfaefb04a9580b4753c1738a6a760ae1afd851a1a4bdad23"
  "1cf56e9284d832483df215a46c1c21bdf0c6cfe951c18f1ee4078c79c13d63edb6e14fea"
  "effabc90ad317e4875fe648101b0864097e998f0ca3025ef9638cd2b0caecd3770ab54a1"
  "d9c6ca959b0f5dcbc90caeefc4135baca6fd475224269bbe1b02030100010282020100a4"
  "72ffa858efd8588ce59ee264b957452f3673acdf5631d7bfd5ba0ef59779c231b0bc838a"
  "8b14cae367b6d9ef572c03c7883b0a3c652f5c24c316b1ccfd979f13d0cd7da20c7d34d9"
  "ec32dfdc81ee7292167e706d705efde5b8f3edfcba41409e642f8897357df5d320d21c43"
  "b33600a7ae4e505db957c1afbc189d73f0b5d972d9aaaeeb232ca20eebd5de6fe7f29d01"
  "470354413cc9a0af1154b7af7c1029adcd67c74b4798afeb69e09f2cb387305e73a1b5f4"
  "50202d54f0ef096fe1bde340219a1194d1ac9026e90b366cce0c59b239d10e4888f52ca1"
  "780824d39ae01a6b9f4dd6059191a7f12b2a3d8db3c2868cd4e5a5862b8b625a4197d52c"
  "6ac77710116ebd3ced81c4d91ad5fdfbed68312ebce7eea45c1833ca3acf7da2052820ea"
  "cf5c6b07d086dabeb893391c71417fd8a4b1829ae2cf60d1749d0e25da19530d889461c2"
  "1da3492a8dc6ccac7de83ac1c2185262c7473c8cc42f547cc9864b02a8073b6aa54a037d"
  "8c0de3914784e6205e83d97918b944f11b877b12084c0dd1d36592f8a4f8b8da5bb404c3"
  "d2c079b22b6ceabfbcb637c0dbe0201f0909d533f8bf308ada47aee641a012a494d31b54"
  "c974e58b87f140258258bb82f31692659db7aa07e17a5b2a0832c24e122d3a8babcc9ee7"
  "4cbb07d3058bb85b15f6f6b2674aba9fd34367be9782d444335fbed31e3c4086c652597c"
  "27104938b47fa10282010100e9fdf843c1550070ca711cb8ff28411466198f0e212511c3"
  "186623890c0071bf6561219682fe7dbdfd81176eba7c4faba21614a20721e0fcd63768e6"
  "d925688ecc90992059ac89256e0524de90bf3d8a052ce6a9f6adafa712f3107a016e20c8"
  "0255c9e37d8206d1bc327e06e66eb24288da866b55904fd8b59e6b2ab31bc5eab47e5970"
  "93c63fab7872102d57b4c589c66077f534a61f5f65127459a33c91f6db61fc431b1ae90b"
  "e92b4149a3255291baf94304e3efb77b1107b5a3bda911359c40a53c347ff9100baf8f36"
  "dc5cd991066b5bdc28b39ed644f404afe9213f4d31c9d4e40f3a5f5e3c39bebeb244e841"
  "37544e1a1839c1c8aaebf0c78a7fad590282010100f6fa1f1e6b803742d5490b7441152f"
  "500970f46feb0b73a6e4baba2aaf3c0e245ed852fc31d86a8e46eb48e90fac409989dfee"
  "45238f97e8f1f8e83a136488c1b04b8a7fb695f37b8616307ff8a8d63e8cfa0b4fb9b916"
  "7ffaebabf111aa5a4344afbabd002ae8961c38c02da76a9149abdde93eb389eb32595c29"
  "ba30d8283a7885218a5a9d33f7f01dbdf85f3aad016c071395491338ec318d39220e1c7b"
  "d69d3d6b520a13a30d745c102b827ad9984b0dd6aed73916ffa82a06c1c111e7047dcd26"
  "68f988a0570a71474992eecf416e068f029ec323d5d635fd24694fc9bf96973c255d26c7"
  "72a95bf8b7f876547a5beabf86f06cd21b67994f944e7a5493028201010095b02fd30069"
  "e547426a8bea58e8a2816f33688dac6c6f6974415af8402244a22133baedf34ce499d703"
  "6f3f19b38eb00897c18949b0c5a25953c71aeeccfc8f6594173157cc854bd98f16dffe8f"
  "28ca13b77eb43a2730585c49fc3f608cd811bb54b03b84bddaa8ef910988567f78301226"
  "6199667a546a18fd88271fbf63a45ae4fd4884706da8befb9117c0a4d73de5172f8640b1"
  "091ed8a4aea3ed4641463f5ff6a5e3401ad7d0c92811f87956d1fd5f9a1d15c7f3839a08"
  "698d9f35f9d966e5000f7cb2655d7b6c4adcd8a9d950ea5f61bb7c9a33c17508f9baa313"
  "eecfee4ae493249ebe05a5d7770bbd3551b2eeb752e3649e0636de08e3d672e66cb90282"
  "010100ad93e4c31072b063fc5ab5fe22afacece775c795d0efdf7c704cfc027bde0d626a"
  "7646fc905bb5a80117e3ca49059af14e0160089f9190065be9bfecf12c3b2145b211c8e8"
  "9e42dd91c38e9aa23ca73697063564f6f6aa6590088a738722df056004d18d7bccac62b3"
  "bafef6172fc2a4b071ea37f31eff7a076bcab7dd144e51a9da8754219352aef2c7347897"
  "1539fa41de4759285ea626fa3c72e7085be47d554d915bbb5149cb6ef835351f23104304"
  "9cd941506a034bf2f8767f3e1e42ead92f91cb3d75549b57ef7d56ac39c2d80d67f6a2b4"
  "ca192974bfc5060e2dd171217971002193dba12e7e4133ab201f07500a90495a38610279"
  "b13a48d54f0c99028201003e3a1ac0c2b67d54ed5c4bbe04a7db99103659d33a4f9d3580"
  "9e1f60c282e5988dddc964527f3b05e6cc890eab3dcb571d66debf3a5527704c87264b39"
  "54d7265f4e8d2c637dd89b491b9cf23f264801f804b90454d65af0c4c830d1aef76f597e"
  "f61b26ca857ecce9cb78d4f6c2218c00d2975d46c2b013fbf59b750c3b92d8d3ed9e6d1f"
  "d0ef1ec091a5c286a3fe2dead292f40f380065731e2079ebb9f2a7ef2c415ecbb488da98"
  "f3a12609ca1b6ec8c734032c8bd513292ff842c375d4acd1b02dfb206b24cd815f8e2f9d"
  "4af8e7dea0370b19c1b23cc531d78b40e06e1119ee2e08f6f31c6e2e8444c568d13c5d45"
  "1a291ae0c9f1d4f27d23b3a00d60ad";
static const char spec_rsa_public[] =
  "080012a60430820222300d06092a864886f70d01010105000382020f003082020a028202"
  "0100e1beab071d08200bde24eef00d049449b07770ff9910257b2d7d5dda242ce8f0e2f1"
  "2e1af4b32d9efd2c090f66b0f29986dbb645dae9880089704a94e5066d594162ae6ee889"
  "2e6ec70701db0a6c445c04778eb3de1293aa1a23c3825b85c6620a2bc3f82f9b0c309bc0"
  "ab3aeb1873282bebd3da03c33e76c21e9beb172fd44c9e43be32e2c99827033cf8d0f0c6"
  "06f4579326c930eb4e854395ad941256542c793902185153c474bed109d6ff5141ebf9cd"
  "256cf58893a37f83729f97e7cb435ec679d2e33901d27bb35aa0d7e20561da08885ef0ab"
  "bf8e2fb48d6a5487047a9ecb1ad41fa7ed84f6e3e8ecd5d98b3982d2a901b4454991766d"
  "a295ab78822add5612a2df83bcee814cf50973e80d7ef38111b1bd87da2ae92438a2c8cb"
  "cc70b31ee319939a3b9c761dbc13b5c086d6b64bf7ae7dacc14622375d92a8ff9af7eb96"
  "2162bbddebf90acb32adb5e4e4029f1c96019949ecfbfeffd7ac1e3fbcc6b6168c34be3d"
  "5a2e5999fcbb39bba7adbca78eab09b9bc39f7fa4b93411f4cc175e70c0a083e96bfaefb"
  "04a9580b4753c1738a6a760ae1afd851a1a4bdad231cf56e9284d832483df215a46c1c21"
  "bdf0c6cfe951c18f1ee4078c79c13d63edb6e14feaeffabc90ad317e4875fe648101b086"
  "4097e998f0ca3025ef9638cd2b0caecd3770ab54a1d9c6ca959b0f5dcbc90caeefc4135b"
  "aca6fd475224269bbe1b0203010001";

/* Signatures of "satorip2p test message" by the spec keys, made with OpenSSL. */
static const char openssl_ed25519_signature[] =
  "b3ba6d0a2bcdb719ab16acb61706b3d8277a975cae0b59544542983d67a47cc07a7c9bf7"
  "071984df39d97b31cd062baac21a3b96cf4296803a780c28b31c6f0a";
static const char openssl_ecdsa_signature[] =
  "3045022100a4cb77a5767f7cf14ebdab3e2eacf4c7c1777e4e1a8363d976ad3564aedead"
  "bf02206d334af14af32484c7f9e5ca15f98bf689776f4d741fbe09790e4676417ba524";
static const char openssl_rsa_signature[] =
  "262869da84a126411b5e258d39d4a6b2af1d06b34303b03842c312534f8781851d31399d"
  "97ed058589e82ff5cc6fdd9cf2e9224dbdee7eafb9ade788c7df27fe9d28728d6277697e"
  "8765c7f37e448ee0e856258b78e06e8d75515df70f2edd6286c6f256390bd4d9f51faed4"
  "b8e113e3c7420232ed3e8f1dc6948d221be14fb0a307d510264552e745f050fc740e48c1"
  "29fe13756a2d1ed51cc8a8c2de024d1e77b716573f9d4870e66254e2d2631497dfdfd794"
  "3111bf1f953f7c37b7cd640300cd02fe9b33e995c6e2514adc8f0a8a0b3360dbfe024dc9"
  "5a1d71afd8d5de70d152f594c70e3912bbffd97b3abcf39740c069351841ebad50038d06"
  "ccd393eef15d103b8bffd51480defce2a5f61abfa4d2984c175789ad1dd2b3760f710db1"
  "094aca93bafdbfbd84f7cec4275c3814d1171094d1371250370679a66d963003f9494595"
  "7ae5fc54a9488a2d7b96e55405aea7705f3103d6844df5fa0debf46a6b30f90f47c404a7"
  "38f08d522d1356a3782da3fc7dee337249500e29413587284b46a65b86889f069b012642"
  "6d697d1c1ea1e9bf4d6fc53cc6cc101402303764c123e0d7eb2fc4a17c07b21c0ce3f2c7"
  "59f15f4a371c2a9cc42c78cf700e57384f7a2ee07ba8171f3fa8d01f2178b86f79f1bbdd"
  "6dbc44440949e6e0bb14dd5df15d5d37d780d866a7a5cef98f26101921b0193c0876e173"
  "9b8e096f6dec9266";

/* A 1024-bit RSA key made with OpenSSL: too small. SubjectPublicKeyInfo and PKCS #1. */
static const char small_rsa_spki[] =
  "30819f300d06092a864886f70d010101050003818d0030818902818100ad9722e438528a"
  "1688314319a5d1f6024bf6c10fa445eaf1a4aef76b5b8b64160c999377f4221395f32d39"
  "08aaf17d6a661655b354387781dbb20f38f565c5c16f74fbae7d5c445a9e02647f501781"
  "19777630b5cdecf392f5482e046421b56be4fa96f30bf48e7b2910b0cf107bfd57a3f7a0"
  "085237bcfcaaa9bee0b2dccc9d0203010001";
static const char small_rsa_pkcs1[] =
  "3082025c02010002818100ad9722e438528a1688314319a5d1f6024bf6c10fa445eaf1a4"
  "aef76b5b8b64160c999377f4221395f32d3908aaf17d6a661655b354387781dbb20f38f5"
  "65c5c16f74fbae7d5c445a9e02647f50178119777630b5cdecf392f5482e046421b56be4"
  "fa96f30bf48e7b2910b0cf107bfd57a3f7a0085237bcfcaaa9bee0b2dccc9d0203010001"
  "0281803153d43f63ddd88d848ff31053b57121bff253741d6b1cd323c7f058da7fa6a639"
  "585eb66472567c72c8b3ff498c2be653321f9240e976d438d8c5489b3b1b515f4d7aedc5"
  "eb3ebe6dcdc5406d4a4270119453aed3f1c87dbc5b6e71193651eaa260dbbca7a113102b"
  "96e61f3e6f7b786d374e37c58f2425b9d83c4190e94801024100e0987feccdf95ba6ade0"
  "4b96f16f0880aa156737a1c0e796b5566f38dc25460fc8dc25a0ba786ce09339ce08bcc4"
  "1a897b35a570ddfab287f27f6db88e4cb29d024100c5dce0fee2e8643f2405f523012fc4"
  "6e7685c9f546df7ca4e1258464933993d0e5438af0184dac2a24e952e3844d4fa31c12cd"
  "4f4d52ce3504bbc7ce19f0620102400a4c53c94ae47d245662ab749f5b64fb695113eb84"
  "1a314442ca54cd39a2e7e47f6440c16eeb68aa9f758e11ee7ddb6da45da0595d844a3d5b"
  "8c263ec91f912d02401c3a8507184c5b70feacb2ea8992cd0d8d6f4cfee75b9f26ced051"
  "711fe80904b690ca53b2c3f21a192608a3590ec69bd8b77dff2062fdf466767bed159a4c"
  "01024100ce8dddff802ee6f6522e7f2d998e519499d3f43056e24e6c9ddbbb12da2f5eca"
  "bc45ea3ac56bd01674cf6cb4fc7c8a71d73c5da996444adfe4c992b8bf9e39f8";

static const char test_message[] = "satorip2p test message";

/* go-libp2p core/crypto/test_data: 2 (secp256k1) and 3 (ECDSA P-256) keys
 * and their signatures of go_message. */
static const char go_message[] = "Libp2p is the _best_!";
static const char go_secp256k1_private[] =
  "080212203141bd606a504c44f23494d8f3174ef25b1fb9b52daa07d058be83b6e046b158";
static const char go_secp256k1_public[] =
  "08021221023540ad842af8a43551a94d8383a555a99226506b88f953d2e70316a3a1b3d6a2";
static const char go_secp256k1_signature[] =
  "3044022031a7d633c2f3e45a16128d43751afaa8dc9ba24092c5f5b3cad2c8fe4cf388f2"
  "022049ea8d219f458683d24775d543ea8fb290704347fb35493c403bc2c259b29d9e";
/* The same signature with S replaced by n - S. */
static const char go_secp256k1_signature_high_s[] =
  "3045022031a7d633c2f3e45a16128d43751afaa8dc9ba24092c5f5b3cad2c8fe4cf388f2"
  "022100b61572de60ba797c2db88a2abc15704c2a3e999eb41356ff7f969bca7683a3a3";
static const char go_ecdsa_private[] =
  "08031279307702010104201fc05449e3a3423bb8b59447a43c3e23ad4095ac4f9fbb7545"
  "7acef34b68949fa00a06082a8648ce3d030107a14403420004e29a8674f3614e0ccb7240"
  "6bfe2137e9f8c5f7d62d137f0a2edd233e35374777fd1f9aed4d2cfa7371caafc6ef02db"
  "83b81f77cfe1bcd8c715acf0b9a2778ea9";
/* Its S is high: P-256 signatures need not be normalised. */
static const char go_ecdsa_signature[] =
  "3046022100846a6685b9e72b560cb2fc4a75f9cbc38a90aaeaa7f3f25ee719832db7b93a"
  "65022100cd992bb7bd2bcc28c7db04987d10adc490fe348270954f7696cb0dffff0dfc3d";

typedef struct {
  SatoriKeyType type;
  const char *name;
  const char *private_hex;
  const char *public_hex;
  const char *openssl_signature_hex;   /* of test_message, or NULL */
} KeyVector;

static const KeyVector vectors[] = {
  { SATORI_KEY_TYPE_RSA, "rsa", spec_rsa_private, spec_rsa_public, openssl_rsa_signature },
  { SATORI_KEY_TYPE_ED25519, "ed25519", spec_ed25519_private, spec_ed25519_public,
    openssl_ed25519_signature },
  { SATORI_KEY_TYPE_SECP256K1, "secp256k1", spec_secp256k1_private, spec_secp256k1_public, NULL },
  { SATORI_KEY_TYPE_ECDSA, "ecdsa", spec_ecdsa_private, spec_ecdsa_public, openssl_ecdsa_signature },
};

/* Keys generated once per type: RSA generation takes a while. */
static SatoriPrivateKey *generated[G_N_ELEMENTS (vectors)];

/* A PublicKey/PrivateKey protobuf written by hand, to feed odd Data. */
static GBytes *
wrap_protobuf (guint type, const guint8 *data, gsize len)
{
  GByteArray *pb = g_byte_array_new ();
  guint8 head[] = { 0x08, (guint8) type, 0x12 };

  g_byte_array_append (pb, head, sizeof head);
  for (gsize n = len; ; n >>= 7)
    {
      guint8 byte = (n & 0x7f) | (n > 0x7f ? 0x80 : 0);
      g_byte_array_append (pb, &byte, 1);
      if (n <= 0x7f)
        break;
    }
  g_byte_array_append (pb, data, len);
  return g_byte_array_free_to_bytes (pb);
}

/* Expects @raw as a @type public key (or, with @is_private, private key
 * protobuf Data) to be refused with @code and a message containing @words. */
static void
assert_refused (gboolean is_private, SatoriKeyType type, GBytes *raw, int code, const char *words)
{
  g_autoptr(GBytes) pb = wrap_protobuf (type, g_bytes_get_data (raw, NULL), g_bytes_get_size (raw));
  g_autoptr(GError) error = NULL;
  gpointer key;

  if (is_private)
    key = satori_private_key_new_from_protobuf (g_bytes_get_data (pb, NULL),
                                                g_bytes_get_size (pb), &error);
  else
    key = satori_public_key_new_from_protobuf (g_bytes_get_data (pb, NULL),
                                               g_bytes_get_size (pb), &error);
  g_assert_null (key);
  g_assert_error (error, SATORI_KEY_ERROR, code);
  if (words != NULL && strstr (error->message, words) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, words);
}

static void
assert_public_refused (SatoriKeyType type, const char *hex, const char *words)
{
  g_autoptr(GBytes) raw = satori_test_bytes_from_hex (hex);
  assert_refused (FALSE, type, raw, SATORI_KEY_ERROR_MALFORMED, words);
}

static void
assert_private_refused (SatoriKeyType type, const char *hex, const char *words)
{
  g_autoptr(GBytes) raw = satori_test_bytes_from_hex (hex);
  assert_refused (TRUE, type, raw, SATORI_KEY_ERROR_MALFORMED, words);
}

/* The Data field of a protobuf vector, in hex. */
static const char *
data_hex (const char *protobuf_hex)
{
  gsize offset = 6;   /* Type tag and value, Data tag */

  /* Skip the length varint's continuation bytes, then its last byte. */
  while (g_ascii_xdigit_value (protobuf_hex[offset]) >= 8)
    offset += 2;
  return protobuf_hex + offset + 2;
}

/* @bytes with the byte at @index (counted from the end when negative)
 * XORed with @mask. */
static GBytes *
flip_byte (GBytes *bytes, gssize index, guint8 mask)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  guint8 *copy = g_memdup2 (data, len);

  copy[index < 0 ? (gssize) len + index : index] ^= mask;
  return g_bytes_new_take (copy, len);
}

static GBytes *
truncated (GBytes *bytes, gsize drop)
{
  return g_bytes_new_from_bytes (bytes, 0, g_bytes_get_size (bytes) - drop);
}

static GBytes *
appended (GBytes *bytes, guint8 extra)
{
  GByteArray *array = g_byte_array_new ();

  g_byte_array_append (array, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_byte_array_append (array, &extra, 1);
  return g_byte_array_free_to_bytes (array);
}

static gboolean
verify_bytes (SatoriPublicKey *key, const char *message, GBytes *signature)
{
  return satori_public_key_verify (key, (const guint8 *) message, strlen (message),
                                   g_bytes_get_data (signature, NULL),
                                   g_bytes_get_size (signature));
}

static GBytes *
sign_text (SatoriPrivateKey *key, const char *message)
{
  g_autoptr(GError) error = NULL;
  GBytes *signature = satori_private_key_sign (key, (const guint8 *) message, strlen (message),
                                               &error);
  g_assert_no_error (error);
  g_assert_nonnull (signature);
  return signature;
}

static SatoriPrivateKey *
generated_key (const KeyVector *vector)
{
  gsize i = vector - vectors;

  if (generated[i] == NULL)
    {
      g_autoptr(GError) error = NULL;
      generated[i] = satori_private_key_generate (vector->type, &error);
      g_assert_no_error (error);
      g_assert_nonnull (generated[i]);
    }
  return generated[i];
}

static void
test_sign_verify (gconstpointer data)
{
  const KeyVector *vector = data;
  SatoriPrivateKey *key = generated_key (vector);
  SatoriPublicKey *pub = satori_private_key_get_public_key (key);
  g_autoptr(SatoriPrivateKey) other = satori_test_private_key_from_hex (vector->private_hex);

  g_assert_cmpint (satori_private_key_get_key_type (key), ==, vector->type);
  g_assert_cmpint (satori_public_key_get_key_type (pub), ==, vector->type);

  g_autoptr(GBytes) signature = sign_text (key, test_message);
  g_assert_true (verify_bytes (pub, test_message, signature));

  /* Every scheme here is deterministic. */
  g_autoptr(GBytes) again = sign_text (key, test_message);
  g_assert_true (g_bytes_equal (signature, again));

  /* Tampered data, signatures and the wrong key all fail. */
  g_assert_false (verify_bytes (pub, "satorip2p test messagf", signature));
  g_assert_false (verify_bytes (pub, "", signature));
  g_autoptr(GBytes) last_flipped = flip_byte (signature, -1, 0x01);
  g_assert_false (verify_bytes (pub, test_message, last_flipped));
  g_autoptr(GBytes) middle_flipped = flip_byte (signature, g_bytes_get_size (signature) / 2, 0x80);
  g_assert_false (verify_bytes (pub, test_message, middle_flipped));
  g_autoptr(GBytes) short_signature = truncated (signature, 1);
  g_assert_false (verify_bytes (pub, test_message, short_signature));
  g_autoptr(GBytes) long_signature = appended (signature, 0);
  g_assert_false (verify_bytes (pub, test_message, long_signature));
  g_assert_false (satori_public_key_verify (pub, (const guint8 *) test_message,
                                            strlen (test_message), NULL, 0));
  g_assert_false (verify_bytes (satori_private_key_get_public_key (other), test_message, signature));

  /* The empty message is a message. */
  g_autoptr(GBytes) empty_signature = sign_text (key, "");
  g_assert_true (verify_bytes (pub, "", empty_signature));
  g_assert_false (verify_bytes (pub, test_message, empty_signature));
}

static void
test_round_trip (gconstpointer data)
{
  const KeyVector *vector = data;
  SatoriPrivateKey *key = generated_key (vector);
  g_autoptr(GError) error = NULL;

  g_autoptr(GBytes) pb = satori_private_key_to_protobuf (key);
  g_autoptr(SatoriPrivateKey) key2 =
    satori_private_key_new_from_protobuf (g_bytes_get_data (pb, NULL), g_bytes_get_size (pb), &error);
  g_assert_no_error (error);
  g_autoptr(GBytes) pb2 = satori_private_key_to_protobuf (key2);
  g_assert_true (g_bytes_equal (pb, pb2));
  g_assert_cmpint (satori_private_key_get_key_type (key2), ==, vector->type);

  SatoriPublicKey *pub = satori_private_key_get_public_key (key);
  g_assert_true (satori_public_key_equal (pub, satori_private_key_get_public_key (key2)));
  g_autoptr(GBytes) pub_pb = satori_public_key_to_protobuf (pub);
  g_autoptr(SatoriPublicKey) pub2 =
    satori_public_key_new_from_protobuf (g_bytes_get_data (pub_pb, NULL), g_bytes_get_size (pub_pb),
                                         &error);
  g_assert_no_error (error);
  g_assert_true (satori_public_key_equal (pub, pub2));
  g_autoptr(GBytes) pub_pb2 = satori_public_key_to_protobuf (pub2);
  g_assert_true (g_bytes_equal (pub_pb, pub_pb2));

  /* new_from_raw() reads the Data field alone. */
  GBytes *raw = satori_public_key_get_raw (pub);
  g_autoptr(SatoriPublicKey) pub3 =
    satori_public_key_new_from_raw (vector->type, g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
                                    &error);
  g_assert_no_error (error);
  g_assert_true (satori_public_key_equal (pub, pub3));

  /* The reloaded key signs for the original public key. */
  g_autoptr(GBytes) signature = sign_text (key2, test_message);
  g_assert_true (verify_bytes (pub, test_message, signature));
}

static void
test_spec_vector (gconstpointer data)
{
  const KeyVector *vector = data;
  g_autoptr(GBytes) private_pb = satori_test_bytes_from_hex (vector->private_hex);
  g_autoptr(GBytes) public_pb = satori_test_bytes_from_hex (vector->public_hex);
  g_autoptr(SatoriPrivateKey) key = satori_test_private_key_from_hex (vector->private_hex);
  g_autoptr(SatoriPublicKey) pub = satori_test_public_key_from_hex (vector->public_hex);

  /* Byte-exact in both directions, and the public key derives. */
  g_autoptr(GBytes) private_again = satori_private_key_to_protobuf (key);
  g_assert_true (g_bytes_equal (private_again, private_pb));
  SatoriPublicKey *derived = satori_private_key_get_public_key (key);
  g_autoptr(GBytes) derived_pb = satori_public_key_to_protobuf (derived);
  g_assert_true (g_bytes_equal (derived_pb, public_pb));
  g_assert_true (satori_public_key_equal (derived, pub));
  g_autoptr(GBytes) public_again = satori_public_key_to_protobuf (pub);
  g_assert_true (g_bytes_equal (public_again, public_pb));

  g_autoptr(GBytes) signature = sign_text (key, test_message);
  g_assert_true (verify_bytes (pub, test_message, signature));

  if (vector->openssl_signature_hex != NULL)
    {
      g_autoptr(GBytes) openssl = satori_test_bytes_from_hex (vector->openssl_signature_hex);
      g_assert_true (verify_bytes (pub, test_message, openssl));
      /* Ed25519 and PKCS #1 v1.5 are deterministic: same bytes as OpenSSL. */
      if (vector->type == SATORI_KEY_TYPE_ED25519 || vector->type == SATORI_KEY_TYPE_RSA)
        g_assert_true (g_bytes_equal (signature, openssl));
    }
}

static void
test_ed25519_rfc8032 (void)
{
  /* RFC 8032 section 7.1, TEST 1: the empty message. */
  g_autoptr(GBytes) pb = satori_test_bytes_from_hex ("08011240"
                                    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
                                    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  g_autoptr(GBytes) expected = satori_test_bytes_from_hex ("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                                          "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key =
    satori_private_key_new_from_protobuf (g_bytes_get_data (pb, NULL), g_bytes_get_size (pb), &error);
  g_assert_no_error (error);

  g_autoptr(GBytes) signature = sign_text (key, "");
  g_assert_true (g_bytes_equal (signature, expected));
  g_assert_true (verify_bytes (satori_private_key_get_public_key (key), "", expected));
}

static void
test_ed25519_legacy_private (void)
{
  /* The old 96-byte form (seed ‖ public ‖ public) loads and is written
   * back in the 64-byte form. */
  g_autofree char *legacy_hex = g_strconcat ("08011260", data_hex (spec_ed25519_private),
                                             data_hex (spec_ed25519_public), NULL);
  g_autoptr(SatoriPrivateKey) key = satori_test_private_key_from_hex (legacy_hex);
  g_autoptr(GBytes) expected = satori_test_bytes_from_hex (spec_ed25519_private);
  g_autoptr(GBytes) pb = satori_private_key_to_protobuf (key);
  g_assert_true (g_bytes_equal (pb, expected));

  /* The two public copies must agree. */
  g_autofree char *mismatch_hex = g_strconcat (data_hex (spec_ed25519_private),
                                               "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27f",
                                               NULL);
  assert_private_refused (SATORI_KEY_TYPE_ED25519, mismatch_hex, "differ");
}

static void
test_ed25519_malformed (void)
{
  const char *pub = data_hex (spec_ed25519_public);
  g_autofree char *short_pub = g_strndup (pub, 62);
  g_autofree char *long_pub = g_strconcat (pub, "00", NULL);

  assert_public_refused (SATORI_KEY_TYPE_ED25519, short_pub, "32 bytes");
  assert_public_refused (SATORI_KEY_TYPE_ED25519, long_pub, "32 bytes");
  assert_public_refused (SATORI_KEY_TYPE_ED25519, "", "32 bytes");
  /* y = 2 has no x on the curve. */
  assert_public_refused (SATORI_KEY_TYPE_ED25519,
                         "0200000000000000000000000000000000000000000000000000000000000000",
                         "not a point");

  const char *priv = data_hex (spec_ed25519_private);
  g_autofree char *short_priv = g_strndup (priv, 126);
  assert_private_refused (SATORI_KEY_TYPE_ED25519, short_priv, "64");
  /* The public half of another key. */
  g_autofree char *seed = g_strndup (priv, 64);
  g_autofree char *wrong_half = g_strconcat (seed,
                                             "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                                             NULL);
  assert_private_refused (SATORI_KEY_TYPE_ED25519, wrong_half, "does not belong");
}

static void
test_ed25519_edge_points (void)
{
  /* The points of small order (each with both signs of x, where x is not
   * 0): no honest key is one. */
  const char *small_order[] = {
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (small_order); i++)
    {
      g_autoptr(GBytes) raw = satori_test_bytes_from_hex (small_order[i]);
      assert_refused (FALSE, SATORI_KEY_TYPE_ED25519, raw, SATORI_KEY_ERROR_UNSUPPORTED, "small order");
    }

  /* Valid points with y, or x, below 2^192 (libgcrypt 1.10 aborted when it
   * verified with them): usable keys, with which a forged signature fails. */
  const char *short_coordinate[] = {
    "303e61cdc4bb86c3000000000000000000000000000000000000000000000000",
    "6bbd9427b89cf4aa1eb512b161fca416cd476dd7e541c3ceacb489a24cb943ee",
  };
  guint8 forged[64];
  memset (forged, 0x11, sizeof forged);
  forged[63] = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (short_coordinate); i++)
    {
      g_autoptr(GBytes) raw = satori_test_bytes_from_hex (short_coordinate[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriPublicKey) key = satori_public_key_new_from_raw (
        SATORI_KEY_TYPE_ED25519, g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), &error);
      g_assert_no_error (error);
      g_assert_false (satori_public_key_verify (key, (const guint8 *) "m", 1, forged,
                                                sizeof forged));
    }

  /* y = p and y = p + 1 are not canonical; x = 0 has no negative. */
  assert_public_refused (SATORI_KEY_TYPE_ED25519,
                         "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                         "not a point");
  assert_public_refused (SATORI_KEY_TYPE_ED25519,
                         "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                         "not a point");
  assert_public_refused (SATORI_KEY_TYPE_ED25519,
                         "0100000000000000000000000000000000000000000000000000000000000080",
                         "not a point");
}

static void
test_secp256k1_go_fixture (void)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_private_key_from_hex (go_secp256k1_private);
  g_autoptr(SatoriPublicKey) pub = satori_test_public_key_from_hex (go_secp256k1_public);
  g_autoptr(GBytes) go_signature = satori_test_bytes_from_hex (go_secp256k1_signature);
  g_autoptr(GBytes) high_s = satori_test_bytes_from_hex (go_secp256k1_signature_high_s);

  g_assert_true (satori_public_key_equal (satori_private_key_get_public_key (key), pub));
  g_assert_true (verify_bytes (pub, go_message, go_signature));

  /* RFC 6979 and low S: the same signature as go-libp2p. */
  g_autoptr(GBytes) signature = sign_text (key, go_message);
  g_assert_true (g_bytes_equal (signature, go_signature));

  /* A high S is normalised and accepted. */
  g_assert_true (verify_bytes (pub, go_message, high_s));
  g_assert_false (verify_bytes (pub, test_message, high_s));
}

static void
test_secp256k1_wallet (void)
{
  guint8 secret[SATORI_SECP256K1_SECRET_LENGTH];
  g_autoptr(GError) error = NULL;

  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x01);
  g_autoptr(GBytes) pb = satori_private_key_to_protobuf (key);
  g_autoptr(GBytes) expected = satori_test_bytes_from_hex ("08021220"
                                          "0101010101010101010101010101010101010101010101010101010101010101");
  g_assert_true (g_bytes_equal (pb, expected));
  /* The well-known public key of the secret 0x0101…01. */
  GBytes *raw = satori_public_key_get_raw (satori_private_key_get_public_key (key));
  g_autoptr(GBytes) expected_pub =
    satori_test_bytes_from_hex ("031b84c5567b126440995d3ed5aaba0565d71e1834604819ff9c17f5e9d5dd078f");
  g_assert_true (g_bytes_equal (raw, expected_pub));

  /* Zero and the group order are not secrets. */
  memset (secret, 0, sizeof secret);
  g_assert_null (satori_private_key_new_secp256k1 (secret, &error));
  g_assert_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED);
  g_clear_error (&error);
  g_autoptr(GBytes) order =
    satori_test_bytes_from_hex ("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  g_assert_null (satori_private_key_new_secp256k1 (g_bytes_get_data (order, NULL), &error));
  g_assert_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED);
}

static void
test_secp256k1_malformed (void)
{
  const char *pub = data_hex (spec_secp256k1_public);
  g_autofree char *short_pub = g_strndup (pub, 64);
  g_autofree char *bad_prefix = g_strconcat ("05", pub + 2, NULL);

  assert_public_refused (SATORI_KEY_TYPE_SECP256K1, short_pub, "33 bytes");
  assert_public_refused (SATORI_KEY_TYPE_SECP256K1, bad_prefix, "not a compressed point");
  /* x ≥ p */
  assert_public_refused (SATORI_KEY_TYPE_SECP256K1,
                         "02ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                         "not a compressed point");
  /* The uncompressed form is not libp2p's encoding. */
  assert_public_refused (SATORI_KEY_TYPE_SECP256K1,
                         "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                         "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
                         "33 bytes");

  g_autofree char *short_priv = g_strndup (data_hex (spec_secp256k1_private), 62);
  assert_private_refused (SATORI_KEY_TYPE_SECP256K1, short_priv, "32 bytes");
  assert_private_refused (SATORI_KEY_TYPE_SECP256K1,
                          "0000000000000000000000000000000000000000000000000000000000000000",
                          "zero");

  /* A signature with a padded INTEGER is not DER. */
  g_autoptr(SatoriPublicKey) go_pub = satori_test_public_key_from_hex (go_secp256k1_public);
  g_autoptr(GBytes) padded =
    satori_test_bytes_from_hex ("304502210031a7d633c2f3e45a16128d43751afaa8dc9ba24092c5f5b3cad2c8fe4cf388f2"
               "022049ea8d219f458683d24775d543ea8fb290704347fb35493c403bc2c259b29d9e");
  g_assert_false (verify_bytes (go_pub, go_message, padded));
}

static void
test_ecdsa_go_fixture (void)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_private_key_from_hex (go_ecdsa_private);
  g_autoptr(SatoriPublicKey) pub = satori_test_public_key_from_hex (go_ecdsa_public);
  g_autoptr(GBytes) go_signature = satori_test_bytes_from_hex (go_ecdsa_signature);

  g_assert_true (satori_public_key_equal (satori_private_key_get_public_key (key), pub));
  g_assert_true (verify_bytes (pub, go_message, go_signature));
  g_assert_false (verify_bytes (pub, test_message, go_signature));
}

static void
test_ecdsa_malformed (void)
{
  const char *pub = data_hex (spec_ecdsa_public);
  g_autofree char *trailing = g_strconcat (pub, "00", NULL);
  g_autofree char *long_length = g_strconcat ("308159", pub + 4, NULL);
  g_autofree char *truncated_pub = g_strndup (pub, strlen (pub) - 2);

  assert_public_refused (SATORI_KEY_TYPE_ECDSA, trailing, "trailing");
  assert_public_refused (SATORI_KEY_TYPE_ECDSA, long_length, NULL);
  assert_public_refused (SATORI_KEY_TYPE_ECDSA, truncated_pub, "DER");
  assert_public_refused (SATORI_KEY_TYPE_ECDSA, "", NULL);
  /* The secp256k1 curve OID instead of P-256's. */
  g_autofree char *wrong_curve = g_strconcat ("3056301006072a8648ce3d020106052b8104000a034200",
                                              pub + 2 * 26, NULL);
  assert_public_refused (SATORI_KEY_TYPE_ECDSA, wrong_curve, "P-256");
  /* An RSA key is not an ECDSA key. */
  assert_public_refused (SATORI_KEY_TYPE_ECDSA, data_hex (spec_rsa_public), "id-ecPublicKey");
  /* A BIT STRING whose unused-bits count (40) is out of range. */
  g_autoptr(GBytes) pub_raw = satori_test_bytes_from_hex (pub);
  g_autoptr(GBytes) unused_bits = flip_byte (pub_raw, 25, 0x28);
  assert_refused (FALSE, SATORI_KEY_TYPE_ECDSA, unused_bits, SATORI_KEY_ERROR_MALFORMED, NULL);
  /* A point off the curve (Y + 1). */
  g_autoptr(GBytes) raw = satori_test_bytes_from_hex (pub);
  g_autoptr(GBytes) off_curve = flip_byte (raw, -1, 0x03);
  assert_refused (FALSE, SATORI_KEY_TYPE_ECDSA, off_curve, SATORI_KEY_ERROR_MALFORMED, "P-256");

  const char *priv = data_hex (spec_ecdsa_private);
  g_autofree char *priv_trailing = g_strconcat (priv, "00", NULL);
  assert_private_refused (SATORI_KEY_TYPE_ECDSA, priv_trailing, "trailing");
  /* A public key that is not the secret's. */
  g_autoptr(GBytes) priv_raw = satori_test_bytes_from_hex (priv);
  g_autoptr(GBytes) wrong_pub = flip_byte (priv_raw, -1, 0x01);
  assert_refused (TRUE, SATORI_KEY_TYPE_ECDSA, wrong_pub, SATORI_KEY_ERROR_MALFORMED, "belong");
  /* Version 2. */
  g_autoptr(GBytes) version2 = flip_byte (priv_raw, 4, 0x03);
  assert_refused (TRUE, SATORI_KEY_TYPE_ECDSA, version2, SATORI_KEY_ERROR_MALFORMED, "version");
}

static void
test_rsa_malformed (void)
{
  /* Under 2048 bits. */
  assert_public_refused (SATORI_KEY_TYPE_RSA, small_rsa_spki, "1024 bits");
  assert_private_refused (SATORI_KEY_TYPE_RSA, small_rsa_pkcs1, "1024 bits");

  /* An ECDSA key is not an RSA key. */
  assert_public_refused (SATORI_KEY_TYPE_RSA, data_hex (spec_ecdsa_public), "rsaEncryption");

  /* A private key whose numbers disagree (last byte of the coefficient). */
  g_autoptr(GBytes) priv = satori_test_bytes_from_hex (data_hex (spec_rsa_private));
  g_autoptr(GBytes) bad_coefficient = flip_byte (priv, -1, 0x01);
  assert_refused (TRUE, SATORI_KEY_TYPE_RSA, bad_coefficient, SATORI_KEY_ERROR_MALFORMED, "one key");
  g_autoptr(GBytes) priv_trailing = appended (priv, 0);
  assert_refused (TRUE, SATORI_KEY_TYPE_RSA, priv_trailing, SATORI_KEY_ERROR_MALFORMED, "trailing");

  /* Signatures of the wrong length do not verify. */
  g_autoptr(SatoriPublicKey) pub = satori_test_public_key_from_hex (spec_rsa_public);
  g_autoptr(GBytes) openssl = satori_test_bytes_from_hex (openssl_rsa_signature);
  g_autoptr(GBytes) shorter = g_bytes_new_from_bytes (openssl, 1, g_bytes_get_size (openssl) - 1);
  g_assert_false (verify_bytes (pub, test_message, shorter));
}

static void
assert_protobuf_refused (gboolean is_private, const char *hex, int code, const char *words)
{
  g_autoptr(GBytes) pb = satori_test_bytes_from_hex (hex);
  g_autoptr(GError) error = NULL;
  gpointer key;

  if (is_private)
    key = satori_private_key_new_from_protobuf (g_bytes_get_data (pb, NULL), g_bytes_get_size (pb),
                                                &error);
  else
    key = satori_public_key_new_from_protobuf (g_bytes_get_data (pb, NULL), g_bytes_get_size (pb),
                                               &error);
  g_assert_null (key);
  g_assert_error (error, SATORI_KEY_ERROR, code);
  if (words != NULL && strstr (error->message, words) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, words);
}

static void
test_protobuf_malformed (void)
{
  const char *ed_pub = data_hex (spec_ed25519_public);
  g_autofree char *reversed = g_strconcat ("1220", ed_pub, "0801", NULL);
  g_autofree char *unknown_field = g_strconcat (spec_ed25519_public, "1800", NULL);
  g_autofree char *long_varint = g_strconcat ("088100", spec_ed25519_public + 4, NULL);
  g_autofree char *repeated = g_strconcat ("0801", spec_ed25519_public, NULL);
  g_autofree char *no_type = g_strconcat ("1220", ed_pub, NULL);
  g_autofree char *unknown_type = g_strconcat ("0805", spec_ed25519_public + 4, NULL);
  g_autofree char *cut = g_strndup (spec_ed25519_public, strlen (spec_ed25519_public) - 2);
  g_autofree char *wrong_type = g_strconcat ("0802", spec_ed25519_public + 4, NULL);

  for (int is_private = 0; is_private <= 1; is_private++)
    {
      assert_protobuf_refused (is_private, reversed, SATORI_KEY_ERROR_MALFORMED, "deterministic");
      assert_protobuf_refused (is_private, unknown_field, SATORI_KEY_ERROR_MALFORMED, "other than");
      assert_protobuf_refused (is_private, long_varint, SATORI_KEY_ERROR_MALFORMED, "deterministic");
      assert_protobuf_refused (is_private, repeated, SATORI_KEY_ERROR_MALFORMED, "deterministic");
      assert_protobuf_refused (is_private, no_type, SATORI_KEY_ERROR_MALFORMED, NULL);
      assert_protobuf_refused (is_private, "0801", SATORI_KEY_ERROR_MALFORMED, NULL);
      assert_protobuf_refused (is_private, "", SATORI_KEY_ERROR_MALFORMED, NULL);
      assert_protobuf_refused (is_private, cut, SATORI_KEY_ERROR_MALFORMED, NULL);
      assert_protobuf_refused (is_private, unknown_type, SATORI_KEY_ERROR_UNSUPPORTED, "type 5");
    }
  /* Ed25519 bytes labelled secp256k1. */
  assert_protobuf_refused (FALSE, wrong_type, SATORI_KEY_ERROR_MALFORMED, "33 bytes");
}

static void
test_key_type_enum (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SATORI_TYPE_KEY_TYPE);
  const char *nicks[] = { "rsa", "ed25519", "secp256k1", "ecdsa" };

  /* The values are the protobuf's KeyType. */
  for (int i = 0; i < (int) G_N_ELEMENTS (nicks); i++)
    g_assert_cmpstr (g_enum_get_value (klass, i)->value_nick, ==, nicks[i]);

  g_autoptr(GError) error = NULL;
  g_assert_null (satori_private_key_generate ((SatoriKeyType) 7, &error));
  g_assert_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_UNSUPPORTED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("libp2p keys of the four types: generation, signatures, protobufs, "
                  "the spec's vectors and refusal of malformed encodings");

  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      const KeyVector *vector = &vectors[i];
      g_autofree char *sign_path = g_strdup_printf ("/keys/%s/sign-verify", vector->name);
      g_autofree char *round_trip_path = g_strdup_printf ("/keys/%s/protobuf-round-trip", vector->name);
      g_autofree char *vector_path = g_strdup_printf ("/keys/%s/spec-vector", vector->name);

      g_test_add_data_func (sign_path, vector, test_sign_verify);
      g_test_add_data_func (round_trip_path, vector, test_round_trip);
      g_test_add_data_func (vector_path, vector, test_spec_vector);
    }
  g_test_add_func ("/keys/ed25519/rfc8032", test_ed25519_rfc8032);
  g_test_add_func ("/keys/ed25519/legacy-private", test_ed25519_legacy_private);
  g_test_add_func ("/keys/ed25519/malformed", test_ed25519_malformed);
  g_test_add_func ("/keys/ed25519/edge-points", test_ed25519_edge_points);
  g_test_add_func ("/keys/secp256k1/go-fixture", test_secp256k1_go_fixture);
  g_test_add_func ("/keys/secp256k1/wallet", test_secp256k1_wallet);
  g_test_add_func ("/keys/secp256k1/malformed", test_secp256k1_malformed);
  g_test_add_func ("/keys/ecdsa/go-fixture", test_ecdsa_go_fixture);
  g_test_add_func ("/keys/ecdsa/malformed", test_ecdsa_malformed);
  g_test_add_func ("/keys/rsa/malformed", test_rsa_malformed);
  g_test_add_func ("/keys/protobuf/malformed", test_protobuf_malformed);
  g_test_add_func ("/keys/type/enum", test_key_type_enum);

  int status = g_test_run ();
  for (gsize i = 0; i < G_N_ELEMENTS (generated); i++)
    g_clear_object (&generated[i]);
  return status;
}
