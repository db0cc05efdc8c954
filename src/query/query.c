/* query.c - the read-only questions of query and show (SQL over the summary tables of schema
 * step 3; doc/schema.md, "Counting sessions")
 *
 * SQL is put together from the fixed fragments below only; every value is bound by name
 * (:domains, :since, ...).  Lists of values are bound as one JSON array and read with
 * json_each(), so that the SQL text never depends on a value.
 */
#include "config.h"

#include <string.h>

#include "error.h"
#include "explain.h"
#include "query.h"
#include "schema.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* the domain key of policy p (of report p.report_ref): the report's TLS-Report-Domain is read
 * only for a policy without a domain (the reports table holds raw_json: costly rows) */
#define DOMAIN_KEY                                                                                 \
  "lower(coalesce(nullif(p.policy_domain, ''), (SELECT nullif(tls_report_domain, '') FROM"         \
  " reports WHERE id = p.report_ref), '(none)'))"
/* the domain key of policy p of report r */
#define DOMAIN_KEY_R                                                                               \
  "lower(coalesce(nullif(p.policy_domain, ''), nullif(r.tls_report_domain, ''), '(none)'))"
/* the counting rule: max(sts, tlsa) + other, per report and domain key */
#define RULE(prefix, what)                                                                         \
  "max(" prefix "sts_" what ", " prefix "tlsa_" what ") + " prefix "other_" what
#define IN_LIST(expr, param) " AND " expr " IN (SELECT value FROM json_each(" param "))"
/* AUTHENTICATED - a report whose DKIM signature our MTA verified, aligned with the reporter */
#define AUTHENTICATED(r) " AND " r ".dkim_result = 'pass' AND " r ".dkim_aligned = 1"

void
tr_query_filter_clear (TrQueryFilter *filter)
{
  g_clear_pointer (&filter->domains, g_strfreev);
  g_clear_pointer (&filter->since_day, g_free);
  g_clear_pointer (&filter->until_day, g_free);
  g_clear_pointer (&filter->reporters, g_strfreev);
  g_clear_pointer (&filter->result_types, g_strfreev);
  g_clear_pointer (&filter->mxs, g_strfreev);
  filter->limit = -1;
}

static const char *const group_names[TR_N_GROUPS] = {
  [TR_GROUP_DAY] = "day",
  [TR_GROUP_DOMAIN] = "domain",
  [TR_GROUP_REPORTER] = "reporter",
  [TR_GROUP_RESULT_TYPE] = "result-type",
  [TR_GROUP_MX] = "mx",
};

/* tr_query_parse_group - a --by value */
gboolean
tr_query_parse_group (const char *name, TrGroup *group, GError **error)
{
  for (guint i = 0; i < TR_N_GROUPS; i++)
    if (g_strcmp0 (name, group_names[i]) == 0)
      {
        *group = (TrGroup) i;
        return TRUE;
      }
  g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
               "--by: expected day, domain, reporter, result-type or mx, not \"%s\"", name);
  return FALSE;
}

/* parse_span - "30d", "24h", "90m", "2w", "3600s": seconds */
static gboolean
parse_span (const char *text, gint64 *seconds)
{
  guint64 n;
  gsize len = strlen (text);
  g_autofree char *digits = NULL;
  gint64 unit;

  if (len < 2 || len > 12)
    return FALSE;
  switch (text[len - 1])
    {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      case 'w':
        unit = 7 * 86400;
        break;
      default:
        return FALSE;
    }
  digits = g_strndup (text, len - 1);
  if (!g_ascii_string_to_unsigned (digits, 10, 0, (guint64) 100 * 365 * 86400 / (guint64) unit, &n,
                                   NULL))
    return FALSE;
  *seconds = (gint64) n * unit;
  return TRUE;
}

/* tr_query_parse_time - a --since or --until value as the UTC day it falls on */
char *
tr_query_parse_time (const char *option, const char *text, GDateTime *now, GError **error)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) when = NULL;
  gint64 seconds;
  int y, m, d;
  char end;

  if (parse_span (text, &seconds))
    when = g_date_time_add_seconds (now, (gdouble) -seconds);
  else if (strlen (text) == 10 && sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3
           && g_ascii_isdigit (text[0]) && text[4] == '-' && text[7] == '-')
    when = g_date_time_new (utc, y, m, d, 0, 0, 0);
  else if (strlen (text) > 10 && (text[10] == 'T' || text[10] == 't' || text[10] == ' '))
    when = g_date_time_new_from_iso8601 (text, utc);
  if (when == NULL || g_date_time_get_year (when) < 1970 || g_date_time_get_year (when) > 9999)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                   "%s: expected a date (2026-11-20), a date-time (2026-11-20T10:00:00Z) or a "
                   "span back from now such as 7d, 24h, 30m or 2w, not \"%s\"",
                   option, text);
      return NULL;
    }
  {
    g_autoptr (GDateTime) in_utc = g_date_time_to_utc (when);
    return g_date_time_format (in_utc, "%Y-%m-%d");
  }
}

