/* mail.c - find the report parts of one message with GMime
 *
 * The message is hostile input.  Before GMime sees it we sniff for a bare report (JSON, gzip,
 * zip, or base64 text of one of them) and skip an mbox "From " line.  GMime then builds the MIME
 * tree, which we walk without recursion, to limits->max_mime_depth levels and MAX_PARTS parts.
 * Candidates are picked by media type and filename first (tier 1); only when that finds nothing,
 * by content (tier 2): gzip or zip magic, a JSON object, or base64 text of gzip.
 */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "error.h"
#include "mail.h"

/* GMime 3.2 declares no autoptr cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)

/* MIME objects visited in one message before we give up looking. */
#define MAX_PARTS 10000
/* GMime builds its whole object tree while parsing, at a cost many times the size of the
 * text: about 2 KB per part, 500 bytes per header, 400 bytes per address in From/To/Cc.  A
 * message is handed to GMime only up to the line where one of these counts runs over (see
 * parse_length); no real report comes close. */
#define MAX_BOUNDARY_LINES (2 * MAX_PARTS) /* lines starting with "--" */
#define MAX_HEADER_LINES 100000            /* header fields, in all header blocks */
#define MAX_HEADER_BYTES (2 * 1024 * 1024) /* bytes of all header fields */
#define MAX_ADDRESS_BYTES (256 * 1024)     /* bytes of all address header fields */
/* Media types listed in the NOT_REPORT message. */
#define MAX_LISTED_TYPES 5
/* Bytes of one media type or filename kept for payloads and messages. */
#define MAX_TYPE_LENGTH 255

/* Tier-1 ranks; a lower rank is a better candidate. */
enum
{
  RANK_TLSRPT = 0, /* application/tlsrpt* */
  RANK_LIKELY = 1, /* a generic gzip/json/zip/octet-stream type, or a telling filename */
  RANK_NONE = 2,   /* only its content can make it a candidate */
};

/* A leaf of the MIME tree, in document order. */
typedef struct
{
  GMimePart *part; /* borrowed from the message */
  char *content_type;
  char *filename;
  char *where;
  int rank;
} Leaf;

/* An object still to visit. */
typedef struct
{
  GMimeObject *object; /* borrowed */
  char *where_prefix;  /* "" or "part 2 (message/rfc822) " */
  char *path;          /* "" for a message body, else "1.2" */
  guint depth;
} Pending;

/* leaf_free - free one Leaf */
static void
leaf_free (gpointer data)
{
  Leaf *leaf = data;

  g_free (leaf->content_type);
  g_free (leaf->filename);
  g_free (leaf->where);
  g_free (leaf);
}

/* pending_free - free one Pending */
static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_free (pending->where_prefix);
  g_free (pending->path);
  g_free (pending);
}

/* pending_new - a Pending that takes ownership of @where_prefix and @path */
static Pending *
pending_new (GMimeObject *object, char *where_prefix, char *path, guint depth)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->object = object;
  pending->where_prefix = where_prefix;
  pending->path = path;
  pending->depth = depth;
  return pending;
}

/* tr_mail_init - initialise GMime once per process; safe to call again */
void
tr_mail_init (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      g_mime_init ();
      g_once_init_leave (&initialised, 1);
    }
}

/* clean_string - a bounded, valid UTF-8 copy of @value without control characters, or NULL
 * when @value is NULL or blank; the copy is trimmed and cut to @max bytes at a character
 * boundary */
static char *
clean_string (const char *value, gsize max)
{
  g_autofree char *valid = NULL;
  gsize len;

  if (value == NULL)
    return NULL;
  valid = g_utf8_make_valid (value, -1);
  /* Folding leftovers and RFC 2047-decoded line breaks would corrupt one-line logs. */
  for (char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  g_strstrip (valid);
  len = strlen (valid);
  if (len > max)
    {
      len = max;
      while (len > 0 && ((guchar) valid[len] & 0xc0) == 0x80)
        len--;
      valid[len] = '\0';
      g_strchomp (valid);
    }
  if (valid[0] == '\0')
    return NULL;
  return g_steal_pointer (&valid);
}

/* skip_bom_and_space - the offset of the first byte after a UTF-8 BOM and whitespace */
static gsize
skip_bom_and_space (const guint8 *data, gsize len)
{
  gsize i = 0;

  if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
    i = 3;
  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return i;
}

/* looks_like_report - whether @data starts like a report: gzip or zip magic, or (after a BOM
 * and whitespace) a JSON object */
static gboolean
looks_like_report (const guint8 *data, gsize len)
{
  gsize start;

  if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b)
    return TRUE;
  if (len >= 4 && memcmp (data, "PK\003\004", 4) == 0)
    return TRUE;
  start = skip_bom_and_space (data, len);
  return start < len && data[start] == '{';
}

