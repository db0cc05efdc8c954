/* test-atomic-file.c - replacing a file whole: mode, contents, no temporary file left, and the
 * errors that name the step and the directory (util/atomic-file.c) */
#include "config.h"

#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic-file.h"
#include "error.h"
#include "helpers.h"

/* entries - the names in @dir, sorted, joined by spaces */
static char *
entries (const char *dir)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
test_write (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-atomic.XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "tlsrpt.prom", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;
  mode_t old = umask (077);
  struct stat first, second;

  g_assert_true (tr_atomic_file_write (path, "one\n", 4, 0644, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat (path, &first), ==, 0);
  g_assert_cmpint (first.st_mode & 07777, ==, 0644); /* whatever the umask */
  g_assert_true (tr_atomic_file_write (path, "two, longer\n", 12, 0640, &error));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "two, longer\n");
  g_assert_cmpint (stat (path, &second), ==, 0);
  g_assert_cmpint (second.st_mode & 07777, ==, 0640);
  g_assert_cmpuint (first.st_ino, !=, second.st_ino); /* replaced, not rewritten */
  g_assert_true (tr_atomic_file_write (path, NULL, 0, 0644, &error));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  names = entries (dir);
  g_assert_cmpstr (names, ==, "tlsrpt.prom"); /* no temporary file left */
  umask (old);
  remove_tree (dir);
}

static void
test_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-atomic.XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "none", "x.prom", NULL);
  g_autofree char *subdir = g_build_filename (dir, "d", NULL);
  g_autofree char *names = NULL;

  {
    g_autoptr (GError) error = NULL;
    g_autofree char *want = g_strdup_printf (
        "cannot write %s: cannot create a file in %s/none: No such file or directory", missing,
        dir);

    g_assert_false (tr_atomic_file_write (missing, "x", 1, 0644, &error));
    g_assert_error (error, TR_ERROR, TR_ERROR_NOT_FOUND);
    g_assert_cmpstr (error->message, ==, want);
  }
  {
    g_autoptr (GError) error = NULL;

    g_assert_cmpint (g_mkdir (subdir, 0755), ==, 0);
    g_assert_false (tr_atomic_file_write (subdir, "x", 1, 0644, &error));
    g_assert_error (error, TR_ERROR, TR_ERROR_CONFIG);
    g_assert_nonnull (strstr (error->message, "renaming the temporary file over it"));
  }
  names = entries (dir);
  g_assert_cmpstr (names, ==, "d"); /* the temporary file was removed */
  remove_tree (dir);
}

/* a directory the user cannot write: as root, the check runs as nobody */
static void
test_unwritable (void)
{
  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("TEST_ATOMIC_DIR");
      g_autofree char *path = g_build_filename (dir, "x.prom", NULL);
      g_autoptr (GError) error = NULL;

      if (geteuid () == 0)
        g_assert_true (setgroups (0, NULL) == 0 && setgid (65534) == 0 && setuid (65534) == 0);
      g_assert_false (tr_atomic_file_write (path, "x", 1, 0644, &error));
      g_assert_error (error, TR_ERROR, TR_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, "Permission denied"));
      g_assert_nonnull (strstr (error->message, "cannot create a file in"));
      return;
    }
  {
    g_autofree char *dir = g_dir_make_tmp ("test-atomic.XXXXXX", NULL);

    g_assert_cmpint (chmod (dir, 0555), ==, 0);
    g_setenv ("TEST_ATOMIC_DIR", dir, TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    g_assert_cmpint (chmod (dir, 0755), ==, 0);
    remove_tree (dir);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/atomic-file/write", test_write);
  g_test_add_func ("/atomic-file/errors", test_errors);
  g_test_add_func ("/atomic-file/unwritable", test_unwritable);
  return g_test_run ();
}
