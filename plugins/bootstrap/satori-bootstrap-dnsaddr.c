/* satori-bootstrap-dnsaddr.c — `/dnsaddr/` names and their TXT records
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-bootstrap-dnsaddr.h"

#include <string.h>

#include "satori-bootstrap-error.h"
#include "satori-multiaddr-protocols.h"

#define TXT_PREFIX "dnsaddr="

/**
 * satori_bootstrap_dnsaddr_name:
 * @address: a multiaddr
 *
 * Returns: (transfer full) (nullable): the name of its `/dnsaddr/`
 *   component, or %NULL when it has none
 */
char *
satori_bootstrap_dnsaddr_name (const SatoriMultiaddr *address)
{
  if (!satori_multiaddr_has_protocol (address, SATORI_PROTO_DNSADDR))
    return NULL;
  return satori_multiaddr_get_value_string (address, SATORI_PROTO_DNSADDR);
}

/**
 * satori_bootstrap_dnsaddr_query:
 * @name: a `/dnsaddr/` name
 *
 * Returns: (transfer full): the DNS name whose TXT records list its
 *   addresses, `_dnsaddr.<name>`
 */
char *
satori_bootstrap_dnsaddr_query (const char *name)
{
  return g_strconcat ("_dnsaddr.", name, NULL);
}

/**
 * satori_bootstrap_dnsaddr_parse_txt:
 * @record: (array length=len): one TXT string, as the resolver gave it
 * @len: its length
 * @error: why it is refused
 *
 * Reads one `dnsaddr=<multiaddr>` entry. Other TXT strings (that do not
 * start with `dnsaddr=`) are not an error: they yield %NULL and leave
 * @error unset.
 *
 * Returns: (transfer full) (nullable): the multiaddr
 */
SatoriMultiaddr *
satori_bootstrap_dnsaddr_parse_txt (const char *record, gsize len, GError **error)
{
  gsize prefix = strlen (TXT_PREFIX);

  if (len > SATORI_BOOTSTRAP_MAX_TXT_LEN)
    {
      g_set_error (error, SATORI_BOOTSTRAP_ERROR, SATORI_BOOTSTRAP_ERROR_BAD_RECORD,
                   "TXT record of %" G_GSIZE_FORMAT " bytes", len);
      return NULL;
    }
  if (len < prefix || memcmp (record, TXT_PREFIX, prefix) != 0)
    return NULL;
  if (memchr (record, '\0', len) != NULL)
    {
      g_set_error_literal (error, SATORI_BOOTSTRAP_ERROR, SATORI_BOOTSTRAP_ERROR_BAD_RECORD,
                           "TXT record with a NUL byte");
      return NULL;
    }
  g_autofree char *text = g_strndup (record + prefix, len - prefix);
  g_autoptr(GError) local = NULL;
  SatoriMultiaddr *address = satori_multiaddr_new_from_string (text, &local);
  if (address == NULL)
    g_set_error (error, SATORI_BOOTSTRAP_ERROR, SATORI_BOOTSTRAP_ERROR_BAD_RECORD,
                 "dnsaddr TXT record: %s", local->message);
  return address;
}