/* is_base64_char - whether @c belongs to the base64 alphabet, padding included */
static gboolean
is_base64_char (guint8 c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/' || c == '=';
}

/* decode_base64_report - the decoded bytes when all of @data is base64 text (and whitespace)
 * of something that looks like a report, else NULL */
static GBytes *
decode_base64_report (const guint8 *data, gsize len)
{
  gsize alphabet = 0;
  gint state = 0;
  guint save = 0;
  guint8 *out;
  gsize out_len;

  for (gsize i = 0; i < len; i++)
    {
      if (is_base64_char (data[i]))
        alphabet++;
      else if (!g_ascii_isspace (data[i]))
        return NULL;
    }
  if (alphabet < 4)
    return NULL;
  out = g_malloc ((len / 4) * 3 + 3);
  out_len = g_base64_decode_step ((const char *) data, len, out, &state, &save);
  if (!looks_like_report (out, out_len))
    {
      g_free (out);
      return NULL;
    }
  return g_bytes_new_take (out, out_len);
}

/* bare_payload - the payload when @message is not a mail but the report itself, else NULL */
static GBytes *
bare_payload (GBytes *message)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (message, &len);
  gsize start = skip_bom_and_space (data, len);

  if (start < len && data[start] == '{')
    return g_bytes_ref (message);
  if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b)
    return g_bytes_ref (message);
  if (len >= 4 && memcmp (data, "PK\003\004", 4) == 0)
    return g_bytes_ref (message);
  return decode_base64_report (data, len);
}

/* header_name_length - the length of the field name when the line at @line (@len bytes)
 * starts with "Name:", else 0 */
static gsize
header_name_length (const guint8 *line, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (line[i] == ':')
        return i;
      if (line[i] <= ' ' || line[i] >= 0x7f)
        return 0;
    }
  return 0;
}

/* is_address_field - whether the field name at @name (@len bytes) holds an address list,
 * which GMime parses as soon as it reads the header */
static gboolean
is_address_field (const guint8 *name, gsize len)
{
  static const char *const fields[]
      = { "from", "to", "cc", "bcc", "sender", "reply-to", "resent-" };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gsize field_len = strlen (fields[i]);
      gboolean prefix = fields[i][field_len - 1] == '-';

      if ((prefix ? len >= field_len : len == field_len)
          && g_ascii_strncasecmp ((const char *) name, fields[i], field_len) == 0)
        return TRUE;
    }
  return FALSE;
}

/* parse_length - how many bytes of @data GMime may parse: all of it, unless the message has
 * so many parts, headers or addresses that GMime's object tree would be hundreds of times
 * larger than the message; then up to the first line over a limit.  Header blocks are found
 * roughly (at the start, after a "--" line, and right after a header block), which is enough
 * to bound what GMime builds. */
