/* complete.c - what the shells' completion asks: "tlsrptdb help --complete WORD..."
 *
 * The completion scripts (completion/tlsrptdb.bash, completion/_tlsrptdb) keep no list of their
 * own, which would drift: they hand the words typed so far to the program, which answers from
 * its own tables (the commands; each command's options, as its help lists them; the formats,
 * groups, result types, warning codes and setting keys) and, for --domain and --reporter, from
 * the database: opened read-only, the summary rows of the last 400 days.  What it prints is
 * filtered by what was typed; nothing means a file name (or nothing) fits, and the scripts fall
 * back to the shell's own file completion.  Values from the database are offered only when they
 * are made of characters that are safe on a command line: a reporter key is written by strangers.
 */
#include "config.h"

#include <string.h>

#include "command.h"
#include "dbpath.h"
#include "explain.h"
#include "query.h"

typedef struct
{
  char *name; /* the long name, without "--" */
  char short_name;
  gboolean has_arg;
} Option;

static void
option_free (gpointer data)
{
  Option *option = data;

  g_free (option->name);
  g_free (option);
}

/* command_options - the options of @command, read from its help ("  -c, --config=PATH  ...") */
static GPtrArray *
command_options (const TrCommand *command)
{
  g_autofree char *help = tr_command_help_text (command);
  g_auto (GStrv) lines = g_strsplit (help, "\n", -1);
  GPtrArray *options = g_ptr_array_new_with_free_func (option_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = lines[i];
      Option *option;
      gsize n;

      while (*p == ' ')
        p++;
      if (p == lines[i] || *p != '-')
        continue;
      option = g_new0 (Option, 1);
      if (p[1] != '-' && p[1] != '\0' && p[2] == ',')
        option->short_name = p[1], p += 4;
      if (!g_str_has_prefix (p, "--"))
        {
          option_free (option);
          continue;
        }
      p += 2;
      n = strcspn (p, "= ");
      option->name = g_strndup (p, n);
      option->has_arg = p[n] == '=';
      g_ptr_array_add (options, option);
    }
  return options;
}

/* find_option - the option that @word is ("--db", "--db=x", "-c"); *@value: what follows "=" */
static const Option *
find_option (GPtrArray *options, const char *word, const char **value)
{
  *value = NULL;
  for (guint i = 0; i < options->len; i++)
    {
      const Option *o = g_ptr_array_index (options, i);
      gsize n = strlen (o->name);

      if (word[0] == '-' && word[1] == o->short_name && word[1] != '\0' && word[2] == '\0')
        return o;
      if (g_str_has_prefix (word, "--") && strncmp (word + 2, o->name, n) == 0
          && (word[2 + n] == '\0' || word[2 + n] == '='))
        {
          if (word[2 + n] == '=')
            *value = word + 3 + n;
          return o;
        }
    }
  return NULL;
}

/* put - print @before @word when it begins with @typed */
static void
put (const char *before, const char *word, const char *typed)
{
  g_autofree char *whole = g_strconcat (before, word, NULL);

  if (g_str_has_prefix (whole, typed))
    printf ("%s\n", whole);
}

/* safe - whether @text may stand on a command line as it is */
static gboolean
safe (const char *text)
{
  if (text == NULL || *text == '\0' || *text == '-')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._@+:-", *p) == NULL)
      return FALSE;
  return TRUE;
}

typedef struct
{
  GHashTable *seen;
  gboolean reporters;
} Collect;

static gboolean
collect (const TrSessionRow *row, gpointer data, GError **error)
{
  Collect *c = data;
  const char *value = c->reporters ? row->reporter : row->domain;

  if (safe (value))
    g_hash_table_add (c->seen, g_strdup (value));
  return TRUE;
}

/* open_store - the database that the words name (--db, --config), as the command would find it */
static TrStore *
open_store (int n_words, char **words)
{
  g_auto (TrSettings) settings = TR_SETTINGS_INIT;
  const char *db = NULL, *config = NULL;
  g_autofree char *path = NULL;
  TrSettingSource source;

  for (int i = 1; i + 1 < n_words; i++)
    {
      const char *next = i + 2 < n_words ? words[i + 1] : NULL; /* not the word being typed */

      if (strcmp (words[i], "--db") == 0 && next != NULL)
        db = next;
      else if (g_str_has_prefix (words[i], "--db="))
        db = words[i] + 5;
      else if ((strcmp (words[i], "--config") == 0 || strcmp (words[i], "-c") == 0) && next)
        config = next;
      else if (g_str_has_prefix (words[i], "--config="))
        config = words[i] + 9;
    }
  if (!tr_settings_load (&settings, config, NULL))
    return NULL;
  path = tr_db_path (db, settings.db, &source);
  return tr_store_open (path, TR_STORE_READ_ONLY, NULL);
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* put_stored - the domains or reporters of the database's last 400 days */
static void
put_stored (int n_words, char **words, gboolean reporters, const char *before, const char *typed)
{
  g_autoptr (TrStore) store = open_store (n_words, words);
  g_auto (TrQueryFilter) filter = TR_QUERY_FILTER_INIT;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) since = g_date_time_add_days (now, -400);
  Collect c = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL), reporters };
  g_autofree gpointer *values = NULL;
  guint n = 0;

  filter.since_day = g_date_time_format (since, "%Y-%m-%d");
  if (store != NULL && tr_store_each_session (store, &filter, collect, &c, NULL))
    {
      values = g_hash_table_get_keys_as_array (c.seen, &n);
      qsort (values, n, sizeof (gpointer), compare_strings);
    }
  for (guint i = 0; i < n; i++)
    put (before, values[i], typed);
  g_hash_table_unref (c.seen);
}

