/* satori-bootstrap-dnsaddr.h — `/dnsaddr/` names and the TXT records that
 * answer them (`_dnsaddr.<name>`, entries `dnsaddr=<multiaddr>`)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-multiaddr.h"

G_BEGIN_DECLS

/* TXT strings longer than this are refused (a DNS TXT string is at most
 * 255 bytes; resolvers may join several). */
#define SATORI_BOOTSTRAP_MAX_TXT_LEN 1024

char            *satori_bootstrap_dnsaddr_name (const SatoriMultiaddr *address);
char            *satori_bootstrap_dnsaddr_query (const char *name);
SatoriMultiaddr *satori_bootstrap_dnsaddr_parse_txt (const char *record, gsize len,
                                                     GError **error);

G_END_DECLS
