/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Framing is a property of a wire protocol, not of a host, so the table is
 * the process's: plugins fill it from their init function, the host reads
 * it once for every stream it negotiates.
 */
#include "satori-message-framing.h"

static GMutex lock;
static GHashTable *framings;   /* protocol id → SatoriMessageFraming */

/**
 * satori_message_framing_register:
 * @protocol_ids: (array zero-terminated=1): protocol ids
 * @framing: how their messages are framed
 *
 * Tells hosts how to count the messages of these protocols' streams (a
 * plugin's init function calls it for its protocols). Protocols never
 * registered have their bytes counted, not their messages.
 */
void
satori_message_framing_register (const char * const *protocol_ids, SatoriMessageFraming framing)
{
  g_return_if_fail (protocol_ids != NULL);

  g_mutex_lock (&lock);
  if (framings == NULL)
    framings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; protocol_ids[i] != NULL; i++)
    g_hash_table_replace (framings, g_strdup (protocol_ids[i]), GINT_TO_POINTER (framing));
  g_mutex_unlock (&lock);
}

/**
 * satori_message_framing_lookup:
 * @protocol_id: a protocol id
 *
 * Returns: the framing registered for @protocol_id, or
 *   %SATORI_MESSAGE_FRAMING_NONE
 */
SatoriMessageFraming
satori_message_framing_lookup (const char *protocol_id)
{
  SatoriMessageFraming framing = SATORI_MESSAGE_FRAMING_NONE;

  g_return_val_if_fail (protocol_id != NULL, framing);
  g_mutex_lock (&lock);
  if (framings != NULL)
    framing = GPOINTER_TO_INT (g_hash_table_lookup (framings, protocol_id));
  g_mutex_unlock (&lock);
  return framing;
}
