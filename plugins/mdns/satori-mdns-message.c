/* satori-mdns-message.c — the DNS message codec of multicast DNS
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-mdns-message.h"

#include <string.h>

G_DEFINE_QUARK (satori-mdns-error-quark, satori_mdns_error)

#define HEADER_LEN      12
#define MAX_NAME_WIRE   255   /* RFC 1035 §2.3.4, length bytes included */
#define MAX_LABEL       63
#define MAX_POINTER     0x3fff
#define TOP_BIT         0x8000   /* QU in a question's class, cache-flush in a record's */
#define MIN_QUESTION    5        /* root name, type, class */
#define MIN_RECORD      11       /* root name, type, class, ttl, rdlength */

static void
question_free (SatoriMdnsQuestion *question)
{
  g_free (question->name);
  g_free (question);
}

/**
 * satori_mdns_message_new:
 * @flags: the header flags
 *
 * Returns: (transfer full): an empty message
 */
SatoriMdnsMessage *
satori_mdns_message_new (guint16 flags)
{
  SatoriMdnsMessage *message = g_new0 (SatoriMdnsMessage, 1);
  message->flags = flags;
  message->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) question_free);
  message->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_mdns_record_free);
  message->authorities = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_mdns_record_free);
  message->additionals = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_mdns_record_free);
  return message;
}

/**
 * satori_mdns_message_free:
 * @message: (transfer full): a message
 */
void
satori_mdns_message_free (SatoriMdnsMessage *message)
{
  g_ptr_array_unref (message->questions);
  g_ptr_array_unref (message->answers);
  g_ptr_array_unref (message->authorities);
  g_ptr_array_unref (message->additionals);
  g_free (message);
}

/**
 * satori_mdns_message_is_response:
 * @message: a message
 *
 * Returns: whether the QR flag is set
 */
gboolean
satori_mdns_message_is_response (const SatoriMdnsMessage *message)
{
  return (message->flags & SATORI_MDNS_FLAG_RESPONSE) != 0;
}

/**
 * satori_mdns_message_add_question:
 * @message: a message
 * @name: the name asked for
 * @type: the record type asked for
 *
 * Returns: (transfer none): the question, class IN, multicast response
 */
SatoriMdnsQuestion *
satori_mdns_message_add_question (SatoriMdnsMessage *message, const char *name, guint16 type)
{
  SatoriMdnsQuestion *question = g_new0 (SatoriMdnsQuestion, 1);
  question->name = g_strdup (name);
  question->type = type;
  question->klass = SATORI_MDNS_CLASS_IN;
  g_ptr_array_add (message->questions, question);
  return question;
}

/**
 * satori_mdns_record_new:
 * @name: the owner name
 * @type: the record type
 * @ttl: seconds the record may be kept
 *
 * Returns: (transfer full): a record of class IN, without data
 */
SatoriMdnsRecord *
satori_mdns_record_new (const char *name, guint16 type, guint32 ttl)
{
  SatoriMdnsRecord *record = g_new0 (SatoriMdnsRecord, 1);
  record->name = g_strdup (name);
  record->type = type;
  record->klass = SATORI_MDNS_CLASS_IN;
  record->ttl = ttl;
  return record;
}

/**
 * satori_mdns_record_free:
 * @record: (transfer full): a record
 */
void
satori_mdns_record_free (SatoriMdnsRecord *record)
{
  g_free (record->name);
  g_free (record->target);
  g_clear_pointer (&record->strings, g_ptr_array_unref);
  g_free (record);
}

/**
 * satori_mdns_record_add_string:
 * @record: a TXT record
 * @text: a string to append to its data
 */
void
satori_mdns_record_add_string (SatoriMdnsRecord *record, const char *text)
{
  if (record->strings == NULL)
    record->strings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_ptr_array_add (record->strings, g_bytes_new (text, strlen (text)));
}

/**
 * satori_mdns_name_equal:
 * @a: a name
 * @b: another name
 *
 * Returns: whether @a and @b are the same name (ASCII case is ignored, as
 *   DNS does)
 */
