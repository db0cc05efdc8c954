/* source.c - the messages in import's inputs: files, directories, mbox files, Maildirs, stdin
 *
 * A walk over the paths with a stack of open directories, and at most one open file: memory
 * does not grow with the number of messages.  Every file is read through a small buffered
 * reader, so that its first bytes can be looked at (is it an mbox?) before it is consumed, and
 * an mbox is split as it streams by.  mbox splitting (mboxrd, RFC 4155): a message starts after
 * a line beginning "From " that follows an empty line (or starts the file); the empty line before
 * it belongs to the separator; lines of one or more '>' followed by "From " lose one '>'.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "error.h"
#include "source.h"

#define READER_SIZE (64 * 1024)
/* how far a line start is looked at: enough for "From " after any sane run of '>' */
#define LINE_PEEK 1024

typedef struct
{
  int fd;
  gboolean owns_fd;
  char *name; /* for errors */
  guint8 *buf;
  gsize start, end;
  gboolean eof;
  guint64 *counter; /* the source's bytes read */
} Reader;

typedef enum
{
  FRAME_DIR,          /* any directory: files and subdirectories */
  FRAME_MAILDIR_ROOT, /* a Maildir: only its Maildir++ folders (".name") */
  FRAME_MAILDIR_SUB,  /* cur/ or new/: the files are messages */
} FrameKind;

typedef struct
{
  FrameKind kind;
  DIR *dir; /* not GDir: readdir() tells the type of most entries without a stat */
  char *path;
} Frame;

struct _TrSource
{
  char **paths;
  guint next_path;
  gsize cap;
  GPtrArray *stack; /* of Frame */
  Reader *mbox;     /* the mbox being split, or NULL */
  guint mbox_count; /* messages taken from it */
  guint64 bytes_read;
  gboolean measuring; /* tr_source_measure(): files are only counted */
  gboolean unknown;   /* measuring found an input of unknown size */
  guint64 measured;
};

/* reader_free - close the file (unless it is stdin) and free the buffer */
static void
reader_free (Reader *reader)
{
  if (reader == NULL)
    return;
  if (reader->owns_fd && reader->fd >= 0)
    close (reader->fd);
  g_free (reader->buf);
  g_free (reader->name);
  g_free (reader);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reader, reader_free)

static Reader *
reader_new (int fd, gboolean owns_fd, const char *name, guint64 *counter)
{
  Reader *reader = g_new0 (Reader, 1);

  reader->fd = fd;
  reader->owns_fd = owns_fd;
  reader->name = g_strdup (name);
  reader->buf = g_malloc (READER_SIZE);
  reader->counter = counter;
  return reader;
}

