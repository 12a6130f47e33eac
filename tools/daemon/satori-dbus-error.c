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

/**
 * satori_dbus_error_from_gerror:
 * @error: why an operation of the node failed
 *
 * Returns: the D-Bus error for @error: the #G_IO_ERROR codes
 *   %G_IO_ERROR_NOT_FOUND, %G_IO_ERROR_NOT_SUPPORTED and
 *   %G_IO_ERROR_INVALID_ARGUMENT map to their namesakes, the rest to
 *   %SATORI_DBUS_ERROR_FAILED
 */
SatoriDBusError
satori_dbus_error_from_gerror (const GError *error)
{
  if (error->domain != G_IO_ERROR)
    return SATORI_DBUS_ERROR_FAILED;
  switch (error->code)
    {
    case G_IO_ERROR_NOT_FOUND:
      return SATORI_DBUS_ERROR_NOT_FOUND;
    case G_IO_ERROR_NOT_SUPPORTED:
      return SATORI_DBUS_ERROR_NOT_SUPPORTED;
    case G_IO_ERROR_INVALID_ARGUMENT:
      return SATORI_DBUS_ERROR_INVALID_ARGUMENT;
    default:
      return SATORI_DBUS_ERROR_FAILED;
    }
}
