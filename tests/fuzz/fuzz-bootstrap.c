/* Fuzzes the dnsaddr TXT parser and the bootstrap policy's expansion of
 * TXT answers: the input is TXT records, one a line, answering
 * `/dnsaddr/boot.example`; nested names are answered with the same
 * records. Every dial asked for must name a peer with addresses that
 * lead to it, and the peer table must stay within its bound.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdint.h>
#include <string.h>

#include "satori-bootstrap-dnsaddr.h"
#include "satori-bootstrap-session.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = g_strsplit (text, "\n", 64);
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  SatoriBootstrapConfig config;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriMultiaddr) address =
        satori_bootstrap_dnsaddr_parse_txt (lines[i], strlen (lines[i]), &error);
      g_assert_true (address == NULL || error == NULL);
      g_ptr_array_add (records, lines[i]);
    }

  satori_bootstrap_config_init (&config);
  config.max_peers = 8;
  g_autoptr(SatoriBootstrapSession) session = satori_bootstrap_session_new (&config, 0);
  g_autoptr(SatoriMultiaddr) boot = satori_multiaddr_new_from_string ("/dnsaddr/boot.example", NULL);
  g_assert_true (satori_bootstrap_session_add_address (session, boot, NULL));
  satori_bootstrap_session_set_connection_count (session, 0, 0);

  SatoriBootstrapAction action = { 0 };
  guint resolves = 0;
  while (satori_bootstrap_session_poll_action (session, &action))
    {
      if (action.type == SATORI_BOOTSTRAP_RESOLVE)
        {
          g_assert_cmpuint (++resolves, <=, config.max_peers);
          satori_bootstrap_session_handle_txt (session, action.name, records, 0);
        }
      else
        {
          g_assert_cmpuint (action.addresses->len, >, 0);
          for (guint i = 0; i < action.addresses->len; i++)
            {
              g_autoptr(GBytes) id = satori_multiaddr_get_peer_id_bytes (action.addresses->pdata[i]);
              g_assert_true (g_bytes_equal (id, action.peer_id));
            }
          satori_bootstrap_session_dial_done (session, action.peer_id, FALSE, 0);
        }
      satori_bootstrap_action_clear (&action);
    }
  g_assert_cmpuint (satori_bootstrap_session_get_n_peers (session), <=, config.max_peers);
  return 0;
}
