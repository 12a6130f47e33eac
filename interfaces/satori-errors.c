/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-errors.h"

G_DEFINE_QUARK (satori-codec-error-quark, satori_codec_error)
G_DEFINE_QUARK (satori-key-error-quark, satori_key_error)
G_DEFINE_QUARK (satori-multiaddr-error-quark, satori_multiaddr_error)
G_DEFINE_QUARK (satori-multistream-error-quark, satori_multistream_error)
G_DEFINE_QUARK (satori-config-error-quark, satori_config_error)
G_DEFINE_QUARK (satori-plugin-error-quark, satori_plugin_error)
