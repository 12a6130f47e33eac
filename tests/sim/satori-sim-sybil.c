/* satori-sim-sybil.c: strip the publish entries from a pubsub RPC frame
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-sim-sybil.h"

#include "pubsub-rpc.pb-c.h"
#include "satori-protobuf.h"
#include "satori-pubsub-rpc-reader.h"

gboolean
satori_sim_sybil_strip_publish (GBytes *frame, GBytes **stripped_out, GError **error)
{
  gsize len, consumed;
  const guint8 *data = g_bytes_get_data (frame, &len);
  Satori__Pubsub__RPC *rpc = (Satori__Pubsub__RPC *)
    satori_protobuf_unpack_delimited (&satori__pubsub__rpc__descriptor, data, len,
                                      SATORI_PUBSUB_DEFAULT_MAX_RPC_SIZE, &consumed, error);

  *stripped_out = NULL;
  if (rpc == NULL)
    return FALSE;
  if (consumed != len)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "%" G_GSIZE_FORMAT " bytes after the RPC frame", len - consumed);
      satori__pubsub__rpc__free_unpacked (rpc, NULL);
      return FALSE;
    }

  if (rpc->n_publish == 0)
    *stripped_out = g_bytes_ref (frame);
  else if (rpc->n_subscriptions > 0 || rpc->control != NULL)
    {
      /* Hide the entries while packing; free_unpacked needs them back. */
      size_t n_publish = rpc->n_publish;
      rpc->n_publish = 0;
      *stripped_out = satori_protobuf_pack_delimited (&rpc->base);
      rpc->n_publish = n_publish;
    }
  satori__pubsub__rpc__free_unpacked (rpc, NULL);
  return TRUE;
}
