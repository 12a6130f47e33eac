/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-multiaddr.h"

#include <string.h>

#include "satori-errors.h"
#include "satori-multiaddr-private.h"
#include "satori-varint.h"

/* The text form of a SATORI_MULTIADDR_MAX_BYTES address is at most about
 * nine times longer (a 2-byte "/p2p-webrtc-direct" is 18 characters). */
#define MAX_TEXT_LEN (SATORI_MULTIADDR_MAX_BYTES * 16)

typedef struct {
  guint32 code;
  guint32 offset;        /* where the component (its code) starts */
  guint32 value_offset;
  guint32 value_len;
} Component;

/**
 * SatoriMultiaddr:
 *
 * A multiaddr: an immutable, reference-counted list of (protocol, value)
 * components, kept in its binary form. Safe to share between threads.
 */
struct _SatoriMultiaddr {
  GBytes *bytes;
  Component *components;
  guint n_components;
};

G_DEFINE_BOXED_TYPE (SatoriMultiaddr, satori_multiaddr, satori_multiaddr_ref,
                     satori_multiaddr_unref)

static SatoriMultiaddr *
multiaddr_new (GBytes *bytes, Component *components, guint n_components)
{
  SatoriMultiaddr *ma = g_atomic_rc_box_new0 (SatoriMultiaddr);

  ma->bytes = bytes;
  ma->components = components;
  ma->n_components = n_components;
  return ma;
}

static gboolean
read_varint (const guint8 *data, gsize len, gsize *pos, guint64 *value,
             const char *what, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize used;

  if (satori_varint_decode (data + *pos, len - *pos, value, &used, &local_error))
    {
      *pos += used;
      return TRUE;
    }

  SatoriMultiaddrError code = SATORI_MULTIADDR_ERROR_INVALID;
  if (g_error_matches (local_error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TRUNCATED))
    code = SATORI_MULTIADDR_ERROR_TRUNCATED;
  else if (g_error_matches (local_error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE))
    code = SATORI_MULTIADDR_ERROR_TOO_LARGE;
  g_set_error (error, SATORI_MULTIADDR_ERROR, code, "%s at offset %" G_GSIZE_FORMAT ": %s",
               what, *pos, local_error->message);
  return FALSE;
}

/* Indexes and validates @bytes, taking them over. */
static SatoriMultiaddr *
multiaddr_new_take (GBytes *bytes, GError **error)
{
  g_autoptr(GBytes) owned = bytes;
  g_autoptr(GArray) components = g_array_new (FALSE, FALSE, sizeof (Component));
  gsize len;
  const guint8 *data = g_bytes_get_data (owned, &len);
  gsize pos = 0;

  if (len > SATORI_MULTIADDR_MAX_BYTES)
    {
      g_set_error (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_TOO_LARGE,
                   "multiaddr of %" G_GSIZE_FORMAT " bytes is longer than %d",
                   len, SATORI_MULTIADDR_MAX_BYTES);
      return NULL;
    }

  while (pos < len)
    {
      Component component = { .offset = (guint32) pos };
      guint64 code, value_len;

      if (!read_varint (data, len, &pos, &code, "protocol code", error))
        return NULL;
      const SatoriMultiaddrProtocol *protocol = satori_multiaddr_protocol_from_code (code);
      if (protocol == NULL)
        {
          g_set_error (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_UNKNOWN_PROTOCOL,
                       "unknown protocol code 0x%" G_GINT64_MODIFIER "x at offset %u",
                       code, component.offset);
          return NULL;
        }

      if (protocol->size == SATORI_MULTIADDR_PROTOCOL_VARIABLE)
        {
          if (!read_varint (data, len, &pos, &value_len, "value length", error))
            return NULL;
        }
      else
        value_len = (guint64) protocol->size / 8;

      if (value_len > len - pos)
        {
          g_set_error (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_TRUNCATED,
                       "/%s value of %" G_GUINT64_FORMAT " bytes runs past the end",
                       protocol->name, value_len);
          return NULL;
        }
      if (protocol->validate != NULL &&
          !protocol->validate (data + pos, (gsize) value_len, error))
        {
          g_prefix_error (error, "/%s: ", protocol->name);
          return NULL;
        }

      component.code = (guint32) code;
      component.value_offset = (guint32) pos;
      component.value_len = (guint32) value_len;
      g_array_append_val (components, component);
      pos += (gsize) value_len;
    }

  guint n_components = components->len;
  return multiaddr_new (g_steal_pointer (&owned),
                        g_array_steal (components, NULL), n_components);
}

