/* validate.c - normalise a decoded report before it is stored
 *
 * Rules (doc/deviations.md):
 * - date-times: RFC 3339 with Z, +-hh:mm, fractions, lower-case t/z, a space instead of T, and
 *   no offset at all (D1, taken as UTC), or a bare date (midnight UTC); stored as
 *   "YYYY-MM-DDTHH:MM:SSZ" in UTC with fractions dropped.  An unusable one is replaced by the
 *   begin/end of an RFC 8460 filename sender!domain!begin!end[!unique].json[.gz], else NULL.
 * - text values are made valid UTF-8 and cut to limits->max_string_length bytes at a character
 *   boundary; raw_json, policy_string and mx_host are JSON text and are never cut.
 * - reporter_key and the synthesised report-id: see compute_reporter_key () and below.
 * - a report is refused (TR_ERROR_DATA) only when it has no policies AND neither an
 *   organization-name, a contact-info nor a report-id: nothing would identify it or say anything.
 */
#include "config.h"

#include <string.h>

#include "error.h"
#include "validate.h"

/* is_blank - whether @s is NULL, empty or only whitespace */
static gboolean
is_blank (const char *s)
{
  if (s == NULL)
    return TRUE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

/* format_utc - @dt as "YYYY-MM-DDTHH:MM:SSZ" in UTC */
static char *
format_utc (GDateTime *dt)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (dt);

  if (utc == NULL)
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", g_date_time_get_year (utc),
                          g_date_time_get_month (utc), g_date_time_get_day_of_month (utc),
                          g_date_time_get_hour (utc), g_date_time_get_minute (utc),
                          g_date_time_get_second (utc));
}

/* tr_validate_datetime - @text as "YYYY-MM-DDTHH:MM:SSZ" in UTC, or NULL if it is no date-time */
char *
tr_validate_datetime (const char *text)
{
  g_autofree char *s = NULL;
  g_autoptr (GTimeZone) utc = NULL;
  g_autoptr (GDateTime) dt = NULL;
  gsize len;

  if (text == NULL)
    return NULL;
  s = g_strstrip (g_ascii_strup (text, -1)); /* GLib 2.74 refuses lower-case t and z */
  len = strlen (s);
  if (len < 10 || len > 64)
    return NULL;
  /* RFC 3339 section 5.6 note: a space may separate date and time */
  if (len > 10 && s[10] == ' ')
    s[10] = 'T';
  if (len == 10 && s[4] == '-' && s[7] == '-')
    {
      char *full = g_strconcat (s, "T00:00:00Z", NULL);

      g_free (s);
      s = full;
    }
  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (s, utc);
  if (dt == NULL)
    return NULL;
  return format_utc (dt);
}

