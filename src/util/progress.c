/* progress.c - a one-line progress display on stderr, only when stderr is a terminal
 *
 * The line is redrawn in place with "\r" and erased with "\033[K" (every terminal emulator
 * since the VT100 knows it); it is cut to the terminal's width so that it never wraps.
 */
#include "config.h"

#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "progress.h"

#define REDRAW_US (G_USEC_PER_SEC / 5)
#define BAR_WIDTH 10

struct _TrProgress
{
  gboolean enabled;
  gboolean shown; /* a line is on the screen */
  gint64 started; /* monotonic, microseconds */
  gint64 drawn;
};

/* tr_progress_new - a display, or one that shows nothing */
TrProgress *
tr_progress_new (gboolean enabled)
{
  TrProgress *progress = g_new0 (TrProgress, 1);

  progress->enabled = enabled;
  progress->started = g_get_monotonic_time ();
  return progress;
}

/* terminal_width - the width of the terminal on stderr, 80 if it cannot be known */
static guint
terminal_width (void)
{
  struct winsize ws;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
    return ws.ws_col;
  return 80;
}

/* format_duration - "1:05" or "1:02:05" */
static void
format_duration (GString *line, gint64 seconds)
{
  if (seconds >= 3600)
    g_string_append_printf (line, "%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  else
    g_string_append_printf (line, "%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/* tr_progress_update - redraw the line */
void
tr_progress_update (TrProgress *progress, const TrProgressCounts *counts, gboolean force)
{
  g_autoptr (GString) line = NULL;
  gint64 now;
  double elapsed;
  guint width;

  if (!progress->enabled)
    return;
  now = g_get_monotonic_time ();
  if (!force && now - progress->drawn < REDRAW_US)
    return;
  progress->drawn = now;
  elapsed = (double) (now - progress->started) / G_USEC_PER_SEC;

  line = g_string_new (NULL);
  if (counts->bytes_total > 0)
    {
      double done = MIN (1.0, (double) counts->bytes_done / (double) counts->bytes_total);
      guint filled = (guint) (done * BAR_WIDTH);

      g_string_append_c (line, '[');
      for (guint i = 0; i < BAR_WIDTH; i++)
        g_string_append_c (line, i < filled ? '#' : '.');
      g_string_append_printf (line, "] %3d%%  ", (int) (done * 100));
    }
  g_string_append_printf (line,
                          "%" G_GUINT64_FORMAT " %s: %" G_GUINT64_FORMAT " new, %" G_GUINT64_FORMAT
                          " dup, %" G_GUINT64_FORMAT " rej",
                          counts->messages, counts->unit ? counts->unit : "msgs", counts->stored,
                          counts->duplicates, counts->rejected);
  if (elapsed >= 0.5)
    g_string_append_printf (line, ", %.0f/s", (double) counts->messages / elapsed);
  if (counts->bytes_total > 0 && counts->bytes_done > 0 && elapsed >= 1.0
      && counts->bytes_done < counts->bytes_total)
    {
      double left = elapsed * (double) (counts->bytes_total - counts->bytes_done)
                    / (double) counts->bytes_done;

      g_string_append (line, ", ");
      format_duration (line, (gint64) (left + 0.5));
      g_string_append (line, " left");
    }
  width = terminal_width ();
  if (line->len > width - 1)
    g_string_truncate (line, width - 1);
  fprintf (stderr, "\r%s\033[K", line->str);
  fflush (stderr);
  progress->shown = TRUE;
}

/* tr_progress_clear - erase the line */
void
tr_progress_clear (TrProgress *progress)
{
  if (!progress->shown)
    return;
  fputs ("\r\033[K", stderr);
  fflush (stderr);
  progress->shown = FALSE;
  progress->drawn = 0; /* redraw at the next update */
}

void
tr_progress_free (TrProgress *progress)
{
  if (progress == NULL)
    return;
  tr_progress_clear (progress);
  g_free (progress);
}
