/* store-pg-write.c - the PostgreSQL backend: store reports, keep rejected messages, prune
 *
 * A report is one statement: data-modifying CTEs insert the report, or count a repeat of it by
 * ON CONFLICT on the dedup index (two MX hosts delivering one report at once store it once and
 * count two deliveries), and only when it is new its policies, failure details, warnings and
 * summary rows, from arrays.  The summaries are summed here, in C, with the domain key and the
 * class of counting.c, so the statement reads no table that a plan could go wrong on.
 */
#include "config.h"

#include <string.h>

#include "error.h"
#include "store-pg.h"

/* The contents of the report that the CTE "new" returns (at most one id), from the arrays of
 * tr_pg_add_contents; rows in the order of the arrays (their ids too), so that they read back as
 * SQLite's do. */
const char tr_pg_contents_sql[]
    = ", p AS (INSERT INTO policies (report_ref, policy_index, policy_type, policy_domain,"
      " policy_string, mx_host, total_successful_session_count, total_failure_session_count,"
      " domain) SELECT new.id, x.i, x.t, x.d, x.s::json, x.m::json, x.ok, x.bad, x.k FROM new,"
      " unnest($23::integer[], $24::text[], $25::text[], $26::text[], $27::text[], $28::bigint[],"
      " $29::bigint[], $30::text[]) WITH ORDINALITY AS x (i, t, d, s, m, ok, bad, k, n)"
      " ORDER BY x.n RETURNING id, policy_index),"
      " f AS (INSERT INTO failures (policy_ref, result_type, sending_mta_ip,"
      " receiving_mx_hostname, receiving_mx_helo, receiving_ip, failed_session_count,"
      " additional_information, failure_reason_code)"
      " SELECT p.id, x.t, x.ip, x.mx, x.helo, x.rip, x.c, x.info, x.code"
      " FROM unnest($31::integer[], $32::text[], $33::text[], $34::text[], $35::text[],"
      " $36::text[], $37::bigint[], $38::text[], $39::text[]) WITH ORDINALITY"
      " AS x (i, t, ip, mx, helo, rip, c, info, code, n) JOIN p ON p.policy_index = x.i"
      " ORDER BY x.n RETURNING 1),"
      " w AS (INSERT INTO report_warnings (report_ref, code, text) SELECT new.id, x.c, x.t"
      " FROM new, unnest($40::text[], $41::text[]) WITH ORDINALITY AS x (c, t, n)"
      " ORDER BY x.n RETURNING 1),"
      " ss AS (INSERT INTO summary_sessions (report_ref, policy_domain, report_day, reporter_key,"
      " sts_successful, sts_failed, tlsa_successful, tlsa_failed, other_successful,"
      " other_failed) SELECT new.id, x.d, $8::date, $1::text, x.a, x.b, x.c, x.e, x.g, x.h"
      " FROM new, unnest($42::text[], $43::bigint[], $44::bigint[], $45::bigint[],"
      " $46::bigint[], $47::bigint[], $48::bigint[]) AS x (d, a, b, c, e, g, h) RETURNING 1),"
      " sf AS (INSERT INTO summary_policy_failures (policy_ref, result_type, receiving_mx,"
      " failed) SELECT p.id, x.t, x.m, x.f FROM unnest($49::integer[], $50::text[], $51::text[],"
      " $52::bigint[]) AS x (i, t, m, f) JOIN p ON p.policy_index = x.i RETURNING 1)";

/* tr_pg_add_report_params - $1 .. $22 of PG_REPORT_INSERT_VALUES */
void
tr_pg_add_report_params (TrPgParams *p, const TrReport *r, const TrMailInfo *info,
                         const char *received_at, const char *via, const char *client_address)
{
  gsize len = 0;
  const char *json = r->raw_json ? g_bytes_get_data (r->raw_json, &len) : NULL;

  tr_pg_add_text (p, r->reporter_key);
  tr_pg_add_text (p, r->organization_name);
  tr_pg_add_text (p, r->contact_info);
  tr_pg_add_text (p, r->report_id);
  tr_pg_add_bool (p, r->report_id_synthesized);
  tr_pg_add_text (p, r->start_datetime);
  tr_pg_add_text (p, r->end_datetime);
  tr_pg_add_text (p, r->report_day);
  tr_pg_add_text_len (p, json ? json : "", len);
  tr_pg_add_text (p, info->message_id);
  tr_pg_add_text (p, info->subject);
  tr_pg_add_text (p, info->from);
  tr_pg_add_text (p, info->date);
  tr_pg_add_text (p, info->tls_report_domain);
  tr_pg_add_text (p, info->tls_report_submitter);
  tr_pg_add_text (p, received_at);
  tr_pg_add_text (p, r->dkim_result);
  tr_pg_add_text (p, r->dkim_domain);
  if (r->dkim_aligned >= 0)
    tr_pg_add_bool (p, r->dkim_aligned == 1);
  else
    tr_pg_add_text (p, NULL);
  tr_pg_add_text (p, r->fingerprint);
  tr_pg_add_text (p, via);
  tr_pg_add_text (p, client_address);
}

