/* digest-text.c - the digest's text part, for a mail reader with no HTML
 *
 * Lines of at most about 76 characters where the words are ours; a sender's string is escaped
 * as on a terminal (escape.c: controls and bidi shown, never obeyed) and cut.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "counting.h"
#include "digest-text.h"
#include "escape.h"
#include "svg-chart.h"

#define NAME_BYTES 60 /* of a sender's string on a line */
#define STATUS_CHARS 200

static const char *const level_names[] = { "OK", "WARNING", "CRITICAL" };

/* name - @raw escaped and cut, appended */
static void
name (GString *out, const char *raw, gsize max)
{
  g_autofree char *shown = tr_escape_text (raw ? raw : "");
  g_autofree char *cut = tr_escape_cut (shown, max);

  g_string_append (out, cut);
}

/* rate - a percentage with one decimal, "-" for none */
static void
rate (GString *out, double r)
{
  if (isnan (r))
    g_string_append_c (out, '-');
  else
    {
      tr_chart_append_fixed (out, 100.0 * r, 1);
      g_string_append_c (out, '%');
    }
}

/* problem - one problem on one line */
static void
problem (GString *out, const TrOverviewProblem *p)
{
  if (p->subject != NULL)
    {
      name (out, p->subject, NAME_BYTES);
      g_string_append (out, ": ");
    }
  g_string_append (out, p->text);
  if (p->detail != NULL)
    {
      g_string_append_c (out, ' ');
      name (out, p->detail, NAME_BYTES * 2);
    }
}

void
tr_digest_status_line (GString *out, const TrOverview *ov)
{
  gsize start = out->len;

  g_string_append_printf (out, "TLSRPT %s - ", level_names[ov->level]);
  if (ov->problems->len == 0)
    g_string_append_printf (out, "%u domains, %" G_GINT64_FORMAT " reports, no problems",
                            ov->domains->len, ov->reports);
  for (guint i = 0; i < ov->problems->len && out->len - start < STATUS_CHARS; i++)
    {
      g_string_append (out, i ? "; " : "");
      problem (out, g_ptr_array_index (ov->problems, i));
    }
  if (out->len - start > STATUS_CHARS)
    {
      g_autofree char *cut = tr_escape_cut (out->str + start, STATUS_CHARS);

      g_string_truncate (out, start);
      g_string_append (out, cut);
    }
}

/* wrapped - @text (ours) wrapped at 72 columns, after @first, the next lines indented as far */
static void
wrapped (GString *out, const char *text, const char *first)
{
  g_autofree char *indent = g_strnfill (strlen (first), ' ');
  g_auto (GStrv) words = g_strsplit_set (text, " \n", -1);
  gsize column = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize len = strlen (words[i]);

      if (len == 0)
        continue;
      if (column == 0 || column + 1 + len > 72)
        {
          g_string_append_printf (out, "%s%s", column ? "\n" : "", column ? indent : first);
          column = strlen (first);
        }
      else
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append (out, words[i]);
      column += len;
    }
  g_string_append_c (out, '\n');
}

/* pad - @raw escaped and cut, padded to @width columns */
static void
pad (GString *out, const char *raw, guint width)
{
  g_autofree char *shown = tr_escape_text (raw ? raw : "");
  g_autofree char *cut = tr_escape_cut (shown, width);
  guint w = tr_escape_text_width (cut);

  g_string_append (out, cut);
  for (; w < width; w++)
    g_string_append_c (out, ' ');
}

/* number - @value right-aligned in @width */
static void
number (GString *out, gint64 value, guint width)
{
  g_autoptr (GString) s = g_string_new (NULL);

  tr_chart_append_count (s, value);
  g_string_append_printf (out, "%*s", (int) width, s->str);
}

/* domains - the per-domain table, the first TR_DIGEST_DOMAINS */
static void
domains (GString *out, const TrOverview *ov)
{
  g_string_append (out, "\nDomains\n\n  POLICY DOMAIN                      SESSIONS      FAILED"
                        "    RATE  BEFORE\n");
  for (guint i = 0; i < ov->domains->len && i < TR_DIGEST_DOMAINS; i++)
    {
      const TrOverviewDomain *d = g_ptr_array_index (ov->domains, i);
      g_autoptr (GString) r = g_string_new (NULL), b = g_string_new (NULL);

      rate (r, tr_overview_rate (d->successful, d->failed));
      rate (b, tr_overview_rate (d->prev_successful, d->prev_failed));
      g_string_append (out, "  ");
      pad (out, d->name, 32);
      number (out, tr_count_add (d->successful, d->failed), 11);
      number (out, d->failed, 12);
      g_string_append_printf (out, " %7s %7s\n", r->str, b->str);
    }
  if (ov->domains->len > TR_DIGEST_DOMAINS)
    g_string_append_printf (out, "  (%u more in the HTML part)\n",
                            ov->domains->len - TR_DIGEST_DOMAINS);
}

