/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-peerstore.h"

#include "satori-multiaddr.h"
#include "satori-peer-id.h"
#include "satori-peer-record.h"
#include "satori-public-key.h"

/**
 * SatoriPeerstore:
 *
 * Addresses, identity keys, protocols, agent versions and latencies of
 * other peers, as dials, identify and ping learn them, and the latest
 * signed peer record of each, whose addresses are certified: the peer
 * itself signed them. Used from the host's main context only.
 */
struct _SatoriPeerstore
{
  GObject parent_instance;

  GHashTable *records;   /* SatoriPeerId → PeerRecord */
};

typedef struct
{
  GPtrArray *addresses;  /* SatoriMultiaddr, no duplicates */
  SatoriPublicKey *key;
  GStrv protocols;
  char *agent;
  gint64 latency_us;     /* moving average; 0 when unknown */
  SatoriPeerRecord *signed_record;
  GBytes *signed_envelope;
} PeerRecord;

G_DEFINE_FINAL_TYPE (SatoriPeerstore, satori_peerstore, G_TYPE_OBJECT)

static void
peer_record_free (PeerRecord *record)
{
  g_ptr_array_unref (record->addresses);
  g_clear_object (&record->key);
  g_strfreev (record->protocols);
  g_free (record->agent);
  g_clear_pointer (&record->signed_record, satori_peer_record_unref);
  g_clear_pointer (&record->signed_envelope, g_bytes_unref);
  g_free (record);
}

static void
satori_peerstore_finalize (GObject *object)
{
  g_hash_table_unref (SATORI_PEERSTORE (object)->records);
  G_OBJECT_CLASS (satori_peerstore_parent_class)->finalize (object);
}

