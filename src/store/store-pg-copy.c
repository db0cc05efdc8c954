/* store-pg-copy.c - the PostgreSQL backend: what `tlsrptdb copy` reads and writes
 *
 * Reading: every report whole, in row order, from one REPEATABLE READ snapshot, through four
 * cursors (reports, policies, failure details, warnings) ordered alike and merged here, so that
 * one report is in memory at a time and each row is read once.  Writing: a report or a rejected
 * message with every column the other database kept, in one statement, unless it is here (by the
 * same key as import, NULL content matching NULL; by fingerprint), under a new row id.
 */
#include "config.h"

#include "error.h"
#include "store-pg.h"

/* The four cursors of each_stored, in the order of report row ids. */
typedef struct
{
  TrPgCursor reports, policies, failures, warnings;
} Stream;

static const char *const stream_sql[] = {
  "SELECT " PG_REPORT_COLUMNS ("r") " FROM reports r WHERE r.id > $1::bigint ORDER BY r.id",
  "SELECT p.report_ref, p.id, " PG_POLICY_COLUMNS (
      "p") " FROM policies p"
           " WHERE p.report_ref > $1::bigint ORDER BY p.report_ref, p.policy_index, p.id",
  "SELECT p.report_ref, p.id, " PG_FAILURE_COLUMNS (
      "f") " FROM policies p JOIN failures f"
           " ON f.policy_ref = p.id WHERE p.report_ref > $1::bigint"
           " ORDER BY p.report_ref, p.policy_index, p.id, f.id",
  "SELECT w.report_ref, w.code, w.text FROM report_warnings w WHERE w.report_ref > $1::bigint"
  " ORDER BY w.report_ref, w.id",
};

/* stream_open - the four cursors from @after_row on */
static gboolean
stream_open (TrPgStore *s, Stream *st, gint64 after_row, GError **error)
{
  TrPgCursor *cursors[] = { &st->reports, &st->policies, &st->failures, &st->warnings };

  for (guint i = 0; i < G_N_ELEMENTS (cursors); i++)
    {
      g_auto (TrPgParams) p = { 0 };

      tr_pg_params_init (&p);
      tr_pg_add_int (&p, after_row);
      if (!tr_pg_cursor_open (s, cursors[i], stream_sql[i], &p, error))
        return FALSE;
    }
  return TRUE;
}

static void
stream_close (Stream *st)
{
  tr_pg_cursor_close (&st->reports);
  tr_pg_cursor_close (&st->policies);
  tr_pg_cursor_close (&st->failures);
  tr_pg_cursor_close (&st->warnings);
}

/* of_report - whether @c's next row belongs to report @row (its first column); FALSE at the end
 * or on an error (in @error) */
static gboolean
of_report (TrPgCursor *c, gint64 row, const PGresult **res, int *at, GError **error)
{
  return tr_pg_cursor_peek (c, res, at, error) && tr_pg_int (*res, *at, 0) <= row;
}

/* gather - the policies, failure details and warnings of @stored from the streams */
static gboolean
gather (Stream *st, TrStoredReport *stored, GError **error)
{
  g_autoptr (GHashTable) policies = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const PGresult *res;
  int at;

  while (of_report (&st->policies, stored->row, &res, &at, error))
    {
      gint64 id = tr_pg_int (res, at, 1);

      g_ptr_array_add (stored->report->policies, tr_pg_policy_from_row (res, at, 2));
      g_array_append_val (ids, id); /* the hash table keys point into it, once it is full */
      tr_pg_cursor_next (&st->policies, &res, &at, error);
    }
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_insert (policies, &g_array_index (ids, gint64, i),
                         g_ptr_array_index (stored->report->policies, i));
  while (of_report (&st->failures, stored->row, &res, &at, error))
    {
      gint64 id = tr_pg_int (res, at, 1);
      TrPolicy *policy = g_hash_table_lookup (policies, &id);

      if (policy != NULL) /* (a row of a report before it, which cannot be) */
        g_ptr_array_add (policy->failures, tr_pg_failure_from_row (res, at, 2));
      tr_pg_cursor_next (&st->failures, &res, &at, error);
    }
  while (of_report (&st->warnings, stored->row, &res, &at, error))
    {
      tr_pg_warn_from_row (stored->report, res, at, 1);
      tr_pg_cursor_next (&st->warnings, &res, &at, error);
    }
  return error == NULL || *error == NULL;
}

/* each_in_snapshot - the reports of the open streams, whole, to @func */
static gboolean
each_in_snapshot (Stream *st, TrStoredReportFunc func, gpointer data, GError **error)
{
  const PGresult *res;
  int at;

  while (tr_pg_cursor_next (&st->reports, &res, &at, error))
    {
      TrStoredReport *stored = tr_pg_stored_from_row (res, at, 0);

      if (!gather (st, stored, error))
        {
          tr_stored_report_free (stored);
          return FALSE;
        }
      if (!func (stored, data, error))
        return error == NULL || *error == NULL;
    }
  return error == NULL || *error == NULL;
}

