/* decode.c - payload bytes to a TrReport: inflate (zlib) and parse (json-glib stays here)
 *
 * Everything that reaches this file is hostile.  Inflating is capped at
 * limits->max_inflated_size (the buffer never grows past the cap plus one byte), and the JSON
 * nesting depth is checked by a byte scan before json-glib, which recurses, sees the text.
 *
 * Leniency (doc/deviations.md): null is the same as absent; a number or boolean where a string
 * is expected is kept as its text; counts may be integers, integral doubles or numeric strings;
 * policy-string and mx-host may be an array or a bare string and are stored as compact JSON
 * array text (a bare "" becomes [], a bare "x" becomes ["x"]); the placeholder names of
 * RFC 8460 section 4.4 (D16) are read when the real key is absent; unknown members and enum
 * values are kept (they remain in raw_json).  raw_json is the text as received, minus a leading
 * UTF-8 byte order mark.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <zlib.h>

#include "decode.h"
#include "error.h"

#define INFLATE_CHUNK (64 * 1024)

/* ---------------------------------------------------------------------------------------- */
/* zlib                                                                                        */

/* inflate_capped - run the initialised stream @z over @in; gzip members may follow each other */
static GBytes *
inflate_capped (z_stream *z, const guint8 *in, gsize in_len, gboolean gzip, gsize cap,
                GError **error)
{
  g_autofree guint8 *buf = NULL;
  gsize alloc = 0, used = 0;
  gsize hard = cap == G_MAXSIZE ? cap : cap + 1; /* one byte more tells "over the cap" */
  const char *what = gzip ? "gzip" : "zip";

  z->next_in = (Bytef *) in;
  z->avail_in = 0;
  for (;;)
    {
      gsize pos = (gsize) (z->next_in - (Bytef *) in);
      gsize out_before;
      int ret;

      if (z->avail_in == 0 && pos < in_len)
        z->avail_in = (uInt) MIN (in_len - pos, (gsize) G_MAXUINT);
      if (used == alloc)
        {
          gsize grow = alloc == 0 ? INFLATE_CHUNK : alloc;
          gsize next = hard - alloc > grow ? alloc + grow : hard;

          if (next <= alloc)
            break; /* cannot happen: used > cap is caught below */
          buf = g_realloc (buf, next);
          alloc = next;
        }
      z->next_out = buf + used;
      z->avail_out = (uInt) MIN (alloc - used, (gsize) G_MAXUINT);
      out_before = z->avail_out;
      ret = inflate (z, Z_NO_FLUSH);
      used += out_before - z->avail_out;
      if (used > cap)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_LIMIT,
                       "inflated size exceeds %" G_GSIZE_FORMAT " bytes", cap);
          return NULL;
        }
      switch (ret)
        {
          case Z_OK:
            continue;
          case Z_STREAM_END:
            pos = (gsize) (z->next_in - (Bytef *) in);
            if (gzip && in_len - pos >= 2 && in[pos] == 0x1f && in[pos + 1] == 0x8b)
              {
                /* concatenated gzip members form one stream */
                if (inflateReset (z) != Z_OK)
                  {
                    g_set_error (error, TR_ERROR, TR_ERROR_INTERNAL, "inflateReset failed");
                    return NULL;
                  }
                continue;
              }
            /* done; stray bytes after the stream (a CRLF) are ignored */
            buf = g_realloc (buf, used);
            return g_bytes_new_take (g_steal_pointer (&buf), used);
          case Z_BUF_ERROR:
            if (z->avail_in == 0 && (gsize) (z->next_in - (Bytef *) in) >= in_len)
              {
                g_set_error (error, TR_ERROR, TR_ERROR_DATA, "truncated %s data", what);
                return NULL;
              }
            continue;
          case Z_MEM_ERROR:
            g_set_error (error, TR_ERROR, TR_ERROR_INTERNAL, "out of memory while inflating");
            return NULL;
          case Z_NEED_DICT:
          case Z_DATA_ERROR:
          default:
            g_set_error (error, TR_ERROR, TR_ERROR_DATA, "corrupt %s data: %s", what,
                         z->msg != NULL ? z->msg : "unknown error");
            return NULL;
        }
    }
  g_set_error (error, TR_ERROR, TR_ERROR_INTERNAL, "inflate buffer logic error");
  return NULL;
}

