/* source.h - the messages in import's inputs: files, directories, mbox files, Maildirs, stdin
 *
 * The kind of a file is found from its content: a file that starts with an mbox "From " line
 * is split into messages; anything else (an email, bare JSON, gzip or base64) is one message,
 * which tr_ingest_prepare() takes apart.  A directory with cur/ and new/ is a Maildir (tmp/ is
 * left alone); any other directory is walked recursively, skipping names that start with a dot
 * (except Maildir++ folders inside a Maildir) and symbolic links to directories.  Nothing is
 * held but the current message: directories are read as they are walked, mbox files streamed.
 */
#pragma once

#include <glib.h>

typedef struct _TrSource TrSource;

typedef enum
{
  TR_SOURCE_END,     /* no more messages */
  TR_SOURCE_MESSAGE, /* a message */
  TR_SOURCE_FAILED,  /* an input (file, directory, the rest of an mbox) could not be read */
} TrSourceStatus;

/* tr_source_new - the messages of @paths ("-" is standard input); each message is kept up to
 * @max_message_size bytes, like ingest's, with its true size */
TrSource *tr_source_new (const char *const *paths, gsize max_message_size);
void tr_source_free (TrSource *source);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrSource, tr_source_free)

/* tr_source_next - the next message: *@message (at most max_message_size bytes), *@size (its
 * true size) and *@where ("PATH", "PATH:N" for the Nth message of an mbox, "stdin").  On
 * TR_SOURCE_FAILED, *@where names the input and @error says why (TR_ERROR_NOT_FOUND when it
 * does not exist, else TR_ERROR_DATA); the next call goes on with the next input. */
TrSourceStatus tr_source_next (TrSource *source, GBytes **message, guint64 *size, char **where,
                               GError **error);

/* tr_source_bytes_read - how many bytes of the inputs have been read so far */
guint64 tr_source_bytes_read (TrSource *source);

/* tr_source_measure - the total size of the files that @paths name, walked as tr_source_next()
 * would; FALSE when it cannot be known (standard input, a pipe) */
gboolean tr_source_measure (const char *const *paths, guint64 *total);
