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

/* fix_text - make *@value valid UTF-8 and at most @max bytes, cut at a character boundary */
static void
fix_text (TrReport *report, char **value, const char *name, gsize max)
{
  gsize len;

  if (*value == NULL)
    return;
  if (!g_utf8_validate (*value, -1, NULL))
    {
      char *valid = g_utf8_make_valid (*value, -1);

      g_free (*value);
      *value = valid;
      tr_report_warn (report, "%s is not valid UTF-8, repaired", name);
    }
  len = strlen (*value);
  if (len > max)
    {
      gsize cut = max;

      /* back up over continuation bytes 10xxxxxx to the start of a character */
      while (cut > 0 && ((guchar) (*value)[cut] & 0xc0) == 0x80)
        cut--;
      (*value)[cut] = '\0';
      tr_report_warn (report, "%s cut from %" G_GSIZE_FORMAT " to %" G_GSIZE_FORMAT " bytes", name,
                      len, cut);
    }
}

/* domain_of_contact - the lower-cased domain in a contact-info, or NULL
 *
 * "mailto:tlsrpt@example.com", "tlsrpt@example.com", "Name <tlsrpt@Example.COM>" give the text
 * after the last '@' without a trailing '>' or whitespace (and without ?query); an http(s) URL
 * gives its host.  Anything else (no '@', not a URL) gives NULL.
 */
static char *
domain_of_contact (const char *contact)
{
  g_autofree char *s = NULL;
  const char *at;
  char *p;

  if (contact == NULL)
    return NULL;
  s = g_strstrip (g_strdup (contact));
  if (g_ascii_strncasecmp (s, "https://", 8) == 0 || g_ascii_strncasecmp (s, "http://", 7) == 0)
    {
      char *host = strstr (s, "://") + 3;
      char *userinfo_end;

      host[strcspn (host, "/?#")] = '\0';
      if ((userinfo_end = strrchr (host, '@')) != NULL)
        host = userinfo_end + 1;
      if (*host == '[') /* IPv6 literal */
        {
          char *close = strchr (host, ']');

          if (close != NULL)
            close[1] = '\0';
        }
      else if ((p = strchr (host, ':')) != NULL)
        *p = '\0';
      if (*host == '\0')
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
  char *key = domain_of_contact (report->contact_info);

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

/* tr_validate_report - normalise @report in place (see validate.h) */
gboolean
tr_validate_report (TrReport *report, const TrMailInfo *info, const char *filename,
                    const TrLimits *limits, GError **error)
{
  gsize max;
  guint i, j;
  g_autofree char *file_begin = NULL;
  g_autofree char *file_end = NULL;
  gboolean have_file;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (limits != NULL, FALSE);

  if (report->policies->len == 0 && is_blank (report->organization_name)
      && is_blank (report->contact_info) && is_blank (report->report_id))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA,
                   "report has no policies and nothing that names its sender");
      return FALSE;
    }

  /* text values */
  max = limits->max_string_length;
  fix_text (report, &report->organization_name, "organization-name", max);
  fix_text (report, &report->contact_info, "contact-info", max);
  fix_text (report, &report->report_id, "report-id", max);
  fix_text (report, &report->start_datetime_raw, "start-datetime", max);
  fix_text (report, &report->end_datetime_raw, "end-datetime", max);
  for (i = 0; i < report->policies->len; i++)
    {
      TrPolicy *p = g_ptr_array_index (report->policies, i);

      fix_text (report, &p->policy_type, "policy-type", max);
      fix_text (report, &p->policy_domain, "policy-domain", max);
      for (j = 0; j < p->failures->len; j++)
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

  /* date-times */
  have_file = parse_filename (filename, &file_begin, &file_end);
  g_free (report->start_datetime);
  g_free (report->end_datetime);
  report->start_datetime = tr_validate_datetime (report->start_datetime_raw);
  report->end_datetime = tr_validate_datetime (report->end_datetime_raw);
  if (report->start_datetime == NULL)
    {
      if (have_file)
        {
          report->start_datetime = g_strdup (file_begin);
          tr_report_warn (report, "start-datetime %s, taken from the filename",
                          report->start_datetime_raw ? "unusable" : "missing");
        }
      else
        tr_report_warn (report, "start-datetime %s",
                        report->start_datetime_raw ? "unusable" : "missing");
    }
  if (report->end_datetime == NULL)
    {
      if (have_file)
        {
          report->end_datetime = g_strdup (file_end);
          tr_report_warn (report, "end-datetime %s, taken from the filename",
                          report->end_datetime_raw ? "unusable" : "missing");
        }
      else
        tr_report_warn (report, "end-datetime %s",
                        report->end_datetime_raw ? "unusable" : "missing");
    }
  /* the fixed format compares like the time it stands for */
  if (report->start_datetime != NULL && report->end_datetime != NULL
      && strcmp (report->end_datetime, report->start_datetime) < 0)
    tr_report_warn (report, "end-datetime is before start-datetime");

  /* report-id: a hash of the JSON text when none was sent (D9) */
  if (is_blank (report->report_id))
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
      tr_report_warn (report, "report-id missing, synthesised from the JSON text");
    }

  g_free (report->reporter_key);
  report->reporter_key = compute_reporter_key (report, info);
  fix_text (report, &report->reporter_key, "reporter key", max);
  return TRUE;
}
