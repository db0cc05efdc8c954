-- schema-pg-draft.sql - DRAFT for review (issue 17): the tlsrptdb database in PostgreSQL 15
--
-- Not used by any code yet.  The PostgreSQL backend will carry this as its numbered migrations,
-- as src/schema.c does for SQLite; until then tests/pg/draft.sh loads this file into a private
-- server as the schema owner and checks the views against SQLite's on the same rows.
--
-- The same tables, columns, keys, indexes, summary tables and views as doc/schema.md (SQLite
-- schema version 5), in PostgreSQL's types.  Decisions, each with its reason:
--
-- * Versions.  A PostgreSQL database starts at version 5, the SQLite version whose contract it
--   implements: one number names one data contract on both backends, and migration 6 will be
--   written for both.  Steps 1-4 do not exist in PostgreSQL.  The applied steps are rows of
--   tlsrptdb_version (the newest is the schema version, as PRAGMA user_version); its CHECK on
--   application_id plays PRAGMA application_id.  Migrations take pg_advisory_xact_lock
--   (1414680660, the bytes TRPT) first, so that two upgrades cannot race even before the table
--   exists, and run in one transaction (DDL is transactional in PostgreSQL as in SQLite).  Only
--   the owner may run DDL, so `ingest` cannot migrate as it does on SQLite: an older schema is
--   exit 75 ("run tlsrptdb upgrade as the owner"), a newer one 75 as on SQLite.
-- * Instants are timestamptz, days are date.  The backend sets TimeZone = 'UTC' and
--   DateStyle = 'ISO' on its connections (or reads the binary form) and prints the contract's
--   text itself ("YYYY-MM-DDTHH:MM:SSZ").  Every value validate.c makes fits: GDateTime holds
--   years 1-9999, timestamptz 4713 BC-294276 AD (year 0, which PostgreSQL refuses, cannot
--   occur).  report_day is NOT NULL: validate.c always sets it (received_at is the last
--   fallback); SQLite's '' for a NULL day in summary_sessions cannot occur.
-- * Counts are bigint; flags (report_id_synthesized, dkim_aligned, truncated, raw_dropped) are
--   boolean.  Ids are bigint identities BY DEFAULT, so that a copy of an SQLite database keeps
--   its ids (then setval).
-- * Every text column is COLLATE "C": byte order (UTF-8 byte order is code point order, as
--   SQLite's BINARY) and a lower()/upper() that maps ASCII only, as SQLite's, whatever the
--   database's locale.  Under a locale such as en_US.UTF-8, lower('É') is 'é' and ORDER BY
--   follows the locale: the domain key and every sort would differ from SQLite's.  (It also
--   makes the text indexes compare with memcmp.)
-- * raw_json is text, not json or jsonb: it must stay byte for byte as received.  jsonb
--   refuses what the decoder accepts ("\u0000": tests/corpus/i_nul_escape_in_string.json; a
--   lone surrogate "\ud800", which src/decode.c expects) and keeps one of duplicate keys; json
--   would parse every report once more at insert (2.7 MB for the benchmark's big one), and any
--   text its parser refused where json-glib's accepted would make ingest fail with 75 at every
--   retry (none is known; text cannot refuse anything).  raw_json is always valid UTF-8
--   without NUL (json-glib checks), which text needs.  tlsrptdb_json() below gives SQL users
--   jsonb, or NULL where it cannot.
-- * policy_string and mx_host are json (not jsonb): tlsrptdb writes them (json-glib's
--   generator, always valid JSON), json keeps the text exactly as SQLite's column does, and
--   json_array_elements_text() replaces SQLite's json_each().  jsonb would refuse "\u0000"
--   and print ["a", "b"] for ["a","b"].
-- * raw_message is bytea (any bytes, NUL included).
-- * Dedup is a UNIQUE constraint with INSERT ... ON CONFLICT, never a look-up first: reports by
--   reports_key (content_sha256 is NOT NULL here: no rows from before schema step 5), rejected
--   by a unique fingerprint (SQLite: a plain index and a look-up under BEGIN IMMEDIATE, which
--   PostgreSQL has no equivalent of: two MX hosts' ingests run at once).
--   ingest: INSERT INTO reports ... ON CONFLICT ON CONSTRAINT reports_key DO UPDATE SET
--   deliveries = reports.deliveries + 1, last_received_at = excluded.last_received_at
--   RETURNING id, deliveries: deliveries = 1 is a new report (then its policies follow), more is
--   a repeat.  import: ... ON CONFLICT DO NOTHING RETURNING id: no row is a known report.
--   rejected: INSERT ... ON CONFLICT (fingerprint) DO UPDATE SET deliveries = ..., reason =
--   excluded.reason, last_received_at = excluded.last_received_at.
-- * Summaries are written by the backend, not by row triggers, in the transaction that stores
--   the rows: either in the statement that inserts a report's rows, from its RETURNING rows
--   (bench/pg-floor.c: no table is read, so no plan can go wrong), or by one call of
--   tlsrptdb_summarize(ids) per report (ingest) or per batch (import).  A row trigger in
--   PostgreSQL is a PL/pgSQL call per policy; SQLite's trigger policies_summary exists because
--   a trigger costs less there than a statement, and its store.c writes summary_policy_failures
--   itself already (schema step 4).  As on SQLite, rows that someone inserts by hand are not
--   summarised unless they call tlsrptdb_summarize().
-- * Deletes need no trigger: the summary tables refer to reports and policies with ON DELETE
--   CASCADE (SQLite: triggers reports_summary_delete and policies_summary_delete).  Referential
--   actions run as the owner of the table, so the pruning role needs DELETE on reports and
--   rejected only.
-- * counters.rejected_bytes is kept by statement-level triggers with transition tables (one
--   UPDATE per statement, whoever writes: a prune of 2000 rows updates it once, not 2000
--   times).  The backend reads it with SELECT ... FOR UPDATE before it keeps a message's bytes:
--   the row lock makes that check-then-write safe between concurrent ingests (SQLite: BEGIN
--   IMMEDIATE).
-- * Privileges are granted to NOLOGIN group roles that the administrator creates once, with
--   the database (tests/pg/README.md): tlsrptdb_writer (ingest and import: SELECT, INSERT,
--   UPDATE of the columns a repeat delivery changes; no DELETE, no TRUNCATE), tlsrptdb_reader
--   (SELECT) and tlsrptdb_pruner (a member of tlsrptdb_writer, plus DELETE on reports and
--   rejected: prune and reprocess).  The owner, who runs the migrations, owns everything and is
--   no superuser.  The migrations grant, so a new table is usable at once after `upgrade`.

SELECT pg_advisory_xact_lock(1414680660);

CREATE TABLE tlsrptdb_version (
  version integer PRIMARY KEY CHECK (version > 0),
  application_id integer NOT NULL DEFAULT 1414680660 CHECK (application_id = 1414680660),
  applied_at timestamptz NOT NULL DEFAULT now(),
  applied_by text COLLATE "C" NOT NULL DEFAULT current_user
);

CREATE TABLE reports (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  reporter_key text COLLATE "C" NOT NULL,
  organization_name text COLLATE "C",
  contact_info text COLLATE "C",
  report_id text COLLATE "C" NOT NULL,
  report_id_synthesized boolean NOT NULL DEFAULT false,
  start_datetime timestamptz,
  end_datetime timestamptz,
  report_day date NOT NULL,
  raw_json text COLLATE "C" NOT NULL,
  message_id text COLLATE "C",
  subject text COLLATE "C",
  mail_from text COLLATE "C",
  mail_date timestamptz,
  tls_report_domain text COLLATE "C",
  tls_report_submitter text COLLATE "C",
  received_at timestamptz NOT NULL,
  last_received_at timestamptz NOT NULL,
  deliveries bigint NOT NULL DEFAULT 1,
  dkim_result text COLLATE "C",
  dkim_domain text COLLATE "C",
  dkim_aligned boolean,
  content_sha256 text COLLATE "C" NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  CONSTRAINT reports_key UNIQUE (reporter_key, report_id, content_sha256)
);
CREATE INDEX reports_day ON reports (report_day);
CREATE INDEX reports_reporter_day ON reports (reporter_key, report_day);

CREATE TABLE policies (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  report_ref bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  policy_index integer NOT NULL,
  policy_type text COLLATE "C",
  policy_domain text COLLATE "C",
  policy_string json,
  mx_host json,
  total_successful_session_count bigint,
  total_failure_session_count bigint
);
CREATE INDEX policies_report ON policies (report_ref);
CREATE INDEX policies_domain ON policies (policy_domain);

CREATE TABLE failures (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  policy_ref bigint NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
  result_type text COLLATE "C",
  sending_mta_ip text COLLATE "C",
  receiving_mx_hostname text COLLATE "C",
  receiving_mx_helo text COLLATE "C",
  receiving_ip text COLLATE "C",
  failed_session_count bigint,
  additional_information text COLLATE "C",
  failure_reason_code text COLLATE "C"
);
CREATE INDEX failures_policy ON failures (policy_ref);

CREATE TABLE rejected (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  received_at timestamptz NOT NULL,
  reason text COLLATE "C" NOT NULL,
  raw_message bytea NOT NULL,
  message_size bigint NOT NULL,
  truncated boolean NOT NULL DEFAULT false,
  message_id text COLLATE "C",
  subject text COLLATE "C",
  mail_from text COLLATE "C",
  fingerprint text COLLATE "C" NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  deliveries bigint NOT NULL DEFAULT 1,
  last_received_at timestamptz NOT NULL,
  raw_dropped boolean NOT NULL DEFAULT false,
  CONSTRAINT rejected_fingerprint UNIQUE (fingerprint)
);
CREATE INDEX rejected_received ON rejected (received_at); -- prune (SQLite: scans by id)

CREATE TABLE counters (
  name text COLLATE "C" PRIMARY KEY,
  value bigint NOT NULL
);
INSERT INTO counters (name, value) VALUES ('rejected_bytes', 0);

-- counters_rejected_bytes - keep counters.rejected_bytes equal to the bytes of rejected.raw_message
-- (octet_length of a stored bytea reads its size from the TOAST header; nothing is fetched)
CREATE FUNCTION counters_rejected_bytes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta bigint := 0;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    delta := delta + (SELECT coalesce(sum(octet_length(raw_message)), 0) FROM new_rows);
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    delta := delta - (SELECT coalesce(sum(octet_length(raw_message)), 0) FROM old_rows);
  END IF;
  IF delta <> 0 THEN
    UPDATE public.counters SET value = value + delta WHERE name = 'rejected_bytes';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER rejected_bytes_insert AFTER INSERT ON rejected
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION counters_rejected_bytes();
CREATE TRIGGER rejected_bytes_update AFTER UPDATE ON rejected
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION counters_rejected_bytes();
CREATE TRIGGER rejected_bytes_delete AFTER DELETE ON rejected
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION counters_rejected_bytes();

-- summary_sessions: as SQLite's, without WITHOUT ROWID (a heap is never clustered): the primary
-- key carries the counts (INCLUDE), so that a range of days is read by an index-only scan
CREATE TABLE summary_sessions (
  report_ref bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  policy_domain text COLLATE "C" NOT NULL,
  report_day date NOT NULL,
  reporter_key text COLLATE "C" NOT NULL,
  sts_successful bigint NOT NULL DEFAULT 0,
  sts_failed bigint NOT NULL DEFAULT 0,
  tlsa_successful bigint NOT NULL DEFAULT 0,
  tlsa_failed bigint NOT NULL DEFAULT 0,
  other_successful bigint NOT NULL DEFAULT 0,
  other_failed bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (report_day, policy_domain, report_ref)
    INCLUDE (reporter_key, sts_successful, sts_failed, tlsa_successful, tlsa_failed,
             other_successful, other_failed)
);
CREATE UNIQUE INDEX summary_sessions_report ON summary_sessions (report_ref, policy_domain);
CREATE INDEX summary_sessions_domain ON summary_sessions (policy_domain, report_day);
CREATE INDEX summary_sessions_reporter ON summary_sessions (reporter_key, report_day);

CREATE TABLE summary_policy_failures (
  policy_ref bigint NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
  result_type text COLLATE "C" NOT NULL,
  receiving_mx text COLLATE "C" NOT NULL,
  failed bigint NOT NULL,
  PRIMARY KEY (policy_ref, result_type, receiving_mx)
);

-- tlsrptdb_summarize - the summary rows of the reports @report_ids (doc/schema.md, "The counting
-- rule"): what SQLite's trigger policies_summary and store.c's STMT_SUMMARIZE_FAILURES write, for
-- all their policies at once.  Called by the backend after the reports' rows, in the same
-- transaction: ingest with its report, import once per batch.  PL/pgSQL, so that its two
-- statements are planned once per session (a LANGUAGE sql function is planned at every call:
-- bench/pg-notes.md).  Its joins are LATERAL subqueries with OFFSET 0 (which the planner may not
-- flatten), so that the plan is a nested loop over the indexes whatever the statistics say:
-- with plain joins and no statistics yet (a new database, an import), the generic plan that
-- PL/pgSQL uses from the sixth call on took 5% of the policies per report and scanned all of
-- failures at every call (80 ms at 60,000 rows; 120 reports/s).  The backend can also write
-- the summaries in the statement that inserts the rows, from its RETURNING rows
-- (bench/pg-floor.c, SUMMARIES).  The conflict clauses only guard against rows left by hand.
CREATE FUNCTION tlsrptdb_summarize(report_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.summary_sessions (report_ref, policy_domain, report_day, reporter_key,
    sts_successful, sts_failed, tlsa_successful, tlsa_failed, other_successful, other_failed)
  SELECT r.id, lower(coalesce(nullif(p.policy_domain, ''), nullif(r.tls_report_domain, ''),
    '(none)')), r.report_day, r.reporter_key,
    coalesce(sum(p.total_successful_session_count) FILTER (WHERE lower(p.policy_type) = 'sts'), 0),
    coalesce(sum(p.total_failure_session_count) FILTER (WHERE lower(p.policy_type) = 'sts'), 0),
    coalesce(sum(p.total_successful_session_count) FILTER (WHERE lower(p.policy_type) = 'tlsa'), 0),
    coalesce(sum(p.total_failure_session_count) FILTER (WHERE lower(p.policy_type) = 'tlsa'), 0),
    coalesce(sum(p.total_successful_session_count)
      FILTER (WHERE coalesce(lower(p.policy_type), '') NOT IN ('sts', 'tlsa')), 0),
    coalesce(sum(p.total_failure_session_count)
      FILTER (WHERE coalesce(lower(p.policy_type), '') NOT IN ('sts', 'tlsa')), 0)
  FROM unnest(report_ids) AS k (id)
  CROSS JOIN LATERAL (SELECT r.id, r.report_day, r.reporter_key, r.tls_report_domain
    FROM public.reports r WHERE r.id = k.id OFFSET 0) r
  CROSS JOIN LATERAL (SELECT p.policy_type, p.policy_domain, p.total_successful_session_count,
    p.total_failure_session_count FROM public.policies p WHERE p.report_ref = r.id OFFSET 0) p
  GROUP BY r.id, 2, r.report_day, r.reporter_key
  ON CONFLICT (report_ref, policy_domain) DO UPDATE SET
    sts_successful = excluded.sts_successful, sts_failed = excluded.sts_failed,
    tlsa_successful = excluded.tlsa_successful, tlsa_failed = excluded.tlsa_failed,
    other_successful = excluded.other_successful, other_failed = excluded.other_failed;
  INSERT INTO public.summary_policy_failures (policy_ref, result_type, receiving_mx, failed)
  SELECT f.policy_ref, coalesce(f.result_type, '(none)'),
    lower(coalesce(f.receiving_mx_hostname, '')), coalesce(sum(f.failed_session_count), 0)
  FROM unnest(report_ids) AS k (id)
  CROSS JOIN LATERAL (SELECT p.id FROM public.policies p WHERE p.report_ref = k.id OFFSET 0) p
  CROSS JOIN LATERAL (SELECT f.policy_ref, f.result_type, f.receiving_mx_hostname,
    f.failed_session_count FROM public.failures f WHERE f.policy_ref = p.id OFFSET 0) f
  GROUP BY 1, 2, 3
  ON CONFLICT (policy_ref, result_type, receiving_mx) DO UPDATE SET failed = excluded.failed;
END $$;

-- tlsrptdb_json - a report's JSON as jsonb for SQL users, NULL where jsonb cannot hold it
-- (invalid JSON, "\u0000"): SELECT tlsrptdb_json(raw_json) #>> '{date-range,end-datetime}'
CREATE FUNCTION tlsrptdb_json(text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  RETURN $1::jsonb;
EXCEPTION WHEN invalid_text_representation OR untranslatable_character THEN
  RETURN NULL;
END $$;

-- Views: SQLite's five, with the same columns, rows and values (tests/pg/draft.sh compares
-- them).  max(a, b) of two values is greatest(a, b); sum() of bigint is numeric in PostgreSQL
-- (it cannot overflow), clamped to bigint as SQLite's CAST(total(...) AS INTEGER) saturates;
-- failure_rate is double precision as SQLite's REAL.
CREATE VIEW failure_details AS
  SELECT f.id AS failure_row, r.id AS report_row, r.report_day, r.reporter_key,
    r.organization_name, r.report_id, r.start_datetime, r.end_datetime, p.id AS policy_row,
    p.policy_type, p.policy_domain, lower(coalesce(nullif(p.policy_domain, ''),
    nullif(r.tls_report_domain, ''), '(none)')) AS domain, f.result_type, f.sending_mta_ip,
    f.receiving_mx_hostname, f.receiving_mx_helo, f.receiving_ip, f.failed_session_count,
    f.failure_reason_code, f.additional_information
  FROM failures f JOIN policies p ON p.id = f.policy_ref JOIN reports r ON r.id = p.report_ref;

CREATE VIEW report_sessions AS
  SELECT report_ref AS report_row, report_day, reporter_key, policy_domain AS domain,
    greatest(sts_successful, tlsa_successful) + other_successful AS successful,
    greatest(sts_failed, tlsa_failed) + other_failed AS failed
  FROM summary_sessions;

CREATE VIEW daily_summary AS
  SELECT report_day, domain, reporter_key, successful, failed,
    round((failed::numeric / nullif(successful::numeric + failed, 0)), 4)::double precision
      AS failure_rate, reports
  FROM (SELECT report_day, domain, reporter_key,
      least(sum(successful), 9223372036854775807)::bigint AS successful,
      least(sum(failed), 9223372036854775807)::bigint AS failed, count(*) AS reports
    FROM report_sessions GROUP BY report_day, domain, reporter_key) AS days;

CREATE VIEW report_failures AS
  SELECT p.report_ref AS report_row, r.report_day, r.reporter_key,
    lower(coalesce(nullif(p.policy_domain, ''), nullif(r.tls_report_domain, ''), '(none)'))
      AS domain, s.result_type, s.receiving_mx,
    (greatest(coalesce(sum(s.failed) FILTER (WHERE lower(p.policy_type) = 'sts'), 0),
       coalesce(sum(s.failed) FILTER (WHERE lower(p.policy_type) = 'tlsa'), 0))
     + coalesce(sum(s.failed)
       FILTER (WHERE coalesce(lower(p.policy_type), '') NOT IN ('sts', 'tlsa')), 0))::bigint
      AS failed
  FROM summary_policy_failures s JOIN policies p ON p.id = s.policy_ref
  JOIN reports r ON r.id = p.report_ref
  GROUP BY p.report_ref, r.report_day, r.reporter_key, 4, s.result_type, s.receiving_mx;

CREATE VIEW daily_failures AS
  SELECT report_day, domain, reporter_key, result_type, receiving_mx,
    least(sum(failed), 9223372036854775807)::bigint AS failed, count(*) AS reports
  FROM report_failures
  GROUP BY report_day, domain, reporter_key, result_type, receiving_mx;

-- Privileges (see the top).  Column lists: a repeat delivery changes these columns and no
-- other; ON CONFLICT DO UPDATE needs UPDATE on what it sets, SELECT on what it reads.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON FUNCTION tlsrptdb_summarize(bigint[]), counters_rejected_bytes() FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO tlsrptdb_reader, tlsrptdb_writer;
GRANT INSERT ON reports, policies, failures, rejected, summary_sessions, summary_policy_failures
  TO tlsrptdb_writer;
GRANT UPDATE (deliveries, last_received_at, dkim_result, dkim_domain, dkim_aligned, message_id,
  subject, mail_from, mail_date, tls_report_domain, tls_report_submitter) ON reports
  TO tlsrptdb_writer;
GRANT UPDATE (deliveries, last_received_at, reason, raw_message, raw_dropped) ON rejected
  TO tlsrptdb_writer;
GRANT UPDATE (sts_successful, sts_failed, tlsa_successful, tlsa_failed, other_successful,
  other_failed) ON summary_sessions TO tlsrptdb_writer;
GRANT UPDATE (failed) ON summary_policy_failures TO tlsrptdb_writer;
GRANT UPDATE (value) ON counters TO tlsrptdb_writer;
GRANT EXECUTE ON FUNCTION tlsrptdb_summarize(bigint[]), counters_rejected_bytes()
  TO tlsrptdb_writer;
-- the identity sequences: currval() to refer to the policy just inserted within a pipeline, and
-- nextval() to number a batch's rows before a COPY (bench/pg-notes.md); taking a number is harmless
GRANT USAGE ON SEQUENCE reports_id_seq, policies_id_seq, failures_id_seq TO tlsrptdb_writer;
GRANT DELETE ON reports, rejected TO tlsrptdb_pruner;

INSERT INTO tlsrptdb_version (version) VALUES (5);

-- For the query layer: where PostgreSQL and SQLite differ (each checked on PostgreSQL 15).
--
-- * NULL ordering: SQLite sorts NULL first ascending and last descending (smallest); PostgreSQL
--   the other way round (largest).  Write NULLS FIRST / NULLS LAST wherever a sorted column can
--   be NULL (result_type, receiving_mx_hostname, start_datetime ...), or sort on coalesce().
-- * Collation and case: every text column here is COLLATE "C", so ORDER BY is byte order and
--   lower()/upper() map ASCII only, as in SQLite; an expression on a literal or a parameter takes
--   the database's collation unless it meets one of these columns (lower($1) under C.UTF-8 folds
--   'É'): fold parameters in C, or write lower($1 COLLATE "C").  SQLite's COLLATE NOCASE does not
--   exist: compare lower(x) = 'sts'.  LIKE is case-sensitive in PostgreSQL (SQLite's folds
--   ASCII), and backslash is its default escape character (SQLite has none): use ILIKE, or
--   lower() and an explicit ESCAPE.
-- * sum(): SQLite's sum() of integers fails with "integer overflow" (hence total(), a double);
--   PostgreSQL's sum(bigint) is numeric and cannot overflow, sum(integer) is bigint.  Clamp with
--   least(sum(x), 9223372036854775807)::bigint where the C code reads an int64 (the views do);
--   numeric arrives as text that may exceed int64.  avg() is numeric too.
-- * max(a, b) and min(a, b) of two values are greatest(a, b) and least(a, b), and these skip
--   NULL (greatest(1, NULL) = 1) where SQLite's return NULL: coalesce first where it matters.
-- * LIMIT -1 (SQLite: no limit) is an error; omit LIMIT, or bind NULL (LIMIT NULL = LIMIT ALL).
-- * Booleans: the flags are boolean; "dkim_aligned = 1" is an error (no boolean = integer), and
--   sum(cond) of SQLite (counting true) is count(*) FILTER (WHERE cond).  "WHERE 1" (query.c
--   builds on it) must be "WHERE true".
-- * JSON: json_each(:list) for an IN list becomes = ANY ($n::text[]) (an array literal or a
--   binary array); json_each(p.mx_host) becomes json_array_elements_text(p.mx_host);
--   json_extract(raw_json, '$."date-range"."end-datetime"') becomes
--   tlsrptdb_json(raw_json) #>> '{date-range,end-datetime}'; group_concat(x, ' ') becomes
--   string_agg(x, ' ' ORDER BY ...) (SQLite's order is the rows' order); json_group_array is
--   json_agg.  json_array_elements_text() gives "\u0000" as those six characters, where SQLite's
--   json_each gives a NUL.
-- * Dates and time: date('now', '-7 days') is current_date - 7, and current_date, now() and
--   date_trunc() follow the session's TimeZone: the backend sets TimeZone 'UTC'.  now() is the
--   start of the transaction (an import batch lasts up to a second): received_at stays bound
--   from C, as today.  Subtracting dates gives integer days (SQLite: julianday() differences,
--   fractional).  A text parameter compared with a date column must be untyped (paramTypes 0)
--   or cast ($1::date); "report_day >= $1::text" is an error.  Instants print as
--   '2024-09-03 00:00:00+00' unless formatted: to_char(x AT TIME ZONE 'UTC',
--   'YYYY-MM-DD"T"HH24:MI:SS"Z"'), or read them in binary (microseconds since 2000-01-01).
-- * Numbers: CAST(x AS REAL) is a 4-byte float in PostgreSQL (16777217 becomes 1.6777216e+07):
--   write double precision.  round(double precision, n) does not exist: round(x::numeric, n).
--   numeric prints its scale (0.5000 where SQLite prints 0.5): failure_rate is double precision,
--   which prints 1 where SQLite prints 1.0.  Integer division truncates in both.
-- * Syntax: parameters are $1, $2 ... (no ?1, no :name); "a IS b" works only for NULL/TRUE/FALSE
--   (IS NOT DISTINCT FROM otherwise); SQLite's unary "+col" that disables an index (query.c:
--   GROUP BY +s.policy_domain) is an error on text; INDEXED BY does not exist; CROSS JOIN does
--   not fix the join order (the planner reorders unless join_collapse_limit = 1); a column
--   that is neither grouped nor aggregated is an error unless the primary key of its table is
--   grouped.
-- * Writes: INSERT OR IGNORE is ON CONFLICT DO NOTHING; last_insert_rowid() is RETURNING id;
--   sqlite3_changes() is PQcmdTuples().  Two transactions that insert the same keys in another
--   order can deadlock (SQLSTATE 40P01), and a writer can wait on a row lock: set lock_timeout
--   (SQLite's busy timeout, 10 s), and treat 40P01, 40001, 55P03 (lock not available), 57014
--   (timeout), 08xxx (connection), 53xxx (out of disk, memory, connections), 25006 (read-only
--   transaction), 57P0x (shutdown) and 28xxx (login refused) as TEMPORARY (exit 75).
