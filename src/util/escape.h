/* escape.h - make any string safe to show on a terminal or to write to a log (escape.c) */
#pragma once

#include <glib.h>

/* tr_escape_text - @value (any bytes) as valid UTF-8 on one line: control, format (bidi),
 * separator and unassigned characters shown as "\n", "\t", "\x1b", "\u202e" (newly allocated) */
char *tr_escape_text (const char *value);
/* tr_escape_text_lines - the same, but line feeds are kept (for multi-line text of ours, such
 * as pretty-printed JSON, whose strings hold no raw line feeds) */
char *tr_escape_text_lines (const char *value);
/* tr_escape_text_width - the terminal columns @value (valid UTF-8) takes */
guint tr_escape_text_width (const char *value);
/* tr_escape_cut - @value (valid UTF-8) cut to at most @max bytes at a character boundary, "..."
 * marking a cut (newly allocated) */
char *tr_escape_cut (const char *value, gsize max);
