/* schema.c - the schema as numbered migrations; doc/schema.md is its documentation
 *
 * Append new steps; never edit one that has shipped.  store.c applies the pending steps and sets
 * PRAGMA user_version in the same transaction.
 */
#include "config.h"

#include "schema-sqlite.h"

/* The trigger that kept summary_sessions current (step 3; since step 5 the store writes the
 * summary as it stores a policy).  The domain key of a policy is its lower-cased
 * policy-domain, else the report's TLS-Report-Domain, else "(none)". */
#define TRIGGER_POLICIES_SUMMARY                                                                   \
  "CREATE TRIGGER policies_summary AFTER INSERT ON policies BEGIN"                                 \
  " INSERT INTO summary_sessions (report_ref, policy_domain, report_day, reporter_key,"            \
  "  sts_successful, sts_failed, tlsa_successful, tlsa_failed, other_successful, other_failed)"    \
  " SELECT r.id, lower(coalesce(nullif(NEW.policy_domain, ''), nullif(r.tls_report_domain, ''),"   \
  "  '(none)')), coalesce(r.report_day, ''), r.reporter_key,"                                      \
  "  coalesce(NEW.total_successful_session_count, 0) * (lower(NEW.policy_type) IS 'sts'),"         \
  "  coalesce(NEW.total_failure_session_count, 0) * (lower(NEW.policy_type) IS 'sts'),"            \
  "  coalesce(NEW.total_successful_session_count, 0) * (lower(NEW.policy_type) IS 'tlsa'),"        \
  "  coalesce(NEW.total_failure_session_count, 0) * (lower(NEW.policy_type) IS 'tlsa'),"           \
  "  coalesce(NEW.total_successful_session_count, 0)"                                              \
  "   * (coalesce(lower(NEW.policy_type), '') NOT IN ('sts', 'tlsa')),"                            \
  "  coalesce(NEW.total_failure_session_count, 0)"                                                 \
  "   * (coalesce(lower(NEW.policy_type), '') NOT IN ('sts', 'tlsa'))"                             \
  " FROM reports r WHERE r.id = NEW.report_ref"                                                    \
  " ON CONFLICT (report_ref, policy_domain) DO UPDATE SET"                                         \
  "  sts_successful = sts_successful + excluded.sts_successful,"                                   \
  "  sts_failed = sts_failed + excluded.sts_failed,"                                               \
  "  tlsa_successful = tlsa_successful + excluded.tlsa_successful,"                                \
  "  tlsa_failed = tlsa_failed + excluded.tlsa_failed,"                                            \
  "  other_successful = other_successful + excluded.other_successful,"                             \
  "  other_failed = other_failed + excluded.other_failed;"                                         \
  " END;"

#define TRIGGER_REPORTS_SUMMARY_DELETE                                                             \
  "CREATE TRIGGER reports_summary_delete AFTER DELETE ON reports BEGIN"                            \
  " DELETE FROM summary_sessions WHERE report_ref = OLD.id;"                                       \
  " END;"

/* The columns of the reports table of step 1, and the views of step 3 that read it: step 5
 * builds the table again and creates them again.  Macros, so that the text of the shipped steps
 * stays what it was, byte for byte (tests/unit/test-store.c checks it). */
#define REPORTS_COLUMNS_1                                                                          \
  "  id INTEGER PRIMARY KEY,"                                                                      \
  "  reporter_key TEXT NOT NULL,"                                                                  \
  "  organization_name TEXT,"                                                                      \
  "  contact_info TEXT,"                                                                           \
  "  report_id TEXT NOT NULL,"                                                                     \
  "  report_id_synthesized INTEGER NOT NULL DEFAULT 0,"                                            \
  "  start_datetime TEXT,"                                                                         \
  "  end_datetime TEXT,"                                                                           \
  "  report_day TEXT,"                                                                             \
  "  raw_json TEXT NOT NULL,"                                                                      \
  "  message_id TEXT,"                                                                             \
  "  subject TEXT,"                                                                                \
  "  mail_from TEXT,"                                                                              \
  "  mail_date TEXT,"                                                                              \
  "  tls_report_domain TEXT,"                                                                      \
  "  tls_report_submitter TEXT,"                                                                   \
  "  received_at TEXT NOT NULL,"                                                                   \
  "  last_received_at TEXT NOT NULL,"                                                              \
  "  deliveries INTEGER NOT NULL DEFAULT 1,"

