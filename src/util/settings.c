/* settings.c - ingest settings from the config file and the command line
 *
 * One table of keys serves both, so that every option can be set in the file and the alias
 * line stays short.  A mistake in the file is a TR_ERROR_CONFIG, which makes ingest exit 75:
 * the reports wait in the MTA's queue until the administrator fixes it.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "error.h"
#include "settings.h"

#define GROUP "tlsrptdb"

/* The keys of tlsrptdb check's group [check]: its long options.  Their values are kept as text
 * and read by cmd-check.c, which knows what they mean; "domain" is a list (joined by ","). */
static const char *const check_keys[] = {
  "since",    "warning", "critical",      "min-sessions",   "history",       "silent-after",
  "rejected", "domain",  "authenticated", "enforce-window", "min-reporters", NULL,
};

/* The commands with a group of their own in the config file. */
static const struct
{
  const char *group;
  const char *const *keys;
} command_groups[] = {
  { "check", check_keys },
};

/* command_keys - the keys of the group of @command, or NULL if it has none */
static const char *const *
command_keys (const char *command)
{
  for (guint i = 0; command != NULL && i < G_N_ELEMENTS (command_groups); i++)
    if (strcmp (command, command_groups[i].group) == 0)
      return command_groups[i].keys;
  return NULL;
}

/* set_command_value - keep @value of the command's own @key (FALSE if it is not one) */
static gboolean
set_command_value (TrSettings *settings, const char *key, const char *value, gboolean append)
{
  const char *const *keys = command_keys (settings->command);
  const char *old;

  if (keys == NULL || !g_strv_contains (keys, key))
    return FALSE;
  if (settings->command_values == NULL)
    settings->command_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  old = g_hash_table_lookup (settings->command_values, key);
  g_hash_table_insert (settings->command_values, g_strdup (key),
                       append && old != NULL ? g_strconcat (old, ",", value, NULL)
                                             : g_strdup (value));
  return TRUE;
}

const char *
tr_settings_command_value (const TrSettings *settings, const char *key)
{
  if (settings->command_values == NULL)
    return NULL;
  return g_hash_table_lookup (settings->command_values, key);
}

void
tr_settings_clear (TrSettings *settings)
{
  g_clear_pointer (&settings->db, g_free);
  g_clear_pointer (&settings->domains, g_strfreev);
  g_clear_pointer (&settings->trusted_authserv_ids, g_strfreev);
  g_clear_pointer (&settings->command_values, g_hash_table_unref);
}

/* parse_number - a positive whole number, with a K, M or G suffix if @suffix, at most @max */
static gboolean
parse_number (const char *text, gboolean suffix, guint64 max, guint64 *out)
{
  char *end = NULL;
  guint64 value, scale = 1;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoull (text, &end, 10);
  if (errno != 0)
    return FALSE;
  if (suffix && *end != '\0' && end[1] == '\0')
    switch (g_ascii_toupper (*end))
      {
        case 'K':
          scale = 1024, end++;
          break;
        case 'M':
          scale = 1024 * 1024, end++;
          break;
        case 'G':
          scale = 1024 * 1024 * 1024, end++;
          break;
        default:
          break;
      }
  if (*end != '\0' || value == 0 || value > max / scale)
    return FALSE;
  *out = value * scale;
  return TRUE;
}

/* tr_settings_parse_bool - true/false, yes/no, 1/0, on/off */
gboolean
tr_settings_parse_bool (const char *text, gboolean *out)
{
  static const char *const yes[] = { "true", "yes", "1", "on" };
  static const char *const no[] = { "false", "no", "0", "off" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_ascii_strcasecmp (text, yes[i]) == 0)
      return *out = TRUE, TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (g_ascii_strcasecmp (text, no[i]) == 0)
      return *out = FALSE, TRUE;
  return FALSE;
}

/* set_list - replace or extend @list with the words of @value (separated by , ; or spaces) */
static void
set_list (char ***list, const char *value, gboolean append)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) words = g_strsplit_set (value, ",; \t", -1);

  if (append && *list != NULL)
    g_strv_builder_addv (builder, (const char **) *list);
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_strv_builder_add (builder, words[i]);
  g_strfreev (*list);
  *list = g_strv_builder_end (builder);
}