/* add_arrays - @n arrays as the next parameters */
static void
add_arrays (TrPgParams *p, TrPgArray *arrays, guint n)
{
  for (guint i = 0; i < n; i++)
    tr_pg_add_array (p, &arrays[i]);
}

/* add_policies - $23 .. $39: the policies and their failure details */
static void
add_policies (TrPgParams *p, const TrReport *report, const TrMailInfo *info)
{
  TrPgArray pa[8], fa[9];

  for (guint i = 0; i < G_N_ELEMENTS (pa); i++)
    tr_pg_array_init (&pa[i]);
  for (guint i = 0; i < G_N_ELEMENTS (fa); i++)
    tr_pg_array_init (&fa[i]);
  for (guint i = 0; i < report->policies->len; i++)
    {
      const TrPolicy *policy = g_ptr_array_index (report->policies, i);
      g_autofree char *key = tr_domain_key (policy->policy_domain, info->tls_report_domain);

      tr_pg_array_int (&pa[0], policy->index);
      tr_pg_array_text (&pa[1], policy->policy_type);
      tr_pg_array_text (&pa[2], policy->policy_domain);
      tr_pg_array_text (&pa[3], policy->policy_string);
      tr_pg_array_text (&pa[4], policy->mx_host);
      tr_pg_array_count (&pa[5], policy->total_successful_session_count);
      tr_pg_array_count (&pa[6], policy->total_failure_session_count);
      tr_pg_array_text (&pa[7], key);
      for (guint j = 0; j < policy->failures->len; j++)
        {
          const TrFailure *f = g_ptr_array_index (policy->failures, j);

          tr_pg_array_int (&fa[0], policy->index);
          tr_pg_array_text (&fa[1], f->result_type);
          tr_pg_array_text (&fa[2], f->sending_mta_ip);
          tr_pg_array_text (&fa[3], f->receiving_mx_hostname);
          tr_pg_array_text (&fa[4], f->receiving_mx_helo);
          tr_pg_array_text (&fa[5], f->receiving_ip);
          tr_pg_array_count (&fa[6], f->failed_session_count);
          tr_pg_array_text (&fa[7], f->additional_information);
          tr_pg_array_text (&fa[8], f->failure_reason_code);
        }
    }
  add_arrays (p, pa, G_N_ELEMENTS (pa));
  add_arrays (p, fa, G_N_ELEMENTS (fa));
}

/* add_warnings - $40, $41: the warnings, in order */
static void
add_warnings (TrPgParams *p, const TrReport *report)
{
  TrPgArray wa[2];

  tr_pg_array_init (&wa[0]);
  tr_pg_array_init (&wa[1]);
  for (guint i = 0; i < report->warnings->len; i++)
    {
      const TrWarning *w = g_ptr_array_index (report->warnings, i);

      tr_pg_array_text (&wa[0], w->code);
      tr_pg_array_text (&wa[1], w->text);
    }
  add_arrays (p, wa, G_N_ELEMENTS (wa));
}

/* A summary row of summary_sessions: a domain key's sessions by class. */
typedef struct
{
  const char *domain;
  TrClassCounts successful;
  TrClassCounts failed;
} SessionSum;

/* add_session_sums - $42 .. $48: one summary_sessions row per domain key, as SQLite's upsert
 * per policy sums them */
