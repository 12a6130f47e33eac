/* satori-gossipsub-score.h — the gossipsub v1.1 peer score (P1–P7, decay,
 * retention of disconnected peers' scores)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-gossipsub-params.h"

G_BEGIN_DECLS

typedef struct _SatoriGossipsubScore SatoriGossipsubScore;

/**
 * SatoriGossipsubScoreCounters:
 * @time_in_mesh: P1's counter (quanta in mesh, capped)
 * @first_message_deliveries: P2's counter
 * @mesh_message_deliveries: P3's counter
 * @mesh_failure_penalty: P3b's counter
 * @invalid_message_deliveries: P4's counter
 *
 * A peer's counters in one topic, for tests and metrics.
 */
typedef struct {
  double time_in_mesh;
  double first_message_deliveries;
  double mesh_message_deliveries;
  double mesh_failure_penalty;
  double invalid_message_deliveries;
} SatoriGossipsubScoreCounters;

SatoriGossipsubScore *satori_gossipsub_score_new        (const SatoriGossipsubScoreParams *params,
                                                         gint64 record_ttl_us);
void                  satori_gossipsub_score_free       (SatoriGossipsubScore *score);
void   satori_gossipsub_score_add_peer      (SatoriGossipsubScore *score, GBytes *peer);
void   satori_gossipsub_score_remove_peer   (SatoriGossipsubScore *score, GBytes *peer,
                                             gint64 now_us);
void   satori_gossipsub_score_graft         (SatoriGossipsubScore *score, GBytes *peer,
                                             const char *topic, gint64 now_us);
void   satori_gossipsub_score_prune         (SatoriGossipsubScore *score, GBytes *peer,
                                             const char *topic, gint64 now_us);
void   satori_gossipsub_score_validate      (SatoriGossipsubScore *score, GBytes *peer,
                                             GBytes *id, gint64 now_us);
void   satori_gossipsub_score_deliver       (SatoriGossipsubScore *score, GBytes *peer,
                                             GBytes *id, const char *topic, gint64 now_us);
void   satori_gossipsub_score_reject        (SatoriGossipsubScore *score, GBytes *peer,
                                             GBytes *id, const char *topic);
void   satori_gossipsub_score_ignore        (SatoriGossipsubScore *score, GBytes *id);
void   satori_gossipsub_score_duplicate     (SatoriGossipsubScore *score, GBytes *peer,
                                             GBytes *id, const char *topic, gint64 now_us);
void   satori_gossipsub_score_add_penalty   (SatoriGossipsubScore *score, GBytes *peer,
                                             double count);
void   satori_gossipsub_score_set_app_score (SatoriGossipsubScore *score, GBytes *peer,
                                             double value);
void   satori_gossipsub_score_set_ip        (SatoriGossipsubScore *score, GBytes *peer,
                                             const char *ip);
double satori_gossipsub_score_get           (SatoriGossipsubScore *score, GBytes *peer,
                                             gint64 now_us);
gboolean satori_gossipsub_score_get_counters (SatoriGossipsubScore *score, GBytes *peer,
                                              const char *topic, gint64 now_us,
                                              SatoriGossipsubScoreCounters *counters);
double satori_gossipsub_score_get_behaviour_penalty (SatoriGossipsubScore *score, GBytes *peer);
void   satori_gossipsub_score_refresh       (SatoriGossipsubScore *score, gint64 now_us);
guint  satori_gossipsub_score_n_peers       (SatoriGossipsubScore *score);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriGossipsubScore, satori_gossipsub_score_free)

G_END_DECLS