/* reader_fill - make at least @want bytes available (fewer only at the end of the file) */
static gboolean
reader_fill (Reader *reader, gsize want, GError **error)
{
  g_assert (want <= READER_SIZE);
  while (!reader->eof && reader->end - reader->start < want)
    {
      ssize_t n;

      if (reader->start > 0 && READER_SIZE - reader->start < want)
        {
          memmove (reader->buf, reader->buf + reader->start, reader->end - reader->start);
          reader->end -= reader->start;
          reader->start = 0;
        }
      if (reader->end == reader->start)
        reader->start = reader->end = 0;
      n = read (reader->fd, reader->buf + reader->end, READER_SIZE - reader->end);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          g_set_error (error, TR_ERROR, TR_ERROR_DATA, "read error: %s", g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        reader->eof = TRUE;
      reader->end += (gsize) n;
      *reader->counter += (guint64) n;
    }
  return TRUE;
}

/* append_capped - add @len bytes to @kept without going past @cap */
static void
append_capped (GByteArray *kept, gsize cap, const guint8 *data, gsize len)
{
  if (kept->len < cap)
    g_byte_array_append (kept, data, (guint) MIN (len, cap - kept->len));
}

/* read_rest - the rest of @reader as one message, kept up to @cap (like ingest's read_capped) */
static GByteArray *
read_rest (Reader *reader, gsize cap, guint64 *size, GError **error)
{
  g_autoptr (GByteArray) kept = g_byte_array_new ();

  *size = 0;
  for (;;)
    {
      gsize avail;

      if (!reader_fill (reader, 1, error))
        return NULL;
      avail = reader->end - reader->start;
      if (avail == 0)
        break;
      append_capped (kept, cap, reader->buf + reader->start, avail);
      *size += avail;
      reader->start = reader->end;
    }
  return g_steal_pointer (&kept);
}

/* skip_line - consume the rest of the current line, its newline included */
static gboolean
skip_line (Reader *reader, GError **error)
{
  for (;;)
    {
      const guint8 *nl;

      if (!reader_fill (reader, 1, error))
        return FALSE;
      if (reader->end == reader->start)
        return TRUE;
      nl = memchr (reader->buf + reader->start, '\n', reader->end - reader->start);
      if (nl != NULL)
        {
          reader->start = (gsize) (nl - reader->buf) + 1;
          return TRUE;
        }
      reader->start = reader->end;
    }
}

/* is_from_line - whether @p (with @avail bytes) starts with "From " */
static gboolean
is_from_line (const guint8 *p, gsize avail)
{
  return avail >= 5 && memcmp (p, "From ", 5) == 0;
}

/* mbox_next - the next message of an mbox positioned at a "From " line (or its end): NULL with
 * no error at the end; the message is kept up to @cap, *@size is its true (unquoted) size */
static GByteArray *
mbox_next (Reader *reader, gsize cap, guint64 *size, GError **error)
{
  g_autoptr (GByteArray) kept = g_byte_array_new ();
  gboolean prev_blank = FALSE;
  gsize last_line = 0;

  *size = 0;
  if (!reader_fill (reader, 1, error))
    return NULL;
  if (reader->end == reader->start)
    return NULL;
  if (!skip_line (reader, error)) /* the "From " line itself */
    return NULL;

  for (;;)
    {
      const guint8 *p;
      gsize avail, line_len = 0;
      guint8 first = 0;

      if (!reader_fill (reader, LINE_PEEK, error))
        return NULL;
      p = reader->buf + reader->start;
      avail = reader->end - reader->start;
      if (avail == 0)
        break;
      if (prev_blank && is_from_line (p, avail))
        break; /* the next message */
      if (p[0] == '>')
        {
          gsize n = 1;

          while (n < avail && p[n] == '>')
            n++;
          if (is_from_line (p + n, avail - n))
            reader->start++; /* mboxrd: ">From " was "From " */
        }
      first = reader->buf[reader->start];
      for (;;)
        {
          const guint8 *start = reader->buf + reader->start;
          gsize chunk = reader->end - reader->start;
          const guint8 *nl = memchr (start, '\n', chunk);

          if (nl != NULL)
            chunk = (gsize) (nl - start) + 1;
          append_capped (kept, cap, start, chunk);
          *size += chunk;
          line_len += chunk;
          reader->start += chunk;
          if (nl != NULL)
            break;
          if (!reader_fill (reader, 1, error))
            return NULL;
          if (reader->end == reader->start)
            break;
        }
      prev_blank = line_len == 1 || (line_len == 2 && first == '\r');
      last_line = line_len;
    }

  if (prev_blank) /* the empty line before the next "From " (or the end) is the separator's */
    {
      *size -= last_line;
      if (kept->len > *size)
        g_byte_array_set_size (kept, (guint) *size);
    }
  return g_steal_pointer (&kept);
}

static void
frame_free (gpointer data)
{
  Frame *frame = data;

  closedir (frame->dir);
  g_free (frame->path);
  g_free (frame);
}

/* tr_source_new - the messages of @paths */
TrSource *
tr_source_new (const char *const *paths, gsize max_message_size)
{
  TrSource *source = g_new0 (TrSource, 1);

  source->paths = g_strdupv ((char **) paths);
  source->cap = max_message_size;
  source->stack = g_ptr_array_new_with_free_func (frame_free);
  return source;
}

void
tr_source_free (TrSource *source)
{
  if (source == NULL)
    return;
  g_strfreev (source->paths);
  g_ptr_array_unref (source->stack);
  reader_free (source->mbox);
  g_free (source);
}

guint64
tr_source_bytes_read (TrSource *source)
{
  return source->bytes_read;
}

/* set_file_error - @error for an input that cannot be read, from errno @err */
static void
set_file_error (GError **error, int err, const char *what)
{
  g_set_error (error, TR_ERROR, err == ENOENT ? TR_ERROR_NOT_FOUND : TR_ERROR_DATA, "%s: %s", what,
               g_strerror (err));
}

/* is_dir - whether @path is a directory (not a symbolic link to one) */
static gboolean
is_dir (const char *path)
{
  GStatBuf st;

  return g_lstat (path, &st) == 0 && S_ISDIR (st.st_mode);
}

/* is_maildir - whether @path has the cur/ and new/ of a Maildir */
static gboolean
is_maildir (const char *path)
{
  g_autofree char *cur = g_build_filename (path, "cur", NULL);
  g_autofree char *new = g_build_filename (path, "new", NULL);

  return is_dir (cur) && is_dir (new);
}

/* open_dir - opendir() with a TR_ERROR: NOT_FOUND when @path does not exist; unless @follow,
 * a symbolic link put in its place after it was looked at is not followed */
static DIR *
open_dir (const char *path, gboolean follow, GError **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
  DIR *dir = fd >= 0 ? fdopendir (fd) : NULL;

  if (dir == NULL)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      set_file_error (error, saved_errno, "cannot open directory");
    }
  return dir;
}

