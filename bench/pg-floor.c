/* pg-floor.c - the storage floors of a PostgreSQL backend (issue 17), beside SQLite's.
 *
 * Usage: pg-floor nothing
 *        pg-floor connect CONNINFO
 *        pg-floor small CONNINFO JSON ROWS REPORT_ID MODE
 *        pg-floor rate CONNINFO JSON ROWS PREFIX N BATCH MODE
 *        pg-floor sqlite-rate DB JSON ROWS PREFIX N BATCH
 *        pg-floor query CONNINFO SQL [PARAM...] [-- SQL [PARAM...]]...
 *
 * The tables are those of doc/schema-pg-draft.sql (loaded by bench/pg-floor.sh); the data is
 * bench/store-floor.c's: one report whose raw_json is the file JSON, one sts policy, and one
 * failure detail per line of ROWS (tab-separated, the columns of `failures` after policy_ref).
 *
 * nothing: return at once (linked like bench/floor.c plus libpq: the floor of this program).
 * connect: PQconnectdb and PQfinish, nothing else.
 * small: one whole ingest's database work, as a process: connect, BEGIN, the report by
 *   INSERT ... ON CONFLICT ON CONSTRAINT reports_key DO UPDATE (a repeat counts a delivery)
 *   RETURNING id, deliveries, and when it is new its policy and failure details, COMMIT, exit.
 *   MODE exec: one statement at a time, each waits for its answer (store.c translated: 7 round
 *   trips, 8 with +sum).  MODE pipeline: one statement writes the report, its policies and its
 * failure details (data-modifying CTEs over arrays, policies and details only when the report is
 * new), sent with BEGIN and COMMIT in one pipeline (libpq 14): one round trip.  A suffix "+sum"
 * also writes the summary tables: exec by tlsrptdb_summarize(), pipeline in the same statement,
 *   from the rows it inserted.
 * rate: N reports REPORT_ID PREFIX-1 .. PREFIX-N, BATCH per transaction, from one connection,
 *   as `import` stores them (ON CONFLICT DO NOTHING: a known report is left alone).  MODE exec:
 *   prepared statements, one round trip each (5 per report).  MODE pipeline: the one statement of
 *   small's pipeline per report, prepared, a batch per pipeline sync.  MODE copy: each batch
 *   COPYed into temporary tables, then moved by one statement (ON CONFLICT DO NOTHING, policies
 *   and details of the new reports only).  "+sum": the summaries too, in the same statement (exec:
 *   one tlsrptdb_summarize() per report).  Prints "N seconds reports/s client-us server-us" for
 *   the storing alone (after the connection is made): the last two are the CPU time per report
 *   of this process and of its server process (from /proc: run it as the server's OS user).
 * sqlite-rate: rate's work in SQLite, store-floor's way (its schema, WAL, synchronous=FULL,
 *   INSERT OR IGNORE, prepared statements), BATCH per transaction; prints the same line (no
 *   server: 0).
 * query: connect, run each SQL with its PARAMs as $1, $2, ..., read every value of every row,
 *   exit: the floor of a `query` command that runs these statements (bench/pg-query.sh).
 *   Prints the number of rows.
 * With $PG_FLOOR_CPU naming a file, small also appends "pg-MODE client-ms server-ms" to it: the
 *   CPU time of this process and of its server process (one more round trip, for the pid).
 *
 * Exit status 0, or 1 with a message on stderr. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "libs.h"

#define N_FAILURE_COLUMNS 8
#define REPORTER "reporter.example.com"

typedef struct
{
  char *json;
  size_t json_len;
  int n_rows;
  char *(*rows)[N_FAILURE_COLUMNS]; /* NULL for an empty field */
  int summary;                      /* "+sum": write the summary tables too */
} Data;

static PGconn *conn;

/* die - print what failed, with libpq's message when there is one, and exit 1 */
G_GNUC_NORETURN static void
die (const char *what)
{
  fprintf (stderr, "pg-floor: %s: %s\n", what, conn != NULL ? PQerrorMessage (conn) : "failed");
  exit (1);
}

/* slurp - the whole file, NUL-terminated; its length in *len */
static char *
slurp (const char *path, size_t *len)
{
  FILE *f = fopen (path, "rb");
  char *data;
  long size;

  if (f == NULL || fseek (f, 0, SEEK_END) != 0 || (size = ftell (f)) < 0
      || fseek (f, 0, SEEK_SET) != 0)
    die (path);
  data = malloc ((size_t) size + 1);
  if (data == NULL || fread (data, 1, (size_t) size, f) != (size_t) size)
    die (path);
  data[size] = '\0';
  fclose (f);
  *len = (size_t) size;
  return data;
}