static void
add_session_sums (TrPgParams *p, const TrReport *report, const TrMailInfo *info)
{
  g_autoptr (GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GArray) sums = g_array_new (FALSE, TRUE, sizeof (SessionSum));
  static const TrPolicyClass order[] = { TR_CLASS_STS, TR_CLASS_TLSA, TR_CLASS_OTHER };
  TrPgArray a[7];

  for (guint i = 0; i < report->policies->len; i++)
    {
      const TrPolicy *policy = g_ptr_array_index (report->policies, i);
      char *key = tr_domain_key (policy->policy_domain, info->tls_report_domain);
      gpointer at = NULL;
      TrPolicyClass klass = tr_policy_class (policy->policy_type);
      gint64 ok = policy->total_successful_session_count;
      gint64 bad = policy->total_failure_session_count;
      SessionSum *sum;

      if (!g_hash_table_lookup_extended (index, key, NULL, &at))
        {
          SessionSum fresh = { .domain = key };

          g_array_append_val (sums, fresh);
          at = GUINT_TO_POINTER (sums->len);
          g_hash_table_insert (index, key, at);
        }
      else
        g_free (key);
      sum = &g_array_index (sums, SessionSum, GPOINTER_TO_UINT (at) - 1);
      tr_class_counts_add (&sum->successful, klass, ok == TR_COUNT_ABSENT ? 0 : ok);
      tr_class_counts_add (&sum->failed, klass, bad == TR_COUNT_ABSENT ? 0 : bad);
    }
  for (guint i = 0; i < G_N_ELEMENTS (a); i++)
    tr_pg_array_init (&a[i]);
  for (guint i = 0; i < sums->len; i++)
    {
      const SessionSum *sum = &g_array_index (sums, SessionSum, i);

      tr_pg_array_text (&a[0], sum->domain);
      for (guint c = 0; c < G_N_ELEMENTS (order); c++)
        {
          tr_pg_array_int (&a[1 + 2 * c], sum->successful.by_class[order[c]]);
          tr_pg_array_int (&a[2 + 2 * c], sum->failed.by_class[order[c]]);
        }
    }
  add_arrays (p, a, G_N_ELEMENTS (a));
}

/* add_policy_failure_sums - one policy's rows of summary_policy_failures: its failure details
 * summed by result type ("(none)") and receiving MX (ASCII lower case, "" for none), as
 * SQLite's STMT_SUMMARIZE_FAILURES groups them */