/**
 * satori_multiaddr_new_from_bytes:
 * @data: (array length=len): a binary multiaddr
 * @len: its length; 0 gives the empty multiaddr
 * @error: %SATORI_MULTIADDR_ERROR_UNKNOWN_PROTOCOL for a code we do not
 *   know, %SATORI_MULTIADDR_ERROR_TRUNCATED when @data ends inside a
 *   component, %SATORI_MULTIADDR_ERROR_TOO_LARGE for an oversized varint
 *   or an address longer than %SATORI_MULTIADDR_MAX_BYTES,
 *   %SATORI_MULTIADDR_ERROR_INVALID for a bad value
 *
 * Parses and validates a binary multiaddr, as sent on the wire.
 *
 * Returns: (transfer full): the multiaddr, or %NULL
 */
SatoriMultiaddr *
satori_multiaddr_new_from_bytes (const guint8 *data, gsize len, GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return multiaddr_new_take (g_bytes_new (data, len), error);
}

/* A path in text is either the rest of the address (`/unix/tmp/s`), or,
 * as the multiaddr spec now writes it, one percent-encoded segment
 * starting with an encoded '/' (`/unix/%2Ftmp%2Fs/p2p/…`). We print the
 * first form where it is unambiguous: for the last component, when what
 * follows its leading '/' does not itself start with "%2F". */
static gboolean
is_encoded_path (const char *segment)
{
  return g_ascii_strncasecmp (segment, "%2F", 3) == 0;
}

static char *
percent_decode (const char *text, gsize len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] != '%')
        {
          g_string_append_c (out, text[i]);
          continue;
        }
      int high = i + 2 < len ? g_ascii_xdigit_value (text[i + 1]) : -1;
      int low = i + 2 < len ? g_ascii_xdigit_value (text[i + 2]) : -1;
      if (high < 0 || low < 0 || (high == 0 && low == 0))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, (char) (high * 16 + low));
      i += 2;
    }
  return g_string_free (out, FALSE);
}

static void
append_percent_encoded (GString *text, const char *value)
{
  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '/' || *c == '%')
        g_string_append_printf (text, "%%%02X", (guint) (guchar) *c);
      else
        g_string_append_c (text, *c);
    }
}

/* Converts the value of the component in text at *@p (just after its
 * name) and moves *@p past it. */
static gboolean
parse_value (const SatoriMultiaddrProtocol *protocol, const char **p, GByteArray *out,
             GError **error)
{
  g_autofree char *text = NULL;
  const char *start = *p;

  if (start[0] == '\0' || start[1] == '\0' || (!protocol->path && start[1] == '/'))
    {
      g_set_error (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_INVALID,
                   "/%s needs a value", protocol->name);
      return FALSE;
    }
  const char *end = strchrnul (start + 1, '/');
  if (protocol->path && is_encoded_path (start + 1))
    {
      text = percent_decode (start + 1, (gsize) (end - start - 1));
      if (text == NULL)
        {
          g_set_error (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_INVALID,
                       "/%s: bad percent-encoding", protocol->name);
          return FALSE;
        }
      *p = end;
    }
  else if (protocol->path)
    {
      text = g_strdup (start);
      *p = start + strlen (start);
    }
  else
    {
      text = g_strndup (start + 1, (gsize) (end - start - 1));
      *p = end;
    }

  g_autoptr(GByteArray) value = g_byte_array_new ();
  if (!protocol->parse (text, value, error))
    {
      g_prefix_error (error, "/%s: ", protocol->name);
      return FALSE;
    }
  if (protocol->size == SATORI_MULTIADDR_PROTOCOL_VARIABLE)
    satori_varint_append (out, value->len);
  else
    g_assert (value->len * 8 == (guint) protocol->size);
  g_byte_array_append (out, value->data, value->len);
  return TRUE;
}

