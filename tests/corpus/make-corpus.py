#!/usr/bin/env python3
"""make-corpus.py - write tests/corpus/: good (y_), unusable (n_) and either-way (i_) inputs

Every file is fed to `tlsrptdb ingest` on stdin by tests/cli/t-corpus.sh, which compares the
exit status and the rows added with the LIST file written here.

  y_*  must be stored as report(s)
  n_*  must be kept in table `rejected` (exit 0; with --reject exit 65)
  i_*  either outcome is fine, but never a crash and never exit 75

LIST line: <file> <exit> <reports> <policies> <failures> <rejected>; "-" = not checked.
Large or slow inputs (gzip bomb, 200,000-deep JSON, 30 MB message, 10,000 failure-details)
are generated at test time by t-corpus.sh instead.

Standard library only; the output is byte-identical on every run.

    python3 tests/corpus/make-corpus.py [OUTDIR]   (default: the directory of this script)
"""

import base64
import copy
import json
import os
import struct
import sys
import zlib

OUT = None
LIST = []


# --- helpers -------------------------------------------------------------------------------


def gz(data, os_byte=0, mtime=0):
    """gz - deterministic gzip member"""
    if isinstance(data, str):
        data = data.encode("utf-8")
    co = zlib.compressobj(6, zlib.DEFLATED, -15, 9)
    body = co.compress(data) + co.flush()
    return (
        b"\x1f\x8b\x08\x00"
        + struct.pack("<I", mtime)
        + bytes([0, os_byte])
        + body
        + struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    )


def b64(data, width=76, eol="\n"):
    """b64 - base64 text in lines of WIDTH columns"""
    t = base64.b64encode(data).decode("ascii")
    return eol.join(t[i : i + width] for i in range(0, len(t), width))


def js(obj):
    """js - compact JSON text"""
    return json.dumps(obj, separators=(",", ":"))


def report(rid="2026-11-20T00:00:00Z_example.com", domain="example.com", nfail=1, day="2026-11-20"):
    """report - a small valid report: 1 sts policy with NFAIL failure-details"""
    fails = [
        {
            "result-type": "certificate-expired",
            "sending-mta-ip": "192.0.2.%d" % (i + 1),
            "receiving-ip": "203.0.113.%d" % (i + 1),
            "receiving-mx-hostname": "mx.%s" % domain,
            "failed-session-count": i + 1,
        }
        for i in range(nfail)
    ]
    pol = {
        "policy": {
            "policy-type": "sts",
            "policy-string": ["version: STSv1", "mode: enforce", "mx: mx.%s" % domain, "max_age: 86400"],
            "policy-domain": domain,
            "mx-host": ["mx.%s" % domain],
        },
        "summary": {"total-successful-session-count": 10, "total-failure-session-count": nfail},
    }
    if nfail:
        pol["failure-details"] = fails
    return {
        "organization-name": "Example Reporter",
        "date-range": {"start-datetime": day + "T00:00:00Z", "end-datetime": day + "T23:59:59Z"},
        "contact-info": "tlsrpt@reporter.example",
        "report-id": rid,
        "policies": [pol],
    }


def mail(parts, headers=None, eol="\n", boundary="b1_corpus_boundary", close=True, ctype=None):
    """mail - a multipart/report message; PARTS = list of (header lines, body text)"""
    h = headers or [
        "From: noreply@reporter.example",
        "To: tlsrpt@example.com",
        "Date: Sat, 21 Nov 2026 06:00:00 +0000",
        "Message-ID: <corpus.%d@reporter.example>" % (len(LIST) + 1),
        "Subject: Report Domain: example.com Submitter: reporter.example Report-ID: <x@reporter.example>",
        "TLS-Report-Domain: example.com",
        "TLS-Report-Submitter: reporter.example",
        "MIME-Version: 1.0",
    ]
    lines = list(h)
    lines.append(ctype or 'Content-Type: multipart/report; report-type="tlsrpt"; boundary="%s"' % boundary)
    lines.append("")
    for ph, body in parts:
        lines.append("--" + boundary)
        lines.extend(ph)
        lines.append("")
        lines.append(body)
    if close:
        lines.append("--" + boundary + "--")
    lines.append("")
    return eol.join(lines)