static void
add_policy_failure_sums (TrPgArray *a, const TrPolicy *policy)
{
  g_autoptr (GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();

  for (guint j = 0; j < policy->failures->len; j++)
    {
      const TrFailure *f = g_ptr_array_index (policy->failures, j);
      g_autofree char *mx
          = g_ascii_strdown (f->receiving_mx_hostname ? f->receiving_mx_hostname : "", -1);
      char *key = g_strconcat (f->result_type ? f->result_type : "(none)", "\x1f", mx, NULL);
      gint64 *sum = g_hash_table_lookup (sums, key);

      if (sum == NULL)
        {
          sum = g_new0 (gint64, 1);
          g_hash_table_insert (sums, key, sum);
          g_ptr_array_add (keys, key);
        }
      else
        g_free (key);
      if (f->failed_session_count != TR_COUNT_ABSENT)
        *sum = tr_count_add (*sum, f->failed_session_count);
    }
  for (guint k = 0; k < keys->len; k++)
    {
      const char *key = g_ptr_array_index (keys, k);
      const char *sep = strchr (key, '\x1f');
      g_autofree char *type = g_strndup (key, (gsize) (sep - key));

      tr_pg_array_int (&a[0], policy->index);
      tr_pg_array_text (&a[1], type);
      tr_pg_array_text (&a[2], sep + 1);
      tr_pg_array_int (&a[3], *(gint64 *) g_hash_table_lookup (sums, key));
    }
}

/* tr_pg_add_contents - $23 .. $52: what tr_pg_contents_sql inserts */
void
tr_pg_add_contents (TrPgParams *p, const TrReport *report, const TrMailInfo *info)
{
  TrPgArray a[4];

  g_return_if_fail (p->values->len == PG_CONTENTS_FIRST - 1);
  add_policies (p, report, info);
  add_warnings (p, report);
  add_session_sums (p, report, info);
  for (guint i = 0; i < G_N_ELEMENTS (a); i++)
    tr_pg_array_init (&a[i]);
  for (guint i = 0; i < report->policies->len; i++)
    add_policy_failure_sums (a, g_ptr_array_index (report->policies, i));
  add_arrays (p, a, G_N_ELEMENTS (a));
}

/* The report, or a repeat delivery of it.  The repeat is counted by an UPDATE of the row with
 * the same key and content first (or else of a row of the key with NULL content, stored by
 * schema 4 or older and copied, as SQLite's backend matches it), so that a repeat does not
 * take a number of the id sequence, which a failed INSERT would: the ids stay those SQLite
 * gives.  The INSERT's ON CONFLICT decides a race between two MX hosts.  Returns the report's
 * id, its deliveries (1: new), whether it was authenticated, and how many reports of its key
 * there were before. */
static const char sql_add_report[]
    = "WITH same AS (SELECT r.id, r.content_sha256 FROM reports r WHERE " SAME_KEY (
        "r", "$1::text",
        "$4::text") "),"
                    " upd AS (UPDATE reports r SET deliveries = r.deliveries + 1,"
                    " last_received_at = $16::timestamptz WHERE r.id = (SELECT id FROM same"
                    " WHERE content_sha256 = $20::text OR content_sha256 IS NULL"
                    " ORDER BY content_sha256 IS NULL LIMIT 1)"
                    " RETURNING r.id, r.deliveries, " AUTHENTICATED (
                        "r") " AS authenticated),"
                             " ins AS (INSERT INTO reports AS r (" PG_REPORT_INSERT_COLUMNS ")"
                             " SELECT " PG_REPORT_INSERT_VALUES (
                                 "$16::timestamptz") " WHERE NOT EXISTS (SELECT 1 FROM upd)"
                                                     " ON CONFLICT (md5(reporter_key), "
                                                     "md5(report_id), content_sha256) DO UPDATE"
                                                     " SET deliveries = r.deliveries + 1, "
                                                     "last_received_at = excluded.last_received_at"
                                                     " RETURNING r.id, "
                                                     "r.deliveries, " AUTHENTICATED (
                                                         "r") " AS authenticated),"
                                                              " new AS (SELECT id FROM ins WHERE "
                                                              "deliveries = 1)%s"
                                                              " SELECT id, deliveries, "
                                                              "authenticated, (SELECT count(*) "
                                                              "FROM same) FROM upd"
                                                              " UNION ALL SELECT id, deliveries, "
                                                              "authenticated, (SELECT count(*) "
                                                              "FROM same) FROM ins";

/* is_authenticated - whether our MTA verified @report's DKIM signature, aligned with it */
static gboolean
is_authenticated (const TrReport *report)
{
  return g_strcmp0 (report->dkim_result, "pass") == 0 && report->dkim_aligned == 1;
}

/* authenticate - the verdict and mail facts of @report's delivery replace those of row @row */
static gboolean
authenticate (TrPgStore *s, gint64 row, const TrReport *report, const TrMailInfo *info,
              GError **error)
{
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) res = NULL;

  tr_pg_params_init (&p);
  tr_pg_add_int (&p, row);
  tr_pg_add_text (&p, report->dkim_result);
  tr_pg_add_text (&p, report->dkim_domain);
  tr_pg_add_bool (&p, report->dkim_aligned == 1);
  tr_pg_add_text (&p, info->message_id);
  tr_pg_add_text (&p, info->subject);
  tr_pg_add_text (&p, info->from);
  tr_pg_add_text (&p, info->date);
  tr_pg_add_text (&p, info->tls_report_domain);
  tr_pg_add_text (&p, info->tls_report_submitter);
  res = tr_pg_exec (s, PG_STMT_AUTHENTICATE,
                    "UPDATE reports SET dkim_result = $2::text, dkim_domain = $3::text,"
                    " dkim_aligned = $4::boolean, message_id = $5::text, subject = $6::text,"
                    " mail_from = $7::text, mail_date = $8::timestamptz,"
                    " tls_report_domain = $9::text, tls_report_submitter = $10::text"
                    " WHERE id = $1::bigint",
                    &p, "recording an authenticated delivery", error);
  return res != NULL;
}

