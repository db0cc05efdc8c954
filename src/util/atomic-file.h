/* atomic-file.h - replace a file so that readers see the old or the new contents, never a part
 * (atomic-file.c) */
#pragma once

#include <glib.h>
#include <sys/types.h>

/* tr_atomic_file_write - replace @path by the @len bytes of @data, with mode @mode (the umask
 * does not apply): written to a temporary file beside it (".NAME.XXXXXX"), fsynced, renamed over
 * @path, the directory fsynced.  On failure @path is unchanged, the temporary file is removed,
 * and @error says what failed where: TR_ERROR_NOT_FOUND (no such directory), TR_ERROR_CONFIG
 * (not writable: permissions, read-only file system, @path a directory), TR_ERROR_TEMPORARY
 * (disk full, I/O error and the rest). */
gboolean tr_atomic_file_write (const char *path, const void *data, gsize len, mode_t mode,
                               GError **error);