gboolean
satori_mdns_name_equal (const char *a, const char *b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

/* --- encoding --- */

typedef struct {
  GByteArray *out;
  GPtrArray  *offsets;   /* guint offsets of the names written, as GUINT_TO_POINTER */
  GPtrArray  *suffixes;  /* the name each offset starts, borrowed from the message */
} Encoder;

static void
put_u16 (GByteArray *out, guint16 value)
{
  guint8 bytes[2] = { value >> 8, value & 0xff };
  g_byte_array_append (out, bytes, 2);
}

static void
put_u32 (GByteArray *out, guint32 value)
{
  put_u16 (out, value >> 16);
  put_u16 (out, value & 0xffff);
}

static gboolean
put_name (Encoder *encoder, const char *name, GError **error)
{
  gsize wire = 1;
  const char *suffix = name;

  while (*suffix != '\0')
    {
      for (guint i = 0; i < encoder->suffixes->len; i++)
        if (satori_mdns_name_equal (encoder->suffixes->pdata[i], suffix))
          {
            put_u16 (encoder->out, 0xc000 | GPOINTER_TO_UINT (encoder->offsets->pdata[i]));
            return TRUE;
          }
      const char *dot = strchr (suffix, '.');
      gsize label = dot != NULL ? (gsize) (dot - suffix) : strlen (suffix);
      wire += label + 1;
      if (label == 0 || label > MAX_LABEL || wire > MAX_NAME_WIRE ||
          (dot != NULL && dot[1] == '\0'))
        {
          g_set_error (error, SATORI_MDNS_ERROR, SATORI_MDNS_ERROR_MALFORMED,
                       "cannot encode the name “%s”", name);
          return FALSE;
        }
      if (encoder->out->len <= MAX_POINTER)
        {
          g_ptr_array_add (encoder->offsets, GUINT_TO_POINTER (encoder->out->len));
          g_ptr_array_add (encoder->suffixes, (gpointer) suffix);
        }
      guint8 length = (guint8) label;
      g_byte_array_append (encoder->out, &length, 1);
      g_byte_array_append (encoder->out, (const guint8 *) suffix, (guint) label);
      suffix += label + (dot != NULL ? 1 : 0);
    }
  g_byte_array_append (encoder->out, (const guint8 *) "", 1);
  return TRUE;
}

static gboolean
put_rdata (Encoder *encoder, const SatoriMdnsRecord *record, GError **error)
{
  switch (record->type)
    {
    case SATORI_MDNS_TYPE_PTR:
      return put_name (encoder, record->target, error);
    case SATORI_MDNS_TYPE_SRV:
      put_u16 (encoder->out, record->priority);
      put_u16 (encoder->out, record->weight);
      put_u16 (encoder->out, record->port);
      return put_name (encoder, record->target, error);
    case SATORI_MDNS_TYPE_A:
      g_byte_array_append (encoder->out, record->address, 4);
      return TRUE;
    case SATORI_MDNS_TYPE_AAAA:
      g_byte_array_append (encoder->out, record->address, 16);
      return TRUE;
    case SATORI_MDNS_TYPE_TXT:
      for (guint i = 0; record->strings != NULL && i < record->strings->len; i++)
        {
          gsize len;
          const guint8 *text = g_bytes_get_data (record->strings->pdata[i], &len);
          if (len > 255)
            {
              g_set_error (error, SATORI_MDNS_ERROR, SATORI_MDNS_ERROR_TOO_LARGE,
                           "a TXT string of %" G_GSIZE_FORMAT " bytes", len);
              return FALSE;
            }
          guint8 length = (guint8) len;
          g_byte_array_append (encoder->out, &length, 1);
          g_byte_array_append (encoder->out, text, (guint) len);
        }
      return TRUE;
    default:
      g_set_error (error, SATORI_MDNS_ERROR, SATORI_MDNS_ERROR_MALFORMED,
                   "cannot encode records of type %u", record->type);
      return FALSE;
    }
}

static gboolean
put_records (Encoder *encoder, GPtrArray *records, GError **error)
{
  for (guint i = 0; i < records->len; i++)
    {
      const SatoriMdnsRecord *record = records->pdata[i];
      if (!put_name (encoder, record->name, error))
        return FALSE;
      put_u16 (encoder->out, record->type);
      put_u16 (encoder->out, record->klass | (record->cache_flush ? TOP_BIT : 0));
      put_u32 (encoder->out, record->ttl);
      guint length_at = encoder->out->len;
      put_u16 (encoder->out, 0);
      if (!put_rdata (encoder, record, error))
        return FALSE;
      gsize length = encoder->out->len - length_at - 2;
      encoder->out->data[length_at] = (guint8) (length >> 8);
      encoder->out->data[length_at + 1] = (guint8) (length & 0xff);
    }
  return TRUE;
}

/**
 * satori_mdns_message_encode:
 * @message: a message
 * @max_size: the largest encoding allowed
 * @error: %SATORI_MDNS_ERROR_TOO_LARGE when it would be larger,
 *   %SATORI_MDNS_ERROR_MALFORMED for a name that is not one
 *
 * Encodes @message, names compressed (RFC 1035 §4.1.4).
 *
 * Returns: (transfer full): the message's bytes, or %NULL
 */
GBytes *
satori_mdns_message_encode (const SatoriMdnsMessage *message, gsize max_size, GError **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GPtrArray) offsets = g_ptr_array_new ();
  g_autoptr(GPtrArray) suffixes = g_ptr_array_new ();
  Encoder encoder = { out, offsets, suffixes };

  put_u16 (out, message->id);
  put_u16 (out, message->flags);
  put_u16 (out, (guint16) message->questions->len);
  put_u16 (out, (guint16) message->answers->len);
  put_u16 (out, (guint16) message->authorities->len);
  put_u16 (out, (guint16) message->additionals->len);
  for (guint i = 0; i < message->questions->len; i++)
    {
      const SatoriMdnsQuestion *question = message->questions->pdata[i];
      if (!put_name (&encoder, question->name, error))
        return NULL;
      put_u16 (out, question->type);
      put_u16 (out, question->klass | (question->unicast ? TOP_BIT : 0));
    }
  if (!put_records (&encoder, message->answers, error) ||
      !put_records (&encoder, message->authorities, error) ||
      !put_records (&encoder, message->additionals, error))
    return NULL;
  if (out->len > max_size)
    {
      g_set_error (error, SATORI_MDNS_ERROR, SATORI_MDNS_ERROR_TOO_LARGE,
                   "a message of %u bytes, more than %" G_GSIZE_FORMAT, out->len, max_size);
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* --- decoding --- */

typedef struct {
  const guint8 *data;
  gsize         len;
  gsize         pos;
} Reader;

static gboolean
malformed (GError **error, const char *what)
{
  g_set_error (error, SATORI_MDNS_ERROR, SATORI_MDNS_ERROR_MALFORMED, "malformed DNS message: %s",
               what);
  return FALSE;
}

static gboolean
get_u16 (Reader *reader, guint16 *value, GError **error)
{
  if (reader->len - reader->pos < 2)
    return malformed (error, "truncated");
  *value = (guint16) (reader->data[reader->pos] << 8 | reader->data[reader->pos + 1]);
  reader->pos += 2;
  return TRUE;
}

static gboolean
get_u32 (Reader *reader, guint32 *value, GError **error)
{
  guint16 high, low;
  if (!get_u16 (reader, &high, error) || !get_u16 (reader, &low, error))
    return FALSE;
  *value = (guint32) high << 16 | low;
  return TRUE;
}

/* Reads a name at reader->pos. Every compression pointer must point before
 * the start of the labels it ends, so that reading always terminates. */
static char *
get_name (Reader *reader, GError **error)
{
  g_autoptr(GString) name = g_string_new (NULL);
  gsize cursor = reader->pos;
  gsize segment_start = reader->pos;
  gsize wire = 1;
  gboolean jumped = FALSE;

  for (;;)
    {
      if (cursor >= reader->len)
        {
          malformed (error, "truncated name");
          return NULL;
        }
      guint8 length = reader->data[cursor];
      if (length == 0)
        {
          cursor++;
          break;
        }
      if ((length & 0xc0) == 0xc0)
        {
          if (cursor + 1 >= reader->len)
            {
              malformed (error, "truncated name pointer");
              return NULL;
            }
          gsize target = (gsize) (length & 0x3f) << 8 | reader->data[cursor + 1];
          if (target >= segment_start)
            {
              malformed (error, "name pointer not backwards");
              return NULL;
            }
          if (!jumped)
            reader->pos = cursor + 2;
          jumped = TRUE;
          cursor = segment_start = target;
          continue;
        }
      if (length > MAX_LABEL)
        {
          malformed (error, "unknown label type");
          return NULL;
        }
      wire += length + 1;
      if (wire > MAX_NAME_WIRE || reader->len - cursor - 1 < length)
        {
          malformed (error, "name too long or truncated");
          return NULL;
        }
      const guint8 *label = reader->data + cursor + 1;
      if (memchr (label, '.', length) != NULL || memchr (label, '\0', length) != NULL)
        {
          malformed (error, "a label with a dot or a NUL");
          return NULL;
        }
      if (name->len > 0)
        g_string_append_c (name, '.');
      g_string_append_len (name, (const char *) label, length);
      cursor += length + 1;
    }
  if (!jumped)
    reader->pos = cursor;
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static gboolean
get_rdata (Reader *reader, SatoriMdnsRecord *record, gsize end, GError **error)
{
  gsize length = end - reader->pos;

  switch (record->type)
    {
    case SATORI_MDNS_TYPE_PTR:
      record->target = get_name (reader, error);
      break;
    case SATORI_MDNS_TYPE_SRV:
      if (!get_u16 (reader, &record->priority, error) ||
          !get_u16 (reader, &record->weight, error) ||
          !get_u16 (reader, &record->port, error))
        return FALSE;
      record->target = get_name (reader, error);
      break;
    case SATORI_MDNS_TYPE_A:
    case SATORI_MDNS_TYPE_AAAA:
      if (length != (record->type == SATORI_MDNS_TYPE_A ? 4 : 16))
        return malformed (error, "address of the wrong length");
      memcpy (record->address, reader->data + reader->pos, length);
      reader->pos = end;
      break;
    case SATORI_MDNS_TYPE_TXT:
      record->strings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      while (reader->pos < end)
        {
          gsize string = reader->data[reader->pos];
          if (end - reader->pos - 1 < string)
            return malformed (error, "TXT string beyond its record");
          g_ptr_array_add (record->strings, g_bytes_new (reader->data + reader->pos + 1, string));
          reader->pos += string + 1;
        }
      break;
    default:
      reader->pos = end;
      break;
    }
  if ((record->type == SATORI_MDNS_TYPE_PTR || record->type == SATORI_MDNS_TYPE_SRV) &&
      record->target == NULL)
    return FALSE;
  if (reader->pos != end)
    return malformed (error, "record data of the wrong length");
  return TRUE;
}

static gboolean
get_records (Reader *reader, guint count, GPtrArray *records, GError **error)
{
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = get_name (reader, error);
      guint16 type, klass, rdlength;
      guint32 ttl;
      if (name == NULL || !get_u16 (reader, &type, error) || !get_u16 (reader, &klass, error) ||
          !get_u32 (reader, &ttl, error) || !get_u16 (reader, &rdlength, error))
        return FALSE;
      if (reader->len - reader->pos < rdlength)
        return malformed (error, "record data truncated");
      /* RFC 2181 §8: a TTL with the top bit set is zero. */
      g_autoptr(SatoriMdnsRecord) record =
        satori_mdns_record_new (name, type, ttl > G_MAXINT32 ? 0 : ttl);
      record->klass = klass & ~TOP_BIT;
      record->cache_flush = (klass & TOP_BIT) != 0;
      if (!get_rdata (reader, record, reader->pos + rdlength, error))
        return FALSE;
      g_ptr_array_add (records, g_steal_pointer (&record));
    }
  return TRUE;
}

/**
 * satori_mdns_message_decode:
 * @data: (array length=len): a datagram
 * @len: its length
 * @error: %SATORI_MDNS_ERROR_MALFORMED
 *
 * Decodes a DNS message. Bytes after its last record are ignored.
 *
 * Returns: (transfer full): the message, or %NULL
 */
SatoriMdnsMessage *
satori_mdns_message_decode (const guint8 *data, gsize len, GError **error)
{
  Reader reader = { data, MIN (len, SATORI_MDNS_MAX_MESSAGE), 0 };
  guint16 id, flags, counts[4];

  if (len > SATORI_MDNS_MAX_MESSAGE)
    {
      malformed (error, "larger than a message may be");
      return NULL;
    }
  if (!get_u16 (&reader, &id, error) || !get_u16 (&reader, &flags, error))
    return NULL;
  for (guint i = 0; i < 4; i++)
    if (!get_u16 (&reader, &counts[i], error))
      return NULL;
  gsize entries = (gsize) counts[0] + counts[1] + counts[2] + counts[3];
  gsize least = (gsize) counts[0] * MIN_QUESTION +
                ((gsize) counts[1] + counts[2] + counts[3]) * MIN_RECORD;
  if (entries > SATORI_MDNS_MAX_ENTRIES || least > len - HEADER_LEN)
    {
      malformed (error, "more entries than the message can hold");
      return NULL;
    }

  g_autoptr(SatoriMdnsMessage) message = satori_mdns_message_new (flags);
  message->id = id;
  for (guint i = 0; i < counts[0]; i++)
    {
      g_autofree char *name = get_name (&reader, error);
      guint16 type, klass;
      if (name == NULL || !get_u16 (&reader, &type, error) || !get_u16 (&reader, &klass, error))
        return NULL;
      SatoriMdnsQuestion *question = satori_mdns_message_add_question (message, name, type);
      question->klass = klass & ~TOP_BIT;
      question->unicast = (klass & TOP_BIT) != 0;
    }
  if (!get_records (&reader, counts[1], message->answers, error) ||
      !get_records (&reader, counts[2], message->authorities, error) ||
      !get_records (&reader, counts[3], message->additionals, error))
    return NULL;
  return g_steal_pointer (&message);
}