/* set_general - set @key of [tlsrptdb] from its text form */
static gboolean
set_general (TrSettings *settings, const char *key, const char *value, gboolean append,
             GError **error)
{
  TrLimits *l = &settings->limits;
  struct
  {
    const char *key;
    gboolean suffix;
    guint64 max;
    gsize *size;
    guint *count;
    guint64 *bytes;
  } numbers[] = {
    { "max-message-size", TRUE, G_MAXSIZE / 2, &l->max_message_size, NULL, NULL },
    { "max-inflated-size", TRUE, G_MAXSIZE / 2, &l->max_inflated_size, NULL, NULL },
    { "max-json-values", FALSE, G_MAXSIZE / 2, &l->max_json_values, NULL, NULL },
    { "max-json-depth", FALSE, 100000, NULL, &l->max_json_depth, NULL },
    { "max-reports", FALSE, 10000, NULL, &l->max_reports, NULL },
    { "max-storage-ratio", FALSE, 100000, NULL, &l->max_storage_ratio, NULL },
    { "max-rejected-size", TRUE, G_MAXINT64, NULL, NULL, &l->max_rejected_size },
  };
  struct
  {
    const char *key;
    gboolean *flag;
  } flags[] = {
    { "require-dkim", &settings->require_dkim },
    { "reject", &settings->reject },
    { "verbose", &settings->verbose },
  };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    if (strcmp (key, numbers[i].key) == 0)
      {
        guint64 n;

        if (!parse_number (value, numbers[i].suffix, numbers[i].max, &n))
          {
            g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "%s wants a positive %s, not \"%s\"",
                         key, numbers[i].suffix ? "size such as 25M" : "whole number", value);
            return FALSE;
          }
        if (numbers[i].size != NULL)
          *numbers[i].size = (gsize) n;
        else if (numbers[i].count != NULL)
          *numbers[i].count = (guint) n;
        else
          *numbers[i].bytes = n;
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (strcmp (key, flags[i].key) == 0)
      {
        if (!tr_settings_parse_bool (value, flags[i].flag))
          {
            g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "%s wants true or false, not \"%s\"",
                         key, value);
            return FALSE;
          }
        return TRUE;
      }
  if (strcmp (key, "domains") == 0)
    set_list (&settings->domains, value, append);
  else if (strcmp (key, "trusted-authserv-id") == 0)
    set_list (&settings->trusted_authserv_ids, value, append);
  else if (strcmp (key, "db") == 0 && *value != '\0')
    {
      g_free (settings->db);
      settings->db = g_strdup (value);
    }
  else
    {
      g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "unknown setting \"%s\"", key);
      return FALSE;
    }
  return TRUE;
}

/* tr_settings_set - set @key from its text form: an option of the command's own group, or of
 * [tlsrptdb] */
gboolean
tr_settings_set (TrSettings *settings, const char *key, const char *value, gboolean append,
                 GError **error)
{
  if (set_command_value (settings, key, value, append))
    return TRUE;
  return set_general (settings, key, value, append, error);
}

/* load_group - the keys of @group of @file: [tlsrptdb] or the command's own */
static gboolean
load_group (TrSettings *settings, GKeyFile *file, const char *group, GError **error)
{
  g_auto (GStrv) keys = g_key_file_get_keys (file, group, NULL, NULL);
  gboolean own = strcmp (group, GROUP) != 0;

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autofree char *value = g_key_file_get_string (file, group, keys[i], &local_error);

      if (value == NULL)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "%s", local_error->message);
          return FALSE;
        }
      g_strstrip (value);
      if (own && !set_command_value (settings, keys[i], value, FALSE))
        {
          g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "unknown setting \"%s\" in [%s]", keys[i],
                       group);
          return FALSE;
        }
      if (!own && !set_general (settings, keys[i], value, FALSE, error))
        return FALSE;
    }
  return TRUE;
}

/* known_group - [tlsrptdb] or the group of a command */
static gboolean
known_group (const char *group)
{
  return strcmp (group, GROUP) == 0 || command_keys (group) != NULL;
}

/* tr_settings_load - read the config file */
gboolean
tr_settings_load (TrSettings *settings, const char *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  g_auto (GStrv) groups = NULL;
  const char *env = g_getenv ("TLSRPTDB_CONFIG");

  if (path == NULL && env != NULL && *env != '\0')
    path = env;
  if (path == NULL)
    {
      if (!g_file_test (TR_SETTINGS_DEFAULT_FILE, G_FILE_TEST_EXISTS))
        return TRUE;
      path = TR_SETTINGS_DEFAULT_FILE;
    }
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "%s: %s", path, local_error->message);
      return FALSE;
    }
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    if (!known_group (groups[i]))
      {
        g_set_error (error, TR_ERROR, TR_ERROR_CONFIG,
                     "%s: unknown group [%s] (use [%s], or [check] for tlsrptdb check)", path,
                     groups[i], GROUP);
        return FALSE;
      }
  for (guint i = 0; groups[i] != NULL; i++)
    if ((strcmp (groups[i], GROUP) == 0 || g_strcmp0 (groups[i], settings->command) == 0)
        && !load_group (settings, file, groups[i], error))
      {
        g_prefix_error (error, "%s: ", path);
        return FALSE;
      }
  return TRUE;
}
