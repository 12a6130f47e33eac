/* satori-autonat-targets.h — which addresses the AutoNAT server dials for
 * a request (pure: no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

/**
 * SATORI_AUTONAT_MAX_DIALS:
 *
 * Addresses dialed back for one request at most, one after the other.
 */
#define SATORI_AUTONAT_MAX_DIALS 4

GPtrArray *satori_autonat_dial_targets (GPtrArray        *requested,
                                        SatoriMultiaddr  *observed,
                                        gboolean          allow_private,
                                        const char      **refusal);

G_END_DECLS
