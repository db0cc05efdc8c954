/* progress.h - a one-line progress display on stderr, only when stderr is a terminal:
 * "[#####.....]  50%  4000 msgs: 3990 new, 5 dup, 5 rej, 5200/s, 0:01 left" */
#pragma once

#include <glib.h>

typedef struct _TrProgress TrProgress;

/* What the line shows. */
typedef struct
{
  guint64 messages;
  guint64 stored;
  guint64 duplicates;
  guint64 rejected;
  guint64 bytes_done;
  guint64 bytes_total; /* 0: unknown, no bar and no time left */
  const char *unit;    /* what messages counts ("rows" for copy), NULL: "msgs" */
} TrProgressCounts;

/* tr_progress_new - a display, or one that shows nothing when @enabled is FALSE */
TrProgress *tr_progress_new (gboolean enabled);
/* tr_progress_update - redraw (at most every 1/5 s unless @force) */
void tr_progress_update (TrProgress *progress, const TrProgressCounts *counts, gboolean force);
/* tr_progress_clear - erase the line, before other output (the next update redraws it) */
void tr_progress_clear (TrProgress *progress);
/* tr_progress_free - erase the line and free */
void tr_progress_free (TrProgress *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrProgress, tr_progress_free)
