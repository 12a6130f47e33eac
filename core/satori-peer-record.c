/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-peer-record.h"

#include <string.h>

#include "proto/peer_record.pb-c.h"
#include "satori-errors.h"
#include "satori-multiaddr.h"
#include "satori-peer-id.h"
#include "satori-private-key.h"
#include "satori-protobuf.h"

G_DEFINE_BOXED_TYPE (SatoriPeerRecord, satori_peer_record,
                     satori_peer_record_ref, satori_peer_record_unref)

/**
 * satori_peer_record_new:
 * @peer_id: the peer
 * @seq: the sequence number, higher than that of the peer's last record
 * @addresses: (element-type SatoriMultiaddr): its addresses
 *
 * Returns: (transfer full): a new record
 */
SatoriPeerRecord *
satori_peer_record_new (SatoriPeerId *peer_id, guint64 seq, GPtrArray *addresses)
{
  g_return_val_if_fail (peer_id != NULL && addresses != NULL, NULL);
  SatoriPeerRecord *record = g_atomic_rc_box_new0 (SatoriPeerRecord);

  record->peer_id = satori_peer_id_ref (peer_id);
  record->seq = seq;
  record->addresses = g_ptr_array_new_full (addresses->len,
                                            (GDestroyNotify) satori_multiaddr_unref);
  for (guint i = 0; i < addresses->len; i++)
    g_ptr_array_add (record->addresses, satori_multiaddr_ref (g_ptr_array_index (addresses, i)));
  return record;
}

/**
 * satori_peer_record_ref:
 * @record: a #SatoriPeerRecord
 *
 * Returns: (transfer full): @record
 */
SatoriPeerRecord *
satori_peer_record_ref (SatoriPeerRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return g_atomic_rc_box_acquire (record);
}

static void
record_clear (SatoriPeerRecord *record)
{
  satori_peer_id_unref (record->peer_id);
  g_ptr_array_unref (record->addresses);
}

/**
 * satori_peer_record_unref:
 * @record: (transfer full): a #SatoriPeerRecord
 */
void
satori_peer_record_unref (SatoriPeerRecord *record)
{
  g_return_if_fail (record != NULL);
  g_atomic_rc_box_release_full (record, (GDestroyNotify) record_clear);
}

/**
 * satori_peer_record_encode:
 * @record: a #SatoriPeerRecord
 *
 * Returns: (transfer full): the record as protobuf (the envelope payload)
 */
GBytes *
satori_peer_record_encode (const SatoriPeerRecord *record)
{
  Satori__Pb__PeerRecord pb = SATORI__PB__PEER_RECORD__INIT;

  g_return_val_if_fail (record != NULL, NULL);
  guint n = record->addresses->len;
  g_autofree Satori__Pb__PeerRecord__AddressInfo *infos =
    g_new0 (Satori__Pb__PeerRecord__AddressInfo, MAX (n, 1));
  g_autofree Satori__Pb__PeerRecord__AddressInfo **pointers =
    g_new0 (Satori__Pb__PeerRecord__AddressInfo *, MAX (n, 1));
  GBytes *id = satori_peer_id_get_bytes (record->peer_id);

  pb.has_peer_id = TRUE;
  pb.peer_id.data = (guint8 *) g_bytes_get_data (id, &pb.peer_id.len);
  pb.has_seq = TRUE;
  pb.seq = record->seq;
  for (guint i = 0; i < n; i++)
    {
      satori__pb__peer_record__address_info__init (&infos[i]);
      infos[i].has_multiaddr = TRUE;
      infos[i].multiaddr.data = (guint8 *) satori_multiaddr_get_data (
        g_ptr_array_index (record->addresses, i), &infos[i].multiaddr.len);
      pointers[i] = &infos[i];
    }
  pb.n_addresses = n;
  pb.addresses = pointers;
  return satori_protobuf_pack (&pb.base);
}

/**
 * satori_peer_record_decode:
 * @data: (array length=len): a peer record protobuf
 * @len: its length, at most %SATORI_ENVELOPE_MAX_SIZE
 * @error: a #GError: %SATORI_CODEC_ERROR_TOO_LARGE, or
 *   %SATORI_CODEC_ERROR_MALFORMED for bad protobuf or a missing or bad
 *   peer id
 *
 * Addresses that do not parse are skipped, as are those past
 * %SATORI_PEER_RECORD_MAX_ADDRESSES.
 *
 * Returns: (transfer full) (nullable): the record, or %NULL
 */
