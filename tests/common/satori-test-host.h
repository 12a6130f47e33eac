/* satori-test-host.h — host fixtures shared by the test suites. The caller
 * registers the plugins it needs in a SatoriRegistry; these helpers only go
 * through that registry. */
#pragma once

#include "satorip2p.h"

G_BEGIN_DECLS

gpointer          satori_test_create (SatoriRegistry *registry,
                                      GType           iface,
                                      const char     *name);
SatoriHost       *satori_test_host_new (SatoriRegistry *registry,
                                        const char     *transport,
                                        const char     *security,
                                        const char     *muxer);
SatoriHost       *satori_test_host_new_with_key (SatoriRegistry   *registry,
                                                 SatoriPrivateKey *key,
                                                 const char       *transport,
                                                 const char       *security,
                                                 const char       *muxer);
SatoriMultiaddr  *satori_test_address_with_peer (SatoriMultiaddr *address,
                                                 SatoriPeerId    *peer);
SatoriConnection *satori_test_connect (SatoriHost      *host,
                                       SatoriMultiaddr *address,
                                       GError         **error);
SatoriMultiaddr  *satori_test_listen_address (SatoriHost *host,
                                              const char *address);
char             *satori_test_listen (SatoriHost *host,
                                      const char *address);

G_END_DECLS