/* tr_pg_add_report - insert @report, or count a repeat delivery */
gboolean
tr_pg_add_report (TrStore *base, const TrReport *report, const TrMailInfo *info,
                  const TrArrival *arrival, TrStoreResult *result, GError **error)
{
  TrPgStore *s = PG_STORE (base);
  g_autofree char *sql = g_strdup_printf (sql_add_report, tr_pg_contents_sql);
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) res = NULL;
  gint64 same;

  tr_pg_params_init (&p);
  tr_pg_add_report_params (&p, report, info, arrival->received_at, arrival->via,
                           arrival->client_address);
  tr_pg_add_contents (&p, report, info);
  res = tr_pg_exec (s, PG_STMT_ADD_REPORT, sql, &p, "storing a report", error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) != 1)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_INTERNAL, "%s: storing a report: no row", s->name);
      return FALSE;
    }
  result->report_row = tr_pg_int (res, 0, 0);
  result->deliveries = tr_pg_int (res, 0, 1);
  same = tr_pg_int (res, 0, 3);
  if (result->deliveries == 1)
    {
      result->outcome = TR_STORE_STORED;
      result->same_key = (guint) MIN (same, G_MAXUINT);
      result->n_policies = report->policies->len;
      for (guint i = 0; i < report->policies->len; i++)
        result->n_failures
            += ((const TrPolicy *) g_ptr_array_index (report->policies, i))->failures->len;
      return TRUE;
    }
  result->outcome = TR_STORE_DUPLICATE;
  result->same_key = (guint) CLAMP (same - 1, 0, G_MAXUINT);
  if (tr_pg_flag (res, 0, 2) != 1 && is_authenticated (report))
    {
      if (!authenticate (s, result->report_row, report, info, error))
        return FALSE;
      result->authenticated_now = TRUE;
    }
  return TRUE;
}

/* tr_pg_has_report - whether @report (same key and content, or a row of its key stored before
 * content was compared) is stored */
gboolean
tr_pg_has_report (TrStore *base, const TrReport *report, gboolean *found, GError **error)
{
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) res = NULL;

  tr_pg_params_init (&p);
  tr_pg_add_text (&p, report->reporter_key);
  tr_pg_add_text (&p, report->report_id);
  tr_pg_add_text (&p, report->fingerprint);
  res = tr_pg_exec (
      PG_STORE (base), PG_STMT_HAS_REPORT,
      "SELECT 1 FROM reports r WHERE " SAME_KEY (
          "r", "$1::text",
          "$2::text") " AND (r.content_sha256 = $3::text OR r.content_sha256 IS NULL) LIMIT 1",
      &p, "looking up a report", error);
  if (res == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  return TRUE;
}

/* --- the rejected table -------------------------------------------------------------------- */

/* A message in `rejected` and the budget, as one look-up found them. */
typedef struct
{
  gint64 used;      /* bytes of messages kept */
  gint64 id;        /* the row of its fingerprint, 0 if none */
  gboolean dropped; /* that row's bytes were not kept */
} RejectedState;

/* find_rejected - lock the budget's counter (so that check-then-write is safe between
 * concurrent ingests, as SQLite's BEGIN IMMEDIATE makes it) and find @fingerprint's row */
static gboolean
find_rejected (TrPgStore *s, const char *fingerprint, RejectedState *state, GError **error)
{
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) res = NULL;

  tr_pg_params_init (&p);
  tr_pg_add_text (&p, fingerprint);
  res = tr_pg_exec (s, PG_STMT_FIND_REJECTED,
                    "WITH c AS (SELECT value FROM counters WHERE name = 'rejected_bytes'"
                    " FOR UPDATE) SELECT (SELECT value FROM c), r.id, r.raw_dropped"
                    " FROM (SELECT 1) AS one LEFT JOIN rejected r ON r.fingerprint = $1::text",
                    &p, "looking up a rejected message", error);
  if (res == NULL)
    return FALSE;
  memset (state, 0, sizeof *state);
  if (PQntuples (res) > 0)
    {
      state->used = tr_pg_int (res, 0, 0);
      state->id = tr_pg_int (res, 0, 1);
      state->dropped = tr_pg_flag (res, 0, 2) == 1;
    }
  return TRUE;
}

/* fits - whether @len more bytes fit in the budget */
static gboolean
fits (TrPgStore *s, const RejectedState *state, gsize len)
{
  guint64 budget = s->base.rejected_budget;

  return state->used >= 0 && (guint64) state->used <= budget
         && len <= budget - (guint64) state->used;
}

/* repeat_rejected - a message in `rejected` already: count the delivery (if @count) with
 * today's reason, and keep its bytes now if they were dropped and now fit */
