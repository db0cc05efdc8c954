/* store.c - the storage interface: pick the backend, check the calls, dispatch (store.h) */
#include "config.h"

#include <string.h>
#include <sys/auxv.h>

#include <gmodule.h>

#include "error.h"
#include "store-backend.h"

/* is_pg_conninfo - whether @db is a libpq connection string: a postgresql:// or postgres://
 * URI, or key=value pairs ("host=db dbname=tlsrpt", "service=tlsrpt") */
static gboolean
is_pg_conninfo (const char *db)
{
  const char *p = db;

  if (g_str_has_prefix (db, "postgresql://") || g_str_has_prefix (db, "postgres://"))
    return TRUE;
  while (g_ascii_isspace (*p))
    p++;
  if (!g_ascii_isalpha (*p))
    return FALSE;
  while (g_ascii_isalnum (*p) || *p == '_')
    p++;
  while (g_ascii_isspace (*p))
    p++;
  return *p == '=';
}

#ifdef HAVE_STORE_PG
/* module_dir - where the backend modules are: $TLSRPTDB_MODULE_DIR (the tests run the build
 * tree's), unless the program runs with privileges it was given (setuid, capabilities), then
 * only the directory it was built for */
static const char *
module_dir (void)
{
  const char *dir = g_getenv ("TLSRPTDB_MODULE_DIR");

  if (dir != NULL && *dir != '\0' && getauxval (AT_SECURE) == 0)
    return dir;
  return TR_MODULE_DIR;
}

/* load_module - the backend module @name (loaded once, never unloaded), or NULL */
static const TrStoreModule *
load_module (const char *name, GError **error)
{
  static GMutex lock;
  static GHashTable *loaded; /* name -> const TrStoreModule * */
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lock);
  g_autofree char *path = NULL;
  const TrStoreModule *module = NULL;
  GModule *handle;

  if (loaded == NULL)
    loaded = g_hash_table_new (g_str_hash, g_str_equal);
  module = g_hash_table_lookup (loaded, name);
  if (module != NULL)
    return module;
  path = g_module_build_path (module_dir (), name);
  handle = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (handle == NULL)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_CONFIG,
                   "PostgreSQL support is not installed: cannot load %s (%s)", path,
                   g_module_error ());
      return NULL;
    }
  if (!g_module_symbol (handle, TR_STORE_MODULE_SYMBOL, (gpointer *) &module) || module == NULL
      || g_strcmp0 (module->abi, TR_STORE_MODULE_ABI) != 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_CONFIG,
                   "%s is not the PostgreSQL backend of this tlsrptdb (%s): reinstall", path,
                   TR_STORE_MODULE_ABI);
      g_module_close (handle);
      return NULL;
    }
  g_module_make_resident (handle);
  g_hash_table_insert (loaded, (gpointer) g_intern_string (name), (gpointer) module);
  return module;
}
#endif

/* open_pg - the PostgreSQL backend, from its module */
static TrStore *
open_pg (const char *db, TrStoreMode mode, GError **error)
{
#ifdef HAVE_STORE_PG
  const TrStoreModule *module = load_module ("store-pg", error);

  return module != NULL ? module->open (db, mode, error) : NULL;
#else
  g_set_error (error, TR_ERROR, TR_ERROR_CONFIG,
               "%s looks like a PostgreSQL database, but this tlsrptdb was built without "
               "PostgreSQL support (libpq)",
               g_str_has_prefix (db, "postgres") ? "the database" : "the --db value");
  return NULL;
#endif
}

/* tr_store_open - the backend that @db names */
TrStore *
tr_store_open (const char *db, TrStoreMode mode, GError **error)
{
  TrStore *store;

  g_return_val_if_fail (db != NULL, NULL);
  if (is_pg_conninfo (db))
    store = open_pg (db, mode, error);
  else
    store = tr_store_sqlite_open (db, mode, error);
  if (store == NULL)
    return NULL;
  store->name = g_strdup (db);
  store->mode = mode;
  store->rejected_budget = G_MAXUINT64;
  store->rejected_requests = G_MAXUINT64;
  return store;
}

void
tr_store_close (TrStore *store)
{
  char *name;

  if (store == NULL)
    return;
  name = store->name;
  store->backend->close (store);
  g_free (name);
}

const char *
tr_store_name (TrStore *store)
{
  return store->name;
}

const char *
tr_store_backend_name (TrStore *store)
{
  return store->backend->name;
}

/* writable - the checks of every write: a write mode, inside a transaction */
#define CHECK_WRITE(store, value)                                                                  \
  g_return_val_if_fail ((store)->mode != TR_STORE_READ_ONLY && (store)->in_transaction, value)

gboolean
tr_store_begin (TrStore *store, GError **error)
{
  g_return_val_if_fail (store->mode != TR_STORE_READ_ONLY && !store->in_transaction, FALSE);
  if (!store->backend->begin (store, error))
    return FALSE;
  store->in_transaction = TRUE;
  return TRUE;
}