/* inflate_gzip - one gzip stream (possibly several members) with a size cap */
static GBytes *
inflate_gzip (const guint8 *in, gsize in_len, gsize cap, GError **error)
{
  z_stream z = { 0 };
  GBytes *out;

  if (inflateInit2 (&z, 16 + MAX_WBITS) != Z_OK)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_INTERNAL, "inflateInit2 failed");
      return NULL;
    }
  out = inflate_capped (&z, in, in_len, TRUE, cap, error);
  inflateEnd (&z);
  return out;
}

/* le16 - little-endian 16-bit value at @p */
static guint
le16 (const guint8 *p)
{
  return (guint) p[0] | ((guint) p[1] << 8);
}

/* le32 - little-endian 32-bit value at @p */
static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

/* name_is_json - whether a zip entry name ends in ".json" (any case) */
static gboolean
name_is_json (const guint8 *name, gsize len)
{
  return len >= 5 && g_ascii_strncasecmp ((const char *) name + len - 5, ".json", 5) == 0;
}

typedef struct
{
  guint flags, method;
  guint32 crc, csize, usize;
  gsize header_offset;
  gboolean sizes_known;
} ZipEntry;

/* zip_find_central - pick the entry from the central directory; FALSE if there is none usable */
static gboolean
zip_find_central (const guint8 *in, gsize len, ZipEntry *entry)
{
  gsize eocd = 0, p;
  gboolean found = FALSE, have_first = FALSE;
  ZipEntry first = { 0 };
  guint count, i;

  if (len < 22)
    return FALSE;
  /* the end-of-central-directory record is 22 bytes plus a comment of up to 65535 */
  for (p = len - 22;; p--)
    {
      if (le32 (in + p) == 0x06054b50)
        {
          eocd = p;
          found = TRUE;
          break;
        }
      if (p == 0 || len - p > 22 + 65535)
        break;
    }
  if (!found)
    return FALSE;
  count = le16 (in + eocd + 10);
  p = le32 (in + eocd + 16);
  for (i = 0; i < count; i++)
    {
      ZipEntry e = { 0 };
      guint name_len, extra_len, comment_len;

      if (p > eocd || eocd - p < 46 || le32 (in + p) != 0x02014b50)
        break;
      name_len = le16 (in + p + 28);
      extra_len = le16 (in + p + 30);
      comment_len = le16 (in + p + 32);
      if (eocd - p - 46 < name_len)
        break;
      e.flags = le16 (in + p + 8);
      e.method = le16 (in + p + 10);
      e.crc = le32 (in + p + 16);
      e.csize = le32 (in + p + 20);
      e.usize = le32 (in + p + 24);
      e.header_offset = le32 (in + p + 42);
      e.sizes_known = TRUE;
      if (name_is_json (in + p + 46, name_len))
        {
          *entry = e;
          return TRUE;
        }
      if (!have_first && !(name_len > 0 && in[p + 46 + name_len - 1] == '/'))
        {
          first = e;
          have_first = TRUE;
        }
      p += 46 + (gsize) name_len + extra_len + comment_len;
    }
  if (have_first)
    *entry = first;
  return have_first;
}

