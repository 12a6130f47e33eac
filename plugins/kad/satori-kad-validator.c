/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-kad-validator.h"

#include <string.h>

#include "satori-kad-error.h"
#include "satori-kad-message.h"
#include "satori-peer-id.h"
#include "satori-public-key.h"
#include "satori-varint.h"

typedef struct {
  SatoriKadValidateFunc validate;
  SatoriKadSelectFunc select;
  gpointer user_data;
} Namespace;

struct _SatoriKadValidator {
  GHashTable *namespaces;   /* name -> Namespace */
};

/* /pk/<binary peer id> holds the public key (protobuf) the id derives from. */
static gboolean
validate_public_key (GBytes *key, GBytes *value, gpointer user_data, GError **error)
{
  gsize key_len, value_len;
  const guint8 *key_data = g_bytes_get_data (key, &key_len);
  const guint8 *value_data = g_bytes_get_data (value, &value_len);

  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_bytes (key_data + 4, key_len - 4, error);
  if (id == NULL)
    return FALSE;
  g_autoptr(SatoriPublicKey) public_key = satori_public_key_new_from_protobuf (value_data,
                                                                               value_len, error);
  if (public_key == NULL)
    return FALSE;
  if (!satori_peer_id_matches_public_key (id, public_key))
    {
      g_set_error_literal (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_INVALID_RECORD,
                           "/pk/ record holds a key that is not the peer id's");
      return FALSE;
    }
  return TRUE;
}

/* Valid public keys for one id are all the same key. */
static guint
select_first (GBytes *key, GPtrArray *values, gpointer user_data)
{
  return 0;
}

/**
 * satori_kad_validator_new:
 *
 * Returns: (transfer full): validators with the `pk` namespace registered
 */
SatoriKadValidator *
satori_kad_validator_new (void)
{
  SatoriKadValidator *validator = g_new0 (SatoriKadValidator, 1);
  validator->namespaces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  satori_kad_validator_add_namespace (validator, "pk", validate_public_key, select_first, NULL);
  return validator;
}

/**
 * satori_kad_validator_free:
 * @validator: (transfer full): validators
 */
void
satori_kad_validator_free (SatoriKadValidator *validator)
{
  if (validator == NULL)
    return;
  g_hash_table_unref (validator->namespaces);
  g_free (validator);
}

/**
 * satori_kad_validator_add_namespace:
 * @validator: validators
 * @name: the namespace, without slashes (`ipns`, `satori`)
 * @validate: (scope forever): checks a record of the namespace
 * @select: (scope forever): picks the best of several valid records
 * @user_data: passed to both, which must outlive @validator
 *
 * Registers (or replaces) the functions for keys `/<name>/...`.
 */
void
satori_kad_validator_add_namespace (SatoriKadValidator *validator, const char *name,
                                    SatoriKadValidateFunc validate, SatoriKadSelectFunc select,
                                    gpointer user_data)
{
  g_return_if_fail (name != NULL && strchr (name, '/') == NULL);

  Namespace *ns = g_new0 (Namespace, 1);
  ns->validate = validate;
  ns->select = select;
  ns->user_data = user_data;
  g_hash_table_replace (validator->namespaces, g_strdup (name), ns);
}

static Namespace *
namespace_of (SatoriKadValidator *validator, GBytes *key, GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (key, &len);
  const char *end = len > 1 && data[0] == '/' ? memchr (data + 1, '/', len - 1) : NULL;
  Namespace *ns = NULL;
  if (end != NULL)
    {
      g_autofree char *name = g_strndup (data + 1, (gsize) (end - data - 1));
      ns = g_hash_table_lookup (validator->namespaces, name);
    }
  if (ns == NULL)
    g_set_error_literal (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_NO_VALIDATOR,
                         "no validator for the record key's namespace");
  return ns;
}

/**
 * satori_kad_validator_validate:
 * @validator: validators
 * @key: a record key
 * @value: its value
 * @error: %SATORI_KAD_ERROR_NO_VALIDATOR for a key outside every
 *   registered namespace, or the validator's error
 *
 * Returns: whether the record may be stored or accepted
 */
gboolean
satori_kad_validator_validate (SatoriKadValidator *validator, GBytes *key, GBytes *value,
                               GError **error)
{
  Namespace *ns = namespace_of (validator, key, error);
  return ns != NULL && ns->validate (key, value, ns->user_data, error);
}

/**
 * satori_kad_validator_select:
 * @validator: validators
 * @key: a record key in a registered namespace
 * @values: (element-type GBytes): one or more valid values for @key
 *
 * Returns: the index of the best of @values
 */
guint
satori_kad_validator_select (SatoriKadValidator *validator, GBytes *key, GPtrArray *values)
{
  g_return_val_if_fail (values->len > 0, 0);

  Namespace *ns = namespace_of (validator, key, NULL);
  if (ns == NULL || values->len == 1)
    return 0;
  guint best = ns->select (key, values, ns->user_data);
  return best < values->len ? best : 0;
}

static gboolean
is_multihash (const guint8 *data, gsize len)
{
  guint64 code, digest_len;
  gsize used_code, used_len;
  return satori_varint_decode (data, len, &code, &used_code, NULL)
         && satori_varint_decode (data + used_code, len - used_code, &digest_len, &used_len, NULL)
         && digest_len == len - used_code - used_len;
}

/**
 * satori_kad_provider_key_is_valid:
 * @key: the key of an ADD_PROVIDER or GET_PROVIDERS request
 *
 * Provider keys are CID multihashes; the Python Satori nodes also use the
 * raw UTF-8 bytes of keys such as `/satori/sub/<id>`, accepted as well.
 *
 * Returns: whether @key is a multihash or a `/`-prefixed UTF-8 string
 */
gboolean
satori_kad_provider_key_is_valid (GBytes *key)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (key, &len);

  if (len == 0 || len > SATORI_KAD_MAX_KEY_SIZE)
    return FALSE;
  if (data[0] == '/')
    return g_utf8_validate ((const char *) data, (gssize) len, NULL);
  return is_multihash (data, len);
}
