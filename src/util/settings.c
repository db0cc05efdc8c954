/* settings.c - ingest settings from the config file and the command line
 *
 * One table of keys serves both, so that every option can be set in the file and the alias
 * line stays short.  A mistake in the file is a TR_ERROR_CONFIG, which makes ingest exit 75:
 * the reports wait in the MTA's queue until the administrator fixes it.  The message names the
 * file and line, and for an unknown key the known key it is likely a typo of.  Where each value
 * came from is kept for `tlsrptdb config`.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "error.h"
#include "settings.h"
#include "suggest.h"

#define GROUP "tlsrptdb"

typedef enum
{
  KEY_PATH,  /* char *: a non-empty value */
  KEY_LIST,  /* char **: words separated by , ; or spaces */
  KEY_FLAG,  /* gboolean */
  KEY_SIZE,  /* gsize */
  KEY_COUNT, /* guint */
  KEY_BYTES, /* guint64 */
} KeyType;

/* The keys, in the order `tlsrptdb config -a` lists them.  A number with @suffix takes K, M, G. */
static const struct
{
  const char *name;
  KeyType type;
  gsize offset; /* in TrSettings */
  gboolean suffix;
  guint64 max;
} keys[] = {
  { "db", KEY_PATH, offsetof (TrSettings, db) },
  { "domains", KEY_LIST, offsetof (TrSettings, domains) },
  { "trusted-authserv-id", KEY_LIST, offsetof (TrSettings, trusted_authserv_ids) },
  { "require-dkim", KEY_FLAG, offsetof (TrSettings, require_dkim) },
  { "reject", KEY_FLAG, offsetof (TrSettings, reject) },
  { "verbose", KEY_FLAG, offsetof (TrSettings, verbose) },
  { "max-message-size", KEY_SIZE, offsetof (TrSettings, limits.max_message_size), TRUE,
    G_MAXSIZE / 2 },
  { "max-inflated-size", KEY_SIZE, offsetof (TrSettings, limits.max_inflated_size), TRUE,
    G_MAXSIZE / 2 },
  { "max-json-depth", KEY_COUNT, offsetof (TrSettings, limits.max_json_depth), FALSE, 100000 },
  { "max-json-values", KEY_SIZE, offsetof (TrSettings, limits.max_json_values), FALSE,
    G_MAXSIZE / 2 },
  { "max-reports", KEY_COUNT, offsetof (TrSettings, limits.max_reports), FALSE, 10000 },
  { "max-storage-ratio", KEY_COUNT, offsetof (TrSettings, limits.max_storage_ratio), FALSE,
    100000 },
  { "max-rejected-size", KEY_BYTES, offsetof (TrSettings, limits.max_rejected_size), TRUE,
    G_MAXINT64 },
  { "max-rejected-requests", KEY_BYTES, offsetof (TrSettings, limits.max_rejected_requests), FALSE,
    G_MAXINT64 },
};

#define FIELD(settings, i, type) ((type *) ((char *) (settings) + keys[i].offset))

/* The keys of tlsrptdb check's group [check]: its long options.  Their values are kept as text
 * and read by cmd-check.c, which knows what they mean; "domain" is a list (joined by ","). */
static const char *const check_keys[] = {
  "since",    "warning", "critical",      "min-sessions",   "history",       "silent-after",
  "rejected", "domain",  "authenticated", "enforce-window", "min-reporters", NULL,
};

/* The commands that read a group of the config file besides [tlsrptdb]: check its own; report
 * and digest check's, whose thresholds their verdict applies, so that the page, the mail and
 * the monitoring never disagree. */
static const struct
{
  const char *command;
  const char *group;
  const char *const *keys;
} command_groups[] = {
  { "check", "check", check_keys },
  { "report", "check", check_keys },
  { "digest", "check", check_keys },
  { "config", "check", check_keys }, /* shown as check.KEY */
};

