/* portolan-cli kill: end the processes listening on a port, safely.
 *
 * Safety rules: show what will be ended and ask; refuse without a terminal
 * unless --yes; refuse the PIDs the platform protects (init; on Windows
 * the System Idle Process and System), ourselves and any owner we cannot
 * identify; just before signalling, check again that the process still holds a
 * socket on the port and has the same start time (a PID reused after the
 * scan must not be hit).
 *
 * --pid (and --start-time) name the one process to end, as the desktop app
 * does when it runs this command through pkexec: the command trusts only
 * what it reads itself, so it repeats every check above for that process.
 */
#define _GNU_SOURCE

#include <getopt.h> /* optind */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-platform.h"
#include "ptl-describe.h"
#include "ptl-report.h"

#define MAX_TARGETS 32

typedef struct
{
  unsigned port, protos;
  bool yes;
  long pid;            /* --pid: the one process to end; 0 = every listener */
  uint64_t start_time; /* --start-time; 0 = not given */
} KillArgs;

typedef struct
{
  long pid;
  uint64_t start_time;
  char name[64];
} Target;

/* --pid and --start-time: a PID the platform can have, a start time it
 * can report (0 means "unknown" to the platform, so it is no start time). */
static int
handle_option (int key, const char *value, void *data)
{
  KillArgs *a = data;
  unsigned long pid;

  if (key == CLI_KEY_PID)
    {
      if (cli_parse_uint (value, "The PID", 1, 4194304, &pid) != 0)
        return CLI_USAGE;
      a->pid = (long) pid;
    }
  else if (key == CLI_KEY_START_TIME && cli_parse_u64 (value, "The start time", 1, &a->start_time))
    return CLI_USAGE;
  a->yes |= key == 'y';
  a->protos |= key == 't' ? PTL_PROTO_TCP : key == 'u' ? PTL_PROTO_UDP : 0;
  return 0;
}

static int
parse_args (int argc, char **argv, KillArgs *a)
{
  char buf[64];
  unsigned qprotos = 0;
  int rc;

  if ((rc = cli_parse_options ("kill", argc, argv, handle_option, a)) != 0)
    return rc;
  if (a->start_time != 0 && a->pid == 0)
    return cli_fail (CLI_USAGE,
                     "--start-time is the start time of the process --pid names; give --pid too.");
  if (optind >= argc)
    return cli_fail (CLI_USAGE, "No port given: 'portolan-cli kill 8080'.");
  if (argc - optind > 1)
    return cli_fail (CLI_USAGE, "'kill' takes one port; '%s' is one too many.",
                     cli_shown (argv[optind + 1], buf, sizeof buf));
  if ((rc = cli_parse_single_port (argv[optind], &a->port, &qprotos)) != 0)
    return -rc;
  /* Dropping an sctp or dccp here would end the port's tcp listeners. */
  if (qprotos & ~(unsigned) (PTL_PROTO_TCP | PTL_PROTO_UDP))
    return cli_fail (CLI_USAGE, "'kill' ends tcp and udp listeners only, not %s.",
                     ptl_proto_name ((PtlProto) qprotos));
  if (qprotos && a->protos && !(qprotos & a->protos))
    return cli_fail (CLI_USAGE, "The port names %s but the options ask for another protocol.",
                     ptl_proto_name ((PtlProto) qprotos));
  a->protos = qprotos ? qprotos : a->protos;
  return 0;
}

/* The listening sockets on the port, with owners; with --pid, every socket
 * on the port (a process may hold it through a connection). */
static int
read_listeners (const KillArgs *a, PtlSocketTable *t, PtlError *err)
{
  PtlSocketFilter f;
  int rc;

  ptl_socket_filter_init (&f);
  f.port_first = f.port_last = a->port;
  f.protos = a->protos;
  f.listening_only = a->pid == 0;
  ptl_socket_table_init (t);
  if ((rc = ptl_platform_read_sockets (&f, t, err)) < 0)
    return rc;
  return ptl_platform_find_owners (t, err);
}

/* A process name as it may be printed: whoever started the process chose
 * it, escape sequences and all. */
static const char *
safe_name (const char *name, char *out, size_t size)
{
  PtlBuf safe;

  ptl_buf_init (&safe);
  ptl_text_safe (&safe, name);
  snprintf (out, size, "%s", ptl_buf_str (&safe));
  ptl_buf_clear (&safe);
  return out;
}

static bool
add_target (Target *targets, size_t *n, const PtlProcess *p)
{
  for (size_t i = 0; i < *n; i++)
    if (targets[i].pid == p->pid)
      return true;
  if (*n == MAX_TARGETS)
    return false;
  targets[*n].pid = p->pid;
  targets[*n].start_time = p->start_time;
  safe_name (p->name, targets[*n].name, sizeof targets[*n].name);
  (*n)++;
  return true;
}

