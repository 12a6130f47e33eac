/* satori-message-session.h — the requests waiting for an answer (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

typedef struct _SatoriMessageSession SatoriMessageSession;

SatoriMessageSession *satori_message_session_new (GDestroyNotify token_free);
void                  satori_message_session_free (SatoriMessageSession *session);

gboolean satori_message_session_add (SatoriMessageSession *session,
                                     const char           *request_id,
                                     SatoriPeerId         *peer,
                                     gint64                deadline_us,
                                     gpointer              token);
gpointer satori_message_session_take (SatoriMessageSession *session,
                                      const char           *request_id,
                                      SatoriPeerId         *peer);
guint    satori_message_session_get_pending (SatoriMessageSession *session);
gint64   satori_message_session_next_deadline_us (SatoriMessageSession *session);
gpointer satori_message_session_poll_expired (SatoriMessageSession *session,
                                              gint64                now_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriMessageSession, satori_message_session_free)

G_END_DECLS
