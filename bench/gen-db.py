#!/usr/bin/env python3
"""gen-db.py - write a large tlsrptdb database for the query benchmark (bench/query.sh).

  gen-db.py --tlsrptdb build/src/tlsrptdb OUT.db [--reports 100000] [--failures 1000000]
            [--domains 1000] [--reporters 20] [--days 365] [--end-day YYYY-MM-DD]

The schema comes from the program itself: `tlsrptdb ingest` stores one small report first,
which creates the database with the current schema (tables, summary tables, triggers).
Then the rows are bulk-inserted in one transaction with the sqlite3 module, with the session
policies fills summary_sessions, and summary_policy_failures gets the statement that
src/store.c runs per policy (schema step 4), here once for all policies. About one report in ten is
Microsoft-style: the same sessions under an sts and a tlsa policy. Policies carry policy strings
(an MTA-STS mode: one domain in three testing, the rest enforce; a TLSA record). Report days end at
--end-day (default: today, UTC), so that "the last 30 days" and "--since 7d" select data.
The same arguments always give the same rows (except the received_at times).

Python 3 standard library only.
"""

import argparse
import datetime
import json
import os
import random
import sqlite3
import subprocess
import sys
import time

RESULT_TYPES = [
    "certificate-host-mismatch",
    "certificate-expired",
    "certificate-not-trusted",
    "validation-failure",
    "starttls-not-supported",
    "sts-policy-fetch-error",
    "sts-policy-invalid",
    "sts-webpki-invalid",
    "tlsa-invalid",
    "dnssec-invalid",
    "dane-required",
    "x-unknown-type",
]


