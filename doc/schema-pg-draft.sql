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
-- * raw_json is text, not json or jsonb: it must stay byte for byte as received, and the
--   lenient decoder accepts what PostgreSQL's JSON types refuse (jsonb: "\u0000", a lone
--   surrogate "\ud800"; json and jsonb: trailing garbage after the report, which json-glib
--   ignores).  A column that refused a report would make ingest fail with 75 at every
--   retry.  It is always valid UTF-8 without NUL (json-glib checks), so text holds it.
--   tlsrptdb_json() below gives SQL users jsonb, or NULL where that is impossible.
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
-- * Summaries are written by the backend, not by row triggers: one call of
--   tlsrptdb_summarize(report) per stored report, in the same transaction (pipelined, so no
--   extra round trip).  SQLite needs its trigger policies_summary for nothing else than that
--   a trigger costs less there than a statement; in PostgreSQL a row trigger is a PL/pgSQL
--   call per policy, and writing per report also covers summary_policy_failures, which SQLite's
--   store.c already writes itself (schema step 4).  As on SQLite, rows that someone inserts by
--   hand are not summarised unless they call tlsrptdb_summarize().
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

-- tlsrptdb_summarize - the summary rows of report @report (doc/schema.md, "The counting rule"):
-- what SQLite's trigger policies_summary and store.c's STMT_SUMMARIZE_FAILURES write, for all
-- the report's policies at once.  Called by the backend after a report's rows, in the same
-- transaction.  The conflict clauses only guard against rows left by hand.
CREATE FUNCTION tlsrptdb_summarize(report bigint) RETURNS void LANGUAGE sql AS $$
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
  FROM public.policies p JOIN public.reports r ON r.id = p.report_ref
  WHERE p.report_ref = report
  GROUP BY r.id, 2
  ON CONFLICT (report_ref, policy_domain) DO UPDATE SET
    sts_successful = excluded.sts_successful, sts_failed = excluded.sts_failed,
    tlsa_successful = excluded.tlsa_successful, tlsa_failed = excluded.tlsa_failed,
    other_successful = excluded.other_successful, other_failed = excluded.other_failed;
  INSERT INTO public.summary_policy_failures (policy_ref, result_type, receiving_mx, failed)
  SELECT f.policy_ref, coalesce(f.result_type, '(none)'), lower(coalesce(f.receiving_mx_hostname, '')),
    coalesce(sum(f.failed_session_count), 0)
  FROM public.failures f JOIN public.policies p ON p.id = f.policy_ref
  WHERE p.report_ref = report
  GROUP BY 1, 2, 3
  ON CONFLICT (policy_ref, result_type, receiving_mx) DO UPDATE SET failed = excluded.failed;
$$;

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
REVOKE ALL ON FUNCTION tlsrptdb_summarize(bigint), counters_rejected_bytes() FROM PUBLIC;
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
GRANT EXECUTE ON FUNCTION tlsrptdb_summarize(bigint), counters_rejected_bytes()
  TO tlsrptdb_writer;
-- the identity sequences: currval() to refer to the policy just inserted within a pipeline, and
-- nextval() to number a batch's rows before a COPY (bench/pg-notes.md); taking a number is harmless
GRANT USAGE ON SEQUENCE reports_id_seq, policies_id_seq, failures_id_seq TO tlsrptdb_writer;
GRANT DELETE ON reports, rejected TO tlsrptdb_pruner;

INSERT INTO tlsrptdb_version (version) VALUES (5);
