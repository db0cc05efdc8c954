/* runone.c - run one command with stdin from a file; report its wall time and peak RSS.
 *
 * Usage: runone INPUT COMMAND [ARG...]
 *
 * Prints one line to stdout: "<wall seconds> <peak RSS KiB> <exit status>", where the wall time
 * is CLOCK_MONOTONIC around fork/exec/wait4 and the peak RSS is ru_maxrss of the child from
 * wait4 (). The child's stdout goes to /dev/null; its stderr is left alone. The exit status is
 * the child's exit code, or 128 + signal number. Part of the ingest benchmark (bench/run.sh). */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* main - open INPUT, fork/exec COMMAND with it as stdin, print wall time and peak RSS */
int
main (int argc, char **argv)
{
  struct timespec t0, t1;
  struct rusage ru;
  int in, out, status, code;
  pid_t pid;

  if (argc < 3)
    {
      fprintf (stderr, "usage: runone INPUT COMMAND [ARG...]\n");
      return 2;
    }
  in = open (argv[1], O_RDONLY | O_CLOEXEC);
  if (in < 0)
    {
      fprintf (stderr, "runone: %s: %s\n", argv[1], strerror (errno));
      return 2;
    }
  out = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  if (out < 0)
    {
      fprintf (stderr, "runone: /dev/null: %s\n", strerror (errno));
      return 2;
    }

  clock_gettime (CLOCK_MONOTONIC, &t0);
  pid = fork ();
  if (pid < 0)
    {
      fprintf (stderr, "runone: fork: %s\n", strerror (errno));
      return 2;
    }
  if (pid == 0)
    {
      if (dup2 (in, 0) < 0 || dup2 (out, 1) < 0)
        _exit (127);
      execvp (argv[2], argv + 2);
      fprintf (stderr, "runone: %s: %s\n", argv[2], strerror (errno));
      _exit (127);
    }
  memset (&ru, 0, sizeof ru);
  while (wait4 (pid, &status, 0, &ru) < 0)
    {
      if (errno != EINTR)
        {
          fprintf (stderr, "runone: wait4: %s\n", strerror (errno));
          return 2;
        }
    }
  clock_gettime (CLOCK_MONOTONIC, &t1);

  if (WIFEXITED (status))
    code = WEXITSTATUS (status);
  else if (WIFSIGNALED (status))
    code = 128 + WTERMSIG (status);
  else
    code = 255;
  printf ("%.6f %ld %d\n",
          (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9,
          (long) ru.ru_maxrss, code);
  return 0;
}