static gsize
parse_length (const guint8 *data, gsize len)
{
  gsize boundaries = 0, headers = 0, header_bytes = 0, address_bytes = 0;
  gboolean in_header = TRUE;     /* inside a header block */
  gboolean after_header = FALSE; /* on the first line after a header block */
  gboolean in_address = FALSE;   /* inside an address field */
  gsize pos = 0;

  while (pos < len)
    {
      const guint8 *line = data + pos;
      const guint8 *newline = memchr (line, '\n', len - pos);
      gsize line_len = newline != NULL ? (gsize) (newline - line) : len - pos;
      gsize name_len = header_name_length (line, line_len);
      gboolean blank = line_len == 0 || (line_len == 1 && line[0] == '\r');

      if (line_len >= 2 && line[0] == '-' && line[1] == '-')
        {
          boundaries++;
          in_header = TRUE;
          after_header = FALSE;
          in_address = FALSE;
        }
      else if (in_header || (after_header && name_len > 0))
        {
          after_header = FALSE;
          if (blank)
            {
              in_header = FALSE;
              after_header = TRUE;
            }
          else if (line[0] == ' ' || line[0] == '\t')
            {
              header_bytes += line_len;
              address_bytes += in_address ? line_len : 0;
            }
          else if (name_len > 0)
            {
              in_header = TRUE;
              headers++;
              header_bytes += line_len;
              in_address = is_address_field (line, name_len);
              address_bytes += in_address ? line_len : 0;
            }
          else
            in_header = FALSE;
        }
      else
        after_header = FALSE;

      if (boundaries > MAX_BOUNDARY_LINES || headers > MAX_HEADER_LINES
          || header_bytes > MAX_HEADER_BYTES || address_bytes > MAX_ADDRESS_BYTES)
        {
          g_debug (
              "mail: too many MIME parts, headers or addresses; parsing the first %" G_GSIZE_FORMAT
              " bytes only",
              pos);
          return pos;
        }
      pos += line_len + 1;
    }
  return len;
}

/* part_bytes - the content of @part with its transfer encoding undone; a damaged encoding
 * gives what could be decoded */
static GBytes *
part_bytes (GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  g_autoptr (GMimeStream) mem = NULL;
  GByteArray *array;

  if (content == NULL)
    return g_bytes_new (NULL, 0);
  mem = g_mime_stream_mem_new ();
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
  (void) g_mime_data_wrapper_write_to_stream (content, mem);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
  return g_byte_array_free_to_bytes (array);
}

/* has_suffix_ci - whether @name ends with @suffix, ignoring ASCII case */
static gboolean
has_suffix_ci (const char *name, const char *suffix)
{
  gsize name_len = strlen (name);
  gsize suffix_len = strlen (suffix);

  return name_len >= suffix_len && g_ascii_strcasecmp (name + name_len - suffix_len, suffix) == 0;
}

/* leaf_rank - how strongly the media type or filename says "report" */
static int
leaf_rank (const char *content_type, const char *filename)
{
  static const char *const likely_types[] = {
    "application/gzip",
    "application/x-gzip",
    "application/json",
    "application/zip",
    "application/octet-stream",
    "application/x-zip-compressed", /* what Windows mailers call a zip */
  };
  static const char *const likely_suffixes[] = { ".json", ".json.gz", ".gz", ".zip" };

  if (content_type != NULL && g_str_has_prefix (content_type, "application/tlsrpt"))
    return RANK_TLSRPT;
  for (gsize i = 0; content_type != NULL && i < G_N_ELEMENTS (likely_types); i++)
    if (strcmp (content_type, likely_types[i]) == 0)
      return RANK_LIKELY;
  for (gsize i = 0; filename != NULL && i < G_N_ELEMENTS (likely_suffixes); i++)
    if (has_suffix_ci (filename, likely_suffixes[i]))
      return RANK_LIKELY;
  return RANK_NONE;
}

/* object_content_type - the lower-case "type/subtype" of @object, bounded, or NULL */
static char *
object_content_type (GMimeObject *object)
{
  GMimeContentType *type = g_mime_object_get_content_type (object);
  g_autofree char *mime_type = NULL;
  g_autofree char *lower = NULL;

  if (type == NULL)
    return NULL;
  mime_type = g_mime_content_type_get_mime_type (type);
  if (mime_type == NULL)
    return NULL;
  lower = g_ascii_strdown (mime_type, -1);
  return clean_string (lower, MAX_TYPE_LENGTH);
}

/* child_path - the dotted path of child @index (0-based) below @path */
static char *
child_path (const char *path, int index)
{
  if (path[0] == '\0')
    return g_strdup_printf ("%d", index + 1);
  return g_strdup_printf ("%s.%d", path, index + 1);
}

/* object_where - the human-readable place of @pending's object, e.g. "part 1.2" or "body" */
static char *
object_where (const Pending *pending)
{
  if (pending->path[0] == '\0')
    return g_strconcat (pending->where_prefix, "body", NULL);
  return g_strconcat (pending->where_prefix, "part ", pending->path, NULL);
}

