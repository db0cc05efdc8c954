/* cmd-digest.c - tlsrptdb digest: a ready-to-send message of a window (default the last 7 days)
 *
 * For cron: `tlsrptdb digest --to postmaster@example.com | /usr/sbin/sendmail -t`.  The message
 * is multipart/alternative: a text part (what a check says, the domains, what changed, new
 * failure types with their fix, silent reporters, rejected mail) and the report page of the same
 * window as the HTML part.  A window without reports still makes a message that says so: silence
 * is news.  The subject counts the domains with problems, so a mail filter or a glance at the
 * inbox tells a quiet week from a bad one.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "digest-mail.h"
#include "digest-text.h"
#include "report-page.h"

#define DEFAULT_SPAN "7d"

typedef struct
{
  TrWindowOptions window;
  char *to, *from, *subject;
} DigestOptions;

static void
digest_options (TrContext *ctx, GOptionGroup *group)
{
  DigestOptions *o = ctx->options;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &o->to, "Recipients (default postmaster@ this host)",
      "ADDRESS" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &o->from, "Sender (default the user @ this host)",
      "ADDRESS" },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &o->subject,
      "Subject (default \"TLS reports, week N: ...\" with the domains with problems)", "TEXT" },
    G_OPTION_ENTRY_NULL,
  };

  tr_window_options_add (&o->window, group,
                         "Report days from this one on (default 7d back): a date, a date-time, "
                         "today, yesterday, or a span such as 7d, 2w, 1mo");
  g_option_group_add_entries (group, entries);
}

static void
digest_free_options (gpointer options)
{
  DigestOptions *o = options;

  tr_window_options_clear (&o->window);
  g_free (o->to);
  g_free (o->from);
  g_free (o->subject);
}

/* digest_prepare - the window and the addresses; the defaults on this host */
static gboolean
digest_prepare (TrContext *ctx, GError **error)
{
  DigestOptions *o = ctx->options;

  if (o->to == NULL)
    o->to = g_strconcat ("postmaster@", g_get_host_name (), NULL);
  if (o->from == NULL)
    o->from = g_strdup_printf ("%s@%s", g_get_user_name (), g_get_host_name ());
  for (const char *p = o->subject; p != NULL && *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "--subject: a control character");
        return FALSE;
      }
  if (o->subject != NULL && !g_utf8_validate (o->subject, -1, NULL))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "--subject: not UTF-8");
      return FALSE;
    }
  return tr_digest_mail_check_address ("--to", o->to, error)
         && tr_digest_mail_check_address ("--from", o->from, error)
         && tr_window_options_apply (&o->window, ctx->now, DEFAULT_SPAN, error);
}

/* window_name - "week 49" for a window of 7 or 8 days (the ISO week of its middle day), else
 * "2026-11-01 to 2026-11-30" */
static char *
window_name (const TrOverview *ov)
{
  g_autoptr (GDateTime) since = NULL, middle = NULL;
  int y, m, d;

  if (ov->window_days < 7 || ov->window_days > 8
      || sscanf (ov->since_day, "%d-%d-%d", &y, &m, &d) != 3)
    return g_strdup_printf ("%s to %s", ov->since_day, ov->until_day);
  since = g_date_time_new_utc (y, m, d, 12, 0, 0);
  middle = g_date_time_add_days (since, (int) ov->window_days / 2);
  return g_strdup_printf ("week %d", g_date_time_get_week_of_year (middle));
}

/* default_subject - "TLS reports, week 49: 1 domain with failures" */
static char *
default_subject (const TrOverview *ov, const char *window)
{
  guint failing = tr_overview_domains_failing (ov);

  if (ov->reports == 0)
    return g_strdup_printf ("TLS reports, %s: no reports", window);
  if (failing == 0)
    return g_strdup_printf ("TLS reports, %s: no failures (%u domain%s)", window, ov->domains->len,
                            ov->domains->len == 1 ? "" : "s");
  return g_strdup_printf ("TLS reports, %s: %u domain%s with failures", window, failing,
                          failing == 1 ? "" : "s");
}

static gboolean
digest_run (TrContext *ctx, GError **error)
{
  DigestOptions *o = ctx->options;
  g_autoptr (TrOverview) ov = NULL;
  g_autoptr (GString) page = tr_report_page (ctx->store, &o->window, &ctx->settings, &ov, error);
  g_autoptr (GString) text = NULL;
  g_autoptr (GBytes) message = NULL;
  g_autofree char *window = NULL, *subject = NULL;
  gsize len;
  const char *bytes;

  if (page == NULL)
    return FALSE;
  window = window_name (ov);
  subject = o->subject ? g_strdup (o->subject) : default_subject (ov, window);
  text = g_string_new (NULL);
  tr_digest_text (text, ov, subject);
  message = tr_digest_mail_build (&(TrDigestMail){ .from = o->from,
                                                   .to = o->to,
                                                   .subject = subject,
                                                   .date = ctx->now,
                                                   .text = text->str,
                                                   .html = page->str },
                                  error);
  if (message == NULL)
    return FALSE;
  bytes = g_bytes_get_data (message, &len);
  if (fwrite (bytes, 1, len, stdout) != len || fflush (stdout) != 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "writing the message: %s",
                   g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

const TrCommand tr_command_digest = {
  .name = "digest",
  .parameter = NULL,
  .summary = "a ready-to-send mail of a window (default the last 7 days), for cron",
  .description = "Write an RFC 5322 message (multipart/alternative: a text summary and the HTML "
                 "page of `report`) for `sendmail -t`.",
  .flags = TR_COMMAND_SETTINGS,
  .store = TR_COMMAND_READ,
  .min_args = 0,
  .max_args = 0,
  .options_size = sizeof (DigestOptions),
  .options = digest_options,
  .free_options = digest_free_options,
  .prepare = digest_prepare,
  .run = digest_run,
};