/* parse_filename - begin and end (Unix seconds) of an RFC 8460 section 5.1 report filename */
static gboolean
parse_filename (const char *filename, char **begin, char **end)
{
  static const char *const suffixes[] = { ".json.gz", ".json" };
  g_autofree char *name = NULL;
  g_auto (GStrv) fields = NULL;
  const char *base;
  gsize len, i;
  guint n;
  guint64 b, e;

  if (filename == NULL)
    return FALSE;
  base = filename;
  for (const char *p = filename; *p != '\0'; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;
  name = g_strstrip (g_strdup (base));
  len = strlen (name);
  for (i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      gsize slen = strlen (suffixes[i]);

      if (len > slen && g_ascii_strcasecmp (name + len - slen, suffixes[i]) == 0)
        {
          name[len - slen] = '\0';
          break;
        }
    }
  if (i == G_N_ELEMENTS (suffixes))
    return FALSE;
  fields = g_strsplit (name, "!", 6);
  n = g_strv_length (fields);
  if (n != 4 && n != 5)
    return FALSE;
  if (*fields[0] == '\0' || *fields[1] == '\0' || (n == 5 && *fields[4] == '\0'))
    return FALSE;
  /* 253402300799 is 9999-12-31T23:59:59Z, the last second GDateTime can hold */
  if (!g_ascii_string_to_unsigned (fields[2], 10, 0, G_GUINT64_CONSTANT (253402300799), &b, NULL)
      || !g_ascii_string_to_unsigned (fields[3], 10, 0, G_GUINT64_CONSTANT (253402300799), &e,
                                      NULL))
    return FALSE;
  {
    g_autoptr (GDateTime) db = g_date_time_new_from_unix_utc ((gint64) b);
    g_autoptr (GDateTime) de = g_date_time_new_from_unix_utc ((gint64) e);

    if (db == NULL || de == NULL)
      return FALSE;
    *begin = format_utc (db);
    *end = format_utc (de);
  }
  return *begin != NULL && *end != NULL;
}

/* fix_text - *@value (valid UTF-8, as decode.c makes it) cut to at most @max bytes, at a
 * character boundary */
static void
fix_text (TrReport *report, char **value, const char *name, gsize max)
{
  gsize len;

  if (*value == NULL)
    return;
  len = strlen (*value);
  if (len > max)
    {
      gsize cut = max;

      /* back up over continuation bytes 10xxxxxx to the start of a character */
      while (cut > 0 && ((guchar) (*value)[cut] & 0xc0) == 0x80)
        cut--;
      (*value)[cut] = '\0';
      tr_report_warn (report, "text-cut",
                      "%s cut from %" G_GSIZE_FORMAT " to %" G_GSIZE_FORMAT " bytes", name, len,
                      cut);
    }
}

/* tr_validate_contact_domain - the lower-cased domain in a contact-info, or NULL
 *
 * "mailto:tlsrpt@example.com", "tlsrpt@example.com", "Name <tlsrpt@Example.COM>" give the text
 * after the last '@' without a trailing '>' or whitespace (and without ?query); an http(s) URL
 * gives its host, as GLib's URI parser reads it (so "https://a.example/@b.example" is
 * a.example).  Anything else (no '@', not a URL) gives NULL.  This is the one reading of
 * contact-info: the report is filed under it, and its DKIM signature is aligned against it.
 */
char *
tr_validate_contact_domain (const char *contact)
{
  g_autofree char *s = NULL;
  const char *at;
  char *p;

  if (contact == NULL)
    return NULL;
  s = g_strstrip (g_strdup (contact));
  if (g_ascii_strncasecmp (s, "https://", 8) == 0 || g_ascii_strncasecmp (s, "http://", 7) == 0)
    {
      g_autoptr (GUri) uri = g_uri_parse (s, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED, NULL);
      const char *host = uri ? g_uri_get_host (uri) : NULL;

      if (host == NULL || *host == '\0')
        return NULL;
      return g_utf8_strdown (host, -1);
    }
  at = strrchr (s, '@');
  if (at == NULL)
    return NULL;
  p = g_strdup (at + 1);
  p[strcspn (p, "?")] = '\0';
  g_strchomp (p);
  {
    gsize len = strlen (p);

    while (len > 0 && (p[len - 1] == '>' || p[len - 1] == '.' || g_ascii_isspace (p[len - 1])))
      p[--len] = '\0';
  }
  if (*p == '\0')
    {
      g_free (p);
      return NULL;
    }
  {
    char *down = g_utf8_strdown (p, -1);

    g_free (p);
    return down;
  }
}

/* compute_reporter_key - who sent @report, for dedup
 *
 * The lower-cased domain of contact-info (see domain_of_contact), else the lower-cased
 * organization-name (trimmed), else the lower-cased TLS-Report-Submitter header, else "unknown".
 */
static char *
compute_reporter_key (const TrReport *report, const TrMailInfo *info)
{
  char *key = tr_validate_contact_domain (report->contact_info);

  if (key != NULL)
    return key;
  if (!is_blank (report->organization_name))
    {
      g_autofree char *s = g_strstrip (g_strdup (report->organization_name));

      return g_utf8_strdown (s, -1);
    }
  if (info != NULL && !is_blank (info->tls_report_submitter)
      && g_utf8_validate (info->tls_report_submitter, -1, NULL))
    {
      g_autofree char *s = g_strstrip (g_strdup (info->tls_report_submitter));

      return g_utf8_strdown (s, -1);
    }
  return g_strdup ("unknown");
}

/* fix_texts - every text value of @report cut to @max bytes */
static void
fix_texts (TrReport *report, gsize max)
{
  fix_text (report, &report->organization_name, "organization-name", max);
  fix_text (report, &report->contact_info, "contact-info", max);
  fix_text (report, &report->report_id, "report-id", max);
  fix_text (report, &report->start_datetime_raw, "start-datetime", max);
  fix_text (report, &report->end_datetime_raw, "end-datetime", max);
  for (guint i = 0; i < report->policies->len; i++)
    {
      TrPolicy *p = g_ptr_array_index (report->policies, i);

      fix_text (report, &p->policy_type, "policy-type", max);
      fix_text (report, &p->policy_domain, "policy-domain", max);
      for (guint j = 0; j < p->failures->len; j++)
        {
          TrFailure *f = g_ptr_array_index (p->failures, j);

          fix_text (report, &f->result_type, "result-type", max);
          fix_text (report, &f->sending_mta_ip, "sending-mta-ip", max);
          fix_text (report, &f->receiving_mx_hostname, "receiving-mx-hostname", max);
          fix_text (report, &f->receiving_mx_helo, "receiving-mx-helo", max);
          fix_text (report, &f->receiving_ip, "receiving-ip", max);
          fix_text (report, &f->additional_information, "additional-information", max);
          fix_text (report, &f->failure_reason_code, "failure-reason-code", max);
        }
    }
}

/* check_count - drop *@count if it is beyond belief, or if it would take the sum of the
 * report's counts (*@total) past TR_REPORT_COUNT_MAX: then no sum over one report can overflow */
static void
check_count (TrReport *report, gint64 *count, gint64 *total, const char *name)
{
  if (*count == TR_COUNT_ABSENT)
    return;
  if (*count > TR_COUNT_MAX)
    tr_report_warn (report, "count-beyond-belief",
                    "%s %" G_GINT64_FORMAT " is beyond belief (more than %" G_GINT64_FORMAT
                    "), ignored",
                    name, *count, TR_COUNT_MAX);
  else if (*count > TR_REPORT_COUNT_MAX - *total)
    tr_report_warn (report, "count-report-total",
                    "%s %" G_GINT64_FORMAT " takes the report's counts past %" G_GINT64_FORMAT
                    ", ignored",
                    name, *count, TR_REPORT_COUNT_MAX);
  else
    {
      *total += *count;
      return;
    }
  *count = TR_COUNT_ABSENT;
}

/* check_counts - every session count of @report through check_count () */
static void
check_counts (TrReport *report)
{
  gint64 total = 0;

  for (guint i = 0; i < report->policies->len; i++)
    {
      TrPolicy *p = g_ptr_array_index (report->policies, i);

      check_count (report, &p->total_successful_session_count, &total,
                   "total-successful-session-count");
      check_count (report, &p->total_failure_session_count, &total, "total-failure-session-count");
      for (guint j = 0; j < p->failures->len; j++)
        {
          TrFailure *f = g_ptr_array_index (p->failures, j);

          check_count (report, &f->failed_session_count, &total, "failed-session-count");
        }
    }
}

/* tr_validate_latest - the latest date-time believed for a report received at @received_at
 * ("YYYY-MM-DDTHH:MM:SSZ"; NULL: now): TR_VALIDATE_FUTURE_SECONDS after it */
char *
tr_validate_latest (const char *received_at)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) received
      = received_at ? g_date_time_new_from_iso8601 (received_at, utc) : NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) latest
      = g_date_time_add_seconds (received ? received : now, TR_VALIDATE_FUTURE_SECONDS);

  return format_utc (latest);
}