static gboolean
repeat_rejected (TrPgStore *s, const RejectedState *state, const TrRejectedMessage *message,
                 const TrArrival *arrival, gboolean count, TrRejectedOutcome *outcome,
                 GError **error)
{
  gsize len;
  const void *data = g_bytes_get_data (message->raw, &len);
  gboolean keep = state->dropped && fits (s, state, len);
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) res = NULL;

  *outcome = count ? TR_REJECTED_REPEAT : TR_REJECTED_KNOWN;
  if (!count && !keep)
    return TRUE;
  tr_pg_params_init (&p);
  tr_pg_add_int (&p, state->id);
  tr_pg_add_bool (&p, count);
  tr_pg_add_text (&p, arrival->received_at);
  tr_pg_add_text (&p, message->reason);
  tr_pg_add_bool (&p, keep);
  tr_pg_add_bytes (&p, keep ? data : NULL, keep ? len : 0);
  res = tr_pg_exec (s, PG_STMT_REPEAT_REJECTED,
                    "UPDATE rejected SET deliveries = deliveries + CASE WHEN $2::boolean THEN 1"
                    " ELSE 0 END, last_received_at = CASE WHEN $2::boolean THEN"
                    " $3::timestamptz ELSE last_received_at END, reason = CASE WHEN $2::boolean"
                    " THEN $4::text ELSE reason END, raw_message = CASE WHEN $5::boolean THEN"
                    " $6::bytea ELSE raw_message END, raw_dropped = raw_dropped AND NOT"
                    " $5::boolean WHERE id = $1::bigint",
                    &p, "counting a rejected message", error);
  return res != NULL;
}

/* insert_rejected - a new row for @message (with its bytes if they fit); *@inserted is FALSE
 * when a concurrent ingest kept the same message first */
static gboolean
insert_rejected (TrPgStore *s, const RejectedState *state, const TrRejectedMessage *message,
                 const TrArrival *arrival, gboolean *inserted, TrRejectedOutcome *outcome,
                 GError **error)
{
  gsize len;
  const void *data = g_bytes_get_data (message->raw, &len);
  gboolean keep = fits (s, state, len);
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) res = NULL;

  tr_pg_params_init (&p);
  tr_pg_add_text (&p, arrival->received_at);
  tr_pg_add_text (&p, message->reason);
  tr_pg_add_bytes (&p, keep ? data : NULL, keep ? len : 0);
  tr_pg_add_int (&p, (gint64) MIN (message->message_size, (guint64) G_MAXINT64));
  tr_pg_add_bool (&p, message->message_size > len);
  tr_pg_add_text (&p, message->info ? message->info->message_id : NULL);
  tr_pg_add_text (&p, message->info ? message->info->subject : NULL);
  tr_pg_add_text (&p, message->info ? message->info->from : NULL);
  tr_pg_add_text (&p, message->fingerprint);
  tr_pg_add_bool (&p, !keep);
  tr_pg_add_text (&p, arrival->via);
  tr_pg_add_text (&p, arrival->client_address);
  tr_pg_add_text (&p, arrival->media_type);
  tr_pg_add_text (&p, arrival->content_encoding);
  tr_pg_add_text (&p, arrival->user_agent);
  res = tr_pg_exec (s, PG_STMT_INSERT_REJECTED,
                    "INSERT INTO rejected (received_at, last_received_at, reason, raw_message,"
                    " message_size, truncated, message_id, subject, mail_from, fingerprint,"
                    " raw_dropped, received_via, client_address, media_type, content_encoding,"
                    " user_agent) VALUES ($1::timestamptz, $1::timestamptz, $2::text, $3::bytea,"
                    " $4::bigint, $5::boolean, $6::text, $7::text, $8::text, $9::text,"
                    " $10::boolean, $11::text, $12::text, $13::text, $14::text, $15::text)"
                    " ON CONFLICT (fingerprint) DO NOTHING RETURNING id",
                    &p, "keeping a rejected message", error);
  if (res == NULL)
    return FALSE;
  *inserted = PQntuples (res) == 1;
  *outcome = keep ? TR_REJECTED_KEPT : TR_REJECTED_KEPT_WITHOUT_BYTES;
  return TRUE;
}

