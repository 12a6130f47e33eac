/* satori-sim-queue.c: binary min-heap ordered by (time, push order)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-sim-queue.h"

struct _SatoriSimQueue {
  GArray  *heap;  /* of SatoriSimEvent */
  guint64  next_seq;
  void   (*clear) (SatoriSimEvent *event);
};

SatoriSimQueue *
satori_sim_queue_new (void (*clear) (SatoriSimEvent *event))
{
  SatoriSimQueue *queue = g_new0 (SatoriSimQueue, 1);
  queue->heap = g_array_new (FALSE, FALSE, sizeof (SatoriSimEvent));
  queue->clear = clear;
  return queue;
}

void
satori_sim_queue_free (SatoriSimQueue *queue)
{
  if (queue == NULL)
    return;
  if (queue->clear != NULL)
    for (guint i = 0; i < queue->heap->len; i++)
      queue->clear (&g_array_index (queue->heap, SatoriSimEvent, i));
  g_array_unref (queue->heap);
  g_free (queue);
}

static inline gboolean
before (const SatoriSimEvent *a, const SatoriSimEvent *b)
{
  return a->time_us < b->time_us || (a->time_us == b->time_us && a->seq < b->seq);
}

void
satori_sim_queue_push (SatoriSimQueue *queue, const SatoriSimEvent *event)
{
  SatoriSimEvent item = *event;
  item.seq = queue->next_seq++;
  g_array_append_val (queue->heap, item);

  SatoriSimEvent *h = (SatoriSimEvent *) queue->heap->data;
  guint i = queue->heap->len - 1;
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      if (!before (&item, &h[parent]))
        break;
      h[i] = h[parent];
      i = parent;
    }
  h[i] = item;
}

gboolean
satori_sim_queue_pop (SatoriSimQueue *queue, SatoriSimEvent *event_out)
{
  guint n = queue->heap->len;
  if (n == 0)
    return FALSE;

  SatoriSimEvent *h = (SatoriSimEvent *) queue->heap->data;
  *event_out = h[0];
  SatoriSimEvent last = h[--n];
  g_array_set_size (queue->heap, n);
  if (n == 0)
    return TRUE;

  /* Sift the former last element down from the root. */
  guint i = 0;
  while (TRUE)
    {
      guint child = 2 * i + 1;
      if (child >= n)
        break;
      if (child + 1 < n && before (&h[child + 1], &h[child]))
        child++;
      if (!before (&h[child], &last))
        break;
      h[i] = h[child];
      i = child;
    }
  h[i] = last;
  return TRUE;
}

gint64
satori_sim_queue_peek_time (SatoriSimQueue *queue)
{
  if (queue->heap->len == 0)
    return G_MAXINT64;
  return g_array_index (queue->heap, SatoriSimEvent, 0).time_us;
}

guint
satori_sim_queue_get_length (SatoriSimQueue *queue)
{
  return queue->heap->len;
}
