/* satori-peers-payload.c — a stream message is one JSON document, as the
 * Python nodes publish it (json.dumps of the value).
 *
 * The seam for tagged JSON: the Python nodes tag bytes, datetimes, sets
 * and data frames as {"__satori_type__": ...} objects. Decoding them into
 * their values belongs here, on the JsonNode this file produces, once the
 * core's tagged-JSON decoder exists; until then the tagged objects reach
 * the application as the plain JSON objects they are.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-peers-payload.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <string.h>

JsonNode *
satori_peers_payload_decode (GBytes *payload, GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (payload, &len);

  if (len > SATORI_PEERS_MAX_PAYLOAD)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("payload of %lu bytes, more than %u"), (unsigned long) len,
                   SATORI_PEERS_MAX_PAYLOAD);
      return NULL;
    }
  if (len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("empty payload"));
      return NULL;
    }
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, error))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

GBytes *
satori_peers_payload_encode (JsonNode *data)
{
  char *text = json_to_string (data, FALSE);
  return g_bytes_new_take (text, strlen (text));
}
