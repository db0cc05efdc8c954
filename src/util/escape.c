/* escape.c - make any string safe to show on a terminal or to write to a log
 *
 * Every string a report or a message carries was written by a stranger.  Shown as it is, it
 * can move the cursor, clear the screen (ESC [2J), write the clipboard (OSC 52), ring the bell,
 * overwrite a line (CR), turn the rest of the line around (U+202E) or start a new log line.
 * These functions make it valid UTF-8 (U+FFFD for bad bytes) and show every character of the
 * Unicode categories control (C0, DEL, C1), format (bidi overrides, zero-width joiners, BOM),
 * line and paragraph separator, surrogate and unassigned as an escape: "\n", "\r", "\t",
 * "\x1b", "\u202e".  What is left takes one line and cannot drive the terminal.
 */
#include "config.h"

#include <string.h>

#include "escape.h"

/* needs_escape - characters that must not reach a terminal or a log as they are */
static gboolean
needs_escape (gunichar c)
{
  switch (g_unichar_type (c))
    {
      case G_UNICODE_CONTROL:
      case G_UNICODE_FORMAT:
      case G_UNICODE_LINE_SEPARATOR:
      case G_UNICODE_PARAGRAPH_SEPARATOR:
      case G_UNICODE_UNASSIGNED:
      case G_UNICODE_SURROGATE:
        return TRUE;
      default:
        return FALSE;
    }
}

/* append_escaped - @value (valid UTF-8) with escapes; newlines kept as they are if @keep_newlines
 */
static void
append_escaped (GString *s, const char *value, gboolean keep_newlines)
{
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!needs_escape (c) || (keep_newlines && c == '\n'))
        g_string_append_len (s, p, g_utf8_next_char (p) - p);
      else if (c == '\n')
        g_string_append (s, "\\n");
      else if (c == '\r')
        g_string_append (s, "\\r");
      else if (c == '\t')
        g_string_append (s, "\\t");
      else if (c < 0x80)
        g_string_append_printf (s, "\\x%02x", c);
      else if (c <= 0xffff)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_printf (s, "\\U%08x", c);
    }
}

/* escape - @value (any bytes) made valid and safe; line feeds kept if @keep_newlines */
static char *
escape (const char *value, gboolean keep_newlines)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);
  GString *s = g_string_sized_new (strlen (valid));

  append_escaped (s, valid, keep_newlines);
  return g_string_free (s, FALSE);
}

/* tr_escape_text - @value as one safe line */
char *
tr_escape_text (const char *value)
{
  return escape (value, FALSE);
}

/* tr_escape_text_lines - @value made safe, keeping its line breaks */
char *
tr_escape_text_lines (const char *value)
{
  return escape (value, TRUE);
}

/* tr_escape_text_width - terminal columns of @value (valid UTF-8): wide characters take two */
guint
tr_escape_text_width (const char *value)
{
  guint width = 0;

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* tr_escape_cut - @value (valid UTF-8) cut to at most @max bytes at a character boundary, with
 * "..." appended when it was cut; a copy either way */
char *
tr_escape_cut (const char *value, gsize max)
{
  gsize len = strlen (value);
  gsize cut = max > 3 ? max - 3 : 0;
  GString *s;

  if (len <= max)
    return g_strdup (value);
  while (cut > 0 && ((guchar) value[cut] & 0xc0) == 0x80)
    cut--;
  s = g_string_new_len (value, (gssize) cut);
  g_string_append (s, "...");
  return g_string_free (s, FALSE);
}