/**
 * satori_multiaddr_new_from_string:
 * @text: a multiaddr in text, such as `/ip4/127.0.0.1/tcp/4001`; `/` is the
 *   empty multiaddr, and one trailing `/` is allowed
 * @error: %SATORI_MULTIADDR_ERROR_UNKNOWN_PROTOCOL for a name we do not
 *   know, %SATORI_MULTIADDR_ERROR_INVALID for bad syntax, a missing or bad
 *   value, %SATORI_MULTIADDR_ERROR_TOO_LARGE for an address that is too
 *   long
 *
 * "ipfs" is read as "p2p"; a peer id may be base58btc or a CIDv1. The
 * `unix` path takes the rest of the address (`/unix/tmp/s.sock`), unless
 * it is written as one percent-encoded segment (`/unix/%2Ftmp%2Fs.sock`),
 * as it must be when other components follow it.
 *
 * Returns: (transfer full): the multiaddr, or %NULL
 */
SatoriMultiaddr *
satori_multiaddr_new_from_string (const char *text, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text[0] != '/')
    {
      g_set_error_literal (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_INVALID,
                           "a multiaddr starts with '/'");
      return NULL;
    }
  if (strnlen (text, MAX_TEXT_LEN + 1) > MAX_TEXT_LEN)
    {
      g_set_error (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_TOO_LARGE,
                   "multiaddr text longer than %d characters", MAX_TEXT_LEN);
      return NULL;
    }

  g_autoptr(GByteArray) out = g_byte_array_new ();
  const char *p = text + 1;
  while (*p != '\0')
    {
      const char *end = strchrnul (p, '/');
      if (end == p)
        {
          g_set_error (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_INVALID,
                       "empty protocol name at offset %" G_GSIZE_FORMAT, (gsize) (p - text));
          return NULL;
        }
      const SatoriMultiaddrProtocol *protocol =
        satori_multiaddr_protocol_from_name (p, end - p);
      if (protocol == NULL)
        {
          g_set_error (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_UNKNOWN_PROTOCOL,
                       "unknown protocol '%.*s'", (int) (end - p), p);
          return NULL;
        }
      satori_varint_append (out, protocol->code);
      p = end;
      if (protocol->size != 0 && !parse_value (protocol, &p, out, error))
        return NULL;
      if (out->len > SATORI_MULTIADDR_MAX_BYTES)
        {
          g_set_error (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_TOO_LARGE,
                       "multiaddr longer than %d bytes", SATORI_MULTIADDR_MAX_BYTES);
          return NULL;
        }
      if (*p == '/')
        p++;
    }

  return multiaddr_new_take (g_byte_array_free_to_bytes (g_steal_pointer (&out)), error);
}

/* Builds from bytes we produced ourselves, which must be valid. */
static SatoriMultiaddr *
multiaddr_new_trusted (GByteArray *array)
{
  g_autoptr(GError) error = NULL;
  SatoriMultiaddr *ma = multiaddr_new_take (g_byte_array_free_to_bytes (array), &error);

  g_assert_no_error (error);
  return ma;
}

static SatoriMultiaddr *
multiaddr_new_ip (GInetAddress *address, guint32 transport, guint16 port)
{
  GByteArray *out = g_byte_array_new ();
  gboolean ipv4 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4;

  satori_varint_append (out, ipv4 ? SATORI_PROTO_IP4 : SATORI_PROTO_IP6);
  g_byte_array_append (out, g_inet_address_to_bytes (address),
                       (guint) g_inet_address_get_native_size (address));
  satori_varint_append (out, transport);
  _satori_multiaddr_append_be16 (out, port);
  return multiaddr_new_trusted (out);
}