/* inflate_zip - the first .json entry (or the first entry) of a zip archive, with a size cap */
static GBytes *
inflate_zip (const guint8 *in, gsize len, gsize cap, GError **error)
{
  ZipEntry e = { 0 };
  gsize data, avail;
  guint name_len, extra_len;
  GBytes *out;

  if (!zip_find_central (in, len, &e))
    {
      if (len < 30)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_DATA, "truncated zip data");
          return NULL;
        }
      /* no (usable) central directory, e.g. a cut archive: try the first local header */
      e.header_offset = 0;
      e.flags = le16 (in + 6);
      e.method = le16 (in + 8);
      e.crc = le32 (in + 14);
      e.csize = le32 (in + 18);
      e.usize = le32 (in + 22);
      e.sizes_known = !(e.flags & 0x08);
    }
  if (e.header_offset > len || len - e.header_offset < 30
      || le32 (in + e.header_offset) != 0x04034b50)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA, "corrupt zip data: bad local header");
      return NULL;
    }
  if (e.flags & 0x01)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA, "zip entry is encrypted");
      return NULL;
    }
  if (e.csize == 0xffffffffu || e.usize == 0xffffffffu)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA, "zip64 archives are not supported");
      return NULL;
    }
  name_len = le16 (in + e.header_offset + 26);
  extra_len = le16 (in + e.header_offset + 28);
  data = e.header_offset + 30 + name_len + extra_len;
  if (data > len)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA, "truncated zip data");
      return NULL;
    }
  avail = len - data;
  if (e.sizes_known)
    {
      if (e.csize > avail)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_DATA, "truncated zip data");
          return NULL;
        }
      avail = e.csize;
    }

  if (e.method == 0)
    {
      if (!e.sizes_known)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_DATA,
                       "zip: stored entry without sizes is not supported");
          return NULL;
        }
      if (avail > cap)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_LIMIT,
                       "inflated size exceeds %" G_GSIZE_FORMAT " bytes", cap);
          return NULL;
        }
      out = g_bytes_new (in + data, avail);
    }
  else if (e.method == 8)
    {
      z_stream z = { 0 };

      if (inflateInit2 (&z, -MAX_WBITS) != Z_OK)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_INTERNAL, "inflateInit2 failed");
          return NULL;
        }
      out = inflate_capped (&z, in + data, avail, FALSE, cap, error);
      inflateEnd (&z);
      if (out == NULL)
        return NULL;
    }
  else
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA, "zip compression method %u is not supported",
                   e.method);
      return NULL;
    }

  if (e.sizes_known)
    {
      gsize size;
      const guint8 *p = g_bytes_get_data (out, &size);

      if (size != e.usize || crc32 (0L, size ? p : Z_NULL, (uInt) size) != e.crc)
        {
          g_bytes_unref (out);
          g_set_error (error, TR_ERROR, TR_ERROR_DATA, "corrupt zip data: size or CRC mismatch");
          return NULL;
        }
    }
  return out;
}

/* tr_decode_inflate - the JSON text inside @payload (gzip or zip by magic, else as it is) */
GBytes *
tr_decode_inflate (GBytes *payload, const TrLimits *limits, GError **error)
{
  gsize len;
  const guint8 *in;

  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (limits != NULL, NULL);

  in = g_bytes_get_data (payload, &len);
  if (len >= 2 && in[0] == 0x1f && in[1] == 0x8b)
    return inflate_gzip (in, len, limits->max_inflated_size, error);
  if (len >= 4 && memcmp (in, "PK\x03\x04", 4) == 0)
    return inflate_zip (in, len, limits->max_inflated_size, error);
  return g_bytes_ref (payload);
}

/* tr_decode_content_coding - @body with its HTTP content coding undone */
GBytes *
tr_decode_content_coding (GBytes *body, const char *coding, const TrLimits *limits, GError **error)
{
  g_autofree char *name = g_strstrip (g_ascii_strdown (coding ? coding : "", -1));
  gsize len;
  const guint8 *in = g_bytes_get_data (body, &len);

  if (*name == '\0' || strcmp (name, "identity") == 0)
    return g_bytes_ref (body);
  if (strcmp (name, "gzip") != 0 && strcmp (name, "x-gzip") != 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA,
                   "Content-Encoding %.64s is not supported (gzip is)", name);
      return NULL;
    }
  if (len >= 2 && in[0] == 0x1f && in[1] == 0x8b)
    return inflate_gzip (in, len, limits->max_inflated_size, error);
  return g_bytes_ref (body);
}

/* ---------------------------------------------------------------------------------------- */
/* JSON                                                                                        */