SatoriPeerRecord *
satori_peer_record_decode (const guint8 *data, gsize len, GError **error)
{
  g_autoptr(GError) id_error = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  Satori__Pb__PeerRecord *pb = (Satori__Pb__PeerRecord *) satori_protobuf_unpack (
    &satori__pb__peer_record__descriptor, data, len, SATORI_ENVELOPE_MAX_SIZE, error);
  if (pb == NULL)
    return NULL;

  g_autoptr(SatoriPeerId) peer = NULL;
  if (pb->has_peer_id)
    peer = satori_peer_id_new_from_bytes (pb->peer_id.data, pb->peer_id.len, &id_error);
  if (peer == NULL)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "Bad peer record: %s", id_error ? id_error->message : "no peer id");
      protobuf_c_message_free_unpacked (&pb->base, NULL);
      return NULL;
    }
  g_autoptr(GPtrArray) addresses =
    g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  for (gsize i = 0; i < pb->n_addresses && addresses->len < SATORI_PEER_RECORD_MAX_ADDRESSES; i++)
    {
      SatoriMultiaddr *address = pb->addresses[i]->has_multiaddr
        ? satori_multiaddr_new_from_bytes (pb->addresses[i]->multiaddr.data,
                                           pb->addresses[i]->multiaddr.len, NULL)
        : NULL;
      if (address != NULL)
        g_ptr_array_add (addresses, address);
    }
  SatoriPeerRecord *record = satori_peer_record_new (peer, pb->seq, addresses);
  protobuf_c_message_free_unpacked (&pb->base, NULL);
  return record;
}

/* The signature domain of each payload type a peer record comes under:
 * go's and js's, then RFC 0003's as rust-libp2p writes it. */
static const struct
{
  const char *payload_type;
  gsize len;
  const char *domain;
} flavours[] = {
  { SATORI_PEER_RECORD_PAYLOAD_TYPE, 2, SATORI_PEER_RECORD_DOMAIN },
  { "/libp2p/routing-state-record", 28, "libp2p-routing-state" },
};

static GBytes *
payload_type (void)
{
  return g_bytes_new_static (flavours[0].payload_type, flavours[0].len);
}

static const char *
domain_of (GBytes *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (flavours); i++)
    if (g_bytes_get_size (type) == flavours[i].len &&
        memcmp (g_bytes_get_data (type, NULL), flavours[i].payload_type, flavours[i].len) == 0)
      return flavours[i].domain;
  return NULL;
}

/**
 * satori_peer_record_seal:
 * @record: a record about the holder of @key
 * @key: the peer's identity key
 * @error: a #GError, set when signing fails
 *
 * Returns: (transfer full) (nullable): @record in an envelope signed for
 *   %SATORI_PEER_RECORD_DOMAIN, or %NULL
 */
SatoriEnvelope *
satori_peer_record_seal (const SatoriPeerRecord *record, SatoriPrivateKey *key, GError **error)
{
  g_return_val_if_fail (record != NULL && key != NULL, NULL);
  g_autoptr(GBytes) type = payload_type ();
  g_autoptr(GBytes) payload = satori_peer_record_encode (record);

  return satori_envelope_seal (key, SATORI_PEER_RECORD_DOMAIN, type, payload, error);
}

/**
 * satori_peer_record_open:
 * @data: (array length=len): an encoded envelope, as identify's
 *   signedPeerRecord carries it
 * @len: its length
 * @error: a #GError: %SATORI_CODEC_ERROR_MALFORMED for an envelope or
 *   record that does not decode, another payload type, or a record about
 *   another peer than the signer; %SATORI_KEY_ERROR_MALFORMED for a bad
 *   signature
 *
 * Decodes an envelope, checks its signature for the domain of its payload
 * type (%SATORI_PEER_RECORD_DOMAIN for %SATORI_PEER_RECORD_PAYLOAD_TYPE as
 * go-libp2p and js-libp2p write them, or `libp2p-routing-state` for
 * `/libp2p/routing-state-record` as rust-libp2p does) and that it holds a
 * peer record about the peer whose key signed it.
 *
 * Returns: (transfer full) (nullable): the record, or %NULL
 */
SatoriPeerRecord *
satori_peer_record_open (const guint8 *data, gsize len, GError **error)
{
  g_autoptr(SatoriEnvelope) envelope = satori_envelope_decode (data, len, error);
  if (envelope == NULL)
    return NULL;
  const char *domain = domain_of (satori_envelope_get_payload_type (envelope));
  if (domain == NULL)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "The signed envelope does not hold a peer record");
      return NULL;
    }
  if (!satori_envelope_verify (envelope, domain, error))
    return NULL;
  gsize payload_len;
  const guint8 *payload = g_bytes_get_data (satori_envelope_get_payload (envelope), &payload_len);
  g_autoptr(SatoriPeerRecord) record = satori_peer_record_decode (payload, payload_len, error);
  if (record == NULL)
    return NULL;
  if (!satori_peer_id_matches_public_key (record->peer_id,
                                          satori_envelope_get_public_key (envelope)))
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "The peer record is not about the peer that signed it");
      return NULL;
    }
  return g_steal_pointer (&record);
}