/* load - the report's JSON and its failure rows (split in place) */
static void
load (Data *d, const char *json_path, const char *rows_path, const char *mode)
{
  size_t len;
  char *rows = slurp (rows_path, &len);
  char *line = rows;

  memset (d, 0, sizeof *d);
  d->json = slurp (json_path, &d->json_len);
  d->summary = strstr (mode, "+sum") != NULL;
  for (size_t i = 0; i < len; i++)
    d->n_rows += rows[i] == '\n';
  d->rows = calloc ((size_t) d->n_rows + 1, sizeof *d->rows);
  for (int r = 0; r < d->n_rows && *line != '\0'; r++)
    {
      char *end = strchr (line, '\n');
      char *field = line;

      if (end != NULL)
        *end = '\0';
      for (int c = 0; c < N_FAILURE_COLUMNS; c++)
        {
          char *tab = strchr (field, '\t');

          if (tab != NULL)
            *tab = '\0';
          d->rows[r][c] = *field != '\0' ? field : NULL;
          field = tab != NULL ? tab + 1 : field + strlen (field);
        }
      line = end != NULL ? end + 1 : line + strlen (line);
    }
}

/* content_key - 64 hex digits that differ between report ids (stands for content_sha256) */
static void
content_key (const char *report_id, char out[65])
{
  for (int part = 0; part < 4; part++)
    {
      uint64_t h = 14695981039346656037ULL ^ (uint64_t) part;

      for (const char *p = report_id; *p != '\0'; p++)
        h = (h ^ (unsigned char) *p) * 1099511628211ULL;
      snprintf (out + 16 * part, 17, "%016llx", (unsigned long long) h);
    }
}

/* array_literal - the PostgreSQL array literal of @n values in column @column of the rows */
static char *
array_literal (const Data *d, int column)
{
  size_t size = 3;
  char *out, *p;

  for (int r = 0; r < d->n_rows; r++)
    size += (d->rows[r][column] != NULL ? 2 * strlen (d->rows[r][column]) + 3 : 5);
  out = p = malloc (size);
  *p++ = '{';
  for (int r = 0; r < d->n_rows; r++)
    {
      const char *v = d->rows[r][column];

      if (r > 0)
        *p++ = ',';
      if (v == NULL)
        {
          memcpy (p, "NULL", 4);
          p += 4;
          continue;
        }
      *p++ = '"';
      for (; *v != '\0'; v++)
        {
          if (*v == '"' || *v == '\\')
            *p++ = '\\';
          *p++ = *v;
        }
      *p++ = '"';
    }
  *p++ = '}';
  *p = '\0';
  return out;
}

/* the statements ------------------------------------------------------------------------ */

#define REPORT_COLUMNS                                                                             \
  "reporter_key, organization_name, contact_info, report_id, start_datetime, end_datetime,"        \
  " report_day, raw_json, received_at, last_received_at, content_sha256"
#define REPORT_VALUES                                                                              \
  "'" REPORTER "', 'Reporter Example Inc.', 'smtp-tls-reporting@" REPORTER "', $1,"                \
  " '2024-01-01T00:00:00Z', '2024-01-01T23:59:59Z', '2024-01-01', $2, $3, $3, $4"
#define COUNT_DELIVERY                                                                             \
  " ON CONFLICT ON CONSTRAINT reports_key DO UPDATE SET deliveries = reports.deliveries + 1,"      \
  " last_received_at = excluded.last_received_at"
#define POLICY_COLUMNS                                                                             \
  "report_ref, policy_index, policy_type, policy_domain, policy_string, mx_host,"                  \
  " total_successful_session_count, total_failure_session_count"
#define POLICY_VALUES                                                                              \
  "0, 'sts', 'example.com', '[\"version: STSv1\",\"mode: enforce\",\"max_age: 604800\","           \
  "\"mx: mx1.example.com\",\"mx: *.example.com\"]', '[\"mx1.example.com\",\"*.example.com\"]',"    \
  " 12345, 2496530"
#define FAILURE_COLUMNS                                                                            \
  "policy_ref, result_type, sending_mta_ip, receiving_mx_hostname, receiving_mx_helo,"             \
  " receiving_ip, failed_session_count, additional_information, failure_reason_code"

/* one statement: the report, and when it is new (deliveries = 1, or inserted at all with DO
 * NOTHING) its policy and its failure details, from arrays ($5 .. $12); @summaries: also the
 * summary rows, computed from what the statement inserted (the RETURNING rows of its policies
 * and failure details: no table is read, so no plan can go wrong) */
