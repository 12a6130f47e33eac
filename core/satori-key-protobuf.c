/* The PublicKey and PrivateKey protobufs of libp2p keys.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gcrypt.h>
#include <string.h>

#include "proto/keys.pb-c.h"
#include "satori-crypto.h"
#include "satori-errors.h"
#include "satori-key-backend.h"

/* An 8192-bit RSA private key is about 4.7 KiB. */
#define MAX_PROTOBUF_LEN (16 * 1024)

/* Private keys are unpacked and packed in secure memory. */
static void *
secure_alloc (void *allocator_data, size_t size)
{
  return gcry_xmalloc_secure (MAX (size, 1));
}

static void
secure_free (void *allocator_data, void *pointer)
{
  gcry_free (pointer);
}

static ProtobufCAllocator secure_allocator = { secure_alloc, secure_free, NULL };

static const char *
message_name (gboolean is_private)
{
  return is_private ? "PrivateKey" : "PublicKey";
}

/* Packs a message into a new GBytes (secure memory for private keys). */
static GBytes *
pack (gboolean is_private, const ProtobufCMessage *message)
{
  gsize len = protobuf_c_message_get_packed_size (message);
  guint8 *buffer = is_private ? gcry_xmalloc_secure (MAX (len, 1)) : g_malloc (len);

  protobuf_c_message_pack (message, buffer);
  if (!is_private)
    return g_bytes_new_take (buffer, len);
  GBytes *bytes = satori_crypto_secure_bytes_new (buffer, len);
  explicit_bzero (buffer, len);
  gcry_free (buffer);
  return bytes;
}

/**
 * satori_key_protobuf_encode:
 * @is_private: whether to write a PrivateKey rather than a PublicKey
 * @type: the key type
 * @key_data: the Data field
 *
 * Returns: (transfer full): the protobuf in the spec's deterministic
 *   encoding; for a private key, in secure memory
 */
GBytes *
satori_key_protobuf_encode (gboolean is_private, SatoriKeyType type, GBytes *key_data)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (key_data, &len);
  ProtobufCBinaryData binary = { len, (guint8 *) data };

  /* protobuf-c writes fields in tag order with minimal varints. */
  if (is_private)
    {
      Satori__Pb__PrivateKey message = SATORI__PB__PRIVATE_KEY__INIT;
      message.type = (Satori__Pb__KeyType) type;
      message.data = binary;
      return pack (TRUE, &message.base);
    }
  Satori__Pb__PublicKey message = SATORI__PB__PUBLIC_KEY__INIT;
  message.type = (Satori__Pb__KeyType) type;
  message.data = binary;
  return pack (FALSE, &message.base);
}

/**
 * satori_key_protobuf_decode:
 * @is_private: whether @data is a PrivateKey rather than a PublicKey
 * @data: (array length=len): the protobuf
 * @len: its length
 * @type: (out): the key type, one we support
 * @key_data: (out) (transfer full): the Data field; for a private key, in
 *   secure memory
 * @error: %SATORI_KEY_ERROR_MALFORMED, or %SATORI_KEY_ERROR_UNSUPPORTED for
 *   an unknown key type
 *
 * Accepts only the spec's deterministic encoding: both fields, in tag
 * order, minimally encoded, and nothing else.
 *
 * Returns: whether @data is such a protobuf
 */
gboolean
satori_key_protobuf_decode (gboolean is_private, const guint8 *data, gsize len,
                            SatoriKeyType *type, GBytes **key_data, GError **error)
{
  const char *name = message_name (is_private);
  const ProtobufCMessageDescriptor *descriptor =
    is_private ? &satori__pb__private_key__descriptor : &satori__pb__public_key__descriptor;
  ProtobufCAllocator *allocator = is_private ? &secure_allocator : NULL;

  if (len > MAX_PROTOBUF_LEN)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "a %s protobuf of %" G_GSIZE_FORMAT " bytes is too long", name, len);
      return FALSE;
    }

  ProtobufCMessage *message = protobuf_c_message_unpack (descriptor, allocator, len, data);
  if (message == NULL)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "not a %s protobuf with Type and Data", name);
      return FALSE;
    }

  /* Both messages have the same two fields. */
  Satori__Pb__KeyType message_type;
  ProtobufCBinaryData message_data;
  if (is_private)
    {
      message_type = ((Satori__Pb__PrivateKey *) message)->type;
      message_data = ((Satori__Pb__PrivateKey *) message)->data;
    }
  else
    {
      message_type = ((Satori__Pb__PublicKey *) message)->type;
      message_data = ((Satori__Pb__PublicKey *) message)->data;
    }

  gboolean ok = FALSE;
  g_autoptr(GBytes) again = NULL;
  if (message->n_unknown_fields > 0)
    g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                 "the %s protobuf has fields other than Type and Data", name);
  else if ((again = pack (is_private, message)) == NULL ||
           g_bytes_get_size (again) != len ||
           memcmp (g_bytes_get_data (again, NULL), data, len) != 0)
    g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                 "the %s protobuf is not in the deterministic encoding "
                 "(fields out of order, repeated or not minimally encoded)", name);
  else if (satori_key_backend_get ((SatoriKeyType) message_type) == NULL)
    g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_UNSUPPORTED,
                 "unknown key type %d", (int) message_type);
  else
    {
      *type = (SatoriKeyType) message_type;
      *key_data = is_private ? satori_crypto_secure_bytes_new (message_data.data, message_data.len)
                             : g_bytes_new (message_data.data, message_data.len);
      ok = TRUE;
    }

  protobuf_c_message_free_unpacked (message, allocator);
  return ok;
}