/* believable - @datetime (normalised, or NULL) unless it is after @latest: then NULL */
static char *
believable (TrReport *report, char *datetime, const char *latest, const char *name)
{
  if (datetime != NULL && strcmp (datetime, latest) > 0)
    {
      tr_report_warn (report, "date-future", "%s %s is in the future, not believed", name,
                      datetime);
      g_free (datetime);
      return NULL;
    }
  return datetime;
}

/* fix_dates - normalise the date-range; fall back to an RFC 8460 @filename; refuse the future */
static void
fix_dates (TrReport *report, const char *filename, const char *latest)
{
  g_autofree char *file_begin = NULL;
  g_autofree char *file_end = NULL;
  gboolean have_file = parse_filename (filename, &file_begin, &file_end);
  struct
  {
    char **value;
    const char *raw;
    char **from_file;
    const char *name;
  } ends[] = {
    { &report->start_datetime, report->start_datetime_raw, &file_begin, "start-datetime" },
    { &report->end_datetime, report->end_datetime_raw, &file_end, "end-datetime" },
  };

  if (have_file)
    {
      file_begin = believable (report, g_steal_pointer (&file_begin), latest, "filename begin");
      file_end = believable (report, g_steal_pointer (&file_end), latest, "filename end");
    }
  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    {
      g_free (*ends[i].value);
      *ends[i].value
          = believable (report, tr_validate_datetime (ends[i].raw), latest, ends[i].name);
      if (*ends[i].value != NULL)
        continue;
      if (*ends[i].from_file != NULL)
        {
          *ends[i].value = g_steal_pointer (ends[i].from_file);
          tr_report_warn (report, "date-from-filename", "%s %s, taken from the filename",
                          ends[i].name, ends[i].raw ? "unusable" : "missing");
        }
      else
        tr_report_warn (report, ends[i].raw ? "date-unusable" : "date-missing", "%s %s",
                        ends[i].name, ends[i].raw ? "unusable" : "missing");
    }
  /* the fixed format compares like the time it stands for */
  if (report->start_datetime != NULL && report->end_datetime != NULL
      && strcmp (report->end_datetime, report->start_datetime) < 0)
    tr_report_warn (report, "date-order", "end-datetime is before start-datetime");
}

/* report_day - the day @report is filed under: of its start, else of the mail's Date: (unless
 * after @latest), else of @received_at (NULL: today) */