def seed_report():
    return json.dumps({
        "organization-name": "Seed",
        "date-range": {"start-datetime": "2000-01-01T00:00:00Z",
                       "end-datetime": "2000-01-01T23:59:59Z"},
        "contact-info": "tlsrpt@seed.example",
        "report-id": "seed",
        "policies": [{"policy": {"policy-type": "sts", "policy-domain": "seed.example"},
                      "summary": {"total-successful-session-count": 1,
                                  "total-failure-session-count": 0}}],
    })


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("db")
    ap.add_argument("--tlsrptdb", required=True, help="the tlsrptdb binary")
    ap.add_argument("--reports", type=int, default=100000)
    ap.add_argument("--failures", type=int, default=1000000)
    ap.add_argument("--domains", type=int, default=1000)
    ap.add_argument("--reporters", type=int, default=20)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--end-day", help="last report day (default: today, UTC)")
    args = ap.parse_args()

    if os.path.exists(args.db):
        sys.exit("gen-db.py: %s exists" % args.db)
    end = (datetime.date.fromisoformat(args.end_day) if args.end_day
           else datetime.datetime.now(datetime.timezone.utc).date())
    subprocess.run([args.tlsrptdb, "ingest", "--db", args.db], input=seed_report().encode(),
                   check=True)

    rng = random.Random(8460)
    t0 = time.monotonic()
    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA foreign_keys = OFF")
    next_report = db.execute("SELECT max(id) FROM reports").fetchone()[0] + 1
    next_policy = db.execute("SELECT max(id) FROM policies").fetchone()[0] + 1
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    domains = ["d%04d.example" % i for i in range(args.domains)]
    reporters = ["reporter%02d.example" % i for i in range(args.reporters)]
    per_report = args.failures / max(args.reports, 1)
    # policy strings as senders report them (check reads the MTA-STS mode from them): one domain
    # in three in testing mode, the others enforce; a tlsa policy names one DANE-EE record
    policy_strings = {
        "sts": {d: json.dumps(["version: STSv1", "mode: %s" % ("testing" if i % 3 == 0 else
                                                              "enforce"),
                               "mx: mx1.%s" % d, "mx: mx2.%s" % d, "max_age: 604800"])
                for i, d in enumerate(domains)},
        "tlsa": {d: json.dumps(["3 1 1 %064x" % i]) for i, d in enumerate(domains)},
    }

    reports, policies, failures, sessions = [], [], [], []
    n_failures = 0
    for i in range(args.reports):
        rid = next_report + i
        day = end - datetime.timedelta(days=args.days - 1 - (i * args.days) // args.reports)
        reporter = reporters[rng.randrange(len(reporters))]
        domain = domains[rng.randrange(len(domains))]
        start = "%sT00:00:00Z" % day.isoformat()
        reports.append((rid, reporter, reporter, "tlsrpt@" + reporter, "r%d" % rid, start,
                        "%sT23:59:59Z" % day.isoformat(), day.isoformat(),
                        '{"report-id":"r%d"}' % rid, domain, now, now))
        microsoft = rng.random() < 0.1
        # failures: spread so that the total is exact
        want = int(round((i + 1) * per_report)) - n_failures
        n_failures += want
        ok = rng.randrange(1, 5000)
        types = ["sts", "tlsa"] if microsoft else ["sts"]
        counts = [rng.randrange(1, 50) for _ in range(want)]
        # the session summary the store writes (schema step 5): per report and domain key, by
        # policy class (sts, tlsa)
        sessions.append((rid, domain, day.isoformat(), reporter, ok, sum(counts),
                         ok if microsoft else 0, sum(counts) if microsoft else 0))
        for k, ptype in enumerate(types):
            pid = next_policy
            next_policy += 1
            policies.append((pid, rid, k, ptype, domain, policy_strings[ptype][domain],
                             '["mx1.%s","mx2.%s"]' % (domain, domain),
                             ok, sum(counts), domain))
            # a Microsoft pair has its failure rows split between its two policies, so
            # that the total number of rows stays exact
            share = want if not microsoft else (want + 1 - k) // 2
            for j in range(share):
                rt = RESULT_TYPES[rng.randrange(len(RESULT_TYPES))]
                mx = "mx%d.%s" % (1 + j % 2, domain)
                failures.append((pid, rt, "192.0.2.%d" % rng.randrange(256), mx, None,
                                 "203.0.113.%d" % rng.randrange(256), counts[j], None,
                                 "X509_V_ERR_%d" % rng.randrange(10)))

    db.execute("BEGIN")
    db.executemany("INSERT INTO reports (id, reporter_key, organization_name, contact_info,"
                   " report_id, start_datetime, end_datetime, report_day, raw_json,"
                   " tls_report_domain, received_at, last_received_at)"
                   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", reports)
    db.executemany("INSERT INTO policies (id, report_ref, policy_index, policy_type,"
                   " policy_domain, policy_string, mx_host, total_successful_session_count,"
                   " total_failure_session_count, domain) VALUES (?,?,?,?,?,?,?,?,?,?)", policies)
    db.executemany("INSERT INTO summary_sessions (report_ref, policy_domain, report_day,"
                   " reporter_key, sts_successful, sts_failed, tlsa_successful, tlsa_failed)"
                   " VALUES (?,?,?,?,?,?,?,?)", sessions)
    db.executemany("INSERT INTO failures (policy_ref, result_type, sending_mta_ip,"
                   " receiving_mx_hostname, receiving_mx_helo, receiving_ip,"
                   " failed_session_count, additional_information, failure_reason_code)"
                   " VALUES (?,?,?,?,?,?,?,?,?)", failures)
    db.execute("INSERT INTO summary_policy_failures (policy_ref, result_type, receiving_mx, failed)"
               " SELECT policy_ref, coalesce(result_type, '(none)'),"
               " lower(coalesce(receiving_mx_hostname, '')), sum(coalesce(failed_session_count, 0))"
               " FROM failures WHERE true GROUP BY 1, 2, 3"
               " ON CONFLICT (policy_ref, result_type, receiving_mx) DO UPDATE SET failed = excluded.failed")
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # no ANALYZE: a real database has no statistics either
    db.close()
    print("gen-db.py: %s: %d reports, %d policies, %d failure rows, days up to %s, %.1f s"
          % (args.db, len(reports), len(policies), len(failures), end.isoformat(),
             time.monotonic() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
