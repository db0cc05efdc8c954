/* fuzz-dedup.c - libFuzzer harness: the dedup and trust path, from hostile bytes to the store
 *
 * The input is two reports (bare JSON, gzip or zip) separated by a NUL byte, then, after a
 * second NUL, Authentication-Results values (one per line) that both are judged by, with the
 * trusted authserv-id "mx.our.example".  Both go through decode, validate and trust, and are
 * stored, twice each, into one database in a temporary directory (rolled back after every
 * input, removed at exit).  What must hold whatever the bytes: a report stored is found again; a
 * second delivery is a repeat of it, never a new row; the second report is a repeat of the first
 * exactly when their reporter, report-id and content fingerprint are equal; another content under
 * the same key is stored beside it and said to conflict; an authenticated repeat of an
 * unauthenticated report records its verdict; a fingerprint is the same when computed again; and a
 * message kept in `rejected` twice is one row.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "mail.h"
#include "store.h"
#include "trust.h"
#include "validate.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define RECEIVED "2026-12-01T00:00:00Z"
static const TrArrival arrival = { .received_at = RECEIVED, .via = "mail" };

/* prepare - decode, validate and judge one report; NULL when it is not usable */
static TrReport *
prepare (const uint8_t *data, size_t size, const TrMailInfo *info)
{
  static char *trusted[] = { "mx.our.example", NULL };
  TrLimits limits = TR_LIMITS_INIT;
  g_autoptr (GBytes) payload = g_bytes_new (data, size);
  g_autoptr (GBytes) json = NULL;
  g_autoptr (TrReport) report = NULL;

  limits.max_inflated_size = 1024 * 1024;
  limits.max_json_values = 50000;
  json = tr_decode_inflate (payload, &limits, NULL);
  if (json != NULL)
    report = tr_decode_report (json, &limits, NULL);
  if (report == NULL || !tr_validate_report (report, info, NULL, RECEIVED, &limits, NULL))
    return NULL;
  tr_trust_judge (report, info, trusted);
  return g_steal_pointer (&report);
}

/* add - store @report inside the open transaction (must succeed) */
static TrStoreResult
add (TrStore *store, const TrReport *report, const TrMailInfo *info)
{
  TrStoreResult result;
  g_autoptr (GError) error = NULL;

  if (!tr_store_add_report (store, report, info, &arrival, &result, &error))
    g_error ("storing a report: %s", error->message);
  return result;
}

static gboolean
authenticated (const TrReport *report)
{
  return g_strcmp0 (report->dkim_result, "pass") == 0 && report->dkim_aligned == 1;
}

/* check_pair - the invariants for @a then @b stored in @store */
static void
check_pair (TrStore *store, TrReport *a, TrReport *b, const TrMailInfo *info)
{
  TrStoreResult ra = add (store, a, info), again = add (store, a, info), rb;
  gboolean same_key, same, found = FALSE;
  g_autofree char *refingerprint = tr_validate_fingerprint (a);

  g_assert_cmpstr (refingerprint, ==, a->fingerprint);
  g_assert (ra.outcome == TR_STORE_STORED && ra.same_key == 0);
  g_assert (again.outcome == TR_STORE_DUPLICATE && again.report_row == ra.report_row);
  g_assert (again.deliveries == 2);
  g_assert (tr_store_has_report (store, a, &found, NULL) && found);
  if (b == NULL)
    return;
  same_key
      = strcmp (a->reporter_key, b->reporter_key) == 0 && strcmp (a->report_id, b->report_id) == 0;
  same = same_key && strcmp (a->fingerprint, b->fingerprint) == 0;
  rb = add (store, b, info);
  if (same)
    {
      g_assert (rb.outcome == TR_STORE_DUPLICATE && rb.report_row == ra.report_row);
      g_assert (rb.authenticated_now == (authenticated (b) && !authenticated (a)));
    }
  else
    {
      g_assert (rb.outcome == TR_STORE_STORED && rb.report_row != ra.report_row);
      g_assert (rb.same_key == (same_key ? 1u : 0u));
      rb = add (store, b, info);
      g_assert (rb.outcome == TR_STORE_DUPLICATE);
    }
  g_assert (tr_store_has_report (store, b, &found, NULL) && found);
}

/* check_rejected - a message kept twice is one row, its delivery counted */
static void
check_rejected (TrStore *store, const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) raw = g_bytes_new (data, size);
  g_autofree char *fingerprint = tr_mail_fingerprint (raw, size, "id@fuzz.example");
  TrRejectedMessage message = {
    .raw = raw,
    .message_size = size,
    .reason = "fuzz",
    .fingerprint = fingerprint,
  };
  TrRejectedOutcome first, second;

  g_assert (tr_store_add_rejected (store, &message, &arrival, TRUE, &first, NULL));
  g_assert (tr_store_add_rejected (store, &message, &arrival, TRUE, &second, NULL));
  g_assert (first == TR_REJECTED_KEPT && second == TR_REJECTED_REPEAT);
}

static char *db_dir;

/* remove_db - the temporary database, at exit */
static void
remove_db (void)
{
  static const char *const names[]
      = { "reports.db", "reports.db-wal", "reports.db-shm", "reports.db-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (db_dir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (db_dir);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static TrStore *store;
  const uint8_t *sep = memchr (data, 0, size);
  const uint8_t *sep2 = sep ? memchr (sep + 1, 0, size - (gsize) (sep + 1 - data)) : NULL;
  g_autoptr (TrMailInfo) info = tr_mail_info_new ();
  g_autoptr (TrReport) a = NULL;
  g_autoptr (TrReport) b = NULL;

  if (store == NULL)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = NULL;

      db_dir = g_dir_make_tmp ("fuzz-dedup.XXXXXX", &error);
      if (db_dir != NULL)
        {
          path = g_build_filename (db_dir, "reports.db", NULL);
          atexit (remove_db);
        }
      /* never committed: every input is rolled back, so the file stays empty */
      store = path ? tr_store_open (path, TR_STORE_CREATE, &error) : NULL;
      if (store == NULL)
        g_error ("opening a database: %s", error->message);
    }
  if (sep2 != NULL)
    {
      g_autofree char *headers
          = g_strndup ((const char *) sep2 + 1, size - (gsize) (sep2 + 1 - data));
      g_auto (GStrv) lines = g_strsplit (headers, "\n", 8);

      for (guint i = 0; lines[i] != NULL; i++)
        g_ptr_array_add (info->auth_results, g_strdup (lines[i]));
    }
  a = prepare (data, sep ? (size_t) (sep - data) : size, info);
  if (a == NULL)
    return 0;
  if (sep != NULL)
    b = prepare (sep + 1, (size_t) ((sep2 ? sep2 : data + size) - (sep + 1)), info);
  if (!tr_store_begin (store, NULL))
    g_error ("BEGIN failed");
  check_pair (store, a, b, info);
  check_rejected (store, data, size);
  tr_store_rollback (store);
  return 0;
}
