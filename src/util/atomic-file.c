/* atomic-file.c - write a file whole or not at all
 *
 * For readers that may look at any moment, such as node_exporter's textfile collector: a file
 * rewritten in place can be read half written.  A temporary file in the same directory (rename
 * is atomic only within one file system) renamed over the old one cannot.  Its name starts
 * with a dot and does not end in ".prom", so the collector never reads it.
 *
 * Not g_file_set_contents_full: its mode is subject to the umask, it does not fsync the
 * directory, and its errors name the temporary file rather than saying which step failed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "atomic-file.h"
#include "error.h"

/* error_code - what the admin can do about @err: create the directory, grant permission, or
 * wait (disk full) */
static int
error_code (int err)
{
  switch (err)
    {
      case ENOENT:
      case ENOTDIR:
        return TR_ERROR_NOT_FOUND;
      case EACCES:
      case EPERM:
      case EROFS:
      case EISDIR:
        return TR_ERROR_CONFIG;
      default:
        return TR_ERROR_TEMPORARY;
    }
}

/* fail - set @error for @path: "cannot write PATH: WHAT: strerror"; remove @tmp if set */
static gboolean
fail (const char *path, const char *what, int err, const char *tmp, GError **error)
{
  if (tmp != NULL)
    g_unlink (tmp);
  g_set_error (error, TR_ERROR, error_code (err), "cannot write %s: %s: %s", path, what,
               g_strerror (err));
  return FALSE;
}

/* write_all - all @len bytes of @data to @fd, however write(2) splits them */
static gboolean
write_all (int fd, const char *data, gsize len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* sync_dir - make the rename durable: the new directory entry reaches the disk */
static gboolean
sync_dir (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int err;

  if (fd < 0)
    return FALSE;
  if (fsync (fd) == 0)
    return close (fd) == 0 || errno == EINTR;
  err = errno;
  close (fd);
  errno = err;
  return FALSE;
}

gboolean
tr_atomic_file_write (const char *path, const void *data, gsize len, mode_t mode, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp_name = g_strdup_printf (".%s.XXXXXX", base);
  g_autofree char *tmp = g_build_filename (dir, tmp_name, NULL);
  int fd, err;

  g_return_val_if_fail (path != NULL && (data != NULL || len == 0), FALSE);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      err = errno;
      g_set_error (error, TR_ERROR, error_code (err),
                   "cannot write %s: cannot create a file in %s: %s", path, dir, g_strerror (err));
      return FALSE;
    }
  if (fchmod (fd, mode) != 0 || !write_all (fd, data, len) || fsync (fd) != 0)
    {
      err = errno;
      close (fd);
      return fail (path, "writing a temporary file", err, tmp, error);
    }
  if (close (fd) != 0 && errno != EINTR)
    return fail (path, "writing a temporary file", errno, tmp, error);
  if (rename (tmp, path) != 0)
    return fail (path, "renaming the temporary file over it", errno, tmp, error);
  if (!sync_dir (dir))
    return fail (path, "syncing its directory", errno, NULL, error);
  return TRUE;
}