TEXT_PART = (['Content-Type: text/plain; charset="us-ascii"'], "This is an aggregate TLS report.\n")


def gz_part(rep_bytes, ctype="application/tlsrpt+gzip", fname="reporter.example!example.com!1795132800!1795219199!1.json.gz"):
    """gz_part - a base64 attachment part holding REP_BYTES (already gzipped or not)"""
    hdr = ["Content-Type: " + ctype, "Content-Transfer-Encoding: base64"]
    if fname:
        hdr.append('Content-Disposition: attachment; filename="%s"' % fname)
    return (hdr, b64(rep_bytes))


def put(name, data, exp, reports="-", policies="-", failures="-", rejected="-"):
    """put - write one corpus file and its LIST line"""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    LIST.append("%s %s %s %s %s %s" % (name, exp, reports, policies, failures, rejected))


def y(name, data, reports=1, policies=1, failures=1, rejected=0):
    """y - a file that must be stored"""
    put(name, data, 0, reports, policies, failures, rejected)


def n(name, data):
    """n - a file that must be kept in rejected"""
    put(name, data, 0, 0, 0, 0, 1)


def i(name, data):
    """i - a file where any clean outcome is fine"""
    put(name, data, 0)


def std_mail(rep, **kw):
    """std_mail - the usual two-part report mail around REP (a dict or bytes)"""
    raw = rep if isinstance(rep, bytes) else js(rep).encode()
    return mail([TEXT_PART, gz_part(gz(raw))], **kw)


# --- the corpus ----------------------------------------------------------------------------


FUZZ_EMPTY_REPORT_PART = b'From: tlsrpt@sender.example\nSubject: Report Domain: example.com Submitter: sender.example\nMessage-ID: <fuzz-empty-part@sender.example>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=tlsrpt; boundary="b"\n\n--b\nContent-Type: text/plain\n\nAn empty report part: found by tests/fuzz/fuzz-decode (clang UBSan: NULL + 0 in decode.c).\n--b\nContent-Type: application/tlsrpt+json\n\n--b--\n'


