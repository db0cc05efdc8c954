/* schema.c - the schema as numbered migrations; doc/schema.md is its documentation
 *
 * Append new steps; never edit one that has shipped.  store.c applies the pending steps and sets
 * PRAGMA user_version in the same transaction.
 */
#include "config.h"

#include "schema.h"

const char *const tr_schema_migrations[] = {
  /* 1: reports, policies, failures, rejected */
  "CREATE TABLE reports ("
  "  id INTEGER PRIMARY KEY,"
  "  reporter_key TEXT NOT NULL,"
  "  organization_name TEXT,"
  "  contact_info TEXT,"
  "  report_id TEXT NOT NULL,"
  "  report_id_synthesized INTEGER NOT NULL DEFAULT 0,"
  "  start_datetime TEXT,"
  "  end_datetime TEXT,"
  "  report_day TEXT,"
  "  raw_json TEXT NOT NULL,"
  "  message_id TEXT,"
  "  subject TEXT,"
  "  mail_from TEXT,"
  "  mail_date TEXT,"
  "  tls_report_domain TEXT,"
  "  tls_report_submitter TEXT,"
  "  received_at TEXT NOT NULL,"
  "  last_received_at TEXT NOT NULL,"
  "  deliveries INTEGER NOT NULL DEFAULT 1,"
  "  UNIQUE (reporter_key, report_id)"
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
};

const guint tr_schema_version = G_N_ELEMENTS (tr_schema_migrations);