/* tr_query_check_value - reject values that cannot match anything stored (or are garbage) */
gboolean
tr_query_check_value (const char *option, const char *value, gboolean host_name, GError **error)
{
  gsize len = strlen (value);
  gboolean ok = len > 0 && len <= 1024 && g_utf8_validate (value, -1, NULL);

  for (const char *p = value; ok && *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      if (host_name)
        ok = g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '*';
      else
        ok = c >= 0x20 && c != 0x7f;
    }
  if (host_name && !ok && strcmp (value, "(none)") == 0)
    ok = TRUE;
  if (!ok)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "%s: expected %s, not \"%s\"", option,
                   host_name ? "a domain name such as example.com" : "a non-empty printable value",
                   value);
      return FALSE;
    }
  return TRUE;
}

/* sql_error - the connection's last error as a GError */
static gboolean
sql_error (TrStore *store, const char *what, GError **error)
{
  sqlite3 *db = tr_store_db (store);
  int rc = sqlite3_extended_errcode (db) & 0xff;

  g_set_error (error, TR_ERROR,
               rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_IOERR
                       || rc == SQLITE_CANTOPEN || rc == SQLITE_NOMEM || rc == SQLITE_CORRUPT
                       || rc == SQLITE_NOTADB || rc == SQLITE_READONLY
                   ? TR_ERROR_TEMPORARY
                   : TR_ERROR_INTERNAL,
               "%s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

/* tr_query_open - the database, read-only, with the current schema */
TrStore *
tr_query_open (const char *path, GError **error)
{
  g_autoptr (TrStore) store = tr_store_open (path, TR_STORE_READ_ONLY, error);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 version;

  if (store == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (tr_store_db (store), "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    {
      sql_error (store, path, error);
      g_prefix_error (error, "reading the schema version: ");
      return NULL;
    }
  version = sqlite3_column_int64 (stmt, 0);
  if (version == 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_NOT_FOUND,
                   "%s: an empty file, not a tlsrptdb database yet (tlsrptdb ingest creates it)",
                   path);
      return NULL;
    }
  if (version < (gint64) TR_SCHEMA_READABLE)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY,
                   "%s: database schema version %" G_GINT64_FORMAT
                   " is older than this program reads (%u): run \"tlsrptdb upgrade --db %s\" as "
                   "its owner (the next ingest upgrades it too)",
                   path, version, TR_SCHEMA_READABLE, path);
      return NULL;
    }
  return g_steal_pointer (&store);
}