/* commit - end the transaction, whatever the outcome */
static gboolean
commit (TrStore *store, gboolean durable, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (store->in_transaction, FALSE);
  ok = store->backend->commit (store, durable, error);
  if (!ok)
    store->backend->rollback (store);
  store->in_transaction = FALSE;
  return ok;
}

gboolean
tr_store_commit (TrStore *store, GError **error)
{
  return commit (store, TRUE, error);
}

gboolean
tr_store_commit_relaxed (TrStore *store, GError **error)
{
  return commit (store, FALSE, error);
}

void
tr_store_rollback (TrStore *store)
{
  if (store->in_transaction)
    store->backend->rollback (store);
  store->in_transaction = FALSE;
}

void
tr_store_tune_for_batch (TrStore *store)
{
  store->backend->tune_for_batch (store);
}

gboolean
tr_store_add_report (TrStore *store, const TrReport *report, const TrMailInfo *info,
                     const TrArrival *arrival, TrStoreResult *result, GError **error)
{
  static const TrMailInfo no_info;

  CHECK_WRITE (store, FALSE);
  g_return_val_if_fail (report->reporter_key != NULL && report->report_id != NULL, FALSE);
  g_return_val_if_fail (report->fingerprint != NULL && report->report_day != NULL, FALSE);
  g_return_val_if_fail (arrival != NULL && arrival->received_at != NULL, FALSE);
  memset (result, 0, sizeof *result);
  return store->backend->add_report (store, report, info ? info : &no_info, arrival, result, error);
}

gboolean
tr_store_has_report (TrStore *store, const TrReport *report, gboolean *found, GError **error)
{
  g_return_val_if_fail (report->reporter_key != NULL && report->fingerprint != NULL, FALSE);
  *found = FALSE;
  return store->backend->has_report (store, report, found, error);
}

gboolean
tr_store_add_rejected (TrStore *store, const TrRejectedMessage *message, const TrArrival *arrival,
                       gboolean count_repeat, TrRejectedOutcome *outcome, GError **error)
{
  CHECK_WRITE (store, FALSE);
  g_return_val_if_fail (message->raw != NULL && message->reason != NULL, FALSE);
  return store->backend->add_rejected (store, message, arrival, count_repeat, outcome, error);
}

void
tr_store_set_rejected_budget (TrStore *store, guint64 bytes)
{
  store->rejected_budget = bytes;
}

void
tr_store_set_rejected_requests (TrStore *store, guint64 rows)
{
  store->rejected_requests = rows;
}

gboolean
tr_store_next_rejected (TrStore *store, gint64 after_id, TrRejectedRow *row, gboolean *found,
                        GError **error)
{
  tr_rejected_row_clear (row);
  *found = FALSE;
  return store->backend->next_rejected (store, after_id, row, found, error);
}

gboolean
tr_store_delete_rejected (TrStore *store, gint64 id, GError **error)
{
  CHECK_WRITE (store, FALSE);
  return store->backend->delete_rejected (store, id, error);
}

gboolean
tr_store_set_rejected_reason (TrStore *store, gint64 id, const char *reason, GError **error)
{
  CHECK_WRITE (store, FALSE);
  return store->backend->set_rejected_reason (store, id, reason, error);
}

void
tr_rejected_filter_clear (TrRejectedFilter *filter)
{
  g_clear_pointer (&filter->since_day, g_free);
  g_clear_pointer (&filter->until_day, g_free);
  g_clear_pointer (&filter->reason, g_free);
  g_clear_pointer (&filter->from, g_free);
  filter->below_id = 0;
  filter->limit = -1;
}

gboolean
tr_store_each_rejected (TrStore *store, const TrRejectedFilter *filter, TrRejectedFunc func,
                        gpointer data, GError **error)
{
  return store->backend->each_rejected (store, filter, func, data, error);
}

gboolean
tr_store_count_rejected (TrStore *store, const TrRejectedFilter *filter, gint64 *count,
                         gint64 *kept_bytes, GError **error)
{
  *count = 0;
  *kept_bytes = 0;
  return store->backend->count_rejected (store, filter, count, kept_bytes, error);
}

gboolean
tr_store_find_rejected (TrStore *store, gint64 id, gboolean with_raw, TrRejectedRow *row,
                        gboolean *found, GError **error)
{
  tr_rejected_row_clear (row);
  *found = FALSE;
  return store->backend->find_rejected (store, id, with_raw, row, found, error);
}

gboolean
tr_store_prune_reports (TrStore *store, const char *before_day, gint64 limit, gboolean dry_run,
                        TrPruneCounts *counts, GError **error)
{
  if (!dry_run)
    CHECK_WRITE (store, FALSE);
  return store->backend->prune_reports (store, before_day, limit, dry_run, counts, error);
}

