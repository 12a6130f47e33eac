/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-muxer.h"

/**
 * SatoriMuxer:
 *
 * The contract of a stream multiplexer plugin. See #SatoriMuxerInterface.
 */
G_DEFINE_INTERFACE (SatoriMuxer, satori_muxer, G_TYPE_OBJECT)

static void
satori_muxer_default_init (SatoriMuxerInterface *iface)
{
}

/**
 * satori_muxer_create_connection:
 * @muxer: a #SatoriMuxer
 * @secured: the secured connection, after the muxer was agreed
 * @is_initiator: %TRUE on the dialing side
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the multiplexed connection, which
 *   owns @secured from now on, or %NULL on error
 */
SatoriMuxedConnection *
satori_muxer_create_connection (SatoriMuxer *muxer, GIOStream *secured,
                                gboolean is_initiator, GError **error)
{
  g_return_val_if_fail (SATORI_IS_MUXER (muxer), NULL);
  g_return_val_if_fail (G_IS_IO_STREAM (secured), NULL);
  return SATORI_MUXER_GET_IFACE (muxer)->create_connection (muxer, secured, is_initiator, error);
}
