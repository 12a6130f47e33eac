/* satori-errors.h — error domains of satorip2p
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriCodecError:
 * @SATORI_CODEC_ERROR_TRUNCATED: the input ended inside a value
 * @SATORI_CODEC_ERROR_MALFORMED: the bytes are not a valid encoding
 * @SATORI_CODEC_ERROR_TOO_LARGE: a value or frame is over its limit
 * @SATORI_CODEC_ERROR_NOT_MINIMAL: a varint used more bytes than needed
 *
 * Errors of the byte codecs in `core/codec/` and of other decoders of
 * network bytes.
 */
typedef enum {
  SATORI_CODEC_ERROR_TRUNCATED,
  SATORI_CODEC_ERROR_MALFORMED,
  SATORI_CODEC_ERROR_TOO_LARGE,
  SATORI_CODEC_ERROR_NOT_MINIMAL,
} SatoriCodecError;
#define SATORI_CODEC_ERROR (satori_codec_error_quark ())
GQuark satori_codec_error_quark (void);

/**
 * SatoriKeyError:
 * @SATORI_KEY_ERROR_UNSUPPORTED: a key type or parameter we do not support
 * @SATORI_KEY_ERROR_MALFORMED: a key, signature or key encoding that does not parse
 * @SATORI_KEY_ERROR_CRYPTO: the crypto library failed
 *
 * Errors about keys, signatures and peer ids.
 */
typedef enum {
  SATORI_KEY_ERROR_UNSUPPORTED,
  SATORI_KEY_ERROR_MALFORMED,
  SATORI_KEY_ERROR_CRYPTO,
} SatoriKeyError;
#define SATORI_KEY_ERROR (satori_key_error_quark ())
GQuark satori_key_error_quark (void);

/**
 * SatoriMultiaddrError:
 * @SATORI_MULTIADDR_ERROR_INVALID: text or bytes that are not a multiaddr
 * @SATORI_MULTIADDR_ERROR_UNKNOWN_PROTOCOL: a protocol name or code we do not know
 * @SATORI_MULTIADDR_ERROR_TRUNCATED: the bytes end inside a component
 * @SATORI_MULTIADDR_ERROR_TOO_LARGE: a length, a varint or the whole address
 *   is over its limit
 * @SATORI_MULTIADDR_ERROR_UNSUPPORTED: a valid address that does not fit the
 *   conversion asked for (say, a DNS name where a socket address is wanted)
 *
 * Errors of multiaddr parsing and conversion.
 */
typedef enum {
  SATORI_MULTIADDR_ERROR_INVALID,
  SATORI_MULTIADDR_ERROR_UNKNOWN_PROTOCOL,
  SATORI_MULTIADDR_ERROR_TRUNCATED,
  SATORI_MULTIADDR_ERROR_TOO_LARGE,
  SATORI_MULTIADDR_ERROR_UNSUPPORTED,
} SatoriMultiaddrError;
#define SATORI_MULTIADDR_ERROR (satori_multiaddr_error_quark ())
GQuark satori_multiaddr_error_quark (void);

/**
 * SatoriMultistreamError:
 * @SATORI_MULTISTREAM_ERROR_PROTOCOL: the peer broke multistream-select
 * @SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED: no proposed protocol was accepted
 *
 * Errors of multistream-select negotiation.
 */
typedef enum {
  SATORI_MULTISTREAM_ERROR_PROTOCOL,
  SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED,
} SatoriMultistreamError;
#define SATORI_MULTISTREAM_ERROR (satori_multistream_error_quark ())
GQuark satori_multistream_error_quark (void);

/**
 * SatoriConfigError:
 * @SATORI_CONFIG_ERROR_PARSE: the file is not a valid key file
 * @SATORI_CONFIG_ERROR_INVALID_VALUE: a value does not fit its key's type
 * @SATORI_CONFIG_ERROR_UNKNOWN_KEY: a key that nothing reads
 * @SATORI_CONFIG_ERROR_UNKNOWN_GROUP: a group that names no known section or plugin
 * @SATORI_CONFIG_ERROR_UNKNOWN_PLUGIN: `[plugins] load=` names a plugin that is not there
 * @SATORI_CONFIG_ERROR_NOT_FOUND: the group or key asked for is not set
 *
 * Errors of configuration files. Messages name the file, the line (or
 * group) and the key.
 */
typedef enum {
  SATORI_CONFIG_ERROR_PARSE,
  SATORI_CONFIG_ERROR_INVALID_VALUE,
  SATORI_CONFIG_ERROR_UNKNOWN_KEY,
  SATORI_CONFIG_ERROR_UNKNOWN_GROUP,
  SATORI_CONFIG_ERROR_UNKNOWN_PLUGIN,
  SATORI_CONFIG_ERROR_NOT_FOUND,
} SatoriConfigError;
#define SATORI_CONFIG_ERROR (satori_config_error_quark ())
GQuark satori_config_error_quark (void);

/**
 * SatoriPluginError:
 * @SATORI_PLUGIN_ERROR_NOT_FOUND: no plugin file of that name on the search path
 * @SATORI_PLUGIN_ERROR_INSECURE_FILE: not a regular file, or group/world-writable
 * @SATORI_PLUGIN_ERROR_OPEN: the dynamic loader could not open the file
 * @SATORI_PLUGIN_ERROR_NO_DESCRIPTOR: the file exports no plugin descriptor
 * @SATORI_PLUGIN_ERROR_ABI: built for another plugin ABI
 * @SATORI_PLUGIN_ERROR_DUPLICATE: a plugin or feature of that name is already registered
 * @SATORI_PLUGIN_ERROR_BAD_FEATURE: a feature whose type does not implement its interface
 * @SATORI_PLUGIN_ERROR_INIT: the plugin's init function failed
 *
 * Why a plugin was refused.
 */
typedef enum {
  SATORI_PLUGIN_ERROR_NOT_FOUND,
  SATORI_PLUGIN_ERROR_INSECURE_FILE,
  SATORI_PLUGIN_ERROR_OPEN,
  SATORI_PLUGIN_ERROR_NO_DESCRIPTOR,
  SATORI_PLUGIN_ERROR_ABI,
  SATORI_PLUGIN_ERROR_DUPLICATE,
  SATORI_PLUGIN_ERROR_BAD_FEATURE,
  SATORI_PLUGIN_ERROR_INIT,
} SatoriPluginError;
#define SATORI_PLUGIN_ERROR (satori_plugin_error_quark ())
GQuark satori_plugin_error_quark (void);

G_END_DECLS