/* under_request_cap - whether one more row that came over HTTPS fits the cap on them */
static gboolean
under_request_cap (TrPgStore *s, gboolean *under, GError **error)
{
  g_autoptr (PGresult) res = tr_pg_exec (
      s, PG_STMT_REJECTED_REQUESTS, "SELECT value FROM counters WHERE name = 'rejected_requests'",
      NULL, "counting rejected requests", error);
  gint64 rows;

  if (res == NULL)
    return FALSE;
  rows = PQntuples (res) > 0 ? tr_pg_int (res, 0, 0) : 0;
  *under = rows < 0 || (guint64) rows < s->base.rejected_requests;
  return TRUE;
}

/* tr_pg_add_rejected - keep a message that yielded no usable report, once */
gboolean
tr_pg_add_rejected (TrStore *base, const TrRejectedMessage *message, const TrArrival *arrival,
                    gboolean count_repeat, TrRejectedOutcome *outcome, GError **error)
{
  TrPgStore *s = PG_STORE (base);
  RejectedState state;
  gboolean inserted = FALSE;

  /* twice at most: a concurrent ingest may keep the same message between the look-up (whose
   * snapshot is from before it waited for the lock) and the insert */
  for (int attempt = 0; attempt < 2; attempt++)
    {
      if (!find_rejected (s, message->fingerprint, &state, error))
        return FALSE;
      if (state.id != 0)
        return repeat_rejected (s, &state, message, arrival, count_repeat, outcome, error);
      if (attempt == 0 && g_strcmp0 (arrival->via, "https") == 0
          && s->base.rejected_requests != G_MAXUINT64)
        {
          gboolean under = FALSE;

          if (!under_request_cap (s, &under, error))
            return FALSE;
          if (!under)
            {
              *outcome = TR_REJECTED_NOT_KEPT;
              return TRUE;
            }
        }
      if (!insert_rejected (s, &state, message, arrival, &inserted, outcome, error))
        return FALSE;
      if (inserted)
        return TRUE;
    }
  g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
               "%s: keeping a rejected message: it came and went meanwhile", s->name);
  return FALSE;
}

/* tr_pg_next_rejected - the row of `rejected` after @after_id, every column */
gboolean
tr_pg_next_rejected (TrStore *base, gint64 after_id, TrRejectedRow *row, gboolean *found,
                     GError **error)
{
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) res = NULL;

  tr_pg_params_init (&p);
  tr_pg_add_int (&p, after_id);
  res = tr_pg_exec (
      PG_STORE (base), -1,
      "SELECT id, raw_message, message_size, " TS (
          "received_at") ", reason,"
                         " raw_dropped, truncated, deliveries, " TS (
                             "last_received_at") ","
                                                 " message_id, subject, mail_from, received_via, "
                                                 "client_address, fingerprint, media_type, "
                                                 "content_encoding, user_agent"
                                                 " FROM rejected WHERE id > $1::bigint ORDER BY id "
                                                 "LIMIT 1",
      &p, "reading rejected messages", error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return TRUE;
  row->id = tr_pg_int (res, 0, 0);
  row->raw = tr_pg_bytes (res, 0, 1);
  row->message_size = (guint64) MAX (tr_pg_int (res, 0, 2), 0);
  row->received_at = tr_pg_dup (res, 0, 3);
  row->reason = tr_pg_dup (res, 0, 4);
  row->raw_dropped = tr_pg_flag (res, 0, 5) == 1;
  row->truncated = tr_pg_flag (res, 0, 6) == 1;
  row->deliveries = tr_pg_int (res, 0, 7);
  row->last_received_at = tr_pg_dup (res, 0, 8);
  row->message_id = tr_pg_dup (res, 0, 9);
  row->subject = tr_pg_dup (res, 0, 10);
  row->mail_from = tr_pg_dup (res, 0, 11);
  row->received_via = tr_pg_dup (res, 0, 12);
  row->client_address = tr_pg_dup (res, 0, 13);
  row->fingerprint = tr_pg_dup (res, 0, 14);
  row->media_type = tr_pg_dup (res, 0, 15);
  row->content_encoding = tr_pg_dup (res, 0, 16);
  row->user_agent = tr_pg_dup (res, 0, 17);
  row->kept_size = row->raw != NULL ? g_bytes_get_size (row->raw) : 0;
  *found = TRUE;
  return TRUE;
}