/* json_list - @values as a JSON array text, each lower-cased if @lower */
static char *
json_list (char **values, gboolean lower)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_autofree char *folded = lower ? g_utf8_strdown (values[i], -1) : g_strdup (values[i]);
      g_autofree char *quoted = tr_output_json_string (folded);

      g_string_append (s, i > 0 ? "," : "");
      g_string_append (s, quoted);
    }
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* bind_named - bind @value to :@name if the statement has it */
static void
bind_named (sqlite3_stmt *stmt, const char *name, const char *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0 && value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

/* prepare - @sql with the filter values bound */
static sqlite3_stmt *
prepare (TrStore *store, const char *sql, const TrQueryFilter *filter, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int index;

  if (sqlite3_prepare_v2 (tr_store_db (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sql_error (store, "preparing a query", error);
      return NULL;
    }
  if (filter == NULL)
    return stmt;
  if (filter->domains != NULL)
    {
      g_autofree char *list = json_list (filter->domains, TRUE);
      bind_named (stmt, ":domains", list);
    }
  if (filter->reporters != NULL)
    {
      g_autofree char *list = json_list (filter->reporters, TRUE);
      bind_named (stmt, ":reporters", list);
    }
  if (filter->result_types != NULL)
    {
      g_autofree char *list = json_list (filter->result_types, TRUE);
      bind_named (stmt, ":types", list);
    }
  if (filter->mxs != NULL)
    {
      g_autofree char *list = json_list (filter->mxs, TRUE);
      bind_named (stmt, ":mxs", list);
    }
  bind_named (stmt, ":since", filter->since_day);
  bind_named (stmt, ":until", filter->until_day);
  index = sqlite3_bind_parameter_index (stmt, ":limit");
  if (index > 0)
    sqlite3_bind_int64 (stmt, index, filter->limit);
  return stmt;
}

/* add_session_filters - the fragments that restrict summary_sessions s */
static void
add_session_filters (GString *sql, const TrQueryFilter *filter)
{
  if (filter->domains != NULL)
    g_string_append (sql, IN_LIST ("s.policy_domain", ":domains"));
  if (filter->since_day != NULL)
    g_string_append (sql, " AND s.report_day >= :since");
  if (filter->until_day != NULL)
    g_string_append (sql, " AND s.report_day <= :until");
  if (filter->reporters != NULL)
    g_string_append (sql, IN_LIST ("s.reporter_key", ":reporters"));
  if (filter->authenticated)
    g_string_append (
        sql, " AND s.report_ref IN (SELECT r.id FROM reports r WHERE 1" AUTHENTICATED ("r") ")");
}

/* add_report_filters - the fragments that restrict reports r (the domains are restricted to
 * the reports that name one, through the index of summary_sessions) */
static void
add_report_filters (GString *sql, const TrQueryFilter *filter)
{
  if (filter->since_day != NULL)
    g_string_append (sql, " AND r.report_day >= :since");
  if (filter->until_day != NULL)
    g_string_append (sql, " AND r.report_day <= :until");
  if (filter->reporters != NULL)
    g_string_append (sql, IN_LIST ("r.reporter_key", ":reporters"));
  if (filter->authenticated)
    g_string_append (sql, AUTHENTICATED ("r"));
  if (filter->domains != NULL)
    g_string_append (sql, " AND r.id IN (SELECT report_ref FROM summary_sessions WHERE"
                          " policy_domain IN (SELECT value FROM json_each(:domains)))");
}

/* add_detail_filters - the fragments that restrict summary_policy_failures f */
static void
add_detail_filters (GString *sql, const TrQueryFilter *filter)
{
  if (filter->result_types != NULL)
    g_string_append (sql, IN_LIST ("lower(f.result_type)", ":types"));
  if (filter->mxs != NULL)
    g_string_append (sql, IN_LIST ("f.receiving_mx", ":mxs"));
}

/* add_sessions_from - "FROM summary_sessions s" with the index that fits the filters: the table
 * is clustered by day; without statistics SQLite would rather scan a whole index */
static void
add_sessions_from (GString *sql, const TrQueryFilter *filter)
{
  if (filter->domains != NULL)
    g_string_append (sql, " FROM summary_sessions s INDEXED BY summary_sessions_domain");
  else if (filter->reporters != NULL && filter->since_day == NULL && filter->until_day == NULL)
    g_string_append (sql, " FROM summary_sessions s INDEXED BY summary_sessions_reporter");
  else
    g_string_append (sql, " FROM summary_sessions s"); /* its primary key starts with the day */
}

static const char *const group_columns[TR_N_GROUPS] = {
  [TR_GROUP_DAY] = "s.report_day",        [TR_GROUP_DOMAIN] = "s.policy_domain",
  [TR_GROUP_REPORTER] = "s.reporter_key", [TR_GROUP_RESULT_TYPE] = "f.result_type",
  [TR_GROUP_MX] = "f.receiving_mx",
};

static const TrColumn group_output[TR_N_GROUPS] = {
  [TR_GROUP_DAY] = { "day", "DAY", TR_COLUMN_TEXT, FALSE },
  [TR_GROUP_DOMAIN] = { "policy_domain", "POLICY DOMAIN", TR_COLUMN_TEXT, FALSE },
  [TR_GROUP_REPORTER] = { "reporter", "REPORTER", TR_COLUMN_TEXT, FALSE },
  [TR_GROUP_RESULT_TYPE] = { "result_type", "RESULT TYPE", TR_COLUMN_TEXT, FALSE },
  [TR_GROUP_MX] = { "receiving_mx", "RECEIVING MX", TR_COLUMN_TEXT, FALSE },
};

/* One group of the summary: its values, its sessions, its result types. */
typedef struct
{
  char **values; /* n_groups strings */
  gint64 successful;
  gint64 failed;
  gboolean has_successful;
  GHashTable *reports;     /* report_ref (gint64 *) set: for the per-detail groups */
  gint64 n_reports;        /* for the session groups */
  GHashTable *type_counts; /* result type -> gint64 * */
} Group;

static void
group_free (gpointer data)
{
  Group *g = data;

  g_strfreev (g->values);
  g_clear_pointer (&g->reports, g_hash_table_unref);
  g_hash_table_unref (g->type_counts);
  g_free (g);
}

/* One (domain, result type, MX) of the report being summed: counts per policy class. */
typedef struct
{
  char *domain;
  char *result_type;
  char *mx;
  gint64 by_class[3]; /* other, sts, tlsa */
} Detail;

static void
detail_free (gpointer data)
{
  Detail *d = data;

  g_free (d->domain);
  g_free (d->result_type);
  g_free (d->mx);
  g_free (d);
}

typedef struct
{
  const TrGroup *groups;
  guint n_groups;
  gboolean per_detail; /* groups by result type or MX, or filtered by them */
  GHashTable *map;     /* key -> Group */
  GPtrArray *order;    /* of Group, in the order the groups were first seen */
  /* the report being summed */
  gint64 report_ref;
  char *day;
  char *reporter;
  GHashTable *details; /* "domain\x1ftype\x1fmx" -> Detail */
} Summary;

/* add_saturated - @a + @b for counts (both >= 0): at most G_MAXINT64, never an overflow.  One
 * report's counts are bounded (validate.c), many reports' sums saturate. */
static gint64
add_saturated (gint64 a, gint64 b)
{
  if (b > 0 && a > G_MAXINT64 - b)
    return G_MAXINT64;
  return a + b;
}

/* find_group - the group of @values (n_groups strings), created if new */
static Group *
find_group (Summary *sum, char **values)
{
  g_autoptr (GString) key = g_string_new (NULL);
  Group *g;

  for (guint i = 0; i < sum->n_groups; i++)
    {
      g_string_append (key, values[i] ? values[i] : "\x1e");
      g_string_append_c (key, '\x1f');
    }
  g = g_hash_table_lookup (sum->map, key->str);
  if (g == NULL)
    {
      g = g_new0 (Group, 1);
      g->values = g_new0 (char *, sum->n_groups + 1);
      for (guint i = 0; i < sum->n_groups; i++)
        g->values[i] = g_strdup (values[i]);
      if (sum->per_detail)
        g->reports = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g->type_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (sum->map, g_strdup (key->str), g);
      g_ptr_array_add (sum->order, g);
    }
  return g;
}

/* add_count - @n more failed sessions of @type in @g */
static void
add_count (Group *g, const char *type, gint64 n)
{
  gint64 *count = g_hash_table_lookup (g->type_counts, type);

  if (count == NULL)
    {
      count = g_new0 (gint64, 1);
      g_hash_table_insert (g->type_counts, g_strdup (type), count);
    }
  *count = add_saturated (*count, n);
}

/* flush_report - apply the counting rule to the report summed so far, per domain, and add the
 * result to its groups */
static void
flush_report (Summary *sum)
{
  GHashTableIter iter;
  gpointer value;

  if (sum->day == NULL)
    return;
  g_hash_table_iter_init (&iter, sum->details);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Detail *d = value;
      gint64 failed = add_saturated (MAX (d->by_class[1], d->by_class[2]), d->by_class[0]);
      char *values[TR_N_GROUPS];
      Group *g;

      for (guint i = 0; i < sum->n_groups; i++)
        switch (sum->groups[i])
          {
            case TR_GROUP_DAY:
              values[i] = sum->day;
              break;
            case TR_GROUP_DOMAIN:
              values[i] = d->domain;
              break;
            case TR_GROUP_REPORTER:
              values[i] = sum->reporter;
              break;
            case TR_GROUP_RESULT_TYPE:
              values[i] = d->result_type;
              break;
            case TR_GROUP_MX:
            default:
              values[i] = d->mx;
              break;
          }
      g = find_group (sum, values);
      add_count (g, d->result_type, failed);
      if (sum->per_detail)
        {
          gint64 *ref = g_new (gint64, 1);

          *ref = sum->report_ref;
          g->failed = add_saturated (g->failed, failed);
          g_hash_table_add (g->reports, ref);
        }
    }
  g_hash_table_remove_all (sum->details);
  g_clear_pointer (&sum->day, g_free);
  g_clear_pointer (&sum->reporter, g_free);
}

/* add_detail - one row of summary_policy_failures into the report being summed */
static void
add_detail (Summary *sum, const char *domain, int class, const char *type, const char *mx,
            gint64 failed)
{
  g_autofree char *key = NULL;
  Detail *d;

  if (!sum->per_detail)
    mx = ""; /* the MX is not a group: one detail per domain and type */
  key = g_strconcat (domain, "\x1f", type, "\x1f", mx, NULL);
  d = g_hash_table_lookup (sum->details, key);
  if (d == NULL)
    {
      d = g_new0 (Detail, 1);
      d->domain = g_strdup (domain);
      d->result_type = g_strdup (type);
      d->mx = g_strdup (mx);
      g_hash_table_insert (sum->details, g_steal_pointer (&key), d);
    }
  d->by_class[CLAMP (class, 0, 2)] = add_saturated (d->by_class[CLAMP (class, 0, 2)], failed);
}

/* sum_details - read the failure details report by report, apply the counting rule in C.  The
 * reports in the window come from summary_sessions (compact rows, clustered by day; the reports
 * table holds raw_json), one row per report, in report order; they are the outer loop of the join
 * (CROSS JOIN keeps SQLite to that order), so the rows of one report come together and each
 * policy is read once: linear in the rows. */
static gboolean
sum_details (TrStore *store, const TrQueryFilter *filter, Summary *sum, GError **error)
{
  g_autoptr (GString) sql
      = g_string_new ("SELECT s.report_ref, " DOMAIN_KEY ", s.day, s.reporter,"
                      " CASE WHEN p.policy_type = 'sts' COLLATE NOCASE THEN 1"
                      " WHEN p.policy_type = 'tlsa' COLLATE NOCASE THEN 2 ELSE 0 END,"
                      " f.result_type, f.receiving_mx, f.failed"
                      " FROM (SELECT s.report_ref, min(s.report_day) AS day,"
                      " min(s.reporter_key) AS reporter");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  add_sessions_from (sql, filter);
  g_string_append (sql, " WHERE 1");
  add_session_filters (sql, filter);
  g_string_append (sql, " GROUP BY +s.report_ref) s" /* "+": a day range, then a sort */
                        " CROSS JOIN policies p CROSS JOIN summary_policy_failures f"
                        " WHERE p.report_ref = s.report_ref AND f.policy_ref = p.id");
  if (filter->domains != NULL)
    g_string_append (sql, IN_LIST (DOMAIN_KEY, ":domains"));
  add_detail_filters (sql, filter);
  stmt = prepare (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 report_ref = sqlite3_column_int64 (stmt, 0);
      const char *domain = (const char *) sqlite3_column_text (stmt, 1);
      const char *type = (const char *) sqlite3_column_text (stmt, 5);
      const char *mx = (const char *) sqlite3_column_text (stmt, 6);

      if (domain == NULL || type == NULL || mx == NULL)
        continue; /* NOT NULL columns */
      if (sum->day == NULL || report_ref != sum->report_ref)
        {
          const char *day = (const char *) sqlite3_column_text (stmt, 2);

          flush_report (sum);
          sum->report_ref = report_ref;
          sum->day = g_strdup (day ? day : "");
          sum->reporter = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
        }
      add_detail (sum, domain, sqlite3_column_int (stmt, 4), type, mx,
                  sqlite3_column_int64 (stmt, 7));
    }
  if (rc != SQLITE_DONE)
    return sql_error (store, "summing failure details", error);
  flush_report (sum);
  return TRUE;
}

/* sum_sessions - successful and failed sessions per group of day, domain and reporter */
static gboolean
sum_sessions (TrStore *store, const TrQueryFilter *filter, Summary *sum, GError **error)
{
  g_autoptr (GString) sql = g_string_new ("SELECT ");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  for (guint i = 0; i < sum->n_groups; i++)
    {
      g_string_append (sql, group_columns[sum->groups[i]]);
      g_string_append (sql, ", ");
    }
  /* total(): many reports' sums saturate instead of failing with "integer overflow" */
  g_string_append (sql, "CAST(total(" RULE ("s.", "successful") ") AS INTEGER), CAST(total(" RULE (
                            "s.", "failed") ") AS INTEGER), count(DISTINCT s.report_ref)");
  add_sessions_from (sql, filter);
  g_string_append (sql, " WHERE 1");
  add_session_filters (sql, filter);
  /* "+": group with a temporary b-tree; an index in group order would be scanned whole */
  g_string_append (sql, " GROUP BY ");
  for (guint i = 0; i < sum->n_groups; i++)
    {
      g_string_append (sql, i > 0 ? ", +" : "+");
      g_string_append (sql, group_columns[sum->groups[i]]);
    }
  stmt = prepare (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char *values[TR_N_GROUPS];
      Group *g;

      for (guint i = 0; i < sum->n_groups; i++)
        values[i] = (char *) sqlite3_column_text (stmt, (int) i);
      g = find_group (sum, values);
      g->has_successful = TRUE;
      g->successful = sqlite3_column_int64 (stmt, (int) sum->n_groups);
      g->failed = sqlite3_column_int64 (stmt, (int) sum->n_groups + 1);
      g->n_reports = sqlite3_column_int64 (stmt, (int) sum->n_groups + 2);
    }
  if (rc != SQLITE_DONE)
    return sql_error (store, "summing sessions", error);
  return TRUE;
}

static const Summary *sort_summary; /* for compare_groups */

/* compare_groups - by day (newest first), else most failed first; then by the values */
static int
compare_groups (gconstpointer a, gconstpointer b)
{
  const Group *x = *(const Group *const *) a, *y = *(const Group *const *) b;
  gboolean has_day = FALSE;

  for (guint i = 0; i < sort_summary->n_groups; i++)
    has_day |= sort_summary->groups[i] == TR_GROUP_DAY;
  if (!has_day && x->failed != y->failed)
    return x->failed > y->failed ? -1 : 1;
  if (!has_day && x->successful != y->successful)
    return x->successful > y->successful ? -1 : 1;
  for (guint i = 0; i < sort_summary->n_groups; i++)
    {
      int c = g_strcmp0 (x->values[i], y->values[i]);
      if (c != 0)
        return sort_summary->groups[i] == TR_GROUP_DAY ? -c : c;
    }
  return 0;
}

typedef struct
{
  const char *name;
  gint64 count;
} TypeCount;

#define TEXT_TYPES 3 /* result types per group in text */

static int
compare_type_counts (gconstpointer a, gconstpointer b)
{
  const TypeCount *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->name, y->name);
}

/* print_types - the result types of @g, most failed sessions first; collects their names */
static void
print_types (TrPrinter *printer, Group *g, GHashTable *seen)
{
  g_autoptr (GArray) list = g_array_new (FALSE, FALSE, sizeof (TypeCount));
  g_autofree const char **names = NULL;
  g_autofree gint64 *counts = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, g->type_counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TypeCount tc = { key, *(gint64 *) value };
      g_array_append_val (list, tc);
    }
  g_array_sort (list, compare_type_counts);
  if (tr_printer_get_format (printer) == TR_FORMAT_TEXT && list->len > TEXT_TYPES)
    g_array_set_size (list, TEXT_TYPES); /* the most frequent ones; JSON and CSV have all */
  names = g_new0 (const char *, list->len + 1);
  counts = g_new0 (gint64, list->len + 1);
  for (guint i = 0; i < list->len; i++)
    {
      g_hash_table_add (seen, (gpointer) g_array_index (list, TypeCount, i).name);
      names[i] = g_array_index (list, TypeCount, i).name;
      counts[i] = g_array_index (list, TypeCount, i).count;
    }
  tr_printer_field_counts (printer, "result_type", "sessions", names, counts, list->len);
}