/**
 * satori_multiaddr_new_ip_tcp:
 * @address: an IPv4 or IPv6 address
 * @port: a TCP port
 *
 * Returns: (transfer full): `/ip4/<address>/tcp/<port>` or
 *   `/ip6/<address>/tcp/<port>`
 */
SatoriMultiaddr *
satori_multiaddr_new_ip_tcp (GInetAddress *address, guint16 port)
{
  g_return_val_if_fail (G_IS_INET_ADDRESS (address), NULL);

  return multiaddr_new_ip (address, SATORI_PROTO_TCP, port);
}

/**
 * satori_multiaddr_new_ip_udp:
 * @address: an IPv4 or IPv6 address
 * @port: a UDP port
 *
 * Returns: (transfer full): `/ip4/<address>/udp/<port>` or
 *   `/ip6/<address>/udp/<port>`
 */
SatoriMultiaddr *
satori_multiaddr_new_ip_udp (GInetAddress *address, guint16 port)
{
  g_return_val_if_fail (G_IS_INET_ADDRESS (address), NULL);

  return multiaddr_new_ip (address, SATORI_PROTO_UDP, port);
}

/**
 * satori_multiaddr_new_memory:
 * @id: an address of the in-process memory transport
 *
 * Returns: (transfer full): `/memory/<id>`
 */
SatoriMultiaddr *
satori_multiaddr_new_memory (guint64 id)
{
  GByteArray *out = g_byte_array_new ();
  guint8 bytes[8];

  satori_varint_append (out, SATORI_PROTO_MEMORY);
  for (int i = 7; i >= 0; i--, id >>= 8)
    bytes[i] = id & 0xff;
  g_byte_array_append (out, bytes, 8);
  return multiaddr_new_trusted (out);
}

/**
 * satori_multiaddr_new_p2p:
 * @multihash: (array length=len): a peer id: an identity multihash of at
 *   most 42 bytes or a sha2-256 multihash
 * @len: its length
 * @error: %SATORI_MULTIADDR_ERROR_INVALID when @multihash is not a peer id
 *
 * Returns: (transfer full): `/p2p/<peer id>`, or %NULL
 */