#define VIEW_FAILURE_DETAILS                                                                       \
  "CREATE VIEW failure_details AS"                                                                 \
  " SELECT f.id AS failure_row, r.id AS report_row, r.report_day, r.reporter_key,"                 \
  "  r.organization_name, r.report_id, r.start_datetime, r.end_datetime, p.id AS policy_row,"      \
  "  p.policy_type, p.policy_domain, lower(coalesce(nullif(p.policy_domain, ''),"                  \
  "  nullif(r.tls_report_domain, ''), '(none)')) AS domain, f.result_type, f.sending_mta_ip,"      \
  "  f.receiving_mx_hostname, f.receiving_mx_helo, f.receiving_ip, f.failed_session_count,"        \
  "  f.failure_reason_code, f.additional_information"                                              \
  " FROM failures f JOIN policies p ON p.id = f.policy_ref JOIN reports r ON r.id = p.report_ref;"

#define VIEW_REPORT_SESSIONS                                                                       \
  "CREATE VIEW report_sessions AS"                                                                 \
  " SELECT report_ref AS report_row, report_day, reporter_key, policy_domain AS domain,"           \
  "  max(sts_successful, tlsa_successful) + other_successful AS successful,"                       \
  "  max(sts_failed, tlsa_failed) + other_failed AS failed"                                        \
  " FROM summary_sessions;"

#define VIEW_REPORT_FAILURES                                                                       \
  "CREATE VIEW report_failures AS"                                                                 \
  " SELECT p.report_ref AS report_row, r.report_day, r.reporter_key,"                              \
  "  lower(coalesce(nullif(p.policy_domain, ''), nullif(r.tls_report_domain, ''), '(none)'))"      \
  "  AS domain, s.result_type, s.receiving_mx,"                                                    \
  "  max(sum(CASE lower(p.policy_type) WHEN 'sts' THEN s.failed ELSE 0 END),"                      \
  "   sum(CASE lower(p.policy_type) WHEN 'tlsa' THEN s.failed ELSE 0 END))"                        \
  "  + sum(CASE WHEN lower(p.policy_type) IN ('sts', 'tlsa') THEN 0 ELSE s.failed END) AS failed"  \
  " FROM summary_policy_failures s JOIN policies p ON p.id = s.policy_ref"                         \
  " JOIN reports r ON r.id = p.report_ref"                                                         \
  " GROUP BY p.report_ref, domain, s.result_type, s.receiving_mx;"

