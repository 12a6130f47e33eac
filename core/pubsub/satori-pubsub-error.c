/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-pubsub-error.h"

G_DEFINE_QUARK (satori-pubsub-error-quark, satori_pubsub_error)
