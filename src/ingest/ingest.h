/* ingest.h - the pipeline shared by every command that takes in messages (ingest, import,
 * reprocess): mail -> decode -> validate without the database, then store.  This is command
 * layer code: it is the one place besides cmd-*.c that calls more than one stage. */
#pragma once

#include <glib.h>

#include "report.h"
#include "settings.h"
#include "store.h"

/* One message, taken apart: what will be stored, and why anything was not usable. */
typedef struct
{
  GBytes *message;      /* the bytes kept (at most limits.max_message_size) */
  guint64 message_size; /* the true size */
  TrMailInfo *info;     /* never NULL; members may be */
  GPtrArray *reports;   /* of TrReport, validated; may be empty */
  char *reason;         /* why (part of) the message is kept in `rejected`, or NULL */
  char *fingerprint;    /* with a reason: who the message is (tr_mail_fingerprint) */
  gboolean unusable;    /* some part is not a usable report (not: out of scope, unauthenticated) */
} TrMessage;

/* What storing messages did, summed over every message given to tr_ingest_store(). */
typedef struct
{
  guint stored;         /* new reports */
  guint duplicates;     /* reports we had: their deliveries were counted */
  guint conflicts;      /* ... of the new reports, those stored beside another of the same key */
  guint authenticated;  /* repeats that recorded an authenticated delivery */
  guint rejected;       /* messages kept in `rejected` */
  guint rejected_known; /* messages in `rejected` already (their delivery counted, for ingest) */
  guint not_kept;       /* requests over HTTPS not kept: their cap was reached */
  GPtrArray *lines;     /* of char *: one line per report or rejection, for --verbose and syslog */
} TrIngestResult;

void tr_ingest_result_init (TrIngestResult *result);
void tr_ingest_result_clear (TrIngestResult *result);

/* tr_ingest_prepare - take @message apart (no database); never fails: what cannot be used is
 * described in ->reason.  @message_size larger than @message means it was cut at the limit.
 * @received_at ("YYYY-MM-DDTHH:MM:SSZ", NULL: now) is when it arrived: date-times much later
 * are not believed.  One message is one delivery: copies of a report in it are taken once. */
TrMessage *tr_ingest_prepare (GBytes *message, guint64 message_size, const char *received_at,
                              const TrSettings *settings);
/* tr_ingest_prepare_request - take apart the body of a request over HTTPS (tlsrptdb cgi), which
 * is the report itself (gzip, zip or JSON, by its content whatever its media type), never a
 * mail: no header of it is believed.  @content_encoding (the request's Content-Encoding, or
 * NULL) is undone first (gzip).  The body is whole: one over the size limit is refused before.
 * Never fails: what cannot be used is described in ->reason (->unusable when it is no usable
 * report, not when it is out of scope); ->info is empty. */
TrMessage *tr_ingest_prepare_request (GBytes *body, const char *content_encoding,
                                      const char *received_at, const TrSettings *settings);
void tr_message_free (TrMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrMessage, tr_message_free)

/* tr_ingest_store_durably - tr_ingest_store (counting repeats) of @message alone, in one
 * transaction of its own: whole or not at all, and durable when this returns TRUE (a commit that
 * only counted repeats is relaxed: the reports were made durable before).  For the commands that
 * take one message and answer for it: ingest, cgi. */
gboolean tr_ingest_store_durably (TrStore *store, const TrMessage *message,
                                  const TrArrival *arrival, TrIngestResult *result, GError **error);

/* tr_ingest_result_log - what storing did, one line per report or rejection, to syslog as
 * "@where: LINE" (and escaped on stdout with @print), and a warning for conflicts */
void tr_ingest_result_log (const TrIngestResult *result, const char *where, gboolean print);

/* tr_ingest_store - write @message's reports (or count repeats) and keep it in `rejected` when
 * it has a reason, inside the caller's transaction; a message in `rejected` already has its
 * delivery counted if @count_repeats (ingest), else is left alone (import, reprocess).
 * Errors: those of the store. */
gboolean tr_ingest_store (TrStore *store, const TrMessage *message, const TrArrival *arrival,
                          gboolean count_repeats, TrIngestResult *result, GError **error);