/* changes - the window against the one before */
static void
changes (GString *out, const TrOverview *ov)
{
  g_autoptr (GString) now = g_string_new (NULL), before = g_string_new (NULL);

  rate (now, tr_overview_rate (ov->successful, ov->failed));
  rate (before, tr_overview_rate (ov->prev_successful, ov->prev_failed));
  g_string_append_printf (
      out,
      "\nWhat changed (against %s to %s)\n\n"
      "  sessions %" G_GINT64_FORMAT " (before %" G_GINT64_FORMAT "), failed %" G_GINT64_FORMAT
      " (before %" G_GINT64_FORMAT "),\n  failure rate %s (before %s), reports %" G_GINT64_FORMAT
      " (before %" G_GINT64_FORMAT ")\n",
      ov->prev_since_day, ov->prev_until_day, tr_count_add (ov->successful, ov->failed),
      tr_count_add (ov->prev_successful, ov->prev_failed), ov->failed, ov->prev_failed, now->str,
      before->str, ov->reports, ov->prev_reports);
}

/* new_types - the new result types with their meaning and fix */
static void
new_types (GString *out, const TrOverview *ov)
{
  gboolean any = FALSE;

  for (guint i = 0; i < ov->types->len; i++)
    {
      const TrOverviewType *t = g_ptr_array_index (ov->types, i);

      if (!t->is_new)
        continue;
      if (!any)
        g_string_append_printf (out, "\nNew failure types (none in the %u days before)\n",
                                TR_OVERVIEW_NEW_TYPE_DAYS);
      any = TRUE;
      g_string_append (out, "\n  ");
      name (out, t->name, NAME_BYTES);
      g_string_append_printf (out, ": %" G_GINT64_FORMAT " failed sessions\n", t->failed);
      wrapped (out, t->meaning, "    ");
      wrapped (out, t->fix, "    Fix: ");
    }
}

/* reporters_and_rejected - silent reporters, rejected mail */
static void
reporters_and_rejected (GString *out, const TrOverview *ov)
{
  gboolean any = FALSE;

  for (guint i = 0; i < ov->reporters->len; i++)
    {
      const TrOverviewReporter *r = g_ptr_array_index (ov->reporters, i);

      if (!r->silent)
        continue;
      g_string_append (out, any ? "" : "\nSilent reporters\n\n");
      any = TRUE;
      g_string_append (out, "  ");
      name (out, r->name, NAME_BYTES);
      g_string_append_printf (out, ": last report %s\n",
                              r->last_day ? r->last_day : r->prev_last_day);
    }
  if (ov->n_rejected == 0)
    return;
  g_string_append_printf (out,
                          "\nRejected mail\n\n  %" G_GINT64_FORMAT " message%s kept in "
                          "`rejected`; most often (%" G_GINT64_FORMAT "):\n  ",
                          ov->n_rejected, ov->n_rejected == 1 ? "" : "s",
                          ov->rejected_reason_count);
  name (out, ov->rejected_reason, NAME_BYTES * 2);
  g_string_append_c (out, '\n');
}

void
tr_digest_text (GString *out, const TrOverview *ov, const char *title)
{
  g_string_append_printf (out, "%s\nReport days %s to %s (UTC)\n\n", title, ov->since_day,
                          ov->until_day);
  tr_digest_status_line (out, ov);
  g_string_append (out, "\n");
  if (ov->reports == 0)
    g_string_append (out, "\nNo reports arrived for this window. If reports used to arrive, "
                          "the receiving\npipeline or the _smtp._tls TXT record may be broken.\n");
  for (guint i = 0; i < ov->problems->len && i < TR_OVERVIEW_PROBLEMS; i++)
    {
      const TrOverviewProblem *p = g_ptr_array_index (ov->problems, i);

      g_string_append_printf (out, "%s  %-8s ", i ? "" : "\n", level_names[p->level]);
      problem (out, p);
      g_string_append_c (out, '\n');
    }
  if (ov->problems->len > TR_OVERVIEW_PROBLEMS)
    g_string_append_printf (out, "  and %u more\n", ov->problems->len - TR_OVERVIEW_PROBLEMS);
  if (ov->domains->len > 0)
    domains (out, ov);
  changes (out, ov);
  new_types (out, ov);
  reporters_and_rejected (out, ov);
  g_string_append (out, "\nCharts and every table are in the HTML part of this message "
                        "(tlsrptdb report).\n");
}
