/* store.h - the SQLite database: open, migrate, write reports and rejected messages */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "report.h"

typedef struct _TrStore TrStore;

typedef enum
{
  TR_STORE_READ_ONLY,
  TR_STORE_READ_WRITE, /* creates the file and its directory, migrates the schema */
} TrStoreMode;

typedef enum
{
  TR_STORE_STORED,
  TR_STORE_DUPLICATE, /* same reporter and report-id: deliveries was incremented */
} TrStoreOutcome;

typedef struct
{
  TrStoreOutcome outcome;
  gint64 report_row; /* reports.id */
  gint64 deliveries; /* reports.deliveries after this delivery */
  guint n_policies;  /* rows written (0 for a duplicate) */
  guint n_failures;
} TrStoreResult;

#define TR_STORE_BUSY_TIMEOUT_MS 10000

/* tr_store_open - open the database at @path.
 * Errors: TR_ERROR_NOT_FOUND (read-only and missing), TR_ERROR_TEMPORARY (cannot open, create or
 * migrate; locked; not a tlsrptdb database; schema newer than this program). */
TrStore *tr_store_open (const char *path, TrStoreMode mode, GError **error);
void tr_store_close (TrStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrStore, tr_store_close)

/* tr_store_db - the connection, for read-only queries (owned by @store) */
sqlite3 *tr_store_db (TrStore *store);

/* tr_store_begin - BEGIN IMMEDIATE: one transaction per message (TR_ERROR_TEMPORARY when busy) */
gboolean tr_store_begin (TrStore *store, GError **error);
/* tr_store_commit - COMMIT; durable (WAL, synchronous=FULL) when it returns TRUE */
gboolean tr_store_commit (TrStore *store, GError **error);
/* tr_store_rollback - undo the open transaction, if any */
void tr_store_rollback (TrStore *store);

/* tr_store_add_report - insert @report (validated) with its mail facts, or count a repeat
 * delivery.  @info may be NULL; @received_at is "YYYY-MM-DDTHH:MM:SSZ".  Inside a transaction. */
gboolean tr_store_add_report (TrStore *store, const TrReport *report, const TrMailInfo *info,
                              const char *received_at, TrStoreResult *result, GError **error);

/* tr_store_add_rejected - keep a message that yielded no usable report: @raw is what was kept
 * (at most the size limit), @message_size its true size.  Inside a transaction. */
gboolean tr_store_add_rejected (TrStore *store, GBytes *raw, guint64 message_size,
                                const char *reason, const TrMailInfo *info, const char *received_at,
                                GError **error);

/* tr_store_now - the current time as "YYYY-MM-DDTHH:MM:SSZ" */
char *tr_store_now (void);