enum
{
  SIGNAL_PROTOCOLS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
satori_peerstore_class_init (SatoriPeerstoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_peerstore_finalize;

  /**
   * SatoriPeerstore::protocols-changed:
   * @store: the peerstore
   * @peer: the #SatoriPeerId whose protocols were set
   *
   * satori_peerstore_set_protocols() replaced what is known of @peer's
   * protocols (identify, identify push), so that protocols like the DHT
   * can notice the peers that speak them.
   */
  signals[SIGNAL_PROTOCOLS_CHANGED] =
    g_signal_new ("protocols-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SATORI_TYPE_PEER_ID);
}

static void
satori_peerstore_init (SatoriPeerstore *self)
{
  self->records = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                         (GDestroyNotify) satori_peer_id_unref,
                                         (GDestroyNotify) peer_record_free);
}

/**
 * satori_peerstore_new:
 *
 * Returns: (transfer full): an empty peerstore
 */
SatoriPeerstore *
satori_peerstore_new (void)
{
  return g_object_new (SATORI_TYPE_PEERSTORE, NULL);
}

static PeerRecord *
lookup (SatoriPeerstore *store, SatoriPeerId *peer)
{
  return g_hash_table_lookup (store->records, peer);
}

static PeerRecord *
ensure (SatoriPeerstore *store, SatoriPeerId *peer)
{
  PeerRecord *record = lookup (store, peer);

  if (record == NULL)
    {
      record = g_new0 (PeerRecord, 1);
      record->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
      g_hash_table_insert (store->records, satori_peer_id_ref (peer), record);
    }
  return record;
}

/**
 * satori_peerstore_add_address:
 * @store: a #SatoriPeerstore
 * @peer: the peer
 * @address: an address it is reachable at
 *
 * Remembers @address for @peer, once.
 */
void
satori_peerstore_add_address (SatoriPeerstore *store, SatoriPeerId *peer,
                              SatoriMultiaddr *address)
{
  g_return_if_fail (SATORI_IS_PEERSTORE (store));
  PeerRecord *record = ensure (store, peer);

  if (!g_ptr_array_find_with_equal_func (record->addresses, address, satori_multiaddr_equal, NULL))
    g_ptr_array_add (record->addresses, satori_multiaddr_ref (address));
}

/**
 * satori_peerstore_get_addresses:
 * @store: a #SatoriPeerstore
 * @peer: the peer
 *
 * Returns: (transfer container) (element-type SatoriMultiaddr): its
 *   addresses, possibly none
 */
GPtrArray *
satori_peerstore_get_addresses (SatoriPeerstore *store, SatoriPeerId *peer)
{
  g_return_val_if_fail (SATORI_IS_PEERSTORE (store), NULL);
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  PeerRecord *record = lookup (store, peer);

  for (guint i = 0; record != NULL && i < record->addresses->len; i++)
    g_ptr_array_add (result, satori_multiaddr_ref (g_ptr_array_index (record->addresses, i)));
  return result;
}

/**
 * satori_peerstore_set_public_key:
 * @store: a #SatoriPeerstore
 * @peer: the peer
 * @key: its identity key
 *
 * Remembers @peer's identity key.
 */
void
satori_peerstore_set_public_key (SatoriPeerstore *store, SatoriPeerId *peer, SatoriPublicKey *key)
{
  g_return_if_fail (SATORI_IS_PEERSTORE (store));
  g_set_object (&ensure (store, peer)->key, key);
}

/**
 * satori_peerstore_get_public_key:
 * @store: a #SatoriPeerstore
 * @peer: the peer
 *
 * Returns: (transfer none) (nullable): its identity key
 */
SatoriPublicKey *
satori_peerstore_get_public_key (SatoriPeerstore *store, SatoriPeerId *peer)
{
  g_return_val_if_fail (SATORI_IS_PEERSTORE (store), NULL);
  PeerRecord *record = lookup (store, peer);
  return record ? record->key : NULL;
}

/**
 * satori_peerstore_set_protocols:
 * @store: a #SatoriPeerstore
 * @peer: the peer
 * @protocols: (array zero-terminated=1): the protocols it speaks
 *
 * Replaces what is known of @peer's protocols and emits
 * #SatoriPeerstore::protocols-changed.
 */
void
satori_peerstore_set_protocols (SatoriPeerstore *store, SatoriPeerId *peer,
                                const char * const *protocols)
{
  g_return_if_fail (SATORI_IS_PEERSTORE (store));
  PeerRecord *record = ensure (store, peer);

  g_strfreev (record->protocols);
  record->protocols = g_strdupv ((char **) protocols);
  g_signal_emit (store, signals[SIGNAL_PROTOCOLS_CHANGED], 0, peer);
}

/**
 * satori_peerstore_get_protocols:
 * @store: a #SatoriPeerstore
 * @peer: the peer
 *
 * Returns: (transfer full) (nullable): the protocols it speaks, or %NULL
 *   when unknown
 */
GStrv
satori_peerstore_get_protocols (SatoriPeerstore *store, SatoriPeerId *peer)
{
  g_return_val_if_fail (SATORI_IS_PEERSTORE (store), NULL);
  PeerRecord *record = lookup (store, peer);
  return record ? g_strdupv (record->protocols) : NULL;
}

/**
 * satori_peerstore_set_agent:
 * @store: a #SatoriPeerstore
 * @peer: the peer
 * @agent: its agent version string
 *
 * Remembers @peer's agent version.
 */
void
satori_peerstore_set_agent (SatoriPeerstore *store, SatoriPeerId *peer, const char *agent)
{
  g_return_if_fail (SATORI_IS_PEERSTORE (store));
  PeerRecord *record = ensure (store, peer);

  g_free (record->agent);
  record->agent = g_strdup (agent);
}

/**
 * satori_peerstore_get_agent:
 * @store: a #SatoriPeerstore
 * @peer: the peer
 *
 * Returns: (nullable): its agent version
 */
const char *
satori_peerstore_get_agent (SatoriPeerstore *store, SatoriPeerId *peer)
{
  g_return_val_if_fail (SATORI_IS_PEERSTORE (store), NULL);
  PeerRecord *record = lookup (store, peer);
  return record ? record->agent : NULL;
}

/**
 * satori_peerstore_record_latency:
 * @store: a #SatoriPeerstore
 * @peer: the peer
 * @rtt_us: a measured round trip, in microseconds
 *
 * Folds @rtt_us into @peer's latency, an exponentially weighted moving
 * average that gives a new sample a tenth of the weight (as go-libp2p).
 */
void
satori_peerstore_record_latency (SatoriPeerstore *store, SatoriPeerId *peer, gint64 rtt_us)
{
  g_return_if_fail (SATORI_IS_PEERSTORE (store));
  PeerRecord *record = ensure (store, peer);

  record->latency_us = record->latency_us == 0
    ? rtt_us
    : (record->latency_us * 9 + rtt_us) / 10;
}

/**
 * satori_peerstore_get_latency:
 * @store: a #SatoriPeerstore
 * @peer: the peer
 *
 * Returns: the average round trip in microseconds, or 0 when unknown
 */
gint64
satori_peerstore_get_latency (SatoriPeerstore *store, SatoriPeerId *peer)
{
  g_return_val_if_fail (SATORI_IS_PEERSTORE (store), 0);
  PeerRecord *record = lookup (store, peer);
  return record ? record->latency_us : 0;
}

/**
 * satori_peerstore_get_peers:
 * @store: a #SatoriPeerstore
 *
 * Returns: (transfer container) (element-type SatoriPeerId): every peer known
 */
GPtrArray *
satori_peerstore_get_peers (SatoriPeerstore *store)
{
  g_return_val_if_fail (SATORI_IS_PEERSTORE (store), NULL);
  GPtrArray *peers = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_id_unref);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, store->records);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (peers, satori_peer_id_ref (key));
  return peers;
}