/* tr_pg_each_stored - every report after @after_row, whole, from one snapshot */
gboolean
tr_pg_each_stored (TrStore *base, gint64 after_row, TrStoredReportFunc func, gpointer data,
                   GError **error)
{
  TrPgStore *s = PG_STORE (base);
  Stream st = { 0 };
  gboolean own, ok;

  if (!tr_pg_read_begin (s, &own, error))
    return FALSE;
  ok = stream_open (s, &st, after_row, error) && each_in_snapshot (&st, func, data, error);
  stream_close (&st);
  tr_pg_read_end (s, own);
  return ok;
}

/* tr_pg_copy_report - @stored with everything it had, unless it is here */
gboolean
tr_pg_copy_report (TrStore *base, const TrStoredReport *stored, gboolean *added, GError **error)
{
  g_autofree char *sql = g_strconcat (
      "WITH ins AS (INSERT INTO reports (" PG_REPORT_INSERT_COLUMNS ", deliveries)"
      " SELECT " PG_REPORT_INSERT_VALUES (
          "$53::timestamptz") ", $54::bigint WHERE NOT EXISTS"
                              " (SELECT 1 FROM reports o WHERE " SAME_KEY (
                                  "o", "$1::text", "$4::text") " AND o.content_sha256 IS NOT "
                                                               "DISTINCT FROM $20::text)"
                                                               " ON CONFLICT DO NOTHING RETURNING "
                                                               "id), new AS (SELECT id FROM ins)",
      tr_pg_contents_sql, " SELECT id FROM ins", NULL);
  const TrReport *r = stored->report;
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) res = NULL;

  tr_pg_params_init (&p);
  tr_pg_add_report_params (&p, r, stored->info, stored->received_at, stored->received_via,
                           stored->client_address);
  tr_pg_add_contents (&p, r, stored->info);
  tr_pg_add_text (&p, stored->last_received_at ? stored->last_received_at : stored->received_at);
  tr_pg_add_int (&p, MAX (stored->deliveries, 1));
  res = tr_pg_exec (PG_STORE (base), PG_STMT_COPY_REPORT, sql, &p, "copying a report", error);
  if (res == NULL)
    return FALSE;
  *added = PQntuples (res) == 1;
  return TRUE;
}

/* tr_pg_copy_rejected - @row with every column, unless its message is here */
gboolean
tr_pg_copy_rejected (TrStore *base, const TrRejectedRow *row, gboolean *added, GError **error)
{
  gsize len;
  const void *raw = g_bytes_get_data (row->raw, &len);
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) res = NULL;

  tr_pg_params_init (&p);
  tr_pg_add_text (&p, row->received_at);
  tr_pg_add_text (&p, row->last_received_at ? row->last_received_at : row->received_at);
  tr_pg_add_text (&p, row->reason);
  tr_pg_add_bytes (&p, raw, len);
  tr_pg_add_int (&p, (gint64) MIN (row->message_size, (guint64) G_MAXINT64));
  tr_pg_add_bool (&p, row->truncated);
  tr_pg_add_text (&p, row->message_id);
  tr_pg_add_text (&p, row->subject);
  tr_pg_add_text (&p, row->mail_from);
  tr_pg_add_text (&p, row->fingerprint);
  tr_pg_add_int (&p, MAX (row->deliveries, 1));
  tr_pg_add_bool (&p, row->raw_dropped);
  tr_pg_add_text (&p, row->received_via);
  tr_pg_add_text (&p, row->client_address);
  tr_pg_add_text (&p, row->media_type);
  tr_pg_add_text (&p, row->content_encoding);
  tr_pg_add_text (&p, row->user_agent);
  res = tr_pg_exec (PG_STORE (base), PG_STMT_COPY_REJECTED,
                    "INSERT INTO rejected (received_at, last_received_at, reason, raw_message,"
                    " message_size, truncated, message_id, subject, mail_from, fingerprint,"
                    " deliveries, raw_dropped, received_via, client_address, media_type,"
                    " content_encoding, user_agent) VALUES"
                    " ($1::timestamptz, $2::timestamptz, $3::text, $4::bytea, $5::bigint,"
                    " $6::boolean, $7::text, $8::text, $9::text, $10::text, $11::bigint,"
                    " $12::boolean, $13::text, $14::text, $15::text, $16::text, $17::text)"
                    " ON CONFLICT (fingerprint) DO NOTHING RETURNING id",
                    &p, "copying a rejected message", error);
  if (res == NULL)
    return FALSE;
  *added = PQntuples (res) == 1;
  return TRUE;
}
