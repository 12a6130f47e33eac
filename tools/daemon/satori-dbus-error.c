/* satori-dbus-error.c — the io.satorinet.P2P1.Error.* D-Bus errors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-dbus-error.h"

static const GDBusErrorEntry entries[] = {
  { SATORI_DBUS_ERROR_FAILED, "io.satorinet.P2P1.Error.Failed" },
  { SATORI_DBUS_ERROR_INVALID_ARGUMENT, "io.satorinet.P2P1.Error.InvalidArgument" },
  { SATORI_DBUS_ERROR_NOT_FOUND, "io.satorinet.P2P1.Error.NotFound" },
  { SATORI_DBUS_ERROR_NOT_SUPPORTED, "io.satorinet.P2P1.Error.NotSupported" },
};

/**
 * satori_dbus_error_quark:
 *
 * Returns: the #GQuark of #SatoriDBusError, registered with its D-Bus names
 */
GQuark
satori_dbus_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("satori-dbus-error-quark", &quark, entries,
                                      G_N_ELEMENTS (entries));
  return (GQuark) quark;
}