/* tr_query_summary - successful and failed sessions per group */
gboolean
tr_query_summary (TrStore *store, const TrQueryFilter *filter, const TrGroup *groups,
                  guint n_groups, TrPrinter *printer, GError **error)
{
  Summary sum = { 0 };
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  TrColumn columns[TR_N_GROUPS + 6];
  guint n_columns = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (n_groups >= 1 && n_groups <= TR_N_GROUPS, FALSE);
  sum.groups = groups;
  sum.n_groups = n_groups;
  sum.per_detail = filter->result_types != NULL || filter->mxs != NULL;
  for (guint i = 0; i < n_groups; i++)
    {
      sum.per_detail |= groups[i] == TR_GROUP_RESULT_TYPE || groups[i] == TR_GROUP_MX;
      columns[n_columns++] = group_output[groups[i]];
    }
  columns[n_columns++] = (TrColumn){ "successful", "SUCCESSFUL", TR_COLUMN_NUMBER, FALSE };
  columns[n_columns++] = (TrColumn){ "failed", "FAILED", TR_COLUMN_NUMBER, FALSE };
  columns[n_columns++] = (TrColumn){ "failure_rate", "RATE", TR_COLUMN_NUMBER, FALSE };
  columns[n_columns++] = (TrColumn){ "reports", "REPORTS", TR_COLUMN_NUMBER, FALSE };
  columns[n_columns++] = (TrColumn){ "result_types", "RESULT TYPES", TR_COLUMN_LONG, FALSE };
  sum.map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, group_free);
  sum.order = g_ptr_array_new ();
  sum.details = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, detail_free);

  if ((sum.per_detail || sum_sessions (store, filter, &sum, error))
      && sum_details (store, filter, &sum, error))
    {
      sort_summary = &sum;
      g_ptr_array_sort (sum.order, compare_groups);
      sort_summary = NULL;
      tr_printer_begin_list (printer, "summary", columns, n_columns);
      for (guint i = 0; i < sum.order->len && (filter->limit < 0 || i < filter->limit); i++)
        {
          Group *g = g_ptr_array_index (sum.order, i);

          for (guint j = 0; j < n_groups; j++)
            tr_printer_field_str (printer, g->values[j]);
          if (g->has_successful)
            tr_printer_field_int (printer, g->successful);
          else
            tr_printer_field_null (printer);
          tr_printer_field_int (printer, g->failed);
          if (g->has_successful && g->successful + g->failed > 0)
            tr_printer_field_percent (printer,
                                      (double) g->failed / (double) (g->successful + g->failed));
          else
            tr_printer_field_null (printer);
          tr_printer_field_int (printer,
                                sum.per_detail ? g_hash_table_size (g->reports) : g->n_reports);
          print_types (printer, g, seen);
          tr_printer_end_row (printer);
        }
      {
        g_autofree char **names = (char **) g_hash_table_get_keys_as_array (seen, NULL);
        tr_explain_notes (printer, (const char *const *) names);
      }
      ok = tr_printer_end (printer, error);
    }
  flush_report (&sum); /* frees what an error left */
  g_hash_table_unref (sum.details);
  g_ptr_array_unref (sum.order);
  g_hash_table_unref (sum.map); /* after the names in `seen` were used */
  return ok;
}