#define ONE_STATEMENT(conflict, summaries)                                                         \
  "WITH r AS (INSERT INTO reports (" REPORT_COLUMNS ") VALUES (" REPORT_VALUES ")" conflict        \
  " RETURNING id, deliveries, report_day, reporter_key, tls_report_domain),"                       \
  " p AS (INSERT INTO policies (" POLICY_COLUMNS ") SELECT r.id, " POLICY_VALUES                   \
  " FROM r WHERE r.deliveries = 1 RETURNING id, report_ref, policy_type, policy_domain,"           \
  " total_successful_session_count AS ok, total_failure_session_count AS bad),"                    \
  " f AS (INSERT INTO failures (" FAILURE_COLUMNS ") SELECT p.id, x.* FROM p,"                     \
  " unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[],"             \
  " $11::text[], $12::text[]) AS x"                                                                \
  " RETURNING policy_ref, result_type, receiving_mx_hostname, failed_session_count)" summaries     \
  " SELECT r.id, r.deliveries, (SELECT count(*) FROM f) FROM r"

/* the summary rows of the reports r whose policies p and failure details f were just inserted
 * (doc/schema-pg-draft.sql, tlsrptdb_summarize) */
#define SUMMARIES                                                                                  \
  ", s AS (INSERT INTO summary_sessions (report_ref, policy_domain, report_day, reporter_key,"     \
  " sts_successful, sts_failed, tlsa_successful, tlsa_failed, other_successful, other_failed)"     \
  " SELECT r.id, lower(coalesce(nullif(p.policy_domain, ''), nullif(r.tls_report_domain, ''),"     \
  " '(none)')), r.report_day, r.reporter_key,"                                                     \
  " coalesce(sum(p.ok) FILTER (WHERE lower(p.policy_type) = 'sts'), 0),"                           \
  " coalesce(sum(p.bad) FILTER (WHERE lower(p.policy_type) = 'sts'), 0),"                          \
  " coalesce(sum(p.ok) FILTER (WHERE lower(p.policy_type) = 'tlsa'), 0),"                          \
  " coalesce(sum(p.bad) FILTER (WHERE lower(p.policy_type) = 'tlsa'), 0),"                         \
  " coalesce(sum(p.ok) FILTER (WHERE coalesce(lower(p.policy_type), '') NOT IN ('sts', 'tlsa')),"  \
  " 0), coalesce(sum(p.bad) FILTER (WHERE coalesce(lower(p.policy_type), '')"                      \
  " NOT IN ('sts', 'tlsa')), 0)"                                                                   \
  " FROM p JOIN r ON r.id = p.report_ref GROUP BY 1, 2, 3, 4),"                                    \
  " sf AS (INSERT INTO summary_policy_failures (policy_ref, result_type, receiving_mx, failed)"    \
  " SELECT policy_ref, coalesce(result_type, '(none)'), lower(coalesce(receiving_mx_hostname,"     \
  " '')), coalesce(sum(failed_session_count), 0) FROM f GROUP BY 1, 2, 3)"

static const char sql_upsert[] = "INSERT INTO reports (" REPORT_COLUMNS ") VALUES (" REPORT_VALUES
                                 ")" COUNT_DELIVERY " RETURNING id, deliveries";
static const char sql_insert_new[]
    = "INSERT INTO reports (" REPORT_COLUMNS ") VALUES (" REPORT_VALUES ")"
      " ON CONFLICT DO NOTHING RETURNING id, deliveries";
static const char sql_policy[]
    = "INSERT INTO policies (" POLICY_COLUMNS ") VALUES ($1, " POLICY_VALUES ") RETURNING id";
static const char sql_failure[]
    = "INSERT INTO failures (" FAILURE_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
static const char sql_one_upsert[] = ONE_STATEMENT (COUNT_DELIVERY, "");
static const char sql_one_new[] = ONE_STATEMENT (" ON CONFLICT DO NOTHING", "");
static const char sql_one_upsert_sum[] = ONE_STATEMENT (COUNT_DELIVERY, SUMMARIES);
static const char sql_one_new_sum[] = ONE_STATEMENT (" ON CONFLICT DO NOTHING", SUMMARIES);
static const char sql_summarize[] = "SELECT tlsrptdb_summarize(ARRAY[$1::bigint])";

/* check - a result of @status, or exit; returns it (to read, then PQclear) */
static PGresult *
check (PGresult *res, ExecStatusType status, const char *what)
{
  if (res == NULL || PQresultStatus (res) != status)
    {
      fprintf (stderr, "pg-floor: %s: %s\n", what,
               res != NULL ? PQresultErrorMessage (res) : PQerrorMessage (conn));
      exit (1);
    }
  return res;
}

static void
exec0 (const char *sql)
{
  PQclear (check (PQexec (conn, sql), PGRES_COMMAND_OK, sql));
}

static void
connect_db (const char *conninfo)
{
  conn = PQconnectdb (conninfo);
  if (PQstatus (conn) != CONNECTION_OK)
    die ("connect");
}