/* collect_leaves - the leaves of @root in document order, without recursion, to @max_depth
 * levels of containers; *visited counts the objects seen, at most MAX_PARTS */
static GPtrArray *
collect_leaves (GMimeObject *root, guint max_depth, const TrLimits *limits, guint *visited)
{
  g_autoptr (GPtrArray) leaves = g_ptr_array_new_with_free_func (leaf_free);
  g_autoptr (GPtrArray) stack = g_ptr_array_new_with_free_func (pending_free);

  *visited = 0;
  if (root != NULL)
    g_ptr_array_add (stack, pending_new (root, g_strdup (""), g_strdup (""), 0));

  while (stack->len > 0 && *visited < MAX_PARTS)
    {
      Pending *pending = g_ptr_array_steal_index (stack, stack->len - 1);
      GMimeObject *object = pending->object;

      (*visited)++;
      if (GMIME_IS_MULTIPART (object))
        {
          GMimeMultipart *multipart = GMIME_MULTIPART (object);
          int count = g_mime_multipart_get_count (multipart);
          int budget = MAX_PARTS - (int) *visited;

          if (pending->depth < max_depth)
            {
              if (count > budget)
                count = budget;
              /* Pushed last to first, so that the first child is visited first. */
              for (int i = count - 1; i >= 0; i--)
                {
                  GMimeObject *child = g_mime_multipart_get_part (multipart, i);

                  if (child != NULL)
                    g_ptr_array_add (stack, pending_new (child, g_strdup (pending->where_prefix),
                                                         child_path (pending->path, i),
                                                         pending->depth + 1));
                }
            }
        }
      else if (GMIME_IS_MESSAGE_PART (object))
        {
          GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));
          GMimeObject *body = inner != NULL ? g_mime_message_get_mime_part (inner) : NULL;

          if (body != NULL && pending->depth < max_depth)
            {
              g_autofree char *where = object_where (pending);
              g_autofree char *type = object_content_type (object);

              g_ptr_array_add (
                  stack,
                  pending_new (body,
                               g_strdup_printf ("%s (%s) ", where, type != NULL ? type : "message"),
                               g_strdup (""), pending->depth + 1));
            }
        }
      else if (GMIME_IS_PART (object))
        {
          Leaf *leaf = g_new0 (Leaf, 1);

          leaf->part = GMIME_PART (object);
          leaf->content_type = object_content_type (object);
          leaf->filename
              = clean_string (g_mime_part_get_filename (leaf->part), limits->max_string_length);
          leaf->where = object_where (pending);
          leaf->rank = leaf_rank (leaf->content_type, leaf->filename);
          g_ptr_array_add (leaves, leaf);
        }
      pending_free (pending);
    }
  return g_steal_pointer (&leaves);
}

/* header_value - the raw value of header @name of @object, unfolded and cleaned, or NULL */
static char *
header_value (GMimeObject *object, const char *name, gsize max)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (object);
  GMimeHeader *header;
  const char *raw;
  g_autofree char *unfolded = NULL;

  if (headers == NULL)
    return NULL;
  header = g_mime_header_list_get_header (headers, name);
  if (header == NULL)
    return NULL;
  raw = g_mime_header_get_raw_value (header);
  if (raw == NULL)
    return NULL;
  unfolded = g_mime_utils_header_unfold (raw);
  return clean_string (unfolded, max);
}

/* add_auth_results - the Authentication-Results values, topmost first (at most 64: an MTA adds
 * a few; more is someone's noise), for trust.c to judge */
static void
add_auth_results (TrMailInfo *info, GMimeObject *object, gsize max)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (object);
  int n = headers ? g_mime_header_list_get_count (headers) : 0;

  for (int i = 0; i < n && info->auth_results->len < 64; i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (headers, i);
      const char *raw = g_mime_header_get_raw_value (header);

      if (raw != NULL
          && g_ascii_strcasecmp (g_mime_header_get_name (header), "Authentication-Results") == 0)
        {
          g_autofree char *unfolded = g_mime_utils_header_unfold (raw);
          char *value = clean_string (unfolded, max);

          if (value != NULL)
            g_ptr_array_add (info->auth_results, value);
        }
    }
}

