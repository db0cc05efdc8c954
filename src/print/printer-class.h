/* printer-class.h - what a format implements: one TrPrinterClass per file (print-text.c,
 * print-json.c, print-csv.c), listed in printer.c's table of formats
 *
 * printer.c keeps the stack of what is open (TrFrame) and calls the class in a checked order:
 * a class never sees a value without its key in a map, nor a row field out of column order.
 * When a class op runs, the top frame is the container the new item goes into, and its n_items
 * is the index of that item (of the member, for maps and rows).
 */
#pragma once

#include "printer.h"

typedef enum
{
  TR_FRAME_DOCUMENT, /* a map whose first members are "version" and "kind" */
  TR_FRAME_MAP,
  TR_FRAME_LIST,
  TR_FRAME_TABLE,
  TR_FRAME_ROW, /* a map whose members are the columns of its table */
} TrFrameKind;

typedef struct
{
  TrFrameKind kind;
  const TrColumn *columns; /* TABLE and ROW */
  guint n_columns;
  guint n_items; /* items (members) begun so far */
} TrFrame;

typedef enum
{
  TR_SCALAR_NULL,
  TR_SCALAR_STRING, /* any bytes */
  TR_SCALAR_INT,
  TR_SCALAR_BOOL,
  TR_SCALAR_DOUBLE,  /* with decimals */
  TR_SCALAR_PERCENT, /* a fraction */
  TR_SCALAR_LINES,   /* our own multi-line text */
  TR_SCALAR_JSON,    /* a JSON text (str) and its valid compact form (compact, or NULL) */
} TrScalarKind;

typedef struct
{
  TrScalarKind kind;
  const char *str;
  const char *compact;
  gint64 i; /* INT, BOOL */
  double d;
  int decimals;
} TrScalar;

typedef struct
{
  void (*init) (TrPrinter *printer);
  void (*finalize) (TrPrinter *printer);
  void (*begin_document) (TrPrinter *printer, const char *kind);
  /* key - a member of a map, row or the document: @title is NULL outside text's interest */
  void (*key) (TrPrinter *printer, const char *name, const char *title, TrColumnKind kind);
  void (*begin_map) (TrPrinter *printer);
  void (*begin_list) (TrPrinter *printer);
  void (*begin_table) (TrPrinter *printer, const TrColumn *columns, guint n_columns);
  void (*begin_row) (TrPrinter *printer);
  /* end - the top frame (the document last) is about to be closed */
  void (*end) (TrPrinter *printer);
  void (*scalar) (TrPrinter *printer, const TrScalar *value);
  void (*note) (TrPrinter *printer, const char *text); /* may be NULL */
} TrPrinterClass;

struct _TrPrinter
{
  const TrPrinterClass *klass;
  gpointer state; /* the class's */
  FILE *out;
  guint width;        /* text: the terminal width to fit, 0 for none */
  gboolean terminal;  /* the output is a terminal: a person reads it */
  guint rows;         /* rows of the top table begun */
  gboolean vertical;  /* text: blocks instead of a table */
  gboolean csv_guard; /* csv: neutralise cells a spreadsheet would evaluate */
  GArray *frames;     /* of TrFrame: what is open, the document first */
  gboolean has_key;   /* a key or field was given, its value not yet */
};

/* tr_printer_top - the innermost open frame (NULL before the document) */
TrFrame *tr_printer_top (TrPrinter *printer);
/* tr_printer_depth - the number of open frames (1 inside the document) */
guint tr_printer_depth (TrPrinter *printer);
/* tr_printer_frame - the frame @depth levels up from the top (0: the top), or NULL */
TrFrame *tr_printer_frame (TrPrinter *printer, guint up);

/* The classes, and their helpers shared with other classes. */
extern const TrPrinterClass tr_print_text_class;
extern const TrPrinterClass tr_print_json_class;
extern const TrPrinterClass tr_print_csv_class;

/* tr_print_format_number - @value as text: INT, DOUBLE, PERCENT (as a fraction with 4
 * decimals, or as "12.50%" if @for_people), BOOL (true/false); NULL for the other kinds */
char *tr_print_format_number (const TrScalar *value, gboolean for_people);
/* tr_print_json_append_string - @value (any bytes) as a JSON string literal */
void tr_print_json_append_string (GString *s, const char *value);
/* tr_print_json_append_scalar - @value as JSON (LINES as a string, JSON as its compact form) */
void tr_print_json_append_scalar (GString *s, const TrScalar *value);
/* tr_print_json_string - the same, newly allocated (for the unit tests) */
char *tr_print_json_string (const char *value);
/* tr_print_csv_field - @value as an RFC 4180 field; with @guard a value a spreadsheet would
 * evaluate gets a leading ' (newly allocated) */
char *tr_print_csv_field (const char *value, gboolean guard);
