/* satori-mdns-message.h — DNS messages as multicast DNS uses them
 * (RFC 1035 §4, RFC 6762): questions and the PTR, TXT, SRV, A and AAAA
 * records; encoded with name compression, decoded with strict bounds
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-mdns-error.h"

G_BEGIN_DECLS

#define SATORI_MDNS_TYPE_A    1
#define SATORI_MDNS_TYPE_PTR  12
#define SATORI_MDNS_TYPE_TXT  16
#define SATORI_MDNS_TYPE_AAAA 28
#define SATORI_MDNS_TYPE_SRV  33
#define SATORI_MDNS_TYPE_ANY  255
#define SATORI_MDNS_CLASS_IN  1
#define SATORI_MDNS_CLASS_ANY 255

/* The flag bit of a response (QR). */
#define SATORI_MDNS_FLAG_RESPONSE 0x8000
/* A response is authoritative (AA): RFC 6762 §18.4. */
#define SATORI_MDNS_FLAG_AUTHORITATIVE 0x0400

/* The largest message: an Ethernet jumbo frame's payload (RFC 6762 §17). */
#define SATORI_MDNS_MAX_MESSAGE 9000
/* Questions plus records a message may hold; a record takes at least 11
 * bytes, so a full-size message has fewer than this anyway. */
#define SATORI_MDNS_MAX_ENTRIES 1024

/**
 * SatoriMdnsQuestion:
 * @name: the name asked for, labels joined by dots, no trailing dot
 * @type: the record type asked for
 * @klass: the class, without the unicast-response bit
 * @unicast: whether the unicast-response bit (QU) is set
 */
typedef struct {
  char    *name;
  guint16  type;
  guint16  klass;
  gboolean unicast;
} SatoriMdnsQuestion;

/**
 * SatoriMdnsRecord:
 * @name: the owner name, labels joined by dots
 * @type: the record type
 * @klass: the class, without the cache-flush bit
 * @cache_flush: whether the cache-flush bit is set
 * @ttl: seconds the record may be kept
 * @target: (nullable): a PTR's name, an SRV's host
 * @strings: (element-type GBytes) (nullable): a TXT's strings
 * @priority: an SRV's priority
 * @weight: an SRV's weight
 * @port: an SRV's port
 * @address: an A (4 bytes) or AAAA (16 bytes) address
 *
 * One resource record. Other types than the five above are decoded with
 * their data skipped.
 */
typedef struct {
  char      *name;
  guint16    type;
  guint16    klass;
  gboolean   cache_flush;
  guint32    ttl;
  char      *target;
  GPtrArray *strings;
  guint16    priority;
  guint16    weight;
  guint16    port;
  guint8     address[16];
} SatoriMdnsRecord;

/**
 * SatoriMdnsMessage:
 * @id: the message id (0 in multicast DNS)
 * @flags: the header flags (%SATORI_MDNS_FLAG_RESPONSE…)
 * @questions: (element-type SatoriMdnsQuestion)
 * @answers: (element-type SatoriMdnsRecord)
 * @authorities: (element-type SatoriMdnsRecord)
 * @additionals: (element-type SatoriMdnsRecord)
 */
typedef struct {
  guint16    id;
  guint16    flags;
  GPtrArray *questions;
  GPtrArray *answers;
  GPtrArray *authorities;
  GPtrArray *additionals;
} SatoriMdnsMessage;

SatoriMdnsMessage *satori_mdns_message_new (guint16 flags);
void               satori_mdns_message_free (SatoriMdnsMessage *message);
gboolean           satori_mdns_message_is_response (const SatoriMdnsMessage *message);

SatoriMdnsQuestion *satori_mdns_message_add_question (SatoriMdnsMessage *message,
                                                      const char *name, guint16 type);
SatoriMdnsRecord   *satori_mdns_record_new (const char *name, guint16 type, guint32 ttl);
void                satori_mdns_record_free (SatoriMdnsRecord *record);
void                satori_mdns_record_add_string (SatoriMdnsRecord *record,
                                                   const char *text);

GBytes            *satori_mdns_message_encode (const SatoriMdnsMessage *message,
                                               gsize max_size, GError **error);
SatoriMdnsMessage *satori_mdns_message_decode (const guint8 *data, gsize len,
                                               GError **error);

gboolean           satori_mdns_name_equal (const char *a, const char *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriMdnsMessage, satori_mdns_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriMdnsRecord, satori_mdns_record_free)

G_END_DECLS