/* message_info - the mail-level facts of @message */
static TrMailInfo *
message_info (GMimeMessage *message, gsize max)
{
  TrMailInfo *info = tr_mail_info_new ();
  InternetAddressList *from = g_mime_message_get_from (message);
  GDateTime *date = g_mime_message_get_date (message);

  info->message_id = clean_string (g_mime_message_get_message_id (message), max);
  info->subject = clean_string (g_mime_message_get_subject (message), max);
  if (from != NULL && internet_address_list_length (from) > 0)
    {
      g_autofree char *text = internet_address_list_to_string (from, NULL, FALSE);

      info->from = clean_string (text, max);
    }
  if (info->from == NULL)
    info->from = clean_string (g_mime_object_get_header (GMIME_OBJECT (message), "From"), max);
  if (date != NULL)
    {
      g_autoptr (GDateTime) utc = g_date_time_to_utc (date);

      if (utc != NULL)
        info->date = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
    }
  info->tls_report_domain = header_value (GMIME_OBJECT (message), "TLS-Report-Domain", max);
  info->tls_report_submitter = header_value (GMIME_OBJECT (message), "TLS-Report-Submitter", max);
  add_auth_results (info, GMIME_OBJECT (message), max);
  return info;
}

/* compare_rank - order leaves by tier-1 rank; g_ptr_array_sort is stable, which keeps
 * document order within a rank */
static gint
compare_rank (gconstpointer a, gconstpointer b)
{
  const Leaf *leaf_a = *(const Leaf *const *) a;
  const Leaf *leaf_b = *(const Leaf *const *) b;

  return leaf_a->rank - leaf_b->rank;
}

/* pick_payloads - the candidate payloads among @leaves, best first, at most @max */
static GPtrArray *
pick_payloads (GPtrArray *leaves, guint max)
{
  g_autoptr (GPtrArray) payloads
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tr_payload_free);
  g_autoptr (GPtrArray) ranked = g_ptr_array_new ();

  /* Tier 1: by media type or filename. */
  for (guint i = 0; i < leaves->len; i++)
    {
      Leaf *leaf = g_ptr_array_index (leaves, i);

      if (leaf->rank < RANK_NONE)
        g_ptr_array_add (ranked, leaf);
    }
  g_ptr_array_sort (ranked, compare_rank);
  for (guint i = 0; i < ranked->len && payloads->len < max; i++)
    {
      Leaf *leaf = g_ptr_array_index (ranked, i);
      g_autoptr (GBytes) data = part_bytes (leaf->part);

      g_ptr_array_add (payloads,
                       tr_payload_new (data, leaf->content_type, leaf->filename, leaf->where));
    }
  if (payloads->len > 0)
    return g_steal_pointer (&payloads);

  /* Tier 2: by content; a human-readable HTML part is never the report. */
  for (guint i = 0; i < leaves->len && payloads->len < max; i++)
    {
      Leaf *leaf = g_ptr_array_index (leaves, i);
      g_autoptr (GBytes) data = NULL;
      g_autoptr (GBytes) decoded = NULL;
      const guint8 *bytes;
      gsize len;

      if (g_strcmp0 (leaf->content_type, "text/html") == 0)
        continue;
      data = part_bytes (leaf->part);
      bytes = g_bytes_get_data (data, &len);
      if (!looks_like_report (bytes, len))
        {
          /* A body that is a bare base64 blob (Mail::TLSRPT's report.json.gz.b64 style). */
          decoded = decode_base64_report (bytes, len);
          if (decoded == NULL)
            continue;
          g_clear_pointer (&data, g_bytes_unref);
          data = g_steal_pointer (&decoded);
        }
      g_ptr_array_add (payloads,
                       tr_payload_new (data, leaf->content_type, leaf->filename, leaf->where));
    }
  return g_steal_pointer (&payloads);
}

