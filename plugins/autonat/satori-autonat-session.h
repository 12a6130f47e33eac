/* satori-autonat-session.h — the sans-I/O AutoNAT v1 client: which peers
 * to ask when, and what their answers say about our reachability
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

/**
 * SatoriAutonatConfig:
 * @threshold: distinct peers that must agree to decide (4: the spec's
 *   "more than 3 peers"); the last `2 × threshold − 1` answers, one per
 *   peer, are kept, so a decision needs a majority of them and two
 *   contrary decisions cannot both hold
 * @probes_per_round: peers asked at once in a round (4)
 * @boot_delay_us: before the first round (15 s, as go-libp2p)
 * @retry_interval_us: between rounds while undecided (90 s, as go-libp2p)
 * @refresh_interval_us: between rounds once decided (15 min, as go-libp2p)
 * @peer_cooldown_us: a peer is asked again only after this (the refresh
 *   interval by default), unless our addresses changed
 * @request_timeout_us: an unanswered probe counts as no answer after this
 *   (30 s, as go-libp2p and js-libp2p)
 *
 * The client's parameters; satori_autonat_config_init() sets the defaults
 * given.
 */
typedef struct
{
  guint threshold;
  guint probes_per_round;
  gint64 boot_delay_us;
  gint64 retry_interval_us;
  gint64 refresh_interval_us;
  gint64 peer_cooldown_us;
  gint64 request_timeout_us;
} SatoriAutonatConfig;

/**
 * SatoriAutonatOutcome:
 * @SATORI_AUTONAT_OUTCOME_REACHABLE: the peer dialed us back (OK)
 * @SATORI_AUTONAT_OUTCOME_UNREACHABLE: its dials failed (E_DIAL_ERROR)
 * @SATORI_AUTONAT_OUTCOME_NONE: no verdict: refused, bad request,
 *   internal error, no answer, stream failure
 *
 * What one probe found.
 */
typedef enum
{
  SATORI_AUTONAT_OUTCOME_REACHABLE,
  SATORI_AUTONAT_OUTCOME_UNREACHABLE,
  SATORI_AUTONAT_OUTCOME_NONE,
} SatoriAutonatOutcome;

/**
 * SatoriAutonatEventType:
 * @SATORI_AUTONAT_EVENT_PROBE: ask @peer to dial us back (send it a DIAL
 *   with our addresses), then call satori_autonat_session_probe_done()
 * @SATORI_AUTONAT_EVENT_REACHABILITY: the verdict changed to
 *   @reachability
 *
 * What the session asks of its driver.
 */
typedef enum
{
  SATORI_AUTONAT_EVENT_PROBE,
  SATORI_AUTONAT_EVENT_REACHABILITY,
} SatoriAutonatEventType;

/**
 * SatoriAutonatEvent:
 * @type: what happened
 * @peer: (nullable): the peer to probe (owned by the event)
 * @reachability: the new verdict
 *
 * One event; satori_autonat_event_clear() releases it.
 */
typedef struct
{
  SatoriAutonatEventType type;
  SatoriPeerId *peer;
  SatoriReachability reachability;
} SatoriAutonatEvent;

typedef struct _SatoriAutonatSession SatoriAutonatSession;

void                  satori_autonat_config_init (SatoriAutonatConfig *config);

SatoriAutonatSession *satori_autonat_session_new (const SatoriAutonatConfig *config,
                                                  gint64                     now_us);
void                  satori_autonat_session_free (SatoriAutonatSession *session);

void                  satori_autonat_session_add_server (SatoriAutonatSession *session,
                                                         SatoriPeerId         *peer,
                                                         gint64                now_us);
void                  satori_autonat_session_remove_server (SatoriAutonatSession *session,
                                                            SatoriPeerId         *peer);
void                  satori_autonat_session_addresses_changed (SatoriAutonatSession *session,
                                                                gint64                now_us);
void                  satori_autonat_session_probe_done (SatoriAutonatSession *session,
                                                         SatoriPeerId         *peer,
                                                         SatoriAutonatOutcome  outcome,
                                                         gint64                now_us);

gint64                satori_autonat_session_next_deadline_us (SatoriAutonatSession *session);
void                  satori_autonat_session_handle_timeout (SatoriAutonatSession *session,
                                                             gint64                now_us);
gboolean              satori_autonat_session_poll_event (SatoriAutonatSession *session,
                                                         SatoriAutonatEvent   *event);
void                  satori_autonat_event_clear (SatoriAutonatEvent *event);

SatoriReachability    satori_autonat_session_get_reachability (SatoriAutonatSession *session);
void                  satori_autonat_session_get_counts (SatoriAutonatSession *session,
                                                         guint                *reachable,
                                                         guint                *unreachable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriAutonatSession, satori_autonat_session_free)

G_END_DECLS
