#!/usr/bin/env python3
"""schema-examples.py - the example SQL of doc/schema.md against tlsrptdb query (t-schema.sh).

  schema-examples.py redate DB DAYS...    print each report of DB as bare JSON, one per line,
                                          moved to DAYS days ago (cycled) with a new report-id
  schema-examples.py check SCHEMA_MD DB   run every ```sql block of SCHEMA_MD on DB with the
                                          sqlite3 shell; where the paragraph after it names a
                                          `tlsrptdb query ...` command that "gives the same",
                                          run that with --format json and compare

check prints one line per example: "ok N TITLE" or "not ok N TITLE: why".  Numbers are compared
in the columns that both have (the SQL names its columns as the members of query's JSON);
"gives the same rows" also compares the order.  A query row that the SQL lacks is allowed only
when it counts no report (a day without reports).  Python 3 standard library only.
"""

import datetime
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile


def redate(db, days):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    today = datetime.datetime.now(datetime.timezone.utc).date()
    rows = con.execute("SELECT raw_json FROM reports ORDER BY id").fetchall()
    for i, (raw,) in enumerate(rows):
        report = json.loads(raw)
        day = today - datetime.timedelta(days=int(days[i % len(days)]))
        report["date-range"] = {
            "start-datetime": day.isoformat() + "T00:00:00Z",
            "end-datetime": day.isoformat() + "T23:59:59Z",
        }
        report["report-id"] = "%s-recent-%d" % (report.get("report-id") or "none", i)
        print(json.dumps(report))


def examples(text):
    """(number, title, sql, command, same_rows) of every ```sql block."""
    out = []
    lines = text.split("\n")
    title, number = "", 0
    i = 0
    while i < len(lines):
        m = re.match(r"\*\*(\d+)\. (.*?)\*\*", lines[i])
        if m:
            number, title = int(m.group(1)), m.group(2)
        elif lines[i].startswith("#") and not number:  # before the numbered examples
            title = "in " + lines[i].lstrip("# ")
        if lines[i].strip() == "```sql":
            j = i + 1
            while lines[j].strip() != "```":
                j += 1
            sql = "\n".join(lines[i + 1:j])
            k = j + 1
            while k < len(lines) and lines[k].strip() == "":
                k += 1
            para = []
            while k < len(lines) and lines[k].strip() != "":
                para.append(lines[k])
                k += 1
            para = " ".join(para)
            command, same_rows = None, False
            m = re.match(r"`(tlsrptdb query [^`]*)` gives the same (numbers|rows)", para)
            if m:
                command, same_rows = m.group(1), m.group(2) == "rows"
            out.append((number, title, sql, command, same_rows))
            i = j
        i += 1
    return out


def run_sql(db, sql):
    if re.search(r"\b(DELETE|UPDATE|INSERT)\b", sql):  # a writing example: on a copy
        tmp = tempfile.mkdtemp()
        copy = os.path.join(tmp, "copy.db")
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        con.execute("VACUUM INTO ?", (copy,))
        con.close()
        db = copy
    res = subprocess.run(["sqlite3", "-bail", "-json", db], input=sql, capture_output=True,
                         text=True)
    if res.returncode != 0 or res.stderr.strip():
        raise RuntimeError("sqlite3: " + (res.stderr.strip() or "exit %d" % res.returncode))
    return json.loads(res.stdout) if res.stdout.strip() else []


def run_query(tlsrptdb, db, command):
    args = [tlsrptdb] + command.split()[1:] + ["--db", db, "--format", "json"]
    res = subprocess.run(args, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (command, res.returncode, res.stderr.strip()))
    return json.loads(res.stdout)["rows"]


def value(v):
    return round(v, 4) if isinstance(v, float) else v


def project(row, columns):
    return tuple(value(row.get(c)) for c in columns)


def compare(sql_rows, query_rows, same_rows):
    if not sql_rows:
        return "the SQL gives no row on the test database (nothing would be compared)"
    columns = [c for c in sql_rows[0] if query_rows and c in query_rows[0]]
    if not columns:
        return "no column in common with the query's JSON"
    got = [project(r, columns) for r in sql_rows]
    want = [project(r, columns) for r in query_rows]
    if same_rows:
        return None if got == want else "rows differ:\n  sql:   %s\n  query: %s" % (got, want)
    left = list(want)
    for r in got:
        if r not in left:
            return "%s: the SQL has %s, query does not (query: %s)" % (columns, r, want)
        left.remove(r)
    extra = [r for r, q in zip(want, query_rows) if r in left and q.get("reports")]
    return None if not extra else "%s: query has %s, the SQL does not" % (columns, extra)


def check(schema_md, db):
    tlsrptdb = os.environ["TLSRPTDB"]
    failed = 0
    for number, title, sql, command, same_rows in examples(open(schema_md).read()):
        label = "%d %s" % (number, title)
        try:
            sql_rows = run_sql(db, sql)
            why = compare(sql_rows, run_query(tlsrptdb, db, command), same_rows) if command else None
        except (RuntimeError, ValueError) as e:
            why = str(e)
        if command:
            label += " = " + command
        print("ok " + label if why is None else "not ok %s: %s" % (label, why))
        failed += why is not None
    return failed


if __name__ == "__main__":
    if sys.argv[1] == "redate":
        redate(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(1 if check(sys.argv[2], sys.argv[3]) else 0)