static int
cannot_identify (const KillArgs *a, const PtlSocket *s)
{
  char where[PTL_ADDR_MAX + 16];
  PtlBuf why, safe;
  int rc;

  ptl_buf_init (&why);
  ptl_buf_init (&safe);
  /* An IPv6 end in brackets: "tcp [::1]:8080". */
  ptl_endpoint_format (where, sizeof where, s->local_address, a->port);
  ptl_buf_printf (&why, "%s %s (", ptl_proto_name (s->proto), where);
  if (s->owner_note != NULL)
    ptl_describe_owner_note (s, &why);
  else
    ptl_buf_puts (&why, _ ("unknown"));
  ptl_buf_puts (&why, ")");
  ptl_text_safe (&safe, ptl_buf_str (&why));
  rc = cli_fail (CLI_SYSTEM, "Cannot identify the owner of %s; nothing was ended.",
                 ptl_buf_str (&safe));
  ptl_buf_clear (&why);
  ptl_buf_clear (&safe);
  return rc;
}

static int
refuse_protected (const PtlProcess *p)
{
  const char *why;
  char name[64];

  if (!ptl_platform_pid_is_protected (p->pid, &why))
    return 0;
  return cli_fail (CLI_SYSTEM, "Refusing to end PID %ld (%s): it is %s.", p->pid,
                   safe_name (p->name, name, sizeof name), _ (why));
}

/* The owner with @pid among @t's rows, or NULL. */
static const PtlProcess *
find_owner (const PtlSocketTable *t, long pid)
{
  for (size_t i = 0; i < t->len; i++)
    for (size_t k = 0; k < t->rows[i].n_owners; k++)
      if (ptl_socket_owner (t, &t->rows[i], k)->pid == pid)
        return ptl_socket_owner (t, &t->rows[i], k);
  return NULL;
}

/* --pid: the one target, as this command sees it now. Other holders of
 * the port, hidden ones included, are not touched, so they do not stop it. */
static int
collect_pid_target (const KillArgs *a, PtlSocketTable *t, Target *target)
{
  const PtlProcess *p = find_owner (t, a->pid);
  char name[64];
  int rc;

  if (p == NULL)
    return cli_fail (CLI_NEGATIVE, "PID %ld holds no socket on port %u; nothing was ended.", a->pid,
                     a->port);
  if ((rc = refuse_protected (p)) != 0)
    return rc;
  if (a->start_time != 0 && p->start_time != a->start_time)
    return cli_fail (CLI_NEGATIVE,
                     "PID %ld (%s) started at %llu, not at %llu: it is another process now; "
                     "nothing was ended.",
                     p->pid, safe_name (p->name, name, sizeof name),
                     (unsigned long long) p->start_time, (unsigned long long) a->start_time);
  target->pid = p->pid;
  target->start_time = p->start_time;
  safe_name (p->name, target->name, sizeof target->name);
  /* What the plan shows: this process's sockets only. */
  ptl_socket_table_filter_pid (t, a->pid);
  return 0;
}

static int
collect_targets (const KillArgs *a, PtlSocketTable *t, Target *targets, size_t *n)
{
  int rc;

  if (a->pid != 0)
    {
      if ((rc = collect_pid_target (a, t, &targets[0])) == 0)
        *n = 1;
      return rc;
    }
  for (size_t i = 0; i < t->len; i++)
    {
      const PtlSocket *s = &t->rows[i];

      if (s->n_owners == 0)
        return cannot_identify (a, s);
      for (size_t k = 0; k < s->n_owners; k++)
        {
          const PtlProcess *p = ptl_socket_owner (t, s, k);

          if ((rc = refuse_protected (p)) != 0)
            return rc;
          if (!add_target (targets, n, p))
            return cli_fail (CLI_SYSTEM, "More than %d processes hold port %u; end them by hand.",
                             MAX_TARGETS, a->port);
        }
    }
  return 0;
}

static void
show_plan (const KillArgs *a, const PtlSocketTable *t)
{
  PtlBuf out;

  ptl_buf_init (&out);
  if (a->pid)
    ptl_buf_printf (&out, _ ("PID %ld on port %u:\n"), a->pid, a->port);
  else
    ptl_buf_printf (&out, _ ("Listening on port %u:\n"), a->port);
  ptl_format_table_text (t, &out);
  cli_print (&out);
  ptl_buf_clear (&out);
}

