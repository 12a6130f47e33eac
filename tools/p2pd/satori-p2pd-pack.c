/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-p2pd-pack.h"

void
satori_p2pd_keep_init (SatoriP2pdKeep *keep)
{
  keep->bytes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  keep->blocks = g_ptr_array_new_with_free_func (g_free);
}

void
satori_p2pd_keep_clear (SatoriP2pdKeep *keep)
{
  g_ptr_array_unref (keep->bytes);
  g_ptr_array_unref (keep->blocks);
}

/* Points @field at @bytes, kept alive by @keep. */
void
satori_p2pd_keep_set_bytes (SatoriP2pdKeep *keep, ProtobufCBinaryData *field, GBytes *bytes)
{
  g_ptr_array_add (keep->bytes, g_bytes_ref (bytes));
  field->data = (guint8 *) g_bytes_get_data (bytes, &field->len);
}

/* Fills a repeated bytes field with @addresses (SatoriMultiaddr). */
void
satori_p2pd_keep_set_addresses (SatoriP2pdKeep *keep, ProtobufCBinaryData **fields,
                                size_t *n_fields, GPtrArray *addresses)
{
  *n_fields = addresses->len;
  *fields = g_new0 (ProtobufCBinaryData, addresses->len);
  g_ptr_array_add (keep->blocks, *fields);
  for (guint i = 0; i < addresses->len; i++)
    satori_p2pd_keep_set_bytes (keep, &(*fields)[i],
                                satori_multiaddr_get_bytes (g_ptr_array_index (addresses, i)));
}