/* check_shape - refuse nesting of { and [ deeper than @max_depth, or more than @max_values
 * values (counted as containers plus commas), before json-glib (which recurses) sees the text.
 * The scan follows json-glib 1.6's lexer, which is laxer than JSON: besides "..." strings with
 * escapes it takes '...' strings without escapes, // line comments and C comments.  Brackets
 * inside any of them are not structure; missing one of these forms would let an attacker hide
 * deep nesting behind a quote. */
static gboolean
check_shape (const guint8 *p, gsize len, guint max_depth, gsize max_values, gsize *n_values,
             GError **error)
{
  gsize i, values = 0;
  guint depth = 0;

  for (i = 0; i < len; i++)
    {
      guint8 c = p[i];

      switch (c)
        {
          case '"':
            for (i++; i < len && p[i] != '"'; i++)
              if (p[i] == '\\')
                i++; /* skip the escaped character */
            break;
          case '\'':
            for (i++; i < len && p[i] != '\''; i++)
              ;
            break;
          case '/':
            if (i + 1 < len && p[i + 1] == '/')
              for (i += 2; i < len && p[i] != '\n'; i++)
                ;
            else if (i + 1 < len && p[i + 1] == '*')
              for (i += 2; i < len && !(p[i] == '*' && i + 1 < len && p[i + 1] == '/'); i++)
                ;
            break;
          case '{':
          case '[':
            if (++depth > max_depth)
              {
                g_set_error (error, TR_ERROR, TR_ERROR_LIMIT, "JSON nesting deeper than %u",
                             max_depth);
                return FALSE;
              }
            values++;
            break;
          case '}':
          case ']':
            if (depth > 0)
              depth--;
            break;
          case ',':
            values++;
            break;
          default:
            break;
        }
      if (values > max_values)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_LIMIT,
                       "JSON has more than %" G_GSIZE_FORMAT " values", max_values);
          return FALSE;
        }
    }
  *n_values = values;
  return TRUE;
}

/* member - the member @name of @obj, or NULL when it is missing or JSON null */
static JsonNode *
member (JsonObject *obj, const char *name)
{
  JsonNode *node;

  if (obj == NULL)
    return NULL;
  node = json_object_get_member (obj, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

/* value_text - the text of a scalar node (string, number, boolean), or NULL; *@repaired (may be
 * NULL) is set when the string was not valid UTF-8 and was made so */
static char *
value_text (JsonNode *node, gboolean *repaired)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return NULL;
  switch (json_node_get_value_type (node))
    {
      case G_TYPE_STRING:
        {
          const char *text = json_node_get_string (node);

          /* json-glib validates the JSON text, but passes "\ud800" (a lone surrogate escape)
           * through as invalid UTF-8: this is the one place that repairs it (validate.c relies
           * on it); validating first spares the copy through a GString for the usual text */
          if (text == NULL)
            return NULL;
          if (g_utf8_validate (text, -1, NULL))
            return g_strdup (text);
          if (repaired != NULL)
            *repaired = TRUE;
          return g_utf8_make_valid (text, -1);
        }
      case G_TYPE_INT64:
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      case G_TYPE_DOUBLE:
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      case G_TYPE_BOOLEAN:
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
      default:
        return NULL;
    }
}

/* repaired_text - value_text(), with a warning when the text had to be repaired */
static char *
repaired_text (TrReport *report, JsonNode *node, const char *where, const char *name)
{
  gboolean repaired = FALSE;
  char *text = value_text (node, &repaired);

  if (repaired)
    tr_report_warn (report, "utf8-repaired", "%s%s is not valid UTF-8, repaired", where, name);
  return text;
}

/* get_string - member @name as text; absent, null, arrays and objects give NULL */
static char *
get_string (TrReport *report, JsonObject *obj, const char *where, const char *name)
{
  JsonNode *node = member (obj, name);

  if (node == NULL)
    return NULL;
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    {
      tr_report_warn (report, "not-a-string", "%s%s is not a string, ignored", where, name);
      return NULL;
    }
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    tr_report_warn (report, "scalar-as-string", "%s%s is not a string, kept as text", where, name);
  return repaired_text (report, node, where, name);
}

/* get_string_alias - member @name, else the RFC 8460 placeholder name @alias (D16) */
static char *
get_string_alias (TrReport *report, JsonObject *obj, const char *where, const char *name,
                  const char *alias)
{
  char *value = get_string (report, obj, where, name);

  if (value == NULL && (value = get_string (report, obj, where, alias)) != NULL)
    tr_report_warn (report, "placeholder-name", "%s%s used instead of %s", where, alias, name);
  return value;
}

/* get_count - a non-negative count from an integer, an integral double or a numeric string */
static gint64
get_count (TrReport *report, JsonObject *obj, const char *where, const char *name)
{
  JsonNode *node = member (obj, name);

  if (node == NULL)
    return TR_COUNT_ABSENT;
  if (JSON_NODE_TYPE (node) == JSON_NODE_VALUE)
    {
      switch (json_node_get_value_type (node))
        {
          case G_TYPE_INT64:
            {
              gint64 v = json_node_get_int (node);

              if (v >= 0)
                return v;
              break;
            }
          case G_TYPE_DOUBLE:
            {
              double d = json_node_get_double (node);

              /* 9223372036854775808.0 is 2^63, the first double past G_MAXINT64 */
              if (isfinite (d) && d >= 0 && d < 9223372036854775808.0)
                {
                  if (d != trunc (d))
                    tr_report_warn (report, "count-fraction", "%s%s is not an integer, truncated",
                                    where, name);
                  return (gint64) d;
                }
              break;
            }
          case G_TYPE_STRING:
            {
              g_autofree char *s = g_strstrip (g_strdup (json_node_get_string (node)));
              guint64 v;

              if (g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT64, &v, NULL))
                {
                  tr_report_warn (report, "count-as-string", "%s%s is a string", where, name);
                  return (gint64) v;
                }
              break;
            }
          default:
            break;
        }
    }
  tr_report_warn (report, "count-unusable", "%s%s is not a count, ignored", where, name);
  return TR_COUNT_ABSENT;
}

