/* helpers.h - for the unit tests of print/ and util/: a locale with a decimal comma, removing a
 * temporary directory */
#pragma once

#include <locale.h>

#include <glib.h>
#include <glib/gstdio.h>

/* use_comma_locale - set LC_NUMERIC to one with a decimal comma: de_DE.UTF-8 if installed, else
 * one made with localedef (libc-bin, always there) in @dir, LC_NUMERIC only, so that it needs
 * neither the locales package nor a charmap; FALSE if neither works */
static inline gboolean
use_comma_locale (const char *dir)
{
  g_autofree char *source = g_build_filename (dir, "comma.src", NULL);
  g_autofree char *out = g_build_filename (dir, "comma", NULL);
  const char *argv[] = { "localedef", "-c", "-i", source, out, NULL };
  int status;

  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") != NULL)
    return TRUE;
  if (!g_file_set_contents (source,
                            "LC_NUMERIC\ndecimal_point \"<U002C>\"\nthousands_sep \"<U002E>\"\n"
                            "grouping 3;3\nEND LC_NUMERIC\n",
                            -1, NULL))
    return FALSE;
  /* localedef exits 1 for the categories left out, having written LC_NUMERIC */
  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  g_setenv ("LOCPATH", dir, TRUE);
  return setlocale (LC_NUMERIC, "comma") != NULL;
}

/* remove_tree - @path and what it holds (a test's temporary directory; one level of
 * subdirectories is all the tests make) */
static inline void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}
