/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "satori-p2pd-cid.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "satori-varint.h"

#define CID_VERSION_1 1

/* Whether @data is exactly one multihash: code, digest length, digest. */
static gboolean
is_multihash (const guint8 *data, gsize len)
{
  guint64 code, digest_len;
  gsize used, used_len;

  return satori_varint_decode (data, len, &code, &used, NULL) &&
         satori_varint_decode (data + used, len - used, &digest_len, &used_len, NULL) &&
         digest_len == len - used - used_len;
}

/**
 * satori_p2pd_cid_to_key:
 * @data: (array length=len): a binary CID, or a `/`-prefixed UTF-8 key
 * @len: how many bytes @data holds
 * @error: %G_IO_ERROR_INVALID_DATA for anything else
 *
 * The DHT key that providers of @data are announced under: a CID's
 * multihash (a CIDv0 is a bare multihash; a CIDv1 is a version, a codec
 * and a multihash), as go-libp2p-kad-dht uses. A `/`-prefixed UTF-8 key,
 * as the Python Satori nodes announce (`/satori/sub/<id>`), is taken as
 * its own bytes.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL on error
 */
GBytes *
satori_p2pd_cid_to_key (const guint8 *data, gsize len, GError **error)
{
  guint64 version, codec;
  gsize used, used_codec;

  if (len > 0 && data[0] == '/' && g_utf8_validate ((const char *) data, len, NULL))
    return g_bytes_new (data, len);
  if (len > 0 && data[0] != CID_VERSION_1 && is_multihash (data, len))
    return g_bytes_new (data, len);
  if (satori_varint_decode (data, len, &version, &used, NULL) && version == CID_VERSION_1 &&
      satori_varint_decode (data + used, len - used, &codec, &used_codec, NULL) &&
      is_multihash (data + used + used_codec, len - used - used_codec))
    return g_bytes_new (data + used + used_codec, len - used - used_codec);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Not a CID (nor a “/”-prefixed key)"));
  return NULL;
}