/* run_on_row - @sql with $1 = @id and $2 = @text (if not NULL) */
static gboolean
run_on_row (TrStore *base, const char *sql, gint64 id, const char *text, const char *what,
            GError **error)
{
  g_auto (TrPgParams) p = { 0 };
  g_autoptr (PGresult) res = NULL;

  tr_pg_params_init (&p);
  tr_pg_add_int (&p, id);
  if (text != NULL)
    tr_pg_add_text (&p, text);
  res = tr_pg_exec (PG_STORE (base), -1, sql, &p, what, error);
  return res != NULL;
}

gboolean
tr_pg_delete_rejected (TrStore *base, gint64 id, GError **error)
{
  return run_on_row (base, "DELETE FROM rejected WHERE id = $1::bigint", id, NULL,
                     "removing a rejected message", error);
}

gboolean
tr_pg_set_rejected_reason (TrStore *base, gint64 id, const char *reason, GError **error)
{
  return run_on_row (base, "UPDATE rejected SET reason = $2::text WHERE id = $1::bigint", id,
                     reason, "updating a rejected message", error);
}

/* --- prune --------------------------------------------------------------------------------- */

/* OLD_REPORTS - the reports before $1, at most $2 of them (NULL: all), oldest rows first */
#define OLD_REPORTS                                                                                \
  "old AS (SELECT id FROM reports WHERE report_day < $1::date ORDER BY id LIMIT $2::bigint),"      \
  " counts AS (SELECT (SELECT count(*) FROM old) AS reports,"                                      \
  " (SELECT count(*) FROM policies WHERE report_ref IN (SELECT id FROM old)) AS policies,"         \
  " (SELECT count(*) FROM failures f JOIN policies p ON p.id = f.policy_ref"                       \
  " WHERE p.report_ref IN (SELECT id FROM old)) AS failures)"
#define OLD_REJECTED                                                                               \
  "old AS (SELECT id FROM rejected WHERE received_at < $1::date ORDER BY id LIMIT $2::bigint)"

/* prune_rows - run @sql with $1 = @day and $2 = @limit (-1: NULL, no limit); its one row */
static PGresult *
prune_rows (TrStore *base, const char *sql, const char *day, gint64 limit, const char *what,
            GError **error)
{
  g_auto (TrPgParams) p = { 0 };

  tr_pg_params_init (&p);
  tr_pg_add_text (&p, day);
  if (limit >= 0)
    tr_pg_add_int (&p, limit);
  else
    tr_pg_add_text (&p, NULL);
  return tr_pg_exec (PG_STORE (base), -1, sql, &p, what, error);
}

/* tr_pg_prune_reports - delete (or count) up to @limit reports from before @before_day; their
 * policies, failure details, warnings and summaries follow by ON DELETE CASCADE */
gboolean
tr_pg_prune_reports (TrStore *base, const char *before_day, gint64 limit, gboolean dry_run,
                     TrPruneCounts *counts, GError **error)
{
  g_autoptr (PGresult) res = prune_rows (
      base,
      dry_run ? "WITH " OLD_REPORTS " SELECT * FROM counts"
              : "WITH " OLD_REPORTS ", d AS (DELETE FROM reports WHERE id IN (SELECT id FROM old))"
                " SELECT * FROM counts",
      before_day, limit, dry_run ? "counting old reports" : "deleting old reports", error);

  if (res == NULL)
    return FALSE;
  counts->reports += tr_pg_int (res, 0, 0);
  counts->policies += tr_pg_int (res, 0, 1);
  counts->failures += tr_pg_int (res, 0, 2);
  return TRUE;
}

/* tr_pg_prune_rejected - delete (or count) up to @limit rejected messages */
gboolean
tr_pg_prune_rejected (TrStore *base, const char *before_day, gint64 limit, gboolean dry_run,
                      TrPruneCounts *counts, GError **error)
{
  g_autoptr (PGresult) res = prune_rows (
      base,
      dry_run ? "WITH " OLD_REJECTED " SELECT count(*) FROM old"
              : "WITH " OLD_REJECTED
                ", d AS (DELETE FROM rejected WHERE id IN (SELECT id FROM old))"
                " SELECT count(*) FROM old",
      before_day, limit,
      dry_run ? "counting old rejected messages" : "deleting old rejected messages", error);

  if (res == NULL)
    return FALSE;
  counts->rejected += tr_pg_int (res, 0, 0);
  return TRUE;
}
