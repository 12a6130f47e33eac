/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-pubsub-rpc-reader.h"

#include "satori-frame.h"
#include "satori-protobuf.h"
#include "satori-pubsub-error.h"

struct _SatoriPubsubRpcReader
{
  SatoriFrameReader *frames;
  gsize max_size;
};

/**
 * satori_pubsub_rpc_reader_new:
 * @max_size: the largest RPC frame to accept
 *
 * Returns: (transfer full): a reader of the varint-length-prefixed RPC
 *   frames that arrive on a pubsub stream
 */
SatoriPubsubRpcReader *
satori_pubsub_rpc_reader_new (gsize max_size)
{
  SatoriPubsubRpcReader *reader = g_new0 (SatoriPubsubRpcReader, 1);
  reader->frames = satori_frame_reader_new (max_size);
  reader->max_size = max_size;
  return reader;
}

/**
 * satori_pubsub_rpc_reader_free:
 * @reader: (transfer full) (nullable): a reader
 *
 * Frees @reader and any partial frame it holds.
 */
void
satori_pubsub_rpc_reader_free (SatoriPubsubRpcReader *reader)
{
  if (reader == NULL)
    return;
  satori_frame_reader_free (reader->frames);
  g_free (reader);
}

/**
 * satori_pubsub_rpc_decode:
 * @data: (array length=len): an RPC without its length prefix
 * @len: its size
 * @max_size: the largest RPC to accept
 * @error: a %SATORI_PUBSUB_ERROR
 *
 * Returns: (transfer full) (nullable): the decoded RPC, free it with
 *   satori_pubsub_rpc_free()
 */
Satori__Pubsub__RPC *
satori_pubsub_rpc_decode (const guint8 *data, gsize len, gsize max_size, GError **error)
{
  g_autoptr(GError) local = NULL;
  ProtobufCMessage *rpc = satori_protobuf_unpack (&satori__pubsub__rpc__descriptor,
                                                  data, len, max_size, &local);
  if (rpc == NULL)
    {
      gboolean too_large = g_error_matches (local, SATORI_CODEC_ERROR,
                                            SATORI_CODEC_ERROR_TOO_LARGE);
      g_set_error (error, SATORI_PUBSUB_ERROR,
                   too_large ? SATORI_PUBSUB_ERROR_TOO_LARGE : SATORI_PUBSUB_ERROR_MALFORMED,
                   "bad pubsub RPC: %s", local->message);
      return NULL;
    }
  return (Satori__Pubsub__RPC *) rpc;
}

/**
 * satori_pubsub_rpc_free:
 * @rpc: (transfer full) (nullable): an RPC from satori_pubsub_rpc_decode()
 */
void
satori_pubsub_rpc_free (Satori__Pubsub__RPC *rpc)
{
  if (rpc != NULL)
    satori__pubsub__rpc__free_unpacked (rpc, NULL);
}

/**
 * satori_pubsub_rpc_reader_feed:
 * @reader: a reader
 * @data: (array length=len): the next bytes of the stream
 * @len: how many bytes @data holds
 * @consumed: (out): how many bytes of @data the reader took
 * @rpc: (out) (transfer full) (nullable): the RPC these bytes completed, or %NULL
 * @error: a %SATORI_PUBSUB_ERROR: %SATORI_PUBSUB_ERROR_TOO_LARGE for a frame
 *   over the limit (known from its prefix, before it is buffered),
 *   %SATORI_PUBSUB_ERROR_MALFORMED for a bad prefix or protobuf
 *
 * Feeds the next bytes of a stream. When they complete a frame the reader
 * stops right after it and returns the decoded RPC; feed it the rest of
 * @data (from @consumed on) to read the next one. After an error the
 * stream is out of step and must be closed.
 *
 * Returns: %FALSE on error
 */
gboolean
satori_pubsub_rpc_reader_feed (SatoriPubsubRpcReader *reader, const guint8 *data, gsize len,
                               gsize *consumed, Satori__Pubsub__RPC **rpc, GError **error)
{
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (reader != NULL && consumed != NULL && rpc != NULL, FALSE);

  *rpc = NULL;
  if (!satori_frame_reader_feed (reader->frames, data, len, consumed, &frame, &local))
    {
      gboolean too_large = g_error_matches (local, SATORI_CODEC_ERROR,
                                            SATORI_CODEC_ERROR_TOO_LARGE);
      g_set_error (error, SATORI_PUBSUB_ERROR,
                   too_large ? SATORI_PUBSUB_ERROR_TOO_LARGE : SATORI_PUBSUB_ERROR_MALFORMED,
                   "bad pubsub frame: %s", local->message);
      return FALSE;
    }
  if (frame == NULL)
    return TRUE;

  gsize size;
  const guint8 *payload = g_bytes_get_data (frame, &size);
  *rpc = satori_pubsub_rpc_decode (payload, size, reader->max_size, error);
  return *rpc != NULL;
}