/**
 * satori_peerstore_set_peer_record:
 * @store: a #SatoriPeerstore
 * @record: a peer record whose signature was checked
 *   (satori_peer_record_open())
 * @envelope: the signed envelope it came in, encoded, to hand on as is
 *
 * Keeps @record as its peer's certified addresses, and adds them to its
 * addresses, unless a record with the same or a higher sequence number is
 * already kept.
 *
 * Returns: whether @record was newer and is kept
 */
gboolean
satori_peerstore_set_peer_record (SatoriPeerstore *store, SatoriPeerRecord *record,
                                  GBytes *envelope)
{
  g_return_val_if_fail (SATORI_IS_PEERSTORE (store), FALSE);
  g_return_val_if_fail (record != NULL && envelope != NULL, FALSE);
  PeerRecord *known = ensure (store, record->peer_id);

  if (known->signed_record != NULL && known->signed_record->seq >= record->seq)
    return FALSE;
  g_clear_pointer (&known->signed_record, satori_peer_record_unref);
  g_clear_pointer (&known->signed_envelope, g_bytes_unref);
  known->signed_record = satori_peer_record_ref (record);
  known->signed_envelope = g_bytes_ref (envelope);
  for (guint i = 0; i < record->addresses->len; i++)
    satori_peerstore_add_address (store, record->peer_id, g_ptr_array_index (record->addresses, i));
  return TRUE;
}

/**
 * satori_peerstore_get_peer_record:
 * @store: a #SatoriPeerstore
 * @peer: the peer
 * @envelope: (out) (optional) (transfer none) (nullable): the signed
 *   envelope it came in
 *
 * Returns: (transfer none) (nullable): @peer's latest signed record
 */
SatoriPeerRecord *
satori_peerstore_get_peer_record (SatoriPeerstore *store, SatoriPeerId *peer, GBytes **envelope)
{
  g_return_val_if_fail (SATORI_IS_PEERSTORE (store), NULL);
  PeerRecord *record = lookup (store, peer);

  if (envelope != NULL)
    *envelope = record ? record->signed_envelope : NULL;
  return record ? record->signed_record : NULL;
}

/**
 * satori_peerstore_is_certified:
 * @store: a #SatoriPeerstore
 * @peer: the peer
 * @address: one of its addresses
 *
 * Returns: whether @peer's latest signed record lists @address
 */
gboolean
satori_peerstore_is_certified (SatoriPeerstore *store, SatoriPeerId *peer,
                               SatoriMultiaddr *address)
{
  g_return_val_if_fail (SATORI_IS_PEERSTORE (store), FALSE);
  PeerRecord *record = lookup (store, peer);

  return record != NULL && record->signed_record != NULL &&
         g_ptr_array_find_with_equal_func (record->signed_record->addresses, address,
                                           satori_multiaddr_equal, NULL);
}
