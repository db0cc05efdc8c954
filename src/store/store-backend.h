/* store-backend.h - what a storage backend provides (for store.c and the backends only)
 *
 * A backend's store struct starts with a TrStore, whose ->backend points at its table of
 * operations; store.c checks the mode, transaction state and arguments once, then calls the
 * backend.  The operations mean what the functions of store.h of the same name say.
 */
#pragma once

#include "store.h"

typedef struct
{
  const char *name; /* "sqlite", "postgresql" */
  void (*close) (TrStore *store);
  gboolean (*begin) (TrStore *store, GError **error);
  gboolean (*commit) (TrStore *store, gboolean durable, GError **error);
  void (*rollback) (TrStore *store);
  void (*tune_for_batch) (TrStore *store);
  gboolean (*add_report) (TrStore *store, const TrReport *report, const TrMailInfo *info,
                          const TrArrival *arrival, TrStoreResult *result, GError **error);
  gboolean (*has_report) (TrStore *store, const TrReport *report, gboolean *found, GError **error);
  gboolean (*add_rejected) (TrStore *store, const TrRejectedMessage *message,
                            const TrArrival *arrival, gboolean count_repeat,
                            TrRejectedOutcome *outcome, GError **error);
  gboolean (*next_rejected) (TrStore *store, gint64 after_id, TrRejectedRow *row, gboolean *found,
                             GError **error);
  gboolean (*delete_rejected) (TrStore *store, gint64 id, GError **error);
  gboolean (*set_rejected_reason) (TrStore *store, gint64 id, const char *reason, GError **error);
  gboolean (*each_rejected) (TrStore *store, const TrRejectedFilter *filter, TrRejectedFunc func,
                             gpointer data, GError **error);
  gboolean (*count_rejected) (TrStore *store, const TrRejectedFilter *filter, gint64 *count,
                              gint64 *kept_bytes, GError **error);
  gboolean (*find_rejected) (TrStore *store, gint64 id, gboolean with_raw, TrRejectedRow *row,
                             gboolean *found, GError **error);
  gboolean (*prune_reports) (TrStore *store, const char *before_day, gint64 limit, gboolean dry_run,
                             TrPruneCounts *counts, GError **error);
  gboolean (*prune_rejected) (TrStore *store, const char *before_day, gint64 limit,
                              gboolean dry_run, TrPruneCounts *counts, GError **error);
  gboolean (*each_session) (TrStore *store, const TrQueryFilter *filter, TrSessionFunc func,
                            gpointer data, GError **error);
  gboolean (*each_detail) (TrStore *store, const TrQueryFilter *filter, TrDetailFunc func,
                           gpointer data, GError **error);
  gboolean (*each_failure) (TrStore *store, const TrQueryFilter *filter, TrFailureFunc func,
                            gpointer data, GError **error);
  gboolean (*each_report) (TrStore *store, const TrQueryFilter *filter, TrReportFunc func,
                           gpointer data, GError **error);
  gboolean (*find_reports) (TrStore *store, const char *which, TrStoredReportFunc func,
                            gpointer data, GError **error);
  gboolean (*info) (TrStore *store, TrStoreInfo *info, GError **error);
  gboolean (*each_stored) (TrStore *store, gint64 after_row, TrStoredReportFunc func, gpointer data,
                           GError **error);
  gboolean (*copy_report) (TrStore *store, const TrStoredReport *stored, gboolean *added,
                           GError **error);
  gboolean (*copy_rejected) (TrStore *store, const TrRejectedRow *row, gboolean *added,
                             GError **error);
  gboolean (*each_name) (TrStore *store, TrNameKind kind, TrNameFunc func, gpointer data,
                         GError **error);
  gboolean (*each_source) (TrStore *store, const TrQueryFilter *filter, TrSourceFunc func,
                           gpointer data, GError **error);
  gboolean (*each_policy) (TrStore *store, const TrQueryFilter *filter, TrPolicyFunc func,
                           gpointer data, GError **error);
  /* the reads of the alerts (check, metrics) */
  gboolean (*begin_read) (TrStore *store, GError **error);
  void (*end_read) (TrStore *store);
  gboolean (*each_coverage) (TrStore *store, const TrQueryFilter *filter, TrSessionFunc func,
                             gpointer data, GError **error);
  gboolean (*each_domain_sessions) (TrStore *store, const TrQueryFilter *filter, TrSessionFunc func,
                                    gpointer data, GError **error);
  gboolean (*each_result_type) (TrStore *store, const TrQueryFilter *filter, TrDetailFunc func,
                                gpointer data, GError **error);
} TrStoreBackend;

struct _TrStore
{
  const TrStoreBackend *backend;
  char *name; /* the database as given */
  TrStoreMode mode;
  gboolean in_transaction;
  gboolean in_read;          /* between tr_store_begin_read and tr_store_end_read */
  guint64 rejected_budget;   /* bytes of messages `rejected` may hold */
  guint64 rejected_requests; /* rows of `rejected` that came over HTTPS */
};

/* tr_store_sqlite_open - the SQLite backend (store-sqlite.c): @path is a file name */
TrStore *tr_store_sqlite_open (const char *path, TrStoreMode mode, GError **error);

/* A backend built as a module (store-pg.so, which links libpq, so that no other process loads
 * libpq's libraries): store.c finds the symbol TR_STORE_MODULE_SYMBOL in it, and uses it only
 * when its abi is TR_STORE_MODULE_ABI, the program's own (a module of another version would
 * read these structs otherwise). */
typedef struct
{
  const char *abi;
  TrStore *(*open) (const char *db, TrStoreMode mode, GError **error);
} TrStoreModule;

#define TR_STORE_MODULE_ABI PACKAGE_NAME " " PACKAGE_VERSION " store 1"
#define TR_STORE_MODULE_SYMBOL "tr_store_module"

#ifdef HAVE_STORE_PG
/* tr_store_pg_open - the PostgreSQL backend (store-pg.c, in the module store-pg): @conninfo is
 * a libpq connection string */
TrStore *tr_store_pg_open (const char *conninfo, TrStoreMode mode, GError **error);
#endif
