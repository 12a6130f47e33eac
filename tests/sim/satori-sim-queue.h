/* satori-sim-queue.h: the simulator's event queue, a binary min-heap
 *
 * Events pop in time order; events with equal times pop in the order they
 * were pushed, so a run is the same every time it is replayed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gint64   time_us;
  guint64  seq;      /* set by push: ties pop first-in first-out */
  guint    kind;     /* the owner's event kinds */
  guint    node;
  guint    peer;
  guint    tag;      /* the owner's use */
  gpointer data;
} SatoriSimEvent;

typedef struct _SatoriSimQueue SatoriSimQueue;

/* @clear (or NULL) releases what an event still holds when the queue is freed. */
SatoriSimQueue *satori_sim_queue_new (void (*clear) (SatoriSimEvent *event));
void            satori_sim_queue_free (SatoriSimQueue *queue);
void            satori_sim_queue_push (SatoriSimQueue *queue, const SatoriSimEvent *event);
gboolean        satori_sim_queue_pop (SatoriSimQueue *queue, SatoriSimEvent *event_out);
/* G_MAXINT64 when empty. */
gint64          satori_sim_queue_peek_time (SatoriSimQueue *queue);
guint           satori_sim_queue_get_length (SatoriSimQueue *queue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriSimQueue, satori_sim_queue_free)

G_END_DECLS
