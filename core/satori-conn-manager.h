/* satori-conn-manager.h — which connections to close when there are too
 * many (pure: no I/O, no clock)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-types.h"

G_BEGIN_DECLS

/**
 * SatoriConnManager:
 *
 * The trimming policy of go-libp2p's connection manager, without I/O:
 * once more connections than the high watermark are open, the least
 * valuable are picked for closing until the low watermark is reached.
 * Connections of protected peers and connections younger than the grace
 * period are never picked. Among the others, redundant ones (a second
 * connection to a peer that is not the one new streams use) go first,
 * then idle ones (no open stream), those idle the longest first, then the
 * oldest. Connections are opaque pointers; time comes in as arguments.
 */
typedef struct _SatoriConnManager SatoriConnManager;

SatoriConnManager *satori_conn_manager_new (guint  low_water,
                                            guint  high_water,
                                            gint64 grace_us);
void       satori_conn_manager_free (SatoriConnManager *manager);
void       satori_conn_manager_set_limits (SatoriConnManager *manager,
                                           guint              low_water,
                                           guint              high_water,
                                           gint64             grace_us);

void       satori_conn_manager_add (SatoriConnManager *manager,
                                    gpointer           connection,
                                    SatoriPeerId      *peer,
                                    gint64             now_us);
void       satori_conn_manager_remove (SatoriConnManager *manager,
                                       gpointer           connection);
guint      satori_conn_manager_get_count (SatoriConnManager *manager);
void       satori_conn_manager_update (SatoriConnManager *manager,
                                       gpointer           connection,
                                       guint              n_streams,
                                       gboolean           redundant,
                                       gint64             now_us);

void       satori_conn_manager_protect (SatoriConnManager *manager,
                                        SatoriPeerId      *peer,
                                        const char        *tag);
gboolean   satori_conn_manager_unprotect (SatoriConnManager *manager,
                                          SatoriPeerId      *peer,
                                          const char        *tag);
gboolean   satori_conn_manager_is_protected (SatoriConnManager *manager,
                                             SatoriPeerId      *peer);

GPtrArray *satori_conn_manager_trim (SatoriConnManager *manager,
                                     gint64             now_us);
gint64     satori_conn_manager_next_deadline_us (SatoriConnManager *manager);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriConnManager, satori_conn_manager_free)

G_END_DECLS