static bool
confirm (size_t n)
{
  /* TRANSLATORS: the first letter of "yes" in your language, as the answer to
     "[y/N]"; "y" is always taken too. */
  const char *yes = C_ ("answer", "y");
  char answer[16];

  /* TRANSLATORS: %s is SIGTERM (Linux) or TerminateProcess (Windows); keep "[y/N]". */
  if (n == 1)
    printf (_ ("End this process with %s? [y/N] "), _ (ptl_platform_terminate_method ()));
  else
    /* TRANSLATORS: only numbers above 1 come here. */
    printf (ptl_ntr ("End these %zu processes with %s? [y/N] ",
                     "End these %zu processes with %s? [y/N] ", n),
            n, _ (ptl_platform_terminate_method ()));
  fflush (stdout);
  if (!ptl_platform_read_answer (answer, sizeof answer))
    return false;
  return answer[0] == 'y' || answer[0] == 'Y' || strncmp (answer, yes, strlen (yes)) == 0;
}

/* For the tests only: with PORTOLAN_TEST_PAUSE_BEFORE_KILL=@point the tool
 * stops itself there (SIGSTOP on Linux), so a test can end the owner and put another
 * process in its place between the scan and the signal, then let it go on
 * with SIGCONT. "recheck": before the last look at the port; "signal":
 * after it, right before the signal. */
static void
pause_for_tests (const char *point)
{
  const char *v = getenv ("PORTOLAN_TEST_PAUSE_BEFORE_KILL");

  if (v != NULL && strcmp (v, point) == 0)
    ptl_platform_stop_self ();
}

/* True when @pid still holds a listening socket on the port. */
static bool
still_holds (const KillArgs *a, long pid, uint64_t start_time)
{
  PtlSocketTable t;
  PtlError err;
  bool holds = false;

  if (read_listeners (a, &t, &err) == 0)
    for (size_t i = 0; i < t.len && !holds; i++)
      for (size_t k = 0; k < t.rows[i].n_owners; k++)
        {
          const PtlProcess *p = ptl_socket_owner (&t, &t.rows[i], k);
          holds |= p->pid == pid && p->start_time == start_time;
        }
  ptl_socket_table_clear (&t);
  return holds;
}

static int
end_one (const KillArgs *a, const Target *t)
{
  PtlError err;

  pause_for_tests ("recheck");
  if (!still_holds (a, t->pid, t->start_time))
    {
      printf (_ ("PID %ld (%s) no longer holds port %u or was replaced; not signalled.\n"), t->pid,
              t->name, a->port);
      return CLI_NEGATIVE;
    }
  pause_for_tests ("signal");
  if (ptl_platform_terminate (t->pid, t->start_time, &err) < 0)
    return cli_fail_error (&err) == CLI_NEGATIVE ? CLI_NEGATIVE : CLI_SYSTEM;
  for (int i = 0; i < 30 && ptl_platform_process_alive (t->pid, t->start_time); i++)
    ptl_platform_sleep_ms (100);
  if (ptl_platform_process_alive (t->pid, t->start_time))
    {
      printf (_ ("PID %ld (%s) got %s but is still running after 3 s.\n"), t->pid, t->name,
              _ (ptl_platform_terminate_method ()));
      return CLI_NEGATIVE;
    }
  printf (_ ("Ended PID %ld (%s).\n"), t->pid, t->name);
  return CLI_OK;
}

int
cli_kill (int argc, char **argv)
{
  KillArgs a = { 0 };
  Target targets[MAX_TARGETS];
  size_t n = 0;
  PtlSocketTable t;
  PtlError err;
  int rc, worst = CLI_OK;

  if ((rc = parse_args (argc, argv, &a)) != 0)
    return rc < 0 ? CLI_OK : rc;
  if (read_listeners (&a, &t, &err) < 0)
    {
      ptl_socket_table_clear (&t);
      return cli_fail_error (&err);
    }
  if (t.len == 0)
    {
      ptl_socket_table_clear (&t);
      return a.pid ? cli_fail (CLI_NEGATIVE, "Nothing holds port %u; nothing was ended.", a.port)
                   : cli_fail (CLI_NEGATIVE, "Nothing listens on port %u; nothing to end.", a.port);
    }
  if ((rc = collect_targets (&a, &t, targets, &n)) != 0)
    {
      ptl_socket_table_clear (&t);
      return rc;
    }
  if (!a.yes && !ptl_platform_stdin_is_terminal ())
    {
      ptl_socket_table_clear (&t);
      return cli_fail (CLI_USAGE, "Refusing to end processes without confirmation: stdin is not "
                                  "a terminal, so pass --yes.");
    }
  show_plan (&a, &t);
  ptl_socket_table_clear (&t);
  if (!a.yes && !confirm (n))
    return fputs (_ ("Nothing was ended.\n"), stdout) < 0 ? CLI_SYSTEM : CLI_NEGATIVE;
  for (size_t i = 0; i < n; i++)
    if ((rc = end_one (&a, &targets[i])) > worst)
      worst = rc;
  return worst;
}