/* backend_pid - the server process of this connection (one round trip) */
static int
backend_pid (void)
{
  PGresult *res = check (PQexec (conn, "SELECT pg_backend_pid()"), PGRES_TUPLES_OK, "pid");
  int pid = atoi (PQgetvalue (res, 0, 0));

  PQclear (res);
  return pid;
}

/* cpu_ms - the CPU time (user + system) of process @pid so far, from /proc (the bench runs
 * as the server's OS user, so it may read it); -1 if it cannot */
static double
cpu_ms (int pid)
{
  char path[64], buf[1024], *p;
  unsigned long long utime, stime;
  FILE *f;

  snprintf (path, sizeof path, "/proc/%d/stat", pid);
  f = fopen (path, "r");
  if (f == NULL || fgets (buf, sizeof buf, f) == NULL || (p = strrchr (buf, ')')) == NULL
      || sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime)
             != 2)
    {
      if (f != NULL)
        fclose (f);
      return -1;
    }
  fclose (f);
  return (double) (utime + stime) * 1000.0 / (double) sysconf (_SC_CLK_TCK);
}

/* self_cpu_ms - the CPU time of this process so far, to the microsecond */
static double
self_cpu_ms (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (double) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0
         + (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

/* log_cpu - with $PG_FLOOR_CPU set, append "CASE client_ms server_ms" to the file it names: the
 * CPU of this process and of its server process (@pid, from before PQfinish) */
static void
log_cpu (const char *what, int pid)
{
  const char *path = getenv ("PG_FLOOR_CPU");
  FILE *f;

  if (path == NULL || (f = fopen (path, "a")) == NULL)
    return;
  fprintf (f, "%s %.3f %.3f\n", what, self_cpu_ms (), pid > 0 ? cpu_ms (pid) : 0.0);
  fclose (f);
}

/* report_params - $1 .. $4 of the report statements, and $5 .. $12 (the failure columns as
 * arrays) for the one statement; @arrays holds the literals, made once */
static void
report_params (const Data *d, const char *report_id, char key[65], char *const arrays[],
               const char *values[12])
{
  content_key (report_id, key);
  values[0] = report_id;
  values[1] = d->json;
  values[2] = "2024-01-02T11:14:15Z";
  values[3] = key;
  for (int c = 0; c < N_FAILURE_COLUMNS; c++)
    values[4 + c] = arrays != NULL ? arrays[c] : NULL;
}

/* insert_details - the policy of report @id and its failure details, one statement at a time */
static void
insert_details (const Data *d, const char *id, int prepared)
{
  const char *v[9] = { id };
  PGresult *res = prepared ? PQexecPrepared (conn, "policy", 1, v, NULL, NULL, 0)
                           : PQexecParams (conn, sql_policy, 1, NULL, v, NULL, NULL, 0);
  char policy[32];

  check (res, PGRES_TUPLES_OK, "inserting the policy");
  snprintf (policy, sizeof policy, "%s", PQgetvalue (res, 0, 0));
  PQclear (res);
  for (int r = 0; r < d->n_rows; r++)
    {
      v[0] = policy;
      for (int c = 0; c < N_FAILURE_COLUMNS; c++)
        v[1 + c] = d->rows[r][c];
      res = prepared ? PQexecPrepared (conn, "failure", 9, v, NULL, NULL, 0)
                     : PQexecParams (conn, sql_failure, 9, NULL, v, NULL, NULL, 0);
      PQclear (check (res, PGRES_COMMAND_OK, "inserting a failure detail"));
    }
  if (d->summary)
    {
      v[0] = id;
      res = prepared ? PQexecPrepared (conn, "summarize", 1, v, NULL, NULL, 0)
                     : PQexecParams (conn, sql_summarize, 1, NULL, v, NULL, NULL, 0);
      PQclear (check (res, PGRES_TUPLES_OK, "summarising"));
    }
}

/* pipeline_results - read the results of a pipeline up to its sync; exit on an error */
static void
pipeline_results (int n_queries)
{
  for (int q = 0; q < n_queries; q++)
    {
      PGresult *res = PQgetResult (conn);
      ExecStatusType status = PQresultStatus (res);

      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        check (res, PGRES_COMMAND_OK, "a statement in the pipeline");
      PQclear (res);
      if (PQgetResult (conn) != NULL) /* the NULL that ends each query's results */
        die ("pipeline: more than one result");
    }
  PQclear (check (PQgetResult (conn), PGRES_PIPELINE_SYNC, "pipeline sync"));
}

static void
send_simple (const char *sql)
{
  if (!PQsendQueryParams (conn, sql, 0, NULL, NULL, NULL, NULL, 0))
    die (sql);
}

/* small - the "small" mode described at the top */
static int
small (const char *conninfo, const Data *d, const char *report_id, const char *mode)
{
  const char *v[12];
  char key[65];
  int pid;

  connect_db (conninfo);
  pid = getenv ("PG_FLOOR_CPU") != NULL ? backend_pid () : 0;
  if (strncmp (mode, "exec", 4) == 0)
    {
      PGresult *res;

      report_params (d, report_id, key, NULL, v);
      exec0 ("BEGIN");
      res = check (PQexecParams (conn, sql_upsert, 4, NULL, v, NULL, NULL, 0), PGRES_TUPLES_OK,
                   "inserting the report");
      if (strcmp (PQgetvalue (res, 0, 1), "1") == 0)
        insert_details (d, PQgetvalue (res, 0, 0), 0);
      PQclear (res);
      exec0 ("COMMIT");
    }
  else if (strncmp (mode, "pipeline", 8) == 0)
    {
      char *arrays[N_FAILURE_COLUMNS];

      for (int c = 0; c < N_FAILURE_COLUMNS; c++)
        arrays[c] = array_literal (d, c);
      report_params (d, report_id, key, arrays, v);
      if (!PQenterPipelineMode (conn))
        die ("pipeline mode");
      send_simple ("BEGIN");
      if (!PQsendQueryParams (conn, d->summary ? sql_one_upsert_sum : sql_one_upsert, 12, NULL, v,
                              NULL, NULL, 0))
        die ("sending the report");
      send_simple ("COMMIT");
      if (!PQpipelineSync (conn))
        die ("pipeline sync");
      pipeline_results (3);
      for (int c = 0; c < N_FAILURE_COLUMNS; c++)
        free (arrays[c]);
    }
  else
    die (mode);
  if (pid > 0)
    {
      char what[64];

      snprintf (what, sizeof what, "pg-%s", mode);
      log_cpu (what, pid);
    }
  PQfinish (conn);
  return 0;
}

static double
now_seconds (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

/* copy_text - @s escaped for COPY's text format, appended at *@p */
static void
copy_text (char **p, const char *s)
{
  if (s == NULL)
    {
      memcpy (*p, "\\N", 2);
      *p += 2;
      return;
    }
  for (; *s != '\0'; s++)
    switch (*s)
      {
        case '\\':
        case '\t':
        case '\n':
        case '\r':
          *(*p)++ = '\\';
          *(*p)++ = *s == '\\' ? '\\' : *s == '\t' ? 't' : *s == '\n' ? 'n' : 'r';
          break;
        default:
          *(*p)++ = *s;
      }
}

/* copy_rows - COPY @sql FROM STDIN with the @len bytes of @buf */
static void
copy_rows (const char *sql, const char *buf, size_t len)
{
  PQclear (check (PQexec (conn, sql), PGRES_COPY_IN, sql));
  if (PQputCopyData (conn, buf, (int) len) != 1 || PQputCopyEnd (conn, NULL) != 1)
    die ("COPY data");
  PQclear (check (PQgetResult (conn), PGRES_COMMAND_OK, sql));
  if (PQgetResult (conn) != NULL)
    die ("COPY: more results");
}

/* the statement that moves a COPYed batch into the tables (copy_batch) */
#define MOVE_BATCH                                                                                 \
  "WITH r AS (INSERT INTO reports (" REPORT_COLUMNS ")"                                            \
  " SELECT '" REPORTER "', 'Reporter Example Inc.', 'smtp-tls-reporting@" REPORTER                 \
  "', s.report_id, '2024-01-01T00:00:00Z', '2024-01-01T23:59:59Z', '2024-01-01',"                  \
  " s.raw_json, '2024-01-02T11:14:15Z', '2024-01-02T11:14:15Z', s.content_sha256"                  \
  " FROM stage_reports s ORDER BY s.k ON CONFLICT DO NOTHING"                                      \
  " RETURNING id, report_id, content_sha256, report_day, reporter_key, tls_report_domain),"        \
  " rk AS (SELECT r.id, s.k FROM r JOIN stage_reports s USING (report_id, content_sha256)),"       \
  " p AS (INSERT INTO policies (" POLICY_COLUMNS ") SELECT rk.id, " POLICY_VALUES                  \
  " FROM rk ORDER BY rk.k RETURNING id, report_ref, policy_type, policy_domain,"                   \
  " total_successful_session_count AS ok, total_failure_session_count AS bad),"                    \
  " f AS (INSERT INTO failures (" FAILURE_COLUMNS ")"                                              \
  " SELECT p.id, x.result_type, x.sending_mta_ip, x.receiving_mx_hostname,"                        \
  " x.receiving_mx_helo, x.receiving_ip, x.failed_session_count,"                                  \
  " x.additional_information, x.failure_reason_code"                                               \
  " FROM p JOIN rk ON rk.id = p.report_ref JOIN stage_failures x ON x.k = rk.k"                    \
  " RETURNING policy_ref, result_type, receiving_mx_hostname, failed_session_count)"

/* copy_batch - reports @first .. @last as one COPY per table, then moved in one statement */
static void
copy_batch (const Data *d, const char *prefix, int first, int last)
{
  size_t per_report = 2 * d->json_len + 512;
  size_t per_row = 512;
  char *buf, *p;
  char report_id[256], key[65];

  for (int r = 0; r < d->n_rows; r++)
    for (int c = 0; c < N_FAILURE_COLUMNS; c++)
      per_row += d->rows[r][c] != NULL ? 2 * strlen (d->rows[r][c]) : 2;
  buf = malloc ((size_t) (last - first + 1) * (per_report + per_row));

  p = buf;
  for (int k = first; k <= last; k++)
    {
      snprintf (report_id, sizeof report_id, "%s-%d", prefix, k);
      content_key (report_id, key);
      p += sprintf (p, "%d\t", k);
      copy_text (&p, report_id);
      *p++ = '\t';
      copy_text (&p, d->json);
      p += sprintf (p, "\t%s\n", key);
    }
  copy_rows ("COPY stage_reports (k, report_id, raw_json, content_sha256) FROM STDIN", buf,
             (size_t) (p - buf));
  p = buf;
  for (int k = first; k <= last; k++)
    for (int r = 0; r < d->n_rows; r++)
      {
        p += sprintf (p, "%d", k);
        for (int c = 0; c < N_FAILURE_COLUMNS; c++)
          {
            *p++ = '\t';
            copy_text (&p, d->rows[r][c]);
          }
        *p++ = '\n';
      }
  copy_rows ("COPY stage_failures (k, result_type, sending_mta_ip, receiving_mx_hostname,"
             " receiving_mx_helo, receiving_ip, failed_session_count, additional_information,"
             " failure_reason_code) FROM STDIN",
             buf, (size_t) (p - buf));
  free (buf);
  /* the new reports (a known key is left alone), then one policy each (the data has one), then
   * their failure details, and with @summary their summaries */
  PQclear (check (PQexec (conn, d->summary ? MOVE_BATCH SUMMARIES " SELECT count(*) FROM f"
                                           : MOVE_BATCH " SELECT count(*) FROM f"),
                  PGRES_TUPLES_OK, "moving the batch"));
}

/* rate - the "rate" mode described at the top */
static int
rate (const char *conninfo, const Data *d, const char *prefix, int n, int batch, const char *mode)
{
  char *arrays[N_FAILURE_COLUMNS];
  const char *v[12];
  char report_id[256], key[65];
  double t0;
  int exec = strncmp (mode, "exec", 4) == 0, pipeline = strncmp (mode, "pipeline", 8) == 0;
  int copy = strncmp (mode, "copy", 4) == 0;
  int pid;
  double client0, server0;

  if (!exec && !pipeline && !copy)
    die (mode);
  for (int c = 0; c < N_FAILURE_COLUMNS; c++)
    arrays[c] = array_literal (d, c);
  connect_db (conninfo);
  pid = backend_pid ();
  server0 = cpu_ms (pid);
  client0 = self_cpu_ms ();
  t0 = now_seconds ();
  if (exec)
    {
      PQclear (
          check (PQprepare (conn, "report", sql_insert_new, 4, NULL), PGRES_COMMAND_OK, "prepare"));
      PQclear (
          check (PQprepare (conn, "policy", sql_policy, 1, NULL), PGRES_COMMAND_OK, "prepare"));
      PQclear (
          check (PQprepare (conn, "failure", sql_failure, 9, NULL), PGRES_COMMAND_OK, "prepare"));
      PQclear (check (PQprepare (conn, "summarize", sql_summarize, 1, NULL), PGRES_COMMAND_OK,
                      "prepare"));
    }
  else if (pipeline)
    {
      PQclear (check (PQprepare (conn, "one", d->summary ? sql_one_new_sum : sql_one_new, 12, NULL),
                      PGRES_COMMAND_OK, "prepare"));
      if (!PQenterPipelineMode (conn))
        die ("pipeline mode");
    }
  else
    exec0 ("CREATE TEMPORARY TABLE stage_reports (k integer PRIMARY KEY,"
           " reporter_key text COLLATE \"C\" NOT NULL DEFAULT '" REPORTER "',"
           " report_id text COLLATE \"C\", raw_json text, content_sha256 text COLLATE \"C\")"
           " ON COMMIT DELETE ROWS;"
           "CREATE TEMPORARY TABLE stage_failures (k integer, result_type text,"
           " sending_mta_ip text, receiving_mx_hostname text, receiving_mx_helo text,"
           " receiving_ip text, failed_session_count bigint, additional_information text,"
           " failure_reason_code text) ON COMMIT DELETE ROWS");

  for (int first = 1; first <= n; first += batch)
    {
      int last = first + batch - 1 < n ? first + batch - 1 : n;

      if (copy)
        {
          exec0 ("BEGIN");
          copy_batch (d, prefix, first, last);
          exec0 ("COMMIT");
          continue;
        }
      if (exec)
        exec0 ("BEGIN");
      else
        send_simple ("BEGIN");
      for (int k = first; k <= last; k++)
        {
          snprintf (report_id, sizeof report_id, "%s-%d", prefix, k);
          report_params (d, report_id, key, arrays, v);
          if (exec)
            {
              PGresult *res = check (PQexecPrepared (conn, "report", 4, v, NULL, NULL, 0),
                                     PGRES_TUPLES_OK, "inserting a report");

              if (PQntuples (res) == 1)
                insert_details (d, PQgetvalue (res, 0, 0), 1);
              PQclear (res);
              continue;
            }
          if (!PQsendQueryPrepared (conn, "one", 12, v, NULL, NULL, 0))
            die ("sending a report");
        }
      if (exec)
        {
          exec0 ("COMMIT");
          continue;
        }
      send_simple ("COMMIT");
      if (!PQpipelineSync (conn))
        die ("pipeline sync");
      pipeline_results (last - first + 3); /* BEGIN, the reports, COMMIT */
    }
  {
    double t = now_seconds () - t0;

    /* reports, seconds, reports/s, then CPU per report: this process's and the server's */
    printf ("%d %.3f %.0f %.1f %.1f\n", n, t, n / t, (self_cpu_ms () - client0) * 1000.0 / n,
            (cpu_ms (pid) - server0) * 1000.0 / n);
  }
  PQfinish (conn);
  for (int c = 0; c < N_FAILURE_COLUMNS; c++)
    free (arrays[c]);
  return 0;
}

/* sqlite_rate - the "sqlite-rate" mode described at the top */
static int
sqlite_rate (const char *path, const Data *d, const char *prefix, int n, int batch)
{
  sqlite3 *db;
  sqlite3_stmt *report, *policy, *failure;
  char report_id[256];
  double t0, client0;

  if (sqlite3_open (path, &db) != SQLITE_OK
      || sqlite3_exec (db,
                       "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                       "CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY,"
                       "  organization_name TEXT, contact_info TEXT, report_id TEXT,"
                       "  start_datetime TEXT, end_datetime TEXT, raw_json TEXT,"
                       "  UNIQUE (organization_name, report_id));"
                       "CREATE TABLE IF NOT EXISTS policies (id INTEGER PRIMARY KEY,"
                       "  report_ref INTEGER, policy_type TEXT, policy_domain TEXT,"
                       "  policy_string TEXT, mx_host TEXT,"
                       "  total_successful_session_count INTEGER,"
                       "  total_failure_session_count INTEGER);"
                       "CREATE TABLE IF NOT EXISTS failures (id INTEGER PRIMARY KEY,"
                       "  policy_ref INTEGER, result_type TEXT, sending_mta_ip TEXT,"
                       "  receiving_mx_hostname TEXT, receiving_mx_helo TEXT, receiving_ip TEXT,"
                       "  failed_session_count INTEGER, additional_information TEXT,"
                       "  failure_reason_code TEXT);"
                       "CREATE INDEX IF NOT EXISTS failures_policy ON failures (policy_ref);",
                       NULL, NULL, NULL)
             != SQLITE_OK)
    {
      fprintf (stderr, "pg-floor: %s: %s\n", path, sqlite3_errmsg (db));
      return 1;
    }
  if (sqlite3_prepare_v2 (db,
                          "INSERT OR IGNORE INTO reports VALUES (NULL, 'Reporter Example Inc.',"
                          " 'smtp-tls-reporting@" REPORTER "', ?1, '2024-01-01T00:00:00Z',"
                          " '2024-01-01T23:59:59Z', ?2)",
                          -1, &report, NULL)
          != SQLITE_OK
      || sqlite3_prepare_v2 (db,
                             "INSERT INTO policies VALUES (NULL, ?1, 'sts', 'example.com',"
                             " '[\"version: STSv1\",\"mode: enforce\"]', '[\"mx1.example.com\"]',"
                             " 12345, 2496530)",
                             -1, &policy, NULL)
             != SQLITE_OK
      || sqlite3_prepare_v2 (db,
                             "INSERT INTO failures VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                             " ?9)",
                             -1, &failure, NULL)
             != SQLITE_OK)
    {
      fprintf (stderr, "pg-floor: prepare: %s\n", sqlite3_errmsg (db));
      return 1;
    }
  t0 = now_seconds ();
  client0 = self_cpu_ms ();
  for (int k = 1; k <= n; k++)
    {
      if ((k - 1) % batch == 0)
        sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      snprintf (report_id, sizeof report_id, "%s-%d", prefix, k);
      sqlite3_bind_text (report, 1, report_id, -1, SQLITE_STATIC);
      sqlite3_bind_text64 (report, 2, d->json, d->json_len, SQLITE_STATIC, SQLITE_UTF8);
      if (sqlite3_step (report) != SQLITE_DONE)
        return 1;
      sqlite3_reset (report);
      if (sqlite3_changes (db) == 1)
        {
          sqlite3_int64 report_row = sqlite3_last_insert_rowid (db), policy_row;

          sqlite3_bind_int64 (policy, 1, report_row);
          if (sqlite3_step (policy) != SQLITE_DONE)
            return 1;
          sqlite3_reset (policy);
          policy_row = sqlite3_last_insert_rowid (db);
          for (int r = 0; r < d->n_rows; r++)
            {
              sqlite3_bind_int64 (failure, 1, policy_row);
              for (int c = 0; c < N_FAILURE_COLUMNS; c++)
                if (d->rows[r][c] != NULL)
                  sqlite3_bind_text (failure, c + 2, d->rows[r][c], -1, SQLITE_STATIC);
                else
                  sqlite3_bind_null (failure, c + 2);
              if (sqlite3_step (failure) != SQLITE_DONE)
                return 1;
              sqlite3_reset (failure);
            }
        }
      if (k % batch == 0 || k == n)
        if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
          return 1;
    }
  {
    double t = now_seconds () - t0;

    printf ("%d %.3f %.0f %.1f 0\n", n, t, n / t, (self_cpu_ms () - client0) * 1000.0 / n);
  }
  sqlite3_finalize (report);
  sqlite3_finalize (policy);
  sqlite3_finalize (failure);
  sqlite3_close (db);
  return 0;
}

/* query - the "query" mode described at the top: @args are SQL [PARAM...] [-- SQL [PARAM...]]... */
static int
query (const char *conninfo, int n_args, char **args)
{
  size_t bytes = 0;
  int rows = 0;

  connect_db (conninfo);
  for (int i = 0; i < n_args;)
    {
      int n = 1;
      PGresult *res;

      while (i + n < n_args && strcmp (args[i + n], "--") != 0)
        n++;
      res = check (PQexecParams (conn, args[i], n - 1, NULL, (const char *const *) args + i + 1,
                                 NULL, NULL, 0),
                   PGRES_TUPLES_OK, args[i]);
      for (int r = 0; r < PQntuples (res); r++)
        for (int c = 0; c < PQnfields (res); c++)
          bytes += strlen (PQgetvalue (res, r, c));
      rows += PQntuples (res);
      PQclear (res);
      i += n + 1;
    }
  printf ("%d rows, %zu bytes\n", rows, bytes);
  PQfinish (conn);
  return 0;
}

/* main - dispatch on the mode */
int
main (int argc, char **argv)
{
  Data d;

  (void) tr_bench_libs;
  if (argc == 2 && strcmp (argv[1], "nothing") == 0)
    return 0;
  if (argc == 3 && strcmp (argv[1], "connect") == 0)
    {
      connect_db (argv[2]);
      PQfinish (conn);
      return 0;
    }
  if (argc == 7 && strcmp (argv[1], "small") == 0)
    {
      load (&d, argv[3], argv[4], argv[6]);
      return small (argv[2], &d, argv[5], argv[6]);
    }
  if (argc == 9 && strcmp (argv[1], "rate") == 0)
    {
      load (&d, argv[3], argv[4], argv[8]);
      return rate (argv[2], &d, argv[5], atoi (argv[6]), atoi (argv[7]), argv[8]);
    }
  if (argc == 8 && strcmp (argv[1], "sqlite-rate") == 0)
    {
      load (&d, argv[3], argv[4], "");
      return sqlite_rate (argv[2], &d, argv[5], atoi (argv[6]), atoi (argv[7]));
    }
  if (argc >= 4 && strcmp (argv[1], "query") == 0)
    return query (argv[2], argc - 3, argv + 3);
  fprintf (stderr, "usage: pg-floor nothing | connect CONNINFO\n"
                   "       pg-floor small CONNINFO JSON ROWS REPORT_ID exec|pipeline[+sum]\n"
                   "       pg-floor rate CONNINFO JSON ROWS PREFIX N BATCH"
                   " exec|pipeline|copy[+sum]\n"
                   "       pg-floor sqlite-rate DB JSON ROWS PREFIX N BATCH\n"
                   "       pg-floor query CONNINFO SQL [PARAM...] [-- SQL [PARAM...]]...\n");
  return 1;
}