/* command_group - the group @command reads (or for a group's name, itself), or NULL */
static const char *
command_group (const char *command)
{
  for (guint i = 0; command != NULL && i < G_N_ELEMENTS (command_groups); i++)
    if (strcmp (command, command_groups[i].command) == 0)
      return command_groups[i].group;
  return NULL;
}

/* command_keys - the keys of the group @command reads (or of the group of that name), or NULL */
static const char *const *
command_keys (const char *command)
{
  for (guint i = 0; command != NULL && i < G_N_ELEMENTS (command_groups); i++)
    if (strcmp (command, command_groups[i].command) == 0)
      return command_groups[i].keys;
  return NULL;
}

/* set_command_value - keep @value of the command's own @key (FALSE if it is not one) */
static gboolean
set_command_value (TrSettings *settings, const char *key, const char *value, gboolean append)
{
  const char *const *own = command_keys (settings->command);
  const char *old;

  if (own == NULL || !g_strv_contains (own, key))
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
  g_clear_pointer (&settings->file, g_free);
  g_clear_pointer (&settings->origins, g_hash_table_unref);
  g_clear_pointer (&settings->command_values, g_hash_table_unref);
}

const char *
tr_settings_key_name (guint i)
{
  return i < G_N_ELEMENTS (keys) ? keys[i].name : NULL;
}

/* find_key - the index of @key in keys[], or -1 */
static int
find_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strcmp (key, keys[i].name) == 0)
      return (int) i;
  return -1;
}

/* unknown_key - the error for @key, with the known key it is likely a typo of, else the keys */
static void
unknown_key (const char *key, GError **error)
{
  const char *names[G_N_ELEMENTS (keys) + 1];
  const char *meant;
  g_autofree char *known = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    names[i] = keys[i].name;
  names[G_N_ELEMENTS (keys)] = NULL;
  meant = tr_suggest (key, names, G_N_ELEMENTS (keys));
  if (meant != NULL)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "unknown setting \"%s\": did you mean %s?",
                   key, meant);
      return;
    }
  known = g_strjoinv (", ", (char **) names);
  g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "unknown setting \"%s\" (the settings: %s)", key,
               known);
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

/* parse_bool - true/false, yes/no, 1/0, on/off */
static gboolean
parse_bool (const char *text, gboolean *out)
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

/* set_number - a number key from its text */
static gboolean
set_number (TrSettings *settings, guint i, const char *value, GError **error)
{
  guint64 n;

  if (!parse_number (value, keys[i].suffix, keys[i].max, &n))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "%s wants a positive %s, not \"%s\"",
                   keys[i].name, keys[i].suffix ? "size such as 25M" : "whole number", value);
      return FALSE;
    }
  if (keys[i].type == KEY_SIZE)
    *FIELD (settings, i, gsize) = (gsize) n;
  else if (keys[i].type == KEY_COUNT)
    *FIELD (settings, i, guint) = (guint) n;
  else
    *FIELD (settings, i, guint64) = n;
  return TRUE;
}

/* tr_settings_parse_bool - true/false, yes/no, 1/0, on/off */
gboolean
tr_settings_parse_bool (const char *text, gboolean *out)
{
  return parse_bool (text, out);
}

/* set_general - set @key of [tlsrptdb] from its text form */
static gboolean
set_general (TrSettings *settings, const char *key, const char *value, gboolean append,
             GError **error)
{
  int i = find_key (key);

  if (i < 0)
    {
      unknown_key (key, error);
      return FALSE;
    }
  switch (keys[i].type)
    {
      case KEY_PATH:
        if (*value != '\0')
          {
            g_free (*FIELD (settings, i, char *));
            *FIELD (settings, i, char *) = g_strdup (value);
          }
        return TRUE;
      case KEY_LIST:
        set_list (FIELD (settings, i, char **), value, append);
        return TRUE;
      case KEY_FLAG:
        if (parse_bool (value, FIELD (settings, i, gboolean)))
          return TRUE;
        g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "%s wants true or false, not \"%s\"", key,
                     value);
        return FALSE;
      case KEY_SIZE:
      case KEY_COUNT:
      case KEY_BYTES:
      default:
        return set_number (settings, (guint) i, value, error);
    }
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

