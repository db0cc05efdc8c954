/* markup.c - text from outside made safe for HTML and SVG
 *
 * XML 1.0 forbids most C0 controls outright, even as character references (&#x1; is not
 * well-formed), and HTML5 calls C0, C1 and noncharacters parse errors; bidi overrides are legal
 * but let a sender turn a neighbouring label around.  So those characters are not passed on at
 * all: they are shown as visible escapes, the same ones escape.c shows on a terminal, so the
 * reader sees that a name holds something odd.  The rest only needs the five markup characters
 * escaped; quotes too, so that one function serves text and attribute values.
 *
 * The character rule is escape.c's; this file does not call it because a label is cut while it
 * is cleaned (a hostile label may be megabytes long, and only its first characters are read).
 */
#include "config.h"

#include <string.h>

#include "markup.h"

/* needs_escape - characters not to pass into markup as they are (escape.c's rule) */
static gboolean
needs_escape (gunichar c)
{
  switch (g_unichar_type (c))
    {
      case G_UNICODE_CONTROL:
      case G_UNICODE_FORMAT:
      case G_UNICODE_LINE_SEPARATOR:
      case G_UNICODE_PARAGRAPH_SEPARATOR:
      case G_UNICODE_UNASSIGNED: /* also U+FFFE, U+FFFF and U+FDD0..U+FDEF */
      case G_UNICODE_SURROGATE:
        return TRUE;
      default:
        return FALSE;
    }
}

/* append_visible - @c, which needs_escape, as a visible escape */
static void
append_visible (GString *s, gunichar c)
{
  if (c == '\n')
    g_string_append (s, "\\n");
  else if (c == '\r')
    g_string_append (s, "\\r");
  else if (c == '\t')
    g_string_append (s, "\\t");
  else if (c < 0x80)
    g_string_append_printf (s, "\\x%02x", (guint) c);
  else if (c <= 0xffff)
    g_string_append_printf (s, "\\u%04x", (guint) c);
  else
    g_string_append_printf (s, "\\U%08x", (guint) c);
}

/* tr_markup_clean - @raw as valid, visible UTF-8 of at most @max_chars characters */
char *
tr_markup_clean (const char *raw, gsize max_chars)
{
  gsize len, n = 0, last = 0;
  const char *p, *end;
  GString *s;

  if (raw == NULL)
    raw = "";
  /* a character takes at most 4 bytes: more than this cannot be shown, so is never read */
  len = max_chars > 0 ? strnlen (raw, max_chars * 4 + 4) : strlen (raw);
  s = g_string_sized_new (MIN (len, 1024) + 4);
  for (p = raw, end = raw + len; p < end; n++)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      gsize step = 1;

      if (max_chars > 0 && n == max_chars)
        {
          /* one character too many: the last one kept gives way to the ellipsis */
          g_string_truncate (s, last);
          g_string_append (s, "\xe2\x80\xa6");
          break;
        }
      last = s->len;
      if (c == (gunichar) -1 || c == (gunichar) -2 || !g_unichar_validate (c))
        g_string_append (s, "\xef\xbf\xbd"); /* U+FFFD for the one bad byte */
      else
        {
          step = g_utf8_skip[*(const guchar *) p];
          if (needs_escape (c))
            append_visible (s, c);
          else
            g_string_append_len (s, p, (gssize) step);
        }
      p += step;
    }
  return g_string_free (s, FALSE);
}

/* tr_markup_append_escaped - @text with the five markup characters as references */
void
tr_markup_append_escaped (GString *out, const char *text)
{
  const char *p, *run = text;

  for (p = text; *p != '\0'; p++)
    {
      const char *ref;

      switch (*p)
        {
          case '&':
            ref = "&amp;";
            break;
          case '<':
            ref = "&lt;";
            break;
          case '>':
            ref = "&gt;";
            break;
          case '"':
            ref = "&quot;";
            break;
          case '\'':
            ref = "&#39;";
            break;
          default:
            continue;
        }
      g_string_append_len (out, run, p - run);
      g_string_append (out, ref);
      run = p + 1;
    }
  g_string_append_len (out, run, p - run);
}

/* tr_markup_append - @raw cleaned, cut to @max_chars and escaped */
void
tr_markup_append (GString *out, const char *raw, gsize max_chars)
{
  g_autofree char *clean = tr_markup_clean (raw, max_chars);

  tr_markup_append_escaped (out, clean);
}
