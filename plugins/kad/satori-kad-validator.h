/* satori-kad-validator.h — record validators and selectors per key
 * namespace (`/<namespace>/...`), with `/pk/` built in; which keys a
 * provider record may have
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriKadValidateFunc:
 * @key: the record key, namespace included
 * @value: the record value
 * @user_data: as registered
 * @error: why the record is invalid
 *
 * Returns: whether the record is valid (pure: the same answer every time)
 */
typedef gboolean (*SatoriKadValidateFunc) (GBytes *key, GBytes *value, gpointer user_data,
                                           GError **error);

/**
 * SatoriKadSelectFunc:
 * @key: the record key
 * @values: (element-type GBytes): two or more valid values
 * @user_data: as registered
 *
 * Returns: the index of the best value (stable for the same input)
 */
typedef guint (*SatoriKadSelectFunc) (GBytes *key, GPtrArray *values, gpointer user_data);

typedef struct _SatoriKadValidator SatoriKadValidator;

SatoriKadValidator *satori_kad_validator_new (void);
void                satori_kad_validator_free (SatoriKadValidator *validator);
void                satori_kad_validator_add_namespace (SatoriKadValidator *validator,
                                                        const char *name,
                                                        SatoriKadValidateFunc validate,
                                                        SatoriKadSelectFunc select,
                                                        gpointer user_data);
gboolean            satori_kad_validator_validate (SatoriKadValidator *validator, GBytes *key,
                                                   GBytes *value, GError **error);
guint               satori_kad_validator_select (SatoriKadValidator *validator, GBytes *key,
                                                 GPtrArray *values);
gboolean            satori_kad_provider_key_is_valid (GBytes *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriKadValidator, satori_kad_validator_free)

G_END_DECLS
