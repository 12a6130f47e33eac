/* satorip2p.h — the one header applications include
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define __SATORIP2P_H_INSIDE__

#include "satori-errors.h"
#include "satori-varint.h"
#include "satori-multibase.h"

#undef __SATORIP2P_H_INSIDE__
