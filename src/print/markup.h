/* markup.h - text from outside made safe for HTML and SVG (XML 1.0) text and attribute values
 * (markup.c)
 *
 * A label in a chart or a cell in the report page may hold anything a sender wrote: "<script>",
 * quotes, "</svg>", "]]>", bidi overrides, control characters, invalid UTF-8.  The output is
 * valid UTF-8 that both an HTML5 parser and an XML 1.0 parser read as the same plain text. */
#pragma once

#include <glib.h>

/* tr_markup_clean - @raw (any bytes; NULL as "") as valid UTF-8 of at most @max_chars characters
 * (0: no limit; a cut one ends in "…"): bad bytes become U+FFFD, and characters that XML 1.0
 * forbids or that HTML calls a parse error, or that can reorder or hide text (control, format
 * such as bidi overrides, line and paragraph separators, unassigned and noncharacters) are shown
 * as "\n", "\t", "\x1b", "\u202e" as in the terminal (escape.c).  At most 4 * @max_chars + 4
 * bytes of @raw are read.  Not yet escaped for markup.  Newly allocated. */
char *tr_markup_clean (const char *raw, gsize max_chars);
/* tr_markup_append_escaped - append @text (valid UTF-8, as tr_markup_clean makes it) with & < > "
 * and ' as entity references: safe as element text and in a quoted attribute value */
void tr_markup_append_escaped (GString *out, const char *text);
/* tr_markup_append - tr_markup_clean and tr_markup_append_escaped in one */
void tr_markup_append (GString *out, const char *raw, gsize max_chars);