/* push_frame - walk @dir next */
static void
push_frame (TrSource *source, FrameKind kind, DIR *dir, const char *path)
{
  Frame *frame = g_new0 (Frame, 1);

  frame->kind = kind;
  frame->dir = dir;
  frame->path = g_strdup (path);
  g_ptr_array_add (source->stack, frame);
}

/* push_dir - start walking the directory @path (as a Maildir if it is one); @follow for a
 * directory named on the command line */
static gboolean
push_dir (TrSource *source, const char *path, gboolean follow, GError **error)
{
  const char *subs[] = { "cur", "new" };
  gboolean maildir = is_maildir (path);
  DIR *dir = open_dir (path, follow, error);

  if (dir == NULL)
    return FALSE;
  push_frame (source, maildir ? FRAME_MAILDIR_ROOT : FRAME_DIR, dir, path);
  for (guint i = 0; maildir && i < G_N_ELEMENTS (subs); i++)
    {
      g_autofree char *sub = g_build_filename (path, subs[i], NULL);

      dir = open_dir (sub, FALSE, error);
      if (dir == NULL)
        return FALSE;
      push_frame (source, FRAME_MAILDIR_SUB, dir, sub);
    }
  return TRUE;
}

/* open_file - a message, or the start of an mbox, from the file @path (or stdin for NULL);
 * TR_SOURCE_END when it gave no message (empty, an mbox to split, or measured).  Unless
 * @follow (a file named on the command line), a symbolic link is not followed: run as root
 * over a user's Maildir, a link to /etc/shadow must not end up in `rejected`. */
static TrSourceStatus
open_file (TrSource *source, const char *path, gboolean follow, GBytes **message, guint64 *size,
           char **where, GError **error)
{
  g_autoptr (Reader) reader = NULL;
  g_autoptr (GByteArray) kept = NULL;
  const char *name = path ? path : "stdin";
  int fd = STDIN_FILENO;

  if (source->measuring)
    {
      GStatBuf st;

      if (path != NULL && g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
        source->measured += (guint64) st.st_size;
      else if (path == NULL || g_file_test (path, G_FILE_TEST_EXISTS))
        source->unknown = TRUE;
      return TR_SOURCE_END;
    }

  if (path != NULL)
    {
      GStatBuf st;

      /* O_NONBLOCK: a pipe put in the place of a walked file must not make us wait */
      fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (follow ? 0 : O_NOFOLLOW | O_NONBLOCK),
                   0);
      if (fd < 0)
        {
          int saved_errno = errno;
          *where = g_strdup (path);
          set_file_error (error, saved_errno, "cannot open");
          return TR_SOURCE_FAILED;
        }
      if (!follow && (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)))
        {
          close (fd);
          return TR_SOURCE_END;
        }
    }
  reader = reader_new (fd, path != NULL, name, &source->bytes_read);
  if (!reader_fill (reader, 5, error))
    goto failed;
  if (is_from_line (reader->buf + reader->start, reader->end - reader->start))
    {
      source->mbox = g_steal_pointer (&reader);
      source->mbox_count = 0;
      return TR_SOURCE_END;
    }
  kept = read_rest (reader, source->cap, size, error);
  if (kept == NULL)
    goto failed;
  if (*size == 0)
    return TR_SOURCE_END; /* an empty file is no message */
  *message = g_byte_array_free_to_bytes (g_steal_pointer (&kept));
  *where = g_strdup (name);
  return TR_SOURCE_MESSAGE;

failed:
  *where = g_strdup (name);
  return TR_SOURCE_FAILED;
}

/* next_in_mbox - the next message of the open mbox */
static TrSourceStatus
next_in_mbox (TrSource *source, GBytes **message, guint64 *size, char **where, GError **error)
{
  for (;;)
    {
      g_autoptr (GError) local_error = NULL;
      GByteArray *kept = mbox_next (source->mbox, source->cap, size, &local_error);

      if (kept == NULL)
        {
          TrSourceStatus status = TR_SOURCE_END;

          if (local_error != NULL)
            {
              *where = g_strdup_printf ("%s:%u", source->mbox->name, source->mbox_count + 1);
              g_propagate_error (error, g_steal_pointer (&local_error));
              status = TR_SOURCE_FAILED;
            }
          g_clear_pointer (&source->mbox, reader_free);
          return status;
        }
      source->mbox_count++;
      if (*size == 0)
        {
          g_byte_array_unref (kept);
          continue; /* two "From " lines in a row: no message */
        }
      *message = g_byte_array_free_to_bytes (kept);
      *where = g_strdup_printf ("%s:%u", source->mbox->name, source->mbox_count);
      return TR_SOURCE_MESSAGE;
    }
}