static const TrColumn failure_columns[] = {
  { "day", "DAY", TR_COLUMN_TEXT, FALSE },
  { "reporter", "REPORTER", TR_COLUMN_TEXT, FALSE },
  { "policy_domain", "POLICY DOMAIN", TR_COLUMN_TEXT, FALSE },
  { "policy_type", "POLICY", TR_COLUMN_TEXT, FALSE },
  { "result_type", "RESULT TYPE", TR_COLUMN_TEXT, FALSE },
  { "sending_mta_ip", "SENDING MTA", TR_COLUMN_TEXT, FALSE },
  { "receiving_mx_hostname", "RECEIVING MX", TR_COLUMN_TEXT, FALSE },
  { "receiving_ip", "RECEIVING IP", TR_COLUMN_TEXT, FALSE },
  { "failed_session_count", "COUNT", TR_COLUMN_NUMBER, FALSE },
  { "report_row", "ROW", TR_COLUMN_NUMBER, FALSE },
  { "failure_reason_code", "REASON", TR_COLUMN_LONG, FALSE },
  { "receiving_mx_helo", "HELO", TR_COLUMN_LONG, TRUE },
  { "additional_information", "ADDITIONAL INFORMATION", TR_COLUMN_LONG, TRUE },
  { "report_id", "REPORT-ID", TR_COLUMN_LONG, TRUE },
};