def build():
    """build - every corpus file, in LIST order"""
    good = report()

    # ---- good inputs, various packaging
    y("y_plain.eml", std_mail(good))
    y("y_crlf.eml", std_mail(good, eol="\r\n"))
    y("y_mbox_from_exim.eml", "From noreply@reporter.example Sat Nov 21 06:00:01 2026\n" + std_mail(good) + "\n")
    y("y_bare_json.json", js(good))
    y("y_bare_json_pretty_lf.json", json.dumps(good, indent=2) + "\n")
    y("y_bare_gzip.json.gz", gz(js(good)))
    y("y_bare_base64_gzip.b64", b64(gz(js(good))) + "\n")
    y("y_bom_bare.json", b"\xef\xbb\xbf" + js(good).encode())
    y(
        "y_bom_in_part.eml",
        mail([TEXT_PART, gz_part(gz(b"\xef\xbb\xbf  \n" + js(good).encode()))]),
    )
    y(
        "y_gzip_stray_crlf.eml",
        mail([TEXT_PART, gz_part(gz(js(good)) + b"\r\n")]),
    )
    y(
        "y_octet_stream_filename.eml",
        mail([TEXT_PART, gz_part(gz(js(good)), ctype="application/octet-stream")]),
    )
    y(
        "y_application_gzip.eml",
        mail([TEXT_PART, gz_part(gz(js(good)), ctype="application/gzip", fname=None)]),
    )
    y(
        "y_application_json.eml",
        mail(
            [
                TEXT_PART,
                (
                    [
                        "Content-Type: application/json",
                        'Content-Disposition: attachment; filename="reporter.example!example.com!1795132800!1795219199.json"',
                    ],
                    js(good),
                ),
            ]
        ),
    )
    y(
        "y_tlsrpt_nosuffix_raw_json.eml",
        mail(
            [
                TEXT_PART,
                (
                    [
                        "Content-Type: application/tlsrpt",
                        'Content-Disposition: attachment; filename="report.json"',
                    ],
                    json.dumps(good, indent=4),
                ),
            ]
        ),
    )
    y(
        "y_tlsrpt_json_qp.eml",
        mail(
            [
                TEXT_PART,
                (
                    ["Content-Type: application/tlsrpt+json", "Content-Transfer-Encoding: quoted-printable"],
                    js(good).replace("=", "=3D")[:70] + "=\n" + js(good).replace("=", "=3D")[70:],
                ),
            ]
        ),
    )
    y(
        "y_toplevel_tlsrpt_json_8bit.eml",
        "From: noreply@reporter.example\nSubject: Report\nMIME-Version: 1.0\n"
        "Content-Type: application/tlsrpt+json\nContent-Transfer-Encoding: 8bit\n\n" + json.dumps(good, indent=1) + "\n",
    )
    y(
        "y_toplevel_tlsrpt_gzip.eml",
        "From: noreply@reporter.example\nSubject: Report\nMIME-Version: 1.0\n"
        "Content-Type: application/tlsrpt+gzip\nContent-Transfer-Encoding: base64\n\n" + b64(gz(js(good))) + "\n",
    )
    y(
        "y_gzip_labelled_json.eml",
        mail([TEXT_PART, gz_part(js(good).encode(), ctype="application/tlsrpt+gzip")]),
    )
    # forwarded as message/rfc822 inside multipart/mixed
    inner = std_mail(good, boundary="inner_boundary_77")
    y(
        "y_forwarded_rfc822.eml",
        mail(
            [
                (['Content-Type: text/plain; charset="utf-8"'], "FYI, forwarded report below.\n"),
                (["Content-Type: message/rfc822", "Content-Disposition: inline"], inner),
            ],
            ctype='Content-Type: multipart/mixed; boundary="outer_boundary_42"',
            boundary="outer_boundary_42",
        ),
    )
    # two reports in one message -> 2 rows
    r2 = report(rid="2026-11-20T00:00:00Z_example.net", domain="example.net", nfail=2)
    y(
        "y_two_reports.eml",
        mail([TEXT_PART, gz_part(gz(js(good))), gz_part(gz(js(r2)), fname="second.json.gz")]),
        reports=2,
        policies=2,
        failures=3,
    )
    # one good and one broken report: the good one stored, the message kept in rejected
    y(
        "y_one_good_one_bad.eml",
        mail([TEXT_PART, gz_part(gz(js(good))), gz_part(b"\x1f\x8b\x08\x00garbage", fname="bad.json.gz")]),
        rejected=1,
    )
    y(
        "y_no_closing_boundary.eml",
        mail([TEXT_PART, gz_part(gz(js(good)))], close=False),
    )
    y(
        "y_closing_boundary_missing_eof_no_newline.eml",
        mail([TEXT_PART, gz_part(gz(js(good)))], close=False).rstrip("\n"),
    )
    y(
        "y_base64_one_long_line.eml",
        mail([TEXT_PART, (["Content-Type: application/tlsrpt+gzip", "Content-Transfer-Encoding: base64"], b64(gz(js(good)), width=100000))]),
    )
    bad_subject = std_mail(good).encode().replace(
        b"Subject: Report Domain: example.com", b"Subject: Report \xff\xfe\xc3( Domain: example.com"
    )
    y("y_invalid_utf8_subject.eml", bad_subject)
    y(
        "y_rfc2047_subject.eml",
        std_mail(good).replace(
            "Subject: Report Domain: example.com Submitter: reporter.example Report-ID: <x@reporter.example>",
            "Subject: =?UTF-8?Q?Report_Domain=3A_example.com_Submitter=3A_reporter.example_=E2=9C=89?=",
        ),
    )
    y(
        "y_no_headers_but_multipart_body.eml",
        mail([TEXT_PART, gz_part(gz(js(good)))], headers=["MIME-Version: 1.0"]),
    )

    # ---- good inputs, JSON deviations
    y("y_policies_empty.json", js(dict(good, policies=[])), policies=0, failures=0)
    r = copy.deepcopy(good)
    r["policies"][0]["summary"] = {"total-successful-session-count": "10", "total-failure-session-count": "1"}
    r["policies"][0]["failure-details"][0]["failed-session-count"] = "1"
    y("y_counts_numeric_strings.json", js(r))
    r = copy.deepcopy(good)
    r["policies"][0]["summary"] = {"total-successful-session-count": 10.0, "total-failure-session-count": 1.0}
    y("y_counts_floats.json", js(r))
    nulls = {
        "organization-name": None,
        "date-range": None,
        "contact-info": None,
        "report-id": None,
        "policies": [
            {
                "policy": {
                    "policy-type": None,
                    "policy-string": None,
                    "policy-domain": None,
                    "mx-host": None,
                },
                "summary": None,
                "failure-details": [
                    {
                        "result-type": None,
                        "sending-mta-ip": None,
                        "receiving-mx-hostname": None,
                        "receiving-mx-helo": None,
                        "receiving-ip": None,
                        "failed-session-count": None,
                        "additional-information": None,
                        "failure-reason-code": None,
                    }
                ],
            },
            {"policy": None, "summary": {"total-successful-session-count": None}, "failure-details": None},
        ],
    }
    y("y_null_everywhere.json", js(nulls), policies=2, failures=1)
    r = copy.deepcopy(good)
    r["policies"][0]["failure-details"][0]["result-type"] = "quantum-entanglement-failure"
    r["policies"][0]["policy"]["policy-type"] = "future-policy-type"
    y("y_unknown_result_type.json", js(r))
    r = copy.deepcopy(good)
    r["date-range"] = {"start-datetime": "2026-11-20T00:00:00+02:00", "end-datetime": "2026-11-20T23:59:59+02:00"}
    y("y_datetime_offset.json", js(r))
    r = copy.deepcopy(good)
    r["date-range"] = {"start-datetime": "2026-11-20t00:00:00z", "end-datetime": "2026-11-20t23:59:59.999z"}
    y("y_datetime_lowercase_fraction.json", js(r))
    r = copy.deepcopy(good)
    r["date-range"] = {"start-datetime": "April fools", "end-datetime": 17}
    y("y_datetime_garbage.json", js(r))
    r = copy.deepcopy(good)
    del r["report-id"]
    y("y_no_report_id.json", js(r))
    r = copy.deepcopy(good)
    r["report-id"] = ""
    y("y_empty_report_id.json", js(r))
    r = copy.deepcopy(good)
    r["policies"][0]["policy"]["mx-host"] = "*.mail.example.com"
    y("y_mx_host_string.json", js(r))
    r = copy.deepcopy(good)
    r["policies"][0]["policy"]["mx-host"] = ["mx: mx.example.com"]
    r["policies"][0]["policy"]["policy-string"] = []
    y("y_mx_prefix_empty_policy_string.json", js(r))
    r = copy.deepcopy(good)
    r["policies"][0]["failure-details"][0]["additional-info-uri"] = "https://reporter.example/info"
    r["policies"][0]["failure-details"][0]["failure-error-code"] = "X509_V_ERR_CERT_HAS_EXPIRED"
    del r["policies"][0]["summary"]
    y("y_alias_keys_no_summary.json", js(r))
    r = copy.deepcopy(good)
    r["x-vendor-extension"] = {"a": [1, 2, {"b": None}], "c": True}
    nest = "leaf"
    for _ in range(20):
        nest = {"d": nest}
    r["policies"][0]["x-nested"] = nest
    y("y_unknown_keys_nesting20.json", js(r))
    r = copy.deepcopy(good)
    r["policies"][0]["failure-details"][0]["failure-reason-code"] = "A" * 40000
    y("y_long_string_40k.json", js(r))
    r = copy.deepcopy(good)
    r["organization-name"] = "Beispiel GmbH \u00e4\u00f6\u00fc \u2013 \U0001F512"
    y("y_unicode_escapes.json", js(r))
    r["policies"][0]["failure-details"][0]["additional-information"] = "nul\u0000inside"
    nul_escape = js(r)
    r = copy.deepcopy(good)
    r["policies"][0]["policy"]["policy-domain"] = "xn--bcher-kva.example"
    r["policies"].append(
        {"policy": {"policy-type": "no-policy-found"}, "summary": {"total-successful-session-count": 3, "total-failure-session-count": 0}}
    )
    y("y_idn_and_no_policy_domain.json", js(r), policies=2)

    # ---- unusable inputs
    n(
        "n_plain_text_mail.eml",
        "From: alice@example.com\nTo: tlsrpt@example.com\nSubject: hello\nDate: Sat, 21 Nov 2026 06:00:00 +0000\n"
        "Message-ID: <hello.1@example.com>\n\nJust a normal message, not a report.\n",
    )
    n("n_empty.eml", b"")
    n("n_binary_garbage.bin", bytes((i * 131 + 7) % 256 for i in range(2048)))
    n("n_corrupt_gzip.eml", mail([TEXT_PART, gz_part(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x00" + b"\xde\xad\xbe\xef" * 64)]))
    gzbytes = gz(js(report(nfail=30)))
    full = b64(gzbytes)
    n(
        "n_truncated_base64.eml",
        mail([TEXT_PART, (["Content-Type: application/tlsrpt+gzip", "Content-Transfer-Encoding: base64"], full[: len(full) // 2])], close=False),
    )
    n("n_truncated_gzip_bare.json.gz", gzbytes[: len(gzbytes) // 2])
    n("n_invalid_json.json", js(good)[:-7] + "}}}")
    n("n_invalid_json_in_mail.eml", std_mail(b'{"organization-name": "x", "policies": [ {,} ]'))
    n("n_json_toplevel_array.json", js([good]))
    n("n_json_toplevel_string.json", '"just a string"')
    r = copy.deepcopy(good)
    del r["policies"]
    n("n_json_without_policies.json", js(r))
    r = copy.deepcopy(good)
    r["policies"] = {"policy": {"policy-type": "sts"}}
    n("n_policies_not_array.json", js(r))
    r = copy.deepcopy(good)
    nest = "x"
    for _ in range(100):
        nest = [nest]
    r["policies"][0]["failure-details"][0]["additional-information"] = nest
    n("n_deep_nesting_100.json", js(r))
    n("n_gzip_of_empty.json.gz", gz(b""))
    n("n_gzip_of_text.eml", std_mail(b"hello, this is not json\n"))
    n(
        "n_html_only.eml",
        "From: noreply@reporter.example\nTo: tlsrpt@example.com\nSubject: Report\nMIME-Version: 1.0\n"
        'Content-Type: text/html; charset="us-ascii"\nContent-Transfer-Encoding: quoted-printable\n\n'
        "<html><body><div>This is an aggregate TLS report from reporter.example</div></body></html>\n",
    )
    n("n_headers_only.eml", "From: noreply@reporter.example\nSubject: Report\nMIME-Version: 1.0\n")
    n(
        "n_report_type_but_no_attachment.eml",
        mail([TEXT_PART]),
    )

    # ---- either outcome is fine, but no crash / no 75
    r = copy.deepcopy(good)
    r["policies"] = [1, "two", None, []]
    i("i_policies_no_objects.json", js(r))
    i("i_json_trailing_garbage.json", js(good) + "\n}{ garbage")
    i("i_json_duplicate_keys.json", js(good)[:-1] + ',"report-id":"dup","policies":[]}')
    r = copy.deepcopy(good)
    r["policies"][0]["summary"] = {"total-successful-session-count": 1e300, "total-failure-session-count": -5}
    r["policies"][0]["failure-details"][0]["failed-session-count"] = 18446744073709551617
    i("i_counts_out_of_range.json", js(r))
    i("i_latin1_in_json.json", js(good).encode().replace(b"Example Reporter", b"Beispiel \xe4\xf6\xfc"))
    i("i_two_gzip_members.json.gz", gz(js(good)[:40]) + gz(js(good)[40:]))
    i("i_zip_labelled_gzip.eml", mail([TEXT_PART, gz_part(b"PK\x03\x04" + b"\x14\x00" * 13 + b"garbage")]))
    entity = (
        'Content-Type: multipart/report; report-type="tlsrpt"; boundary="d0"\n\n--d0\n'
        'Content-Type: text/plain\n\nreport\n--d0\nContent-Type: application/tlsrpt+gzip\n'
        "Content-Transfer-Encoding: base64\n\n" + b64(gz(js(good))) + "\n--d0--\n"
    )
    for k in range(1, 60):
        entity = (
            'Content-Type: multipart/mixed; boundary="d%d"\n\n--d%d\nContent-Type: text/plain\n\n'
            "level %d\n--d%d\n" % (k, k, k, k) + entity + "--d%d--\n" % k
        )
    i("i_mime_nesting_60.eml", "From: a@reporter.example\nSubject: deep\nMIME-Version: 1.0\n" + entity)
    many = [TEXT_PART] + [
        gz_part(gz(js(report(rid="many-%02d" % k))), fname="r%02d.json.gz" % k) for k in range(20)
    ]
    i("i_twenty_reports.eml", mail(many))
    i("i_base64_garbage_chars.eml", mail([TEXT_PART, (["Content-Type: application/tlsrpt+gzip", "Content-Transfer-Encoding: base64"], "!!!" + b64(gz(js(good))) + "%%%\n====")]))
    i("i_nul_bytes_in_headers.eml", std_mail(good).encode().replace(b"To: tlsrpt@example.com", b"To: tlsrpt\x00@example.com\x00\x00"))
    i("i_lone_cr_line_ends.eml", std_mail(good, eol="\r"))
    i("i_boundary_never_used.eml", mail([TEXT_PART, gz_part(gz(js(good)))], boundary="x").replace("--x", "--y"))
    i("i_nul_escape_in_string.json", nul_escape)
    i("i_bare_base64_of_json.b64", b64(js(good).encode()) + "\n")

    # --- what tests/fuzz found (tests/fuzz/run.sh), kept byte for byte as regression inputs
    put("i_fuzz_empty_report_part.eml", FUZZ_EMPTY_REPORT_PART, 0, 0, 0, 0, 1)


def main():
    """main - regenerate the corpus and LIST"""
    global OUT
    OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for f in os.listdir(OUT):
        if f[:2] in ("y_", "n_", "i_"):
            os.unlink(os.path.join(OUT, f))
    build()
    with open(os.path.join(OUT, "LIST"), "w") as f:
        f.write("# tests/corpus/LIST - written by make-corpus.py; read by tests/cli/t-corpus.sh\n")
        f.write("# <file> <expected-exit> <reports> <policies> <failures> <rejected>  (rows added, default options)\n")
        f.write("# y_ = stored, n_ = kept in rejected (--reject: exit 65), i_ = either; '-' = not checked\n")
        for line in LIST:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