/* next_in_dir - the next entry of the innermost open directory; TR_SOURCE_END when it gave
 * nothing to return (the caller loops) */
static TrSourceStatus
next_in_dir (TrSource *source, GBytes **message, guint64 *size, char **where, GError **error)
{
  Frame *frame = g_ptr_array_index (source->stack, source->stack->len - 1);
  struct dirent *entry;
  const char *name;
  g_autofree char *path = NULL;
  GStatBuf st = { 0 };

  do
    entry = readdir (frame->dir); /* an error ends the directory, like its end */
  while (entry != NULL && (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0));
  if (entry == NULL)
    {
      g_ptr_array_remove_index (source->stack, source->stack->len - 1);
      return TR_SOURCE_END;
    }
  name = entry->d_name;
  path = g_build_filename (frame->path, name, NULL);
  if (entry->d_type == DT_REG)
    st.st_mode = S_IFREG;
  else if (entry->d_type == DT_DIR)
    st.st_mode = S_IFDIR;
  else if (g_lstat (path, &st) != 0)
    {
      int saved_errno = errno;
      *where = g_steal_pointer (&path);
      set_file_error (error, saved_errno, "cannot read");
      return TR_SOURCE_FAILED;
    }

  if (S_ISDIR (st.st_mode))
    {
      /* in a Maildir, only its Maildir++ folders; elsewhere every directory but hidden ones */
      if (frame->kind == FRAME_MAILDIR_SUB
          || (frame->kind == FRAME_MAILDIR_ROOT && !(name[0] == '.' && is_maildir (path)))
          || (frame->kind == FRAME_DIR && name[0] == '.' && !is_maildir (path)))
        return TR_SOURCE_END;
      if (!push_dir (source, path, FALSE, error))
        {
          *where = g_steal_pointer (&path);
          return TR_SOURCE_FAILED;
        }
      return TR_SOURCE_END;
    }
  if (frame->kind == FRAME_MAILDIR_ROOT || name[0] == '.')
    return TR_SOURCE_END; /* dovecot-uidlist, .DS_Store, editor backups, ... */
  if (!S_ISREG (st.st_mode))
    return TR_SOURCE_END; /* found by walking: a symbolic link (to a directory it could make a
                           * loop, to a file it could read what the user may not), a pipe or a
                           * device is not a message */
  return open_file (source, path, FALSE, message, size, where, error);
}

/* tr_source_next - the next message, or which input could not be read */
TrSourceStatus
tr_source_next (TrSource *source, GBytes **message, guint64 *size, char **where, GError **error)
{
  *message = NULL;
  *where = NULL;
  *size = 0;
  for (;;)
    {
      TrSourceStatus status = TR_SOURCE_END;
      const char *path;

      if (source->mbox != NULL)
        status = next_in_mbox (source, message, size, where, error);
      else if (source->stack->len > 0)
        status = next_in_dir (source, message, size, where, error);
      else if (source->paths[source->next_path] != NULL)
        {
          path = source->paths[source->next_path++];
          if (strcmp (path, "-") == 0)
            status = open_file (source, NULL, TRUE, message, size, where, error);
          else if (g_file_test (path, G_FILE_TEST_IS_DIR))
            {
              if (!push_dir (source, path, TRUE, error))
                {
                  *where = g_strdup (path);
                  status = TR_SOURCE_FAILED;
                }
            }
          else
            status = open_file (source, path, TRUE, message, size, where, error);
        }
      else
        return TR_SOURCE_END;
      if (status != TR_SOURCE_END)
        return status;
    }
}

/* tr_source_measure - the total size of the files that @paths name */
gboolean
tr_source_measure (const char *const *paths, guint64 *total)
{
  g_autoptr (TrSource) source = tr_source_new (paths, 0);
  TrSourceStatus status;

  source->measuring = TRUE;
  do
    {
      g_autoptr (GBytes) message = NULL;
      g_autofree char *where = NULL;
      guint64 size;

      status = tr_source_next (source, &message, &size, &where, NULL);
    }
  while (status != TR_SOURCE_END && !source->unknown);
  *total = source->measured;
  return !source->unknown;
}