/* put_list - the words of a NULL-ended table, through @name (an index to a name or NULL) */
static void
put_list (const char *(*name) (guint i), const char *before, const char *typed)
{
  const char *word;

  for (guint i = 0; (word = name (i)) != NULL; i++)
    put (before, word, typed);
}

static const char *
result_type_name (guint i)
{
  guint n;
  const TrExplanation *all = tr_explain_all (&n);

  return i < n ? all[i].result_type : NULL;
}

static const char *
warning_code_name (guint i)
{
  return tr_warning_codes[i].code;
}

static const char *
setting_name (guint i)
{
  return i == 0 ? "config" : tr_settings_key_name (i - 1);
}

static const char *
since_example (guint i)
{
  static const char *const spans[] = { "today", "yesterday", "24h", "7d", "30d", "90d", NULL };

  return i < G_N_ELEMENTS (spans) ? spans[i] : NULL;
}

static const char *
older_than_example (guint i)
{
  static const char *const spans[] = { "30d", "90d", "13mo", "1y", NULL };

  return i < G_N_ELEMENTS (spans) ? spans[i] : NULL;
}

/* put_values - the values of the option @name; @before is what precedes the value in the word
 * ("--by=day," for --by=day,do), @typed the whole word */
static void
put_values (const char *name, int n_words, char **words, const char *before, const char *typed)
{
  if (strcmp (name, "format") == 0)
    put_list (tr_printer_format_name, before, typed);
  else if (strcmp (name, "result-type") == 0)
    put_list (result_type_name, before, typed);
  else if (strcmp (name, "warning") == 0)
    put_list (warning_code_name, before, typed);
  else if (strcmp (name, "since") == 0 || strcmp (name, "until") == 0)
    put_list (since_example, before, typed);
  else if (strcmp (name, "older-than") == 0)
    put_list (older_than_example, before, typed);
  else if (strcmp (name, "domain") == 0 || strcmp (name, "reporter") == 0)
    put_stored (n_words, words, strcmp (name, "reporter") == 0, before, typed);
  else if (strcmp (name, "by") == 0)
    {
      /* a comma-separated list: complete its last element */
      const char *comma = strrchr (typed, ',');
      g_autofree char *lead = comma ? g_strndup (typed, (gsize) (comma + 1 - typed)) : NULL;

      put_list (tr_query_group_name, lead ? lead : before, typed);
    }
}

/* put_positional - the arguments of @command that may stand at position @index */
static void
put_positional (const TrCommand *command, guint index, const char *typed)
{
  const char *given = command->parameter ? command->parameter : "";
  gsize len = strlen (given);
  g_autofree char *parameter = given[0] == '[' && len >= 2 && given[len - 1] == ']'
                                   ? g_strndup (given + 1, len - 2) /* optional: "[a|b]" */
                                   : g_strdup (given);

  if (strstr (parameter, "RESULT-TYPE") != NULL)
    put_list (result_type_name, "", typed);
  else if (strstr (parameter, "SETTING") != NULL)
    put_list (setting_name, "", typed);
  else if (index == 0 && *parameter != '\0'
           && strspn (parameter, "abcdefghijklmnopqrstuvwxyz-|") == strlen (parameter))
    {
      /* subcommands: "summary|failures|reports" */
      g_auto (GStrv) words = g_strsplit (parameter, "|", -1);

      for (guint i = 0; words[i] != NULL; i++)
        put ("", words[i], typed);
    }
}

/* complete_command - the last of @words, after the command's name (@words[0]) */
static void
complete_command (const TrCommand *command, int n_words, char **words)
{
  g_autoptr (GPtrArray) options = command_options (command);
  const char *typed = words[n_words - 1], *value;
  const Option *option;
  guint index = 0;

  for (int i = 1; i < n_words - 1; i++)
    {
      option = words[i][0] == '-' ? find_option (options, words[i], &value) : NULL;
      if (option != NULL && option->has_arg && value == NULL)
        {
          if (i == n_words - 2) /* the word being typed is this option's value */
            {
              put_values (option->name, n_words, words, "", typed);
              return;
            }
          i++;
        }
      else if (words[i][0] != '-')
        index++;
    }
  if (g_str_has_prefix (typed, "--") && strchr (typed, '=') != NULL)
    {
      g_autofree char *before = g_strndup (typed, (gsize) (strchr (typed, '=') + 1 - typed));

      if ((option = find_option (options, typed, &value)) != NULL && option->has_arg)
        put_values (option->name, n_words, words, before, typed);
    }
  else if (typed[0] == '-')
    for (guint i = 0; i < options->len; i++)
      put ("--", ((Option *) g_ptr_array_index (options, i))->name, typed);
  else
    put_positional (command, index, typed);
}

/* tr_complete - the words that may stand for the last of @words */
int
tr_complete (const TrCommand *const *commands, guint n_commands, int n_words, char **words)
{
  const TrCommand *command = NULL;

  if (n_words < 1)
    return 0;
  if (n_words == 1 || (n_words == 2 && strcmp (words[0], "help") == 0))
    {
      const char *typed = words[n_words - 1];

      for (guint i = 0; i < n_commands; i++)
        put ("", commands[i]->name, typed);
      if (n_words == 1)
        {
          put ("", "help", typed);
          put ("", "--help", typed);
          put ("", "--version", typed);
        }
      return 0;
    }
  for (guint i = 0; i < n_commands; i++)
    if (strcmp (words[0], commands[i]->name) == 0)
      command = commands[i];
  if (command != NULL)
    complete_command (command, n_words, words);
  return 0;
}
