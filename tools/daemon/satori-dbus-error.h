/* satori-dbus-error.h — the io.satorinet.P2P1.Error.* D-Bus errors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SatoriDBusError:
 * @SATORI_DBUS_ERROR_FAILED: the operation failed (io.satorinet.P2P1.Error.Failed)
 * @SATORI_DBUS_ERROR_INVALID_ARGUMENT: a malformed argument
 *   (io.satorinet.P2P1.Error.InvalidArgument)
 * @SATORI_DBUS_ERROR_NOT_FOUND: no such peer or plugin (io.satorinet.P2P1.Error.NotFound)
 * @SATORI_DBUS_ERROR_NOT_SUPPORTED: the daemon cannot do that
 *   (io.satorinet.P2P1.Error.NotSupported)
 *
 * The errors the daemon's D-Bus methods return.
 */
typedef enum {
  SATORI_DBUS_ERROR_FAILED,
  SATORI_DBUS_ERROR_INVALID_ARGUMENT,
  SATORI_DBUS_ERROR_NOT_FOUND,
  SATORI_DBUS_ERROR_NOT_SUPPORTED,
} SatoriDBusError;

#define SATORI_DBUS_ERROR (satori_dbus_error_quark ())
GQuark satori_dbus_error_quark (void);

SatoriDBusError satori_dbus_error_from_gerror (const GError *error);

G_END_DECLS