gboolean
tr_store_prune_rejected (TrStore *store, const char *before_day, gint64 limit, gboolean dry_run,
                         TrPruneCounts *counts, GError **error)
{
  if (!dry_run)
    CHECK_WRITE (store, FALSE);
  return store->backend->prune_rejected (store, before_day, limit, dry_run, counts, error);
}

gboolean
tr_store_each_session (TrStore *store, const TrQueryFilter *filter, TrSessionFunc func,
                       gpointer data, GError **error)
{
  return store->backend->each_session (store, filter, func, data, error);
}

gboolean
tr_store_each_detail (TrStore *store, const TrQueryFilter *filter, TrDetailFunc func, gpointer data,
                      GError **error)
{
  return store->backend->each_detail (store, filter, func, data, error);
}

gboolean
tr_store_each_failure (TrStore *store, const TrQueryFilter *filter, TrFailureFunc func,
                       gpointer data, GError **error)
{
  return store->backend->each_failure (store, filter, func, data, error);
}

gboolean
tr_store_each_report (TrStore *store, const TrQueryFilter *filter, TrReportFunc func, gpointer data,
                      GError **error)
{
  return store->backend->each_report (store, filter, func, data, error);
}

gboolean
tr_store_find_reports (TrStore *store, const char *which, TrStoredReportFunc func, gpointer data,
                       GError **error)
{
  return store->backend->find_reports (store, which, func, data, error);
}

/* backend_has - whether @store's backend implements an operation added after the first
 * backends (the reads of report and digest); TR_ERROR_CONFIG if not */
static gboolean
backend_has (TrStore *store, gconstpointer op, GError **error)
{
  if (op == NULL)
    g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "the %s backend cannot do this yet",
                 store->backend->name);
  return op != NULL;
}

gboolean
tr_store_each_source (TrStore *store, const TrQueryFilter *filter, TrSourceFunc func, gpointer data,
                      GError **error)
{
  return backend_has (store, store->backend->each_source, error)
         && store->backend->each_source (store, filter, func, data, error);
}

gboolean
tr_store_each_policy (TrStore *store, const TrQueryFilter *filter, TrPolicyFunc func, gpointer data,
                      GError **error)
{
  return backend_has (store, store->backend->each_policy, error)
         && store->backend->each_policy (store, filter, func, data, error);
}

gboolean
tr_store_info (TrStore *store, TrStoreInfo *info, GError **error)
{
  memset (info, 0, sizeof *info);
  return store->backend->info (store, info, error);
}

gboolean
tr_store_each_stored (TrStore *store, gint64 after_row, TrStoredReportFunc func, gpointer data,
                      GError **error)
{
  return store->backend->each_stored (store, after_row, func, data, error);
}

gboolean
tr_store_copy_report (TrStore *store, const TrStoredReport *stored, gboolean *added, GError **error)
{
  CHECK_WRITE (store, FALSE);
  g_return_val_if_fail (stored->report->reporter_key != NULL, FALSE);
  g_return_val_if_fail (stored->report->report_id != NULL, FALSE);
  g_return_val_if_fail (stored->report->report_day != NULL && stored->received_at != NULL, FALSE);
  *added = FALSE;
  return store->backend->copy_report (store, stored, added, error);
}

gboolean
tr_store_copy_rejected (TrStore *store, const TrRejectedRow *row, gboolean *added, GError **error)
{
  CHECK_WRITE (store, FALSE);
  g_return_val_if_fail (row->raw != NULL && row->reason != NULL && row->received_at != NULL, FALSE);
  *added = FALSE;
  return store->backend->copy_rejected (store, row, added, error);
}

gboolean
tr_store_each_name (TrStore *store, TrNameKind kind, TrNameFunc func, gpointer data, GError **error)
{
  return store->backend->each_name (store, kind, func, data, error);
}

gboolean
tr_store_begin_read (TrStore *store, GError **error)
{
  g_return_val_if_fail (!store->in_transaction && !store->in_read, FALSE);
  if (!store->backend->begin_read (store, error))
    return FALSE;
  store->in_read = TRUE;
  return TRUE;
}

void
tr_store_end_read (TrStore *store)
{
  if (store->in_read)
    store->backend->end_read (store);
  store->in_read = FALSE;
}

gboolean
tr_store_each_coverage (TrStore *store, const TrQueryFilter *filter, TrSessionFunc func,
                        gpointer data, GError **error)
{
  return store->backend->each_coverage (store, filter, func, data, error);
}

gboolean
tr_store_each_domain_sessions (TrStore *store, const TrQueryFilter *filter, TrSessionFunc func,
                               gpointer data, GError **error)
{
  return store->backend->each_domain_sessions (store, filter, func, data, error);
}

gboolean
tr_store_each_result_type (TrStore *store, const TrQueryFilter *filter, TrDetailFunc func,
                           gpointer data, GError **error)
{
  return store->backend->each_result_type (store, filter, func, data, error);
}

/* tr_store_now - the current time as "YYYY-MM-DDTHH:MM:SSZ" */
char *
tr_store_now (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}