SatoriMultiaddr *
satori_multiaddr_new_p2p (const guint8 *multihash, gsize len, GError **error)
{
  g_return_val_if_fail (multihash != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  GByteArray *out = g_byte_array_new ();
  satori_varint_append (out, SATORI_PROTO_P2P);
  satori_varint_append (out, len);
  g_byte_array_append (out, multihash, (guint) len);
  return multiaddr_new_take (g_byte_array_free_to_bytes (out), error);
}

/**
 * satori_multiaddr_ref:
 * @ma: a multiaddr
 *
 * Returns: (transfer full): @ma
 */
SatoriMultiaddr *
satori_multiaddr_ref (SatoriMultiaddr *ma)
{
  g_return_val_if_fail (ma != NULL, NULL);

  return g_atomic_rc_box_acquire (ma);
}

static void
multiaddr_clear (gpointer data)
{
  SatoriMultiaddr *ma = data;

  g_bytes_unref (ma->bytes);
  g_free (ma->components);
}

/**
 * satori_multiaddr_unref:
 * @ma: (transfer full): a multiaddr
 *
 * Drops a reference; the last one frees @ma.
 */
void
satori_multiaddr_unref (SatoriMultiaddr *ma)
{
  g_return_if_fail (ma != NULL);

  g_atomic_rc_box_release_full (ma, multiaddr_clear);
}

static const guint8 *
component_value (const SatoriMultiaddr *ma, const Component *component)
{
  return (const guint8 *) g_bytes_get_data (ma->bytes, NULL) + component->value_offset;
}

static char *
component_value_to_string (const SatoriMultiaddr *ma, const Component *component)
{
  const SatoriMultiaddrProtocol *protocol = satori_multiaddr_protocol_from_code (component->code);

  if (protocol->size == 0)
    return g_strdup ("");
  return protocol->print (component_value (ma, component), component->value_len);
}

/**
 * satori_multiaddr_to_string:
 * @ma: a multiaddr
 *
 * Peer ids print in base58btc, certificate hashes in base64url. A `unix`
 * path prints as the rest of the address when it is the last component,
 * percent-encoded otherwise.
 *
 * Returns: (transfer full): @ma in text; `/` for the empty multiaddr
 */
char *
satori_multiaddr_to_string (const SatoriMultiaddr *ma)
{
  g_return_val_if_fail (ma != NULL, NULL);

  GString *text = g_string_new (NULL);
  for (guint i = 0; i < ma->n_components; i++)
    {
      const Component *component = &ma->components[i];
      const SatoriMultiaddrProtocol *protocol =
        satori_multiaddr_protocol_from_code (component->code);

      g_string_append_c (text, '/');
      g_string_append (text, protocol->name);
      if (protocol->size == 0)
        continue;
      g_autofree char *value = component_value_to_string (ma, component);
      if (protocol->path && (i + 1 < ma->n_components || is_encoded_path (value + 1)))
        {
          g_string_append_c (text, '/');
          append_percent_encoded (text, value);
        }
      else
        {
          if (!protocol->path)
            g_string_append_c (text, '/');
          g_string_append (text, value);
        }
    }
  if (text->len == 0)
    g_string_append_c (text, '/');
  return g_string_free (text, FALSE);
}

/**
 * satori_multiaddr_get_bytes:
 * @ma: a multiaddr
 *
 * Returns: (transfer none): the binary form of @ma
 */
GBytes *
satori_multiaddr_get_bytes (const SatoriMultiaddr *ma)
{
  g_return_val_if_fail (ma != NULL, NULL);

  return ma->bytes;
}

/**
 * satori_multiaddr_get_data:
 * @ma: a multiaddr
 * @len: (out): the length of the binary form
 *
 * Returns: (array length=len) (transfer none): the binary form of @ma,
 *   valid as long as @ma is
 */
const guint8 *
satori_multiaddr_get_data (const SatoriMultiaddr *ma, gsize *len)
{
  g_return_val_if_fail (ma != NULL, NULL);
  g_return_val_if_fail (len != NULL, NULL);

  return g_bytes_get_data (ma->bytes, len);
}

/**
 * satori_multiaddr_equal:
 * @a: (type SatoriMultiaddr): a multiaddr
 * @b: (type SatoriMultiaddr): another
 *
 * Compares binary forms, so `/ipfs/…` equals `/p2p/…`. Usable as a
 * #GEqualFunc.
 *
 * Returns: whether @a and @b are the same address
 */
gboolean
satori_multiaddr_equal (gconstpointer a, gconstpointer b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_bytes_equal (((const SatoriMultiaddr *) a)->bytes,
                        ((const SatoriMultiaddr *) b)->bytes);
}

/**
 * satori_multiaddr_hash:
 * @ma: (type SatoriMultiaddr): a multiaddr
 *
 * Usable as a #GHashFunc with satori_multiaddr_equal().
 *
 * Returns: a hash of the binary form of @ma
 */
guint
satori_multiaddr_hash (gconstpointer ma)
{
  g_return_val_if_fail (ma != NULL, 0);

  return g_bytes_hash (((const SatoriMultiaddr *) ma)->bytes);
}

/**
 * satori_multiaddr_get_n_components:
 * @ma: a multiaddr
 *
 * Returns: how many (protocol, value) components @ma has; 0 when empty
 */
guint
satori_multiaddr_get_n_components (const SatoriMultiaddr *ma)
{
  g_return_val_if_fail (ma != NULL, 0);

  return ma->n_components;
}

/**
 * satori_multiaddr_get_component:
 * @ma: a multiaddr
 * @index: which component, from 0
 * @code: (out) (optional): its protocol code (a `SATORI_PROTO_` constant)
 * @value: (out) (optional) (array length=value_len) (transfer none): its
 *   value in binary, valid as long as @ma is
 * @value_len: (out) (optional): the value's length, 0 for protocols
 *   without one
 *
 * Returns: %FALSE when @index is past the last component
 */
gboolean
satori_multiaddr_get_component (const SatoriMultiaddr *ma, guint index, guint32 *code,
                                const guint8 **value, gsize *value_len)
{
  g_return_val_if_fail (ma != NULL, FALSE);

  if (index >= ma->n_components)
    return FALSE;
  const Component *component = &ma->components[index];
  if (code != NULL)
    *code = component->code;
  if (value != NULL)
    *value = component_value (ma, component);
  if (value_len != NULL)
    *value_len = component->value_len;
  return TRUE;
}

static const Component *
find_component (const SatoriMultiaddr *ma, guint32 code, gboolean last)
{
  const Component *found = NULL;

  for (guint i = 0; i < ma->n_components; i++)
    if (ma->components[i].code == code)
      {
        found = &ma->components[i];
        if (!last)
          break;
      }
  return found;
}

/**
 * satori_multiaddr_get_value_string:
 * @ma: a multiaddr
 * @code: a protocol code
 *
 * The `unix` path keeps its leading `/`.
 *
 * Returns: (transfer full) (nullable): the value of the first component of
 *   protocol @code in text ("" for protocols without a value), or %NULL
 *   when @ma has no such component
 */
char *
satori_multiaddr_get_value_string (const SatoriMultiaddr *ma, guint32 code)
{
  g_return_val_if_fail (ma != NULL, NULL);

  const Component *component = find_component (ma, code, FALSE);
  return component != NULL ? component_value_to_string (ma, component) : NULL;
}

/**
 * satori_multiaddr_has_protocol:
 * @ma: a multiaddr
 * @code: a protocol code
 *
 * Returns: whether any component of @ma is of protocol @code
 */
gboolean
satori_multiaddr_has_protocol (const SatoriMultiaddr *ma, guint32 code)
{
  g_return_val_if_fail (ma != NULL, FALSE);

  return find_component (ma, code, FALSE) != NULL;
}

/**
 * satori_multiaddr_get_peer_id_bytes:
 * @ma: a multiaddr
 *
 * The peer id an address leads to is its last `/p2p/` component: in
 * `/p2p/<relay>/p2p-circuit/p2p/<target>` it is the target.
 *
 * Returns: (transfer full) (nullable): the multihash of the last `/p2p/`
 *   component, or %NULL when there is none
 */
GBytes *
satori_multiaddr_get_peer_id_bytes (const SatoriMultiaddr *ma)
{
  g_return_val_if_fail (ma != NULL, NULL);

  const Component *component = find_component (ma, SATORI_PROTO_P2P, TRUE);
  if (component == NULL)
    return NULL;
  return g_bytes_new_from_bytes (ma->bytes, component->value_offset, component->value_len);
}

/**
 * satori_multiaddr_encapsulate:
 * @ma: the outer multiaddr
 * @inner: what to run over it
 *
 * Returns: (transfer full): @ma followed by @inner, e.g.
 *   `/ip4/1.2.3.4/tcp/1` and `/ws` give `/ip4/1.2.3.4/tcp/1/ws`. The
 *   result may be longer than %SATORI_MULTIADDR_MAX_BYTES, which only
 *   bounds parsing.
 */
SatoriMultiaddr *
satori_multiaddr_encapsulate (const SatoriMultiaddr *ma, const SatoriMultiaddr *inner)
{
  g_return_val_if_fail (ma != NULL, NULL);
  g_return_val_if_fail (inner != NULL, NULL);

  gsize outer_len = g_bytes_get_size (ma->bytes);
  GByteArray *data = g_byte_array_sized_new ((guint) (outer_len + g_bytes_get_size (inner->bytes)));
  g_byte_array_append (data, g_bytes_get_data (ma->bytes, NULL), (guint) outer_len);
  g_byte_array_append (data, g_bytes_get_data (inner->bytes, NULL),
                       (guint) g_bytes_get_size (inner->bytes));

  guint n = ma->n_components + inner->n_components;
  Component *components = g_new (Component, n);
  for (guint i = 0; i < n; i++)
    {
      if (i < ma->n_components)
        {
          components[i] = ma->components[i];
          continue;
        }
      components[i] = inner->components[i - ma->n_components];
      components[i].offset += (guint32) outer_len;
      components[i].value_offset += (guint32) outer_len;
    }
  return multiaddr_new (g_byte_array_free_to_bytes (data), components, n);
}

/**
 * satori_multiaddr_decapsulate:
 * @ma: a multiaddr
 * @code: a protocol code
 *
 * Drops the last component of protocol @code and everything after it:
 * `/ip4/1.2.3.4/tcp/1/p2p/Qm…` without %SATORI_PROTO_TCP is `/ip4/1.2.3.4`.
 *
 * Returns: (transfer full): the shorter multiaddr (empty when @code was
 *   the first component), or @ma itself when it has no such component
 */
SatoriMultiaddr *
satori_multiaddr_decapsulate (SatoriMultiaddr *ma, guint32 code)
{
  g_return_val_if_fail (ma != NULL, NULL);

  const Component *component = find_component (ma, code, TRUE);
  if (component == NULL)
    return satori_multiaddr_ref (ma);

  guint n = (guint) (component - ma->components);
  return multiaddr_new (g_bytes_new_from_bytes (ma->bytes, 0, component->offset),
                        g_memdup2 (ma->components, n * sizeof (Component)), n);
}

/**
 * satori_multiaddr_to_inet_socket_address:
 * @ma: a multiaddr starting with `/ip4/…` or `/ip6/…`, then `/tcp/…` or
 *   `/udp/…`; later components (`/quic-v1`, `/p2p/…`) are ignored
 * @transport: (out) (optional): %SATORI_PROTO_TCP or %SATORI_PROTO_UDP
 * @error: %SATORI_MULTIADDR_ERROR_UNSUPPORTED when @ma does not start so
 *   (DNS names need resolving first; IPv6 zones are not supported)
 *
 * Returns: (transfer full): a #GInetSocketAddress, or %NULL
 */
GSocketAddress *
satori_multiaddr_to_inet_socket_address (const SatoriMultiaddr *ma, guint32 *transport,
                                         GError **error)
{
  g_return_val_if_fail (ma != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const Component *ip = ma->n_components >= 2 ? &ma->components[0] : NULL;
  const Component *port = ma->n_components >= 2 ? &ma->components[1] : NULL;
  if (ip == NULL ||
      (ip->code != SATORI_PROTO_IP4 && ip->code != SATORI_PROTO_IP6) ||
      (port->code != SATORI_PROTO_TCP && port->code != SATORI_PROTO_UDP))
    {
      g_autofree char *text = satori_multiaddr_to_string (ma);
      g_set_error (error, SATORI_MULTIADDR_ERROR, SATORI_MULTIADDR_ERROR_UNSUPPORTED,
                   "%s does not start with an IP address and a TCP or UDP port", text);
      return NULL;
    }

  g_autoptr(GInetAddress) address =
    g_inet_address_new_from_bytes (component_value (ma, ip),
                                   ip->code == SATORI_PROTO_IP4 ? G_SOCKET_FAMILY_IPV4
                                                                : G_SOCKET_FAMILY_IPV6);
  if (transport != NULL)
    *transport = port->code;
  guint16 port_number = (guint16) _satori_multiaddr_read_be16 (component_value (ma, port));

  return g_inet_socket_address_new (address, port_number);
}
