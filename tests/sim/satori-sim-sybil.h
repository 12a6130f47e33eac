/* satori-sim-sybil.h: what makes a simulated host a sybil
 *
 * A sybil joins, subscribes and takes part in control traffic (GRAFT,
 * PRUNE, IHAVE, IWANT) but never forwards a message: every frame its router
 * writes goes through this filter, which drops the frame's publish entries.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @frame is one length-prefixed pubsub RPC. On success *@stripped_out is the
 * frame re-encoded without publish entries, @frame itself (a new reference)
 * when it had none, or NULL when nothing else was in it. FALSE with @error
 * when @frame is not one whole RPC frame. */
gboolean satori_sim_sybil_strip_publish (GBytes *frame, GBytes **stripped_out, GError **error);

G_END_DECLS