/* set_not_report - TR_ERROR_NOT_REPORT naming the media types seen, never any content */
static void
set_not_report (GError **error, GPtrArray *leaves, guint visited)
{
  g_autoptr (GString) types = g_string_new (NULL);

  for (guint i = 0; i < leaves->len && i < MAX_LISTED_TYPES; i++)
    {
      Leaf *leaf = g_ptr_array_index (leaves, i);

      if (i > 0)
        g_string_append (types, ", ");
      g_string_append (types, leaf->content_type != NULL ? leaf->content_type : "?");
    }
  if (leaves->len > MAX_LISTED_TYPES)
    g_string_append (types, ", ...");
  if (visited >= MAX_PARTS)
    g_set_error (error, TR_ERROR, TR_ERROR_NOT_REPORT,
                 "no report part found in the first %u MIME parts", (guint) MAX_PARTS);
  else if (leaves->len == 0)
    g_set_error (error, TR_ERROR, TR_ERROR_NOT_REPORT, "no report part found (no MIME parts)");
  else
    g_set_error (error, TR_ERROR, TR_ERROR_NOT_REPORT, "no report part found (%u MIME part%s: %s)",
                 leaves->len, leaves->len == 1 ? "" : "s", types->str);
}

/* tr_mail_extract - parse @message and return its candidate report parts, best first */
GPtrArray *
tr_mail_extract (GBytes *message, const TrLimits *limits, TrMailInfo **info, GError **error)
{
  g_autoptr (GBytes) bare = NULL;
  g_autoptr (GMimeStream) stream = NULL;
  g_autoptr (GMimeParser) parser = NULL;
  g_autoptr (GMimeMessage) mime = NULL;
  g_autoptr (GPtrArray) leaves = NULL;
  g_autoptr (GPtrArray) payloads = NULL;
  g_autoptr (TrMailInfo) mail_info = NULL;
  const guint8 *data;
  gsize len;
  gsize start = 0;
  guint visited = 0;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (limits != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (info != NULL)
    *info = NULL;
  tr_mail_init ();
  data = g_bytes_get_data (message, &len);
  if (len == 0)
    {
      if (info != NULL)
        *info = tr_mail_info_new ();
      g_set_error (error, TR_ERROR, TR_ERROR_NOT_REPORT, "empty message");
      return NULL;
    }

  /* The report itself, not a mail: what an HTTPS upload or `import` of a file looks like. */
  bare = bare_payload (message);
  if (bare != NULL)
    {
      TrPayload *payload = tr_payload_new (bare, NULL, NULL, "body");

      payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) tr_payload_free);
      g_ptr_array_add (payloads, payload);
      if (info != NULL)
        *info = tr_mail_info_new ();
      return g_steal_pointer (&payloads);
    }

  /* Postfix (pipe flag F) and Exim put an mbox "From " line first. */
  if (len >= 5 && memcmp (data, "From ", 5) == 0)
    {
      const guint8 *newline = memchr (data, '\n', len);

      start = newline != NULL ? (gsize) (newline - data) + 1 : len;
    }

  stream = g_mime_stream_mem_new_with_buffer ((const char *) data + start,
                                              parse_length (data + start, len - start));
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  mime = g_mime_parser_construct_message (parser, g_mime_parser_options_get_default ());
  if (mime == NULL)
    {
      if (info != NULL)
        *info = tr_mail_info_new ();
      g_set_error (error, TR_ERROR, TR_ERROR_NOT_REPORT, "not a mail message (no header found)");
      return NULL;
    }

  mail_info = message_info (mime, limits->max_string_length);
  leaves = collect_leaves (g_mime_message_get_mime_part (mime), limits->max_mime_depth, limits,
                           &visited);
  payloads = pick_payloads (leaves, limits->max_reports);
  if (info != NULL)
    *info = g_steal_pointer (&mail_info);
  if (payloads->len == 0)
    {
      set_not_report (error, leaves, visited);
      return NULL;
    }
  return g_steal_pointer (&payloads);
}

/* body_offset - where the body of @data starts: after the first empty line, if @data begins
 * with header fields (after an mbox "From " line); else 0 */
static gsize
body_offset (const guint8 *data, gsize len)
{
  gsize pos = 0;

  if (len >= 5 && memcmp (data, "From ", 5) == 0)
    {
      const guint8 *nl = memchr (data, '\n', len);

      if (nl == NULL)
        return 0;
      pos = (gsize) (nl - data) + 1;
    }
  if (header_name_length (data + pos, len - pos) == 0)
    return 0;
  while (pos < len)
    {
      const guint8 *nl = memchr (data + pos, '\n', len - pos);
      gsize line_len;

      if (nl == NULL)
        return 0;
      line_len = (gsize) (nl - (data + pos));
      if (line_len == 0 || (line_len == 1 && data[pos] == '\r'))
        return (gsize) (nl - data) + 1;
      pos = (gsize) (nl - data) + 1;
    }
  return 0;
}