static char *
report_day (const TrReport *report, const TrMailInfo *info, const char *received_at,
            const char *latest)
{
  const char *from = report->start_datetime;

  if (from == NULL && info != NULL && info->date != NULL && strlen (info->date) >= 10
      && strcmp (info->date, latest) <= 0)
    from = info->date;
  if (from == NULL && received_at != NULL && strlen (received_at) >= 10)
    from = received_at;
  if (from == NULL)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

      return g_date_time_format (now, "%Y-%m-%d");
    }
  return g_strndup (from, 10);
}

/* feed_text, feed_count - one value into the fingerprint's text: the value and a NUL byte, or
 * 0xff and a NUL byte for an absent one.  Values are valid UTF-8 without NUL bytes (fix_text),
 * so no two different lists of values give the same text.  The text is hashed in one go: small
 * hash updates cost more than the hashing itself. */
static void
feed_text (GString *text, const char *value)
{
  if (value == NULL)
    g_string_append_c (text, '\xff');
  else
    g_string_append (text, value);
  g_string_append_c (text, '\0');
}

static void
feed_count (GString *text, gint64 value)
{
  if (value == TR_COUNT_ABSENT)
    g_string_append_c (text, '\xff');
  else
    g_string_append_printf (text, "%" G_GINT64_FORMAT, value);
  g_string_append_c (text, '\0');
}

/* tr_validate_fingerprint - the SHA-256 (hex) of the content of @report (normalised): every
 * value that is stored from the JSON, in order; not the mail, not the JSON's layout */
char *
tr_validate_fingerprint (const TrReport *report)
{
  g_autoptr (GString) text = g_string_sized_new (4096);

  feed_text (text, "tlsrptdb content 1");
  feed_text (text, report->organization_name);
  feed_text (text, report->contact_info);
  feed_text (text, report->report_id);
  feed_text (text, report->start_datetime ? report->start_datetime : report->start_datetime_raw);
  feed_text (text, report->end_datetime ? report->end_datetime : report->end_datetime_raw);
  feed_count (text, report->policies->len);
  for (guint i = 0; i < report->policies->len; i++)
    {
      const TrPolicy *p = g_ptr_array_index (report->policies, i);

      feed_text (text, p->policy_type);
      feed_text (text, p->policy_domain);
      feed_text (text, p->policy_string);
      feed_text (text, p->mx_host);
      feed_count (text, p->total_successful_session_count);
      feed_count (text, p->total_failure_session_count);
      feed_count (text, p->failures->len);
      for (guint j = 0; j < p->failures->len; j++)
        {
          const TrFailure *f = g_ptr_array_index (p->failures, j);

          feed_text (text, f->result_type);
          feed_text (text, f->sending_mta_ip);
          feed_text (text, f->receiving_mx_hostname);
          feed_text (text, f->receiving_mx_helo);
          feed_text (text, f->receiving_ip);
          feed_count (text, f->failed_session_count);
          feed_text (text, f->additional_information);
          feed_text (text, f->failure_reason_code);
        }
    }
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text->str, text->len);
}

/* synthesize_report_id - a hash of the JSON text when no report-id was sent (D9) */
static void
synthesize_report_id (TrReport *report)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  if (report->raw_json != NULL)
    {
      gsize len;
      const guchar *data = g_bytes_get_data (report->raw_json, &len);

      g_checksum_update (sum, data, (gssize) len);
    }
  g_free (report->report_id);
  report->report_id = g_strconcat ("sha256:", g_checksum_get_string (sum), NULL);
  report->report_id_synthesized = TRUE;
  tr_report_warn (report, "report-id-synthesized",
                  "report-id missing, synthesised from the JSON text");
}

/* tr_validate_report - normalise @report in place (see validate.h) */
gboolean
tr_validate_report (TrReport *report, const TrMailInfo *info, const char *filename,
                    const char *received_at, const TrLimits *limits, GError **error)
{
  g_autofree char *latest = NULL;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (limits != NULL, FALSE);

  if (report->policies->len == 0 && is_blank (report->organization_name)
      && is_blank (report->contact_info) && is_blank (report->report_id))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA,
                   "report has no policies and nothing that names its sender");
      return FALSE;
    }
  fix_texts (report, limits->max_string_length);
  check_counts (report);
  latest = tr_validate_latest (received_at);
  fix_dates (report, filename, latest);
  if (is_blank (report->report_id))
    synthesize_report_id (report);

  g_free (report->reporter_key);
  report->reporter_key = compute_reporter_key (report, info);
  fix_text (report, &report->reporter_key, "reporter key", limits->max_string_length);
  g_free (report->report_day);
  report->report_day = report_day (report, info, received_at, latest);
  g_free (report->fingerprint);
  report->fingerprint = tr_validate_fingerprint (report);
  return TRUE;
}