/* format_number - @n in the config file's syntax: with a K, M or G suffix when exact */
static char *
format_number (guint64 n, gboolean suffix)
{
  static const char units[] = "GMK";

  for (guint u = 0; suffix && n > 0 && u < 3; u++)
    {
      guint64 scale = (guint64) 1 << (10 * (3 - u));

      if (n % scale == 0)
        return g_strdup_printf ("%" G_GUINT64_FORMAT "%c", n / scale, units[u]);
    }
  return g_strdup_printf ("%" G_GUINT64_FORMAT, n);
}

/* tr_settings_value - the value of @key as the config file writes it, or NULL */
char *
tr_settings_value (const TrSettings *settings, const char *key)
{
  int i = find_key (key);
  char **list;

  g_return_val_if_fail (i >= 0, NULL);
  switch (keys[i].type)
    {
      case KEY_PATH:
        return g_strdup (*FIELD (settings, i, char *));
      case KEY_LIST:
        list = *FIELD (settings, i, char **);
        return list != NULL && list[0] != NULL ? g_strjoinv ("; ", list) : NULL;
      case KEY_FLAG:
        return g_strdup (*FIELD (settings, i, gboolean) ? "true" : "false");
      case KEY_SIZE:
        return format_number (*FIELD (settings, i, gsize), keys[i].suffix);
      case KEY_COUNT:
        return format_number (*FIELD (settings, i, guint), keys[i].suffix);
      case KEY_BYTES:
      default:
        return format_number (*FIELD (settings, i, guint64), keys[i].suffix);
    }
}

typedef struct
{
  TrSettingSource source;
  char *where;
} Origin;

static void
origin_free (gpointer data)
{
  Origin *origin = data;

  g_free (origin->where);
  g_free (origin);
}

void
tr_settings_set_origin (TrSettings *settings, const char *key, TrSettingSource source,
                        const char *where)
{
  Origin *origin;

  if (settings->origins == NULL)
    settings->origins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, origin_free);
  if (source == TR_SOURCE_DEFAULT)
    {
      g_hash_table_remove (settings->origins, key);
      return;
    }
  origin = g_new0 (Origin, 1);
  origin->source = source;
  origin->where = g_strdup (where);
  g_hash_table_insert (settings->origins, g_strdup (key), origin);
}

TrSettingSource
tr_settings_origin (const TrSettings *settings, const char *key, const char **where)
{
  Origin *origin = settings->origins ? g_hash_table_lookup (settings->origins, key) : NULL;

  if (where != NULL)
    *where = origin ? origin->where : NULL;
  return origin ? origin->source : TR_SOURCE_DEFAULT;
}

const char *
tr_setting_source_name (TrSettingSource source)
{
  static const char *const names[] = { "default", "file", "environment", "command-line" };

  return source < G_N_ELEMENTS (names) ? names[source] : "default";
}

const char *
tr_settings_config_file (const char *option, TrSettingSource *source, const char **where)
{
  const char *env = g_getenv ("TLSRPTDB_CONFIG");

  *where = NULL;
  if (option != NULL)
    {
      *source = TR_SOURCE_COMMAND_LINE, *where = "--config";
      return option;
    }
  if (env != NULL && *env != '\0')
    {
      *source = TR_SOURCE_ENVIRONMENT, *where = "TLSRPTDB_CONFIG";
      return env;
    }
  *source = TR_SOURCE_DEFAULT;
  return TR_SETTINGS_DEFAULT_FILE;
}

/* line_of - the line of @text (a key file) where @key of [@group] is set last, or where the
 * group @group begins (@key NULL); 0 when there is none */
static guint
line_of (const char *text, const char *group, const char *key)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in_group = FALSE;
  guint found = 0;

  for (guint n = 0; lines[n] != NULL; n++)
    {
      char *line = g_strstrip (lines[n]);
      char *eq = strchr (line, '=');

      if (*line == '[')
        {
          char *end = strchr (line, ']');

          in_group = end != NULL && (gsize) (end - line - 1) == strlen (group)
                     && strncmp (line + 1, group, strlen (group)) == 0;
          if (in_group && key == NULL)
            return n + 1;
        }
      else if (in_group && key != NULL && *line != '#' && eq != NULL)
        {
          *eq = '\0';
          if (strcmp (g_strchomp (line), key) == 0)
            found = n + 1;
        }
    }
  return found;
}