/* tr_mail_fingerprint - who a message is, for keeping it in `rejected` once */
char *
tr_mail_fingerprint (GBytes *message, guint64 message_size, const char *message_id)
{
  static const guchar nul = 0;
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  char size[24];
  gsize len;
  const guint8 *data = g_bytes_get_data (message, &len);
  gsize body = data ? body_offset (data, len) : 0;

  /* the true size only of a message cut at the size limit: trace fields change it */
  g_snprintf (size, sizeof size, "%" G_GUINT64_FORMAT, message_size > len ? message_size : 0);
  g_checksum_update (sum, (const guchar *) "tlsrptdb message 1", -1);
  g_checksum_update (sum, &nul, 1);
  g_checksum_update (sum, (const guchar *) size, -1);
  g_checksum_update (sum, &nul, 1);
  if (body > 0 && message_id != NULL)
    g_checksum_update (sum, (const guchar *) message_id, -1);
  g_checksum_update (sum, &nul, 1);
  /* line ends as LF: Dovecot pipes a message with CRLF and files it with LF */
  for (gsize pos = body; data != NULL && pos < len;)
    {
      const guint8 *cr = memchr (data + pos, '\r', len - pos);
      gsize end = cr ? (gsize) (cr - data) : len;

      g_checksum_update (sum, data + pos, (gssize) (end - pos));
      if (cr != NULL && (end + 1 == len || data[end + 1] != '\n'))
        g_checksum_update (sum, cr, 1); /* a CR alone is kept */
      pos = end + 1;
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* append_header_bytes - @len bytes of a header line to @value, up to the cut, NUL as U+FFFD */
static void
append_header_bytes (GString *value, const guint8 *bytes, gsize len)
{
  for (gsize i = 0; i < len && value->len < TR_MAIL_HEADER_VALUE_MAX; i++)
    if (bytes[i] == '\0')
      g_string_append (value, "\xef\xbf\xbd");
    else
      g_string_append_c (value, (char) bytes[i]);
}

/* tr_mail_header_fields - the header fields of @message as its bytes have them */
GPtrArray *
tr_mail_header_fields (GBytes *message, guint max_fields, guint *more)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *value = NULL; /* of the field being read, when it is kept */
  gsize len, pos = 0;
  const guint8 *data = g_bytes_get_data (message, &len);

  *more = 0;
  if (len >= 5 && memcmp (data, "From ", 5) == 0)
    {
      const guint8 *nl = memchr (data, '\n', len);
      pos = nl != NULL ? (gsize) (nl - data) + 1 : len;
    }
  while (pos < len)
    {
      const guint8 *line = data + pos;
      const guint8 *nl = memchr (line, '\n', len - pos);
      gsize line_len = nl != NULL ? (gsize) (nl - line) : len - pos;
      gsize name_len;

      pos += line_len + 1;
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;
      if (line_len > 0 && (line[0] == ' ' || line[0] == '\t'))
        {
          if (value != NULL) /* a folded line: unfolding keeps its white space */
            append_header_bytes (value, line, line_len);
          continue;
        }
      name_len
          = line_len > 0 && g_ascii_isalnum (line[0]) ? header_name_length (line, line_len) : 0;
      if (name_len == 0)
        break; /* the empty line that ends the header, or no header at all (a bare report) */
      if (value != NULL)
        g_ptr_array_add (fields, g_string_free (g_steal_pointer (&value), FALSE));
      if (fields->len / 2 >= max_fields)
        {
          (*more)++;
          continue;
        }
      g_ptr_array_add (fields, g_strndup ((const char *) line, name_len));
      for (name_len++; name_len < line_len && (line[name_len] == ' ' || line[name_len] == '\t');)
        name_len++;
      value = g_string_new (NULL);
      append_header_bytes (value, line + name_len, line_len - name_len);
    }
  if (value != NULL)
    g_ptr_array_add (fields, g_string_free (value, FALSE));
  return fields;
}
