/* digest-mail.c - build the digest message with GMime
 *
 * GMime writes the headers (an address list, a subject in RFC 2047 words when it is not ASCII,
 * folding) and picks each part's transfer encoding, so nothing here formats a header by hand:
 * an administrator's --subject or --to cannot inject a header line.  Auto-Submitted:
 * auto-generated (RFC 3834) tells vacation responders not to answer it.
 */
#include "config.h"

#include <gmime/gmime.h>

#include "digest-mail.h"
#include "error.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMultipart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeTextPart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InternetAddressList, g_object_unref)

/* mime_init - GMime, once */
static void
mime_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_mime_init ();
      g_once_init_leave (&done, 1);
    }
}

/* parse_addresses - @value as an address list, or NULL */
static InternetAddressList *
parse_addresses (const char *value)
{
  InternetAddressList *list;

  for (const char *p = value; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return NULL;
  list = internet_address_list_parse (NULL, value);
  if (list != NULL && internet_address_list_length (list) == 0)
    g_clear_object (&list);
  return list;
}

gboolean
tr_digest_mail_check_address (const char *option, const char *value, GError **error)
{
  g_autoptr (InternetAddressList) list = NULL;

  mime_init ();
  list = parse_addresses (value);
  if (list == NULL)
    g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                 "%s: expected an address such as postmaster@example.com, not \"%s\"", option,
                 value);
  return list != NULL;
}

/* text_part - a text/@subtype part of @text, with the transfer encoding it needs */
static GMimeTextPart *
text_part (const char *subtype, const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (subtype);

  g_mime_text_part_set_text (part, text);
  g_mime_part_set_content_encoding (
      GMIME_PART (part),
      g_mime_part_get_best_content_encoding (GMIME_PART (part), GMIME_ENCODING_CONSTRAINT_7BIT));
  return part;
}

GBytes *
tr_digest_mail_build (const TrDigestMail *mail, GError **error)
{
  g_autoptr (GMimeMessage) message = NULL;
  g_autoptr (GMimeMultipart) alternative = NULL;
  g_autoptr (GMimeTextPart) text = NULL, html = NULL;
  g_autoptr (InternetAddressList) from = NULL, to = NULL;
  g_autoptr (GMimeStream) stream = NULL;
  g_autofree char *id = NULL;
  GByteArray *bytes = g_byte_array_new ();

  mime_init ();
  from = parse_addresses (mail->from);
  to = parse_addresses (mail->to);
  if (from == NULL || to == NULL)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "not an address: \"%s\"",
                   from == NULL ? mail->from : mail->to);
      g_byte_array_unref (bytes);
      return NULL;
    }
  message = g_mime_message_new (TRUE);
  internet_address_list_append (g_mime_message_get_from (message), from);
  internet_address_list_append (g_mime_message_get_to (message), to);
  g_mime_message_set_subject (message, mail->subject, "utf-8");
  g_mime_message_set_date (message, mail->date);
  id = g_mime_utils_generate_message_id (g_get_host_name ());
  g_mime_message_set_message_id (message, id);
  g_mime_object_set_header (GMIME_OBJECT (message), "Auto-Submitted", "auto-generated", NULL);
  alternative = g_mime_multipart_new_with_subtype ("alternative");
  text = text_part ("plain", mail->text);
  html = text_part ("html", mail->html);
  g_mime_multipart_add (alternative, GMIME_OBJECT (text)); /* the last is the preferred one */
  g_mime_multipart_add (alternative, GMIME_OBJECT (html));
  g_mime_message_set_mime_part (message, GMIME_OBJECT (alternative));
  stream = g_mime_stream_mem_new_with_byte_array (bytes);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  if (g_mime_object_write_to_stream (GMIME_OBJECT (message), NULL, stream) < 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_INTERNAL, "the digest could not be written");
      g_byte_array_unref (bytes);
      return NULL;
    }
  return g_byte_array_free_to_bytes (bytes);
}
