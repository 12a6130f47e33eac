/* satori-message-cipher.h — end-to-end encryption of /satori/1.0.0 envelopes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

GBytes *satori_message_cipher_seal (SatoriEvrmoreKey *ours,
                                    SatoriPeerId     *peer,
                                    GBytes           *envelope,
                                    GError          **error);
GBytes *satori_message_cipher_open (SatoriEvrmoreKey *ours,
                                    SatoriPeerId     *peer,
                                    GBytes           *sealed,
                                    GError          **error);

G_END_DECLS
