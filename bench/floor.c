/* floor.c - the do-nothing program that sets the per-process floor of the ingest benchmark.
 *
 * It is linked against the same libraries as tlsrptdb (libs.h) and does nothing: the cost of
 * running it is exec, the dynamic loader, relocations and the libraries' constructors, which
 * every tlsrptdb run pays too. Prints nothing. */

#include "libs.h"

/* main - do nothing and succeed */
int
main (void)
{
  (void) tr_bench_libs;
  return 0;
}