/* print_row - @n columns of @stmt from the first, by the kinds of @columns */
static void
print_row (TrPrinter *printer, sqlite3_stmt *stmt, const TrColumn *columns, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      if (sqlite3_column_type (stmt, (int) i) == SQLITE_NULL)
        tr_printer_field_null (printer);
      else if (columns[i].kind == TR_COLUMN_NUMBER)
        tr_printer_field_int (printer, sqlite3_column_int64 (stmt, (int) i));
      else
        tr_printer_field_str (printer, (const char *) sqlite3_column_text (stmt, (int) i));
    }
  tr_printer_end_row (printer);
}

/* tr_query_failures - failure details, newest first */
gboolean
tr_query_failures (TrStore *store, const TrQueryFilter *filter, TrPrinter *printer, GError **error)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GHashTable) seen_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int rc;

  g_string_append (sql, "SELECT r.report_day, r.reporter_key, " DOMAIN_KEY_R ", p.policy_type,"
                        " f.result_type, f.sending_mta_ip, f.receiving_mx_hostname,"
                        " f.receiving_ip, f.failed_session_count, r.id, f.failure_reason_code,"
                        " f.receiving_mx_helo, f.additional_information, r.report_id"
                        " FROM reports r CROSS JOIN policies p CROSS JOIN failures f"
                        " WHERE p.report_ref = r.id AND f.policy_ref = p.id");
  add_report_filters (sql, filter);
  if (filter->domains != NULL)
    g_string_append (sql, IN_LIST (DOMAIN_KEY_R, ":domains"));
  if (filter->result_types != NULL)
    g_string_append (sql, IN_LIST ("lower(f.result_type)", ":types"));
  if (filter->mxs != NULL)
    g_string_append (sql, IN_LIST ("lower(f.receiving_mx_hostname)", ":mxs"));
  g_string_append (sql, " ORDER BY r.report_day DESC, r.id DESC, p.policy_index, f.id");
  if (filter->limit >= 0)
    g_string_append (sql, " LIMIT :limit");

  stmt = prepare (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  tr_printer_begin_list (printer, "failures", failure_columns, G_N_ELEMENTS (failure_columns));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *type = (const char *) sqlite3_column_text (stmt, 4);

      if (type != NULL && g_hash_table_size (seen_types) < 64)
        g_hash_table_add (seen_types, g_strdup (type));
      print_row (printer, stmt, failure_columns, G_N_ELEMENTS (failure_columns));
    }
  if (rc != SQLITE_DONE)
    return sql_error (store, "reading failure details", error);
  {
    g_autofree char **names = (char **) g_hash_table_get_keys_as_array (seen_types, NULL);
    tr_explain_notes (printer, (const char *const *) names);
  }
  return tr_printer_end (printer, error);
}