const char *const tr_schema_migrations[] = {
  /* 1: reports, policies, failures, rejected */
  "CREATE TABLE reports (" REPORTS_COLUMNS_1 "  UNIQUE (reporter_key, report_id)"
  ");"
  "CREATE INDEX reports_day ON reports (report_day);"
  "CREATE TABLE policies ("
  "  id INTEGER PRIMARY KEY,"
  "  report_ref INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,"
  "  policy_index INTEGER NOT NULL,"
  "  policy_type TEXT,"
  "  policy_domain TEXT,"
  "  policy_string TEXT,"
  "  mx_host TEXT,"
  "  total_successful_session_count INTEGER,"
  "  total_failure_session_count INTEGER"
  ");"
  "CREATE INDEX policies_report ON policies (report_ref);"
  "CREATE INDEX policies_domain ON policies (policy_domain);"
  "CREATE TABLE failures ("
  "  id INTEGER PRIMARY KEY,"
  "  policy_ref INTEGER NOT NULL REFERENCES policies (id) ON DELETE CASCADE,"
  "  result_type TEXT,"
  "  sending_mta_ip TEXT,"
  "  receiving_mx_hostname TEXT,"
  "  receiving_mx_helo TEXT,"
  "  receiving_ip TEXT,"
  "  failed_session_count INTEGER,"
  "  additional_information TEXT,"
  "  failure_reason_code TEXT"
  ");"
  "CREATE INDEX failures_policy ON failures (policy_ref);"
  "CREATE TABLE rejected ("
  "  id INTEGER PRIMARY KEY,"
  "  received_at TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  raw_message BLOB NOT NULL,"
  "  message_size INTEGER NOT NULL,"
  "  truncated INTEGER NOT NULL DEFAULT 0,"
  "  message_id TEXT,"
  "  subject TEXT,"
  "  mail_from TEXT"
  ");",

  /* 2: what the MTA's Authentication-Results said of the report's DKIM signature (trust.c) */
  "ALTER TABLE reports ADD COLUMN dkim_result TEXT;"
  "ALTER TABLE reports ADD COLUMN dkim_domain TEXT;"
  "ALTER TABLE reports ADD COLUMN dkim_aligned INTEGER;",

  /* 3: summary tables for `tlsrptdb query`, kept current by triggers, and views for sqlite3
   * users (doc/schema.md, "Counting sessions").  The domain key of a policy is its lower-cased
   * policy-domain, else the report's TLS-Report-Domain, else "(none)".  Session counts are split
   * by policy class (sts, tlsa, other) so that max(sts, tlsa) + other can be taken after summing:
   * Microsoft reports the same sessions under an sts and a tlsa policy.  Failure details are
   * summed per policy only (the cheapest trigger: ingest of 10,000 details must stay fast). */
  "CREATE INDEX reports_reporter_day ON reports (reporter_key, report_day);"
  "CREATE TABLE summary_sessions ("
  "  report_ref INTEGER NOT NULL,"
  "  policy_domain TEXT NOT NULL,"
  "  report_day TEXT NOT NULL,"
  "  reporter_key TEXT NOT NULL,"
  "  sts_successful INTEGER NOT NULL DEFAULT 0,"
  "  sts_failed INTEGER NOT NULL DEFAULT 0,"
  "  tlsa_successful INTEGER NOT NULL DEFAULT 0,"
  "  tlsa_failed INTEGER NOT NULL DEFAULT 0,"
  "  other_successful INTEGER NOT NULL DEFAULT 0,"
  "  other_failed INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (report_day, policy_domain, report_ref)"
  ") WITHOUT ROWID;"
  "CREATE UNIQUE INDEX summary_sessions_report ON summary_sessions (report_ref, policy_domain);"
  "CREATE INDEX summary_sessions_domain ON summary_sessions (policy_domain, report_day);"
  "CREATE INDEX summary_sessions_reporter ON summary_sessions (reporter_key, report_day);"
  "CREATE TABLE summary_policy_failures ("
  "  policy_ref INTEGER NOT NULL,"
  "  result_type TEXT NOT NULL,"
  "  receiving_mx TEXT NOT NULL,"
  "  failed INTEGER NOT NULL,"
  "  PRIMARY KEY (policy_ref, result_type, receiving_mx)"
  ") WITHOUT ROWID;"
  /* back-fill from the rows of an older database */
  "INSERT INTO summary_sessions (report_ref, policy_domain, report_day, reporter_key,"
  "  sts_successful, sts_failed, tlsa_successful, tlsa_failed, other_successful, other_failed)"
  " SELECT r.id, lower(coalesce(nullif(p.policy_domain, ''), nullif(r.tls_report_domain, ''),"
  "  '(none)')), coalesce(r.report_day, ''), r.reporter_key,"
  "  coalesce(sum(CASE lower(p.policy_type) WHEN 'sts' THEN p.total_successful_session_count"
  "   END), 0),"
  "  coalesce(sum(CASE lower(p.policy_type) WHEN 'sts' THEN p.total_failure_session_count END),"
  "   0),"
  "  coalesce(sum(CASE lower(p.policy_type) WHEN 'tlsa' THEN p.total_successful_session_count"
  "   END), 0),"
  "  coalesce(sum(CASE lower(p.policy_type) WHEN 'tlsa' THEN p.total_failure_session_count END),"
  "   0),"
  "  coalesce(sum(CASE WHEN lower(p.policy_type) IN ('sts', 'tlsa') THEN NULL"
  "   ELSE p.total_successful_session_count END), 0),"
  "  coalesce(sum(CASE WHEN lower(p.policy_type) IN ('sts', 'tlsa') THEN NULL"
  "   ELSE p.total_failure_session_count END), 0)"
  " FROM policies p JOIN reports r ON r.id = p.report_ref GROUP BY 1, 2;"
  "INSERT INTO summary_policy_failures (policy_ref, result_type, receiving_mx, failed)"
  " SELECT policy_ref, coalesce(result_type, '(none)'), lower(coalesce(receiving_mx_hostname,"
  "  '')), coalesce(sum(failed_session_count), 0)"
  " FROM failures GROUP BY 1, 2, 3;"
  /* keep them current: one upsert per policy and per failure detail */
  TRIGGER_POLICIES_SUMMARY "CREATE TRIGGER failures_summary AFTER INSERT ON failures BEGIN"
  " INSERT INTO summary_policy_failures (policy_ref, result_type, receiving_mx, failed)"
  " VALUES (NEW.policy_ref, coalesce(NEW.result_type, '(none)'),"
  "  lower(coalesce(NEW.receiving_mx_hostname, '')), coalesce(NEW.failed_session_count, 0))"
  " ON CONFLICT (policy_ref, result_type, receiving_mx) DO UPDATE SET"
  "  failed = failed + excluded.failed;"
  " END;" TRIGGER_REPORTS_SUMMARY_DELETE
  "CREATE TRIGGER policies_summary_delete AFTER DELETE ON policies BEGIN"
  " DELETE FROM summary_policy_failures WHERE policy_ref = OLD.id;"
  " END;"
  /* views for people with sqlite3 */
  VIEW_FAILURE_DETAILS VIEW_REPORT_SESSIONS "CREATE VIEW daily_summary AS"
  " SELECT report_day, domain, reporter_key, successful, failed,"
  "  round(CAST(failed AS REAL) / nullif(successful + failed, 0), 4) AS failure_rate, reports"
  " FROM (SELECT report_day, domain, reporter_key, sum(successful) AS successful,"
  "  sum(failed) AS failed, count(*) AS reports"
  "  FROM report_sessions GROUP BY report_day, domain, reporter_key);" VIEW_REPORT_FAILURES
  "CREATE VIEW daily_failures AS"
  " SELECT report_day, domain, reporter_key, result_type, receiving_mx, sum(failed) AS failed,"
  "  count(*) AS reports"
  " FROM report_failures"
  " GROUP BY report_day, domain, reporter_key, result_type, receiving_mx;",

  /* 4: summary_policy_failures is written by store.c, one statement per policy, instead of by
   * a trigger per failure detail (which made a large report 17% slower to store) */
  "DROP TRIGGER failures_summary;",

  /* 5: a report is identified by its content too (doc/schema.md, "Duplicates"): the same
   * reporter and report-id with other content is another report, kept beside the first, never
   * a repeat of it.  SQLite cannot drop a UNIQUE constraint, so the reports table is built
   * again (the ids stay; foreign keys are off while the steps run).  Rows stored before have
   * no fingerprint and stay repeats of any report with their key.  The domain key of a policy
   * is a column (tr_domain_key computes it as tlsrptdb stores a policy, and also writes
   * summary_sessions: the trigger that did is gone), warnings are kept with their report, and
   * so is how the message arrived.  Sums over many reports saturate instead of failing
   * (total()).  Rejected messages are kept once (deliveries), and what their bytes take is
   * counted for the rejected budget. */
  "DROP VIEW IF EXISTS daily_failures;"
  "DROP VIEW IF EXISTS report_failures;"
  "DROP VIEW IF EXISTS daily_summary;"
  "DROP VIEW IF EXISTS report_sessions;"
  "DROP VIEW IF EXISTS failure_details;"
  "DROP TRIGGER IF EXISTS policies_summary;"
  "CREATE TABLE reports_new (" REPORTS_COLUMNS_1 "  dkim_result TEXT,"
  "  dkim_domain TEXT,"
  "  dkim_aligned INTEGER,"
  "  content_sha256 TEXT,"
  "  received_via TEXT,"
  "  client_address TEXT,"
  "  UNIQUE (reporter_key, report_id, content_sha256)"
  ");"
  "INSERT INTO reports_new (id, reporter_key, organization_name, contact_info, report_id,"
  "  report_id_synthesized, start_datetime, end_datetime, report_day, raw_json, message_id,"
  "  subject, mail_from, mail_date, tls_report_domain, tls_report_submitter, received_at,"
  "  last_received_at, deliveries, dkim_result, dkim_domain, dkim_aligned)"
  " SELECT id, reporter_key, organization_name, contact_info, report_id, report_id_synthesized,"
  "  start_datetime, end_datetime, report_day, raw_json, message_id, subject, mail_from,"
  "  mail_date, tls_report_domain, tls_report_submitter, received_at, last_received_at,"
  "  deliveries, dkim_result, dkim_domain, dkim_aligned FROM reports;"
  "DROP TABLE reports;"
  "ALTER TABLE reports_new RENAME TO reports;"
  "CREATE INDEX reports_day ON reports (report_day);"
  "CREATE INDEX reports_reporter_day ON reports (reporter_key, "
  "report_day);" TRIGGER_REPORTS_SUMMARY_DELETE "ALTER TABLE policies ADD COLUMN domain TEXT;"
  "UPDATE policies SET domain = lower(coalesce(nullif(policy_domain, ''), (SELECT"
  "  nullif(tls_report_domain, '') FROM reports WHERE id = policies.report_ref), '(none)'));"
  "CREATE TABLE report_warnings ("
  "  report_ref INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,"
  "  code TEXT NOT NULL,"
  "  text TEXT NOT NULL"
  ");"
  "CREATE INDEX report_warnings_report ON report_warnings (report_ref);"
  "CREATE INDEX report_warnings_code ON report_warnings (code);"
  "CREATE VIEW failure_details AS"
  " SELECT f.id AS failure_row, r.id AS report_row, r.report_day, r.reporter_key,"
  "  r.organization_name, r.report_id, r.start_datetime, r.end_datetime, p.id AS policy_row,"
  "  p.policy_type, p.policy_domain, p.domain, f.result_type, f.sending_mta_ip,"
  "  f.receiving_mx_hostname, f.receiving_mx_helo, f.receiving_ip, f.failed_session_count,"
  "  f.failure_reason_code, f.additional_information"
  " FROM failures f JOIN policies p ON p.id = f.policy_ref JOIN reports r ON r.id = "
  "p.report_ref;" VIEW_REPORT_SESSIONS "CREATE VIEW daily_summary AS"
  " SELECT report_day, domain, reporter_key, successful, failed,"
  "  round(CAST(failed AS REAL) / nullif(CAST(successful AS REAL) + failed, 0), 4)"
  "  AS failure_rate, reports"
  " FROM (SELECT report_day, domain, reporter_key, CAST(total(successful) AS INTEGER)"
  "  AS successful, CAST(total(failed) AS INTEGER) AS failed, count(*) AS reports"
  "  FROM report_sessions GROUP BY report_day, domain, reporter_key);"
  "CREATE VIEW report_failures AS"
  " SELECT s.report_ref AS report_row, s.report_day, s.reporter_key, p.domain, f.result_type,"
  "  f.receiving_mx,"
  "  max(sum(CASE lower(p.policy_type) WHEN 'sts' THEN f.failed ELSE 0 END),"
  "   sum(CASE lower(p.policy_type) WHEN 'tlsa' THEN f.failed ELSE 0 END))"
  "  + sum(CASE WHEN lower(p.policy_type) IN ('sts', 'tlsa') THEN 0 ELSE f.failed END) AS failed"
  " FROM summary_policy_failures f JOIN policies p ON p.id = f.policy_ref"
  " JOIN summary_sessions s ON s.report_ref = p.report_ref AND s.policy_domain = p.domain"
  " GROUP BY s.report_ref, p.domain, f.result_type, f.receiving_mx;"
  "CREATE VIEW daily_failures AS"
  " SELECT report_day, domain, reporter_key, result_type, receiving_mx,"
  "  CAST(total(failed) AS INTEGER) AS failed, count(*) AS reports"
  " FROM report_failures"
  " GROUP BY report_day, domain, reporter_key, result_type, receiving_mx;"
  "ALTER TABLE rejected ADD COLUMN fingerprint TEXT;"
  "ALTER TABLE rejected ADD COLUMN deliveries INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE rejected ADD COLUMN last_received_at TEXT;"
  "ALTER TABLE rejected ADD COLUMN raw_dropped INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE rejected ADD COLUMN received_via TEXT;"
  "ALTER TABLE rejected ADD COLUMN client_address TEXT;"
  "UPDATE rejected SET last_received_at = received_at;"
  "CREATE INDEX rejected_fingerprint ON rejected (fingerprint);"
  "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
  "INSERT INTO counters (name, value)"
  " SELECT 'rejected_bytes', coalesce(sum(length(raw_message)), 0) FROM rejected;"
  "CREATE TRIGGER rejected_bytes_insert AFTER INSERT ON rejected BEGIN"
  " UPDATE counters SET value = value + length(NEW.raw_message) WHERE name = 'rejected_bytes';"
  " END;"
  "CREATE TRIGGER rejected_bytes_delete AFTER DELETE ON rejected BEGIN"
  " UPDATE counters SET value = value - length(OLD.raw_message) WHERE name = 'rejected_bytes';"
  " END;"
  "CREATE TRIGGER rejected_bytes_update AFTER UPDATE OF raw_message ON rejected BEGIN"
  " UPDATE counters SET value = value - length(OLD.raw_message) + length(NEW.raw_message)"
  "  WHERE name = 'rejected_bytes';"
  " END;",

  /* 6: reports over HTTPS (tlsrptdb cgi).  A request kept in `rejected` has no mail header:
   * its facts are the request's (media type, content coding, user agent; the client address
   * has a column since step 5).  The rows of `rejected` that came over HTTPS are counted, for
   * their cap (max-rejected-requests): anyone can POST, and rows kept without their bytes
   * beyond the budget still cost their facts. */
  "ALTER TABLE rejected ADD COLUMN media_type TEXT;"
  "ALTER TABLE rejected ADD COLUMN content_encoding TEXT;"
  "ALTER TABLE rejected ADD COLUMN user_agent TEXT;"
  "INSERT INTO counters (name, value)"
  " SELECT 'rejected_requests', count(*) FROM rejected WHERE received_via = 'https';"
  "CREATE TRIGGER rejected_requests_insert AFTER INSERT ON rejected"
  " WHEN NEW.received_via = 'https' BEGIN"
  " UPDATE counters SET value = value + 1 WHERE name = 'rejected_requests';"
  " END;"
  "CREATE TRIGGER rejected_requests_delete AFTER DELETE ON rejected"
  " WHEN OLD.received_via = 'https' BEGIN"
  " UPDATE counters SET value = value - 1 WHERE name = 'rejected_requests';"
  " END;",

  /* 7: the index of failures by policy covers what report and digest read of each failure
   * detail, so that a year's page reads the index alone, not a table row per detail (half its
   * time).  It replaces the narrower one, whose look-ups by policy_ref its prefix serves.  id
   * comes second: the entries of a policy stay in the order they are stored, so ingest appends
   * to the index and never compares the texts (doc/performance.md, issue 15). */
  "DROP INDEX failures_policy;"
  "CREATE INDEX failures_policy ON failures (policy_ref, id, result_type, receiving_mx_hostname,"
  " sending_mta_ip, failed_session_count);",
};

const guint tr_schema_version = G_N_ELEMENTS (tr_schema_migrations);