/* get_array_text - member @name (an array, or a bare scalar) as compact JSON array text */
static char *
get_array_text (TrReport *report, JsonObject *obj, const char *where, const char *name)
{
  JsonNode *node = member (obj, name);
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonGenerator) gen = NULL;
  g_autoptr (JsonNode) root = NULL;

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      tr_report_warn (report, "array-expected", "%s%s is an object, ignored", where, name);
      return NULL;
    }
  builder = json_builder_new ();
  json_builder_begin_array (builder);
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint i, n = json_array_get_length (array);

      for (i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *text = NULL;

          if (JSON_NODE_HOLDS_NULL (element))
            {
              tr_report_warn (report, "array-null", "%s%s holds null, skipped", where, name);
              continue;
            }
          if (JSON_NODE_TYPE (element) == JSON_NODE_VALUE)
            text = repaired_text (report, element, where, name);
          else
            text = json_to_string (element, FALSE);
          if (text == NULL)
            continue;
          if (!JSON_NODE_HOLDS_VALUE (element)
              || json_node_get_value_type (element) != G_TYPE_STRING)
            tr_report_warn (report, "array-non-string", "%s%s holds a non-string, kept as text",
                            where, name);
          json_builder_add_string_value (builder, text);
        }
    }
  else
    {
      g_autofree char *text = repaired_text (report, node, where, name);

      /* D7: a bare string is a one-element array; a bare "" is taken as an empty array */
      tr_report_warn (report, "array-bare", "%s%s is not an array", where, name);
      if (text != NULL && *text != '\0')
        json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  gen = json_generator_new ();
  json_generator_set_pretty (gen, FALSE);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* get_object - member @name if it is an object; otherwise NULL (with a warning if present) */
static JsonObject *
get_object (TrReport *report, JsonObject *obj, const char *where, const char *name)
{
  JsonNode *node = member (obj, name);

  if (node == NULL)
    {
      tr_report_warn (report, "member-missing", "%s%s is missing", where, name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      tr_report_warn (report, "object-expected", "%s%s is not an object, ignored", where, name);
      return NULL;
    }
  return json_node_get_object (node);
}

/* parse_failure - one failure-details element */
static TrFailure *
parse_failure (TrReport *report, JsonObject *obj, const char *where)
{
  TrFailure *f = tr_failure_new ();

  f->result_type = get_string (report, obj, where, "result-type");
  if (f->result_type == NULL)
    tr_report_warn (report, "result-type-missing", "%sresult-type is missing", where);
  f->sending_mta_ip = get_string (report, obj, where, "sending-mta-ip");
  f->receiving_mx_hostname = get_string (report, obj, where, "receiving-mx-hostname");
  f->receiving_mx_helo = get_string (report, obj, where, "receiving-mx-helo");
  f->receiving_ip = get_string (report, obj, where, "receiving-ip");
  f->failed_session_count = get_count (report, obj, where, "failed-session-count");
  f->additional_information
      = get_string_alias (report, obj, where, "additional-information", "additional-info-uri");
  f->failure_reason_code
      = get_string_alias (report, obj, where, "failure-reason-code", "failure-error-code");
  return f;
}

/* parse_policy - one policies element */
static TrPolicy *
parse_policy (TrReport *report, JsonObject *obj, guint index)
{
  g_autoptr (TrPolicy) p = tr_policy_new ();
  g_autofree char *where = g_strdup_printf ("policies[%u].", index);
  g_autofree char *pwhere = g_strdup_printf ("policies[%u].policy.", index);
  g_autofree char *swhere = g_strdup_printf ("policies[%u].summary.", index);
  JsonObject *policy = get_object (report, obj, where, "policy");
  JsonObject *summary = get_object (report, obj, where, "summary");
  JsonNode *details;

  p->policy_type = get_string (report, policy, pwhere, "policy-type");
  p->policy_string = get_array_text (report, policy, pwhere, "policy-string");
  p->policy_domain = get_string (report, policy, pwhere, "policy-domain");
  p->mx_host = get_array_text (report, policy, pwhere, "mx-host");
  if (p->mx_host == NULL
      && (p->mx_host = get_array_text (report, policy, pwhere, "mx-host-pattern")) != NULL)
    tr_report_warn (report, "placeholder-name", "%smx-host-pattern used instead of mx-host",
                    pwhere);
  p->total_successful_session_count
      = get_count (report, summary, swhere, "total-successful-session-count");
  p->total_failure_session_count
      = get_count (report, summary, swhere, "total-failure-session-count");

  details = member (obj, "failure-details");
  if (details != NULL && !JSON_NODE_HOLDS_ARRAY (details))
    tr_report_warn (report, "array-expected", "%sfailure-details is not an array, ignored", where);
  else if (details != NULL)
    {
      JsonArray *array = json_node_get_array (details);
      guint i, n = json_array_get_length (array);
      g_autoptr (GPtrArray) taken = g_ptr_array_new_full (n, NULL);

      for (i = 0; i < n; i++)
        if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
          tr_report_warn (report, "element-not-object",
                          "%sfailure-details[%u] is not an object, skipped", where, i);

      /* Backwards, taking each element out of the tree once it is converted: the memory of the
       * tree is reused for the model, so a large report does not hold both at once (fewer pages
       * touched, each a page fault). */
      g_ptr_array_set_size (taken, n);
      for (i = n; i-- > 0;)
        {
          JsonNode *element = json_array_get_element (array, i);
          char fwhere[96]; /* "policies[N].failure-details[M]." */

          if (JSON_NODE_HOLDS_OBJECT (element))
            {
              g_snprintf (fwhere, sizeof fwhere, "%sfailure-details[%u].", where, i);
              taken->pdata[i] = parse_failure (report, json_node_get_object (element), fwhere);
            }
          json_array_remove_element (array, i);
        }
      for (i = 0; i < n; i++)
        if (taken->pdata[i] != NULL)
          g_ptr_array_add (p->failures, taken->pdata[i]);
    }
  return g_steal_pointer (&p);
}

/* tr_decode_report - parse the JSON text @json leniently into a new TrReport */
TrReport *
tr_decode_report (GBytes *json, const TrLimits *limits, GError **error)
{
  g_autoptr (TrReport) report = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  const guint8 *data;
  gsize len, skip = 0, bom = 0, n_values = 0;
  JsonNode *root, *policies;
  JsonObject *top, *range;
  JsonArray *array;
  guint i, n, objects = 0;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (limits != NULL, NULL);

  data = g_bytes_get_data (json, &len); /* NULL when empty: refused below, never offset */
  if (!check_shape (data, len, limits->max_json_depth, limits->max_json_values, &n_values, error))
    return NULL;
  if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
    skip = bom = 3;
  while (skip < len && g_ascii_isspace (data[skip]))
    skip++;
  if (skip == len)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA, "report is not a JSON object (empty)");
      return NULL;
    }

  /* A mutable tree: parse_policy takes failure-details out of it as it converts them.
   * json-glib validates the UTF-8 of the whole text first; ours only names the failure. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *) data + skip, (gssize) (len - skip),
                                   &local_error))
    {
      if (!g_utf8_validate_len ((const char *) data + skip, len - skip, NULL))
        g_set_error (error, TR_ERROR, TR_ERROR_DATA, "report is not valid UTF-8");
      else
        g_set_error (error, TR_ERROR, TR_ERROR_DATA, "report is not valid JSON: %s",
                     local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA, "report is not a JSON object");
      return NULL;
    }
  top = json_node_get_object (root);
  policies = member (top, "policies");
  if (policies == NULL || !JSON_NODE_HOLDS_ARRAY (policies))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA, "report has no policies array");
      return NULL;
    }

  report = tr_report_new ();
  report->raw_json = bom ? g_bytes_new_from_bytes (json, bom, len - bom) : g_bytes_ref (json);
  report->json_values = n_values;
  if (bom)
    tr_report_warn (report, "byte-order-mark", "report starts with a UTF-8 byte order mark");
  report->organization_name = get_string (report, top, "", "organization-name");
  report->contact_info = get_string_alias (report, top, "", "contact-info", "email-address");
  report->report_id = get_string (report, top, "", "report-id");
  range = get_object (report, top, "", "date-range");
  report->start_datetime_raw = get_string (report, range, "date-range.", "start-datetime");
  report->end_datetime_raw = get_string (report, range, "date-range.", "end-datetime");

  array = json_node_get_array (policies);
  n = json_array_get_length (array);
  if (n == 0)
    tr_report_warn (report, "no-policies", "report has no policies");
  for (i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      TrPolicy *policy;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          tr_report_warn (report, "element-not-object", "policies[%u] is not an object, skipped",
                          i);
          continue;
        }
      policy = parse_policy (report, json_node_get_object (element), i);
      policy->index = objects++;
      g_ptr_array_add (report->policies, policy);
    }
  if (n > 0 && objects == 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_DATA, "report has no policy objects");
      return NULL;
    }

  g_clear_object (&parser);
  return g_steal_pointer (&report);
}

/* tr_decode_json_compact - @json re-written compactly, or NULL */
char *
tr_decode_json_compact (GBytes *json)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  gsize size;
  const char *data = g_bytes_get_data (json, &size);

  if (data == NULL || size > G_MAXSSIZE || !g_utf8_validate (data, (gssize) size, NULL)
      || !json_parser_load_from_data (parser, data, (gssize) size, NULL)
      || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_to_string (json_parser_get_root (parser), FALSE);
}

/* tr_decode_string_array - the strings of a JSON array text */
GStrv
tr_decode_string_array (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GStrvBuilder) strings = g_strv_builder_new ();
  JsonNode *root;
  JsonArray *array;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *text = JSON_NODE_HOLDS_VALUE (element) ? value_text (element, NULL)
                                                              : json_to_string (element, FALSE);

      g_strv_builder_add (strings, text ? text : "");
    }
  return g_strv_builder_end (strings);
}