/* the sessions of report r by the counting rule, and the first REPORT_DOMAINS of its domains */
#define SESSIONS_OF_REPORT(what)                                                                   \
  "SELECT sum(" RULE ("", what) ") FROM summary_sessions WHERE report_ref = r.id"
#define REPORT_DOMAINS "20"
#define DOMAINS_OF_REPORT                                                                          \
  "SELECT group_concat(policy_domain, ' ') || coalesce((SELECT ' (and ' || (count(*) "             \
  "- " REPORT_DOMAINS                                                                              \
  ") || ' more)' FROM summary_sessions WHERE report_ref = r.id HAVING count(*) > " REPORT_DOMAINS  \
  "), '') FROM (SELECT policy_domain FROM summary_sessions WHERE report_ref ="                     \
  " r.id ORDER BY policy_domain LIMIT " REPORT_DOMAINS ")"

static const TrColumn report_columns[] = {
  { "report_row", "ROW", TR_COLUMN_NUMBER },
  { "day", "DAY", TR_COLUMN_TEXT },
  { "reporter", "REPORTER", TR_COLUMN_TEXT },
  { "start_datetime", "START", TR_COLUMN_TEXT },
  { "end_datetime", "END", TR_COLUMN_TEXT },
  { "successful", "SUCCESSFUL", TR_COLUMN_NUMBER },
  { "failed", "FAILED", TR_COLUMN_NUMBER },
  { "deliveries", "DELIVERIES", TR_COLUMN_NUMBER },
  { "conflicts", "CONFLICTS", TR_COLUMN_NUMBER },
  { "policy_domains", "POLICY DOMAINS", TR_COLUMN_TEXT },
  { "report_id", "REPORT-ID", TR_COLUMN_LONG },
};

/* tr_query_reports - one row per report, newest first */
gboolean
tr_query_reports (TrStore *store, const TrQueryFilter *filter, TrPrinter *printer, GError **error)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_string_append (
      sql,
      "SELECT r.id, r.report_day, r.reporter_key, r.start_datetime,"
      " r.end_datetime, (" SESSIONS_OF_REPORT (
          "successful") "),"
                        " (" SESSIONS_OF_REPORT (
                            "failed") "), r.deliveries,"
                                      " (SELECT count(*) - 1 FROM reports o WHERE o.reporter_key ="
                                      " r.reporter_key AND o.report_id = r.report_id),"
                                      " (" DOMAINS_OF_REPORT
                                      "), r.report_id FROM reports r WHERE 1");
  add_report_filters (sql, filter);
  if (filter->result_types != NULL || filter->mxs != NULL)
    {
      g_string_append (sql, " AND r.id IN (SELECT p.report_ref FROM policies p"
                            " JOIN summary_policy_failures f ON f.policy_ref = p.id WHERE 1");
      add_detail_filters (sql, filter);
      g_string_append (sql, ")");
    }
  g_string_append (sql, " ORDER BY r.report_day DESC, r.id DESC");
  if (filter->limit >= 0)
    g_string_append (sql, " LIMIT :limit");

  stmt = prepare (store, sql->str, filter, error);
  if (stmt == NULL)
    return FALSE;
  tr_printer_begin_list (printer, "reports", report_columns, G_N_ELEMENTS (report_columns));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    print_row (printer, stmt, report_columns, G_N_ELEMENTS (report_columns));
  if (rc != SQLITE_DONE)
    return sql_error (store, "reading reports", error);
  return tr_printer_end (printer, error);
}