/* config_error - prefix @error with "@path:LINE: " (or "@path: " without a line) */
static void
config_error (GError **error, const char *path, guint line)
{
  if (line > 0)
    g_prefix_error (error, "%s:%u: ", path, line);
  else
    g_prefix_error (error, "%s: ", path);
}

/* unknown_command_key - the error for @key in the command's own @group */
static void
unknown_command_key (const char *key, const char *group, GError **error)
{
  const char *const *own = command_keys (group);
  const char *meant = tr_suggest (key, own, g_strv_length ((char **) own));

  if (meant != NULL)
    g_set_error (error, TR_ERROR, TR_ERROR_CONFIG,
                 "unknown setting \"%s\" in [%s]: did you mean %s?", key, group, meant);
  else
    g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "unknown setting \"%s\" in [%s]", key, group);
}

/* load_keys - the keys of @group in @file, whose text is @text: [tlsrptdb], or the running
 * command's own group (kept as text for the command) */
static gboolean
load_keys (TrSettings *settings, GKeyFile *file, const char *text, const char *path,
           const char *group, GError **error)
{
  g_auto (GStrv) keys_set = g_key_file_get_keys (file, group, NULL, NULL);
  gboolean own = strcmp (group, GROUP) != 0;

  for (guint i = 0; keys_set != NULL && keys_set[i] != NULL; i++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autofree char *value = g_key_file_get_string (file, group, keys_set[i], &local_error);
      guint line = line_of (text, group, keys_set[i]);
      g_autofree char *where = g_strdup_printf ("%s:%u", path, line);
      gboolean ok;

      if (value == NULL)
        {
          g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "%s", local_error->message);
          config_error (error, path, line);
          return FALSE;
        }
      g_strstrip (value);
      ok = own ? set_command_value (settings, keys_set[i], value, FALSE)
               : set_general (settings, keys_set[i], value, FALSE, error);
      if (!ok)
        {
          if (own)
            unknown_command_key (keys_set[i], group, error);
          config_error (error, path, line);
          return FALSE;
        }
      if (own)
        {
          g_autofree char *name = g_strconcat (group, ".", keys_set[i], NULL);

          tr_settings_set_origin (settings, name, TR_SOURCE_FILE, where);
        }
      else
        tr_settings_set_origin (settings, keys_set[i], TR_SOURCE_FILE, where);
    }
  return TRUE;
}

/* tr_settings_load - read the config file */
gboolean
tr_settings_load (TrSettings *settings, const char *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  g_auto (GStrv) groups = NULL;
  g_autofree char *text = NULL;
  TrSettingSource source;
  const char *where;
  gsize length;

  path = tr_settings_config_file (path, &source, &where);
  if (source == TR_SOURCE_DEFAULT && !g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_file_get_contents (path, &text, &length, &local_error)
      || !g_key_file_load_from_data (file, text, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "%s: %s", path, local_error->message);
      return FALSE;
    }
  g_free (settings->file);
  settings->file = g_strdup (path);
  tr_settings_set_origin (settings, "config", source, where);
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    if (strcmp (groups[i], GROUP) != 0 && command_keys (groups[i]) == NULL)
      {
        g_set_error (error, TR_ERROR, TR_ERROR_CONFIG, "unknown group [%s] (use [%s])", groups[i],
                     GROUP);
        config_error (error, path, line_of (text, groups[i], NULL));
        return FALSE;
      }
  /* only the commands that read a group read it: a mistake in [check] cannot stop ingest */
  return load_keys (settings, file, text, path, GROUP, error)
         && (command_group (settings->command) == NULL
             || load_keys (settings, file, text, path, command_group (settings->command), error));
}