static const TrColumn show_columns[] = {
  { "report_row", "Row", TR_COLUMN_NUMBER },
  { "reporter", "Reporter", TR_COLUMN_TEXT },
  { "report_id", "Report-ID", TR_COLUMN_TEXT },
  { "report_id_synthesized", "Report-ID synthesized", TR_COLUMN_NUMBER },
  { "organization_name", "Organization", TR_COLUMN_TEXT },
  { "contact_info", "Contact", TR_COLUMN_TEXT },
  { "start_datetime", "Start", TR_COLUMN_TEXT },
  { "end_datetime", "End", TR_COLUMN_TEXT },
  { "day", "Day", TR_COLUMN_TEXT },
  { "message_id", "Message-ID", TR_COLUMN_TEXT },
  { "subject", "Subject", TR_COLUMN_TEXT },
  { "mail_from", "From", TR_COLUMN_TEXT },
  { "mail_date", "Date", TR_COLUMN_TEXT },
  { "tls_report_domain", "TLS-Report-Domain", TR_COLUMN_TEXT },
  { "tls_report_submitter", "TLS-Report-Submitter", TR_COLUMN_TEXT },
  { "received_at", "Received", TR_COLUMN_TEXT },
  { "last_received_at", "Last received", TR_COLUMN_TEXT },
  { "deliveries", "Deliveries", TR_COLUMN_NUMBER },
  { "dkim_result", "DKIM", TR_COLUMN_TEXT },
  { "dkim_domain", "DKIM domain", TR_COLUMN_TEXT },
  { "dkim_aligned", "DKIM aligned", TR_COLUMN_NUMBER },
  { "conflicts_with", "Conflicts with", TR_COLUMN_TEXT },
  { "report", "Report", TR_COLUMN_LONG },
};

/* the other stored reports with the reporter and report-id of report r: "row 7 (authenticated),
 * row 9" (doc/schema.md, "Duplicates") */
#define CONFLICTS_OF_REPORT                                                                        \
  "SELECT group_concat('row ' || o.id || CASE WHEN " AUTHENTICATED_O " THEN ' (authenticated)'"    \
  " ELSE '' END, ', ') FROM reports o WHERE o.reporter_key = r.reporter_key AND o.report_id ="     \
  " r.report_id AND o.id != r.id"
#define AUTHENTICATED_O "o.dkim_result = 'pass' AND o.dkim_aligned = 1"

/* tr_query_show - the stored reports named @which */
gboolean
tr_query_show (TrStore *store, const char *which, TrPrinter *printer, guint *found, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  guint64 row_id;
  guint n = G_N_ELEMENTS (show_columns);
  int rc;

  *found = 0;
  stmt = prepare (store,
                  "SELECT id, reporter_key, report_id, report_id_synthesized, organization_name,"
                  " contact_info, start_datetime, end_datetime, report_day, message_id, subject,"
                  " mail_from, mail_date, tls_report_domain, tls_report_submitter, received_at,"
                  " last_received_at, deliveries, dkim_result, dkim_domain, dkim_aligned,"
                  " (" CONFLICTS_OF_REPORT "), raw_json FROM reports r"
                  " WHERE report_id = :which OR id = :row ORDER BY id",
                  NULL, error);
  if (stmt == NULL)
    return FALSE;
  bind_named (stmt, ":which", which);
  if (g_ascii_string_to_unsigned (which, 10, 1, G_MAXINT64, &row_id, NULL))
    sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":row"), (gint64) row_id);
  tr_printer_begin_list (printer, "report", show_columns, n);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (guint i = 0; i + 1 < n; i++)
        {
          if (sqlite3_column_type (stmt, (int) i) == SQLITE_NULL)
            tr_printer_field_null (printer);
          else if (show_columns[i].kind == TR_COLUMN_NUMBER)
            tr_printer_field_int (printer, sqlite3_column_int64 (stmt, (int) i));
          else
            tr_printer_field_str (printer, (const char *) sqlite3_column_text (stmt, (int) i));
        }
      tr_printer_field_json (printer, (const char *) sqlite3_column_text (stmt, (int) n - 1));
      tr_printer_end_row (printer);
      (*found)++;
    }
  if (rc != SQLITE_DONE)
    return sql_error (store, "reading a report", error);
  return tr_printer_end (printer, error);
}
