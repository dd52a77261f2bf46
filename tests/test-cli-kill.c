/* test-cli-kill.c: `portolan-cli kill` must never hit the wrong process.
 *
 * - It refuses PID 1 and itself: the CLI is made the owner of a listener
 *   (an inherited fd), once as itself and once as PID 1 of a new PID
 *   namespace (root only).
 * - Without a terminal and without --yes it ends nothing; nor when the
 *   owner is hidden (the CLI as nobody, the listener root's).
 * - A process that takes over the port, and if we can arrange it the PID,
 *   between the scan and the signal survives. The CLI stops itself at a
 *   test-only point (PORTOLAN_TEST_PAUSE_BEFORE_KILL); we end the owner,
 *   fork until a child gets the owner's PID (the PID space is small enough
 *   to wrap in seconds when pid_max is 32768; otherwise any PID will do, and
 *   the test says so), let that child listen on the port, and let the CLI
 *   go on. The same with --pid and --start-time, as the desktop app passes
 *   them through pkexec: the CLI checks again itself.
 * - --pid ends that process only, also when it holds the port through a
 *   connection; a wrong start time, a PID without the port and bad values
 *   end nothing.
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "ptl-test-util.h"

/* A loopback TCP listener on a kernel-chosen port, inheritable by children. */
static int
inheritable_listener (guint *port)
{
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof a;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &a, sizeof a), ==, 0);
  g_assert_cmpint (listen (fd, 4), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &a, &len), ==, 0);
  *port = ntohs (a.sin_port);
  return fd;
}

/* Runs @prefix + the CLI + @args with the listener @fd open in it (and
 * closed here once it runs); returns the exit code and the stderr text. */
static int
run_cli_holding (const char *const *prefix, int fd, const char *const *args, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  GError *error = NULL;
  GPid pid;
  int err_fd, status;
  g_autoptr (GString) text = g_string_new (NULL);
  char buf[512];
  ssize_t n;

  for (guint i = 0; prefix && prefix[i]; i++)
    g_ptr_array_add (argv, (gpointer) prefix[i]);
  g_ptr_array_add (argv, (gpointer) ptl_test_cli_path ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_LEAVE_DESCRIPTORS_OPEN
                                | G_SPAWN_STDOUT_TO_DEV_NULL,
                            NULL, NULL, &pid, NULL, NULL, &err_fd, &error);
  g_assert_no_error (error);
  close (fd);
  while ((n = read (err_fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (text, buf, n);
  close (err_fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  *err = g_strdup (text->str);
  g_test_message ("kill -> status %d, stderr: %s", status, *err);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_refuse_self (void)
{
  guint port;
  int fd = inheritable_listener (&port);
  g_autofree char *port_arg = g_strdup_printf ("%u", port), *err = NULL;

  g_assert_cmpint (
      run_cli_holding (NULL, fd, (const char *const[]){ "kill", port_arg, "--yes", NULL }, &err),
      ==, 3);
  g_assert_nonnull (strstr (err, "it is this tool"));
}

/* Why `unshare @prefix true` cannot run here, or NULL when it can. In a
 * chroot (and some containers) "/" is not a mount point, so --mount-proc
 * cannot make the new mount namespace private and unshare fails. */
static char *
unshare_refusal (const char *const *prefix)
{
  const char *argv[8];
  g_autofree char *err = NULL;
  GError *error = NULL;
  guint n = 0;
  int status = 0;

  for (; prefix[n] != NULL && n < G_N_ELEMENTS (argv) - 2; n++)
    argv[n] = prefix[n];
  argv[n++] = "true";
  argv[n] = NULL;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                     &status, &error))
    return g_strdup_printf ("cannot run unshare: %s", error->message);
  if (g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_strdup_printf ("unshare --pid --fork --mount-proc cannot run here (a chroot, where / is "
                          "not a mount point?): %s",
                          g_strstrip (err));
}

static void
test_refuse_pid1 (void)
{
  const char *prefix[] = { NULL, "--pid", "--fork", "--mount-proc", NULL };
  g_autofree char *unshare = g_find_program_in_path ("unshare"), *port_arg = NULL, *err = NULL;
  g_autofree char *reason = NULL;
  guint port;
  int fd;

  if (geteuid () != 0 || unshare == NULL)
    {
      g_test_skip (geteuid () != 0 ? "making the CLI PID 1 of a PID namespace needs root"
                                   : "unshare (util-linux) is not installed");
      return;
    }
  prefix[0] = unshare;
  if ((reason = unshare_refusal (prefix)) != NULL)
    {
      g_test_skip (reason);
      return;
    }
  fd = inheritable_listener (&port);
  port_arg = g_strdup_printf ("%u", port);
  /* In the new namespace the CLI is PID 1 and owns the listener. */
  g_assert_cmpint (
      run_cli_holding (prefix, fd, (const char *const[]){ "kill", port_arg, "--yes", NULL }, &err),
      ==, 3);
  g_assert_nonnull (strstr (err, "Refusing to end PID 1 "));
}

static void
test_refuse_without_terminal (void)
{
  g_autoptr (PtlTestHolder) h = ptl_test_holder_start ("tcp4-listen");
  g_autofree char *port_arg = g_strdup_printf ("%u", ptl_test_holder_port (h, "tcp4-listen"));
  g_autofree char *out = NULL, *err = NULL;

  /* stdin is /dev/null here */
  g_assert_cmpint (ptl_test_cli_run (&out, &err, "kill", port_arg), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "--yes"));
  g_usleep (200 * 1000);
  g_assert_true (ptl_test_holder_alive (h));
}

/* As nobody, root's listener has a hidden owner: nothing to identify, so
 * nothing is ended (and nobody could not end it anyway). */
static void
test_refuse_hidden_owner (void)
{
  g_autofree char *reason = ptl_test_nobody_skip_reason ();
  g_autoptr (PtlTestHolder) h = NULL;
  g_autofree char *port_arg = NULL, *out = NULL, *err = NULL;
  PtlTestCliCtx ctx = { ptl_test_nobody_prefix (), NULL };

  if (reason != NULL)
    {
      g_test_skip (reason);
      return;
    }
  h = ptl_test_holder_start ("tcp4-listen");
  port_arg = g_strdup_printf ("%u", ptl_test_holder_port (h, "tcp4-listen"));
  g_assert_cmpint (ptl_test_cli_runv (
                       &ctx, (const char *const[]){ "kill", port_arg, "--yes", NULL }, &out, &err),
                   ==, 3);
  g_test_message ("kill as nobody -> %s", err);
  g_assert_nonnull (strstr (err, "owner hidden: needs root"));
  g_assert_null (strstr (out, "Ended"));
  g_usleep (200 * 1000);
  g_assert_true (ptl_test_holder_alive (h));
}

/* ---- a newcomer between the scan and the signal ------------------------------- */

typedef struct
{
  GPid pid;
  int ctl; /* closing it ends the newcomer */
  gboolean same_pid;
  guint forks;
} Newcomer;

static G_NORETURN void
newcomer_main (guint port, int ready, int ctl, int ctl_ours)
{
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int on = 1, fd = socket (AF_INET, SOCK_STREAM, 0);
  char c = 'F';

  close (ctl_ours); /* or EOF never comes */
  a.sin_port = htons ((uint16_t) port);
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (fd >= 0 && bind (fd, (struct sockaddr *) &a, sizeof a) == 0 && listen (fd, 4) == 0)
    c = 'R';
  if (write (ready, &c, 1) != 1 || c != 'R')
    _exit (1);
  while (read (ctl, &c, 1) != 0)
    ;
  _exit (0);
}

static long
pid_max (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/pid_max", &text, NULL, NULL))
    return G_MAXLONG;
  return atol (text);
}

static gboolean
within (pid_t pid, pid_t lo, pid_t hi)
{
  return pid >= lo && pid <= hi;
}

/* Uses up one PID with a child that exits at once; returns it. */
static pid_t
burn_pid (void)
{
  pid_t pid = vfork ();

  if (pid == 0)
    _exit (0);
  if (pid > 0)
    waitpid (pid, NULL, 0);
  return pid;
}

/* Forks until a child gets @want as its PID (at most two trips round the
 * PID space, 20 s), and makes that child listen on @port. When @want does
 * not come back, the last child takes the port with whatever PID it has. */
static void
start_newcomer (GPid want, guint port, Newcomer *nc)
{
  long budget = pid_max () < 70000 ? 2 * pid_max () + 5000 : 0;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  int ready[2], ctl[2];
  char c = 0;

  g_assert_cmpint (pipe2 (ready, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (ctl, O_CLOEXEC), ==, 0);
  for (nc->forks = 1;; nc->forks++)
    {
      gboolean last = nc->forks > budget || g_get_monotonic_time () > deadline;
      pid_t pid;

      /* vfork is cheap: walk the PID counter to just below @want (other
       * processes may take PIDs on the way), then fork for real. */
      if (!last && !within (burn_pid (), want - 3, want - 1))
        continue;
      pid = fork ();

      g_assert_cmpint (pid, >=, 0);
      if (pid == 0 && (getpid () == want || last))
        newcomer_main (port, ready[1], ctl[0], ctl[1]);
      if (pid == 0)
        _exit (0);
      if (pid == want || last)
        {
          nc->pid = pid;
          break;
        }
      waitpid (pid, NULL, 0);
    }
  close (ready[1]);
  close (ctl[0]);
  g_assert_cmpint (read (ready[0], &c, 1), ==, 1);
  close (ready[0]);
  g_assert_cmpint (c, ==, 'R');
  nc->ctl = ctl[1];
  nc->same_pid = nc->pid == want;
  g_test_message ("newcomer PID %d on port %u after %u forks (%s the old owner's PID)", nc->pid,
                  port, nc->forks, nc->same_pid ? "reusing" : "not reusing");
}

/* ---- a thread of another process takes the owner's PID ------------------------- */

typedef struct
{
  pid_t want;
  int release; /* read end: the thread with the wanted TID waits for EOF */
  gboolean hit;
} ThreadHunt;

static void *
hunt_main (void *data)
{
  ThreadHunt *h = data;
  char c;

  if (gettid () != h->want)
    return NULL;
  h->hit = TRUE;
  while (read (h->release, &c, 1) != 0)
    ;
  return NULL;
}

/* Starts threads in this process until one gets @want as its TID (PIDs and
 * TIDs are one number space); it stays until @h->release reaches EOF. */
static gboolean
start_thread_with_tid (ThreadHunt *h, pthread_t *thread)
{
  long budget = 2 * pid_max () + 5000;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (long n = 0; n < budget && g_get_monotonic_time () < deadline; n++)
    {
      if (!within (burn_pid (), h->want - 3, h->want - 1))
        continue;
      g_assert_cmpint (pthread_create (thread, NULL, hunt_main, h), ==, 0);
      for (int spin = 0; spin < 1000 && !h->hit && pthread_tryjoin_np (*thread, NULL) == EBUSY;
           spin++)
        g_usleep (100);
      if (h->hit)
        return TRUE;
    }
  return FALSE;
}

static gboolean
wait_status (GPid pid, int flags, int *status, guint ms)
{
  for (guint waited = 0; waited <= ms; waited += 10)
    {
      if (waitpid (pid, status, flags | WNOHANG) == pid)
        return TRUE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}

static char *
read_all (int fd)
{
  GString *s = g_string_new (NULL);
  char buf[4096];
  ssize_t n;

  while ((n = read (fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (s, buf, n);
  close (fd);
  return g_string_free (s, FALSE);
}

static GPid
spawn_paused_cli (const char *point, const char *const *args, int *out_fd, int *err_fd)
{
  g_auto (GStrv) env
      = g_environ_setenv (g_get_environ (), "PORTOLAN_TEST_PAUSE_BEFORE_KILL", point, TRUE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  GError *error = NULL;
  int status;
  GPid pid;

  g_ptr_array_add (argv, (gpointer) ptl_test_cli_path ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, out_fd, err_fd, &error);
  g_assert_no_error (error);
  if (!wait_status (pid, WUNTRACED, &status, 20000))
    g_error ("portolan-cli kill did not reach the pause point \"%s\"", point);
  if (!WIFSTOPPED (status))
    g_error ("portolan-cli kill ended (status %d) before the pause point \"%s\"", status, point);
  return pid;
}

typedef struct
{
  const char *point;
  gboolean with_pid; /* --pid OWNER --start-time T, as the app passes through pkexec */
} NewcomerCase;

static void
test_newcomer (gconstpointer data)
{
  const NewcomerCase *c = data;
  const char *point = c->point;
  PtlTestHolder *owner = ptl_test_holder_start ("tcp4-listen");
  guint port = ptl_test_holder_port (owner, "tcp4-listen");
  g_autofree char *port_arg = g_strdup_printf ("%u", port), *out = NULL, *err = NULL;
  g_autofree char *pid_arg = g_strdup_printf ("%d", owner->pid);
  g_autofree char *start_arg
      = g_strdup_printf ("%" G_GUINT64_FORMAT, ptl_test_proc_start_time (owner->pid));
  const char *plain[] = { "kill", port_arg, "--yes", NULL };
  const char *by_pid[]
      = { "kill", port_arg, "--yes", "--pid", pid_arg, "--start-time", start_arg, NULL };
  GPid old_pid = owner->pid, cli;
  Newcomer nc = { 0 };
  int out_fd, err_fd, cli_status, status;

  cli = spawn_paused_cli (point, c->with_pid ? by_pid : plain, &out_fd, &err_fd);
  /* The scan is done. End the owner; a newcomer takes the port (and PID). */
  ptl_test_holder_free (owner);
  start_newcomer (old_pid, port, &nc);
  kill (cli, SIGCONT);
  g_assert_true (wait_status (cli, 0, &cli_status, 30000));
  g_spawn_close_pid (cli);
  out = read_all (out_fd);
  err = read_all (err_fd);
  g_test_message ("paused at \"%s\"; kill -> status %d\nstdout: %s\nstderr: %s", point, cli_status,
                  out, err);
  /* The newcomer lives; the CLI says it sent nothing. */
  g_assert_cmpint (waitpid (nc.pid, &status, WNOHANG), ==, 0);
  g_assert_true (WIFEXITED (cli_status));
  g_assert_cmpint (WEXITSTATUS (cli_status), ==, 1);
  g_assert_true (strstr (out, "not signalled") != NULL || strstr (err, "nothing was sent") != NULL);
  g_assert_null (strstr (out, "Ended PID"));
  close (nc.ctl);
  g_assert_cmpint (waitpid (nc.pid, &status, 0), ==, nc.pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* Bad --pid and --start-time values and combinations: exit 2, one
 * sentence, nothing on stdout, nothing ended. */
static void
test_pid_bad_arguments (void)
{
  g_autoptr (PtlTestHolder) h = ptl_test_holder_start ("tcp4-listen");
  g_autofree char *port_arg = g_strdup_printf ("%u", ptl_test_holder_port (h, "tcp4-listen"));
  g_autofree char *pid_arg = g_strdup_printf ("%d", h->pid);
  const char *const cases[][4] = {
    { "--start-time", "5", NULL }, /* a start time without its PID */
    { "--pid", "0", NULL },        /* no such PID */
    { "--pid", "-3", NULL },       /* negative */
    { "--pid", "12x", NULL },      /* not a number */
    { "--pid", "4194305", NULL },  /* above any pid_max */
    { "--pid", NULL },             /* no value */
    { "--pid", pid_arg, "--start-time", "0" },
    { "--pid", pid_arg, "--start-time", "18446744073709551616" }, /* 2^64 */
    { "--pid", pid_arg, "--start-time", "" },
    { "--pid", pid_arg, "--start-time", "1e9" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) args = g_ptr_array_new ();
      g_autofree char *out = NULL, *err = NULL;

      g_ptr_array_add (args, "kill");
      g_ptr_array_add (args, port_arg);
      g_ptr_array_add (args, "--yes");
      for (guint k = 0; k < 4 && cases[i][k]; k++)
        g_ptr_array_add (args, (gpointer) cases[i][k]);
      g_ptr_array_add (args, NULL);
      g_assert_cmpint (ptl_test_cli_runv (NULL, (const char *const *) args->pdata, &out, &err), ==,
                       2);
      g_test_message ("case %u: %s", i, err);
      g_assert_cmpstr (out, ==, "");
      g_assert_true (g_str_has_prefix (err, "portolan-cli: "));
      g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
    }
  g_usleep (200 * 1000);
  g_assert_true (ptl_test_holder_alive (h));
}

/* A start time that is not the process's, and a PID that does not hold
 * the port: exit 1, nothing ended. */
static void
test_pid_mismatch (void)
{
  g_autoptr (PtlTestHolder) h = ptl_test_holder_start ("tcp4-listen");
  g_autoptr (PtlTestHolder) other = ptl_test_holder_start ("udp4");
  g_autofree char *port_arg = g_strdup_printf ("%u", ptl_test_holder_port (h, "tcp4-listen"));
  g_autofree char *pid_arg = g_strdup_printf ("%d", h->pid);
  g_autofree char *other_arg = g_strdup_printf ("%d", other->pid);
  g_autofree char *wrong_start
      = g_strdup_printf ("%" G_GUINT64_FORMAT, ptl_test_proc_start_time (h->pid) + 1);
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;

  g_assert_cmpint (ptl_test_cli_run (&out, &err, "kill", port_arg, "--yes", "--pid", pid_arg,
                                     "--start-time", wrong_start),
                   ==, 1);
  g_test_message ("wrong start time -> %s", err);
  g_assert_nonnull (strstr (err, "nothing was ended"));
  g_assert_null (strstr (out, "Ended"));
  g_assert_cmpint (ptl_test_cli_run (&out2, &err2, "kill", port_arg, "--yes", "--pid", other_arg),
                   ==, 1);
  g_test_message ("PID without the port -> %s", err2);
  g_assert_nonnull (strstr (err2, "holds no socket on port"));
  g_usleep (200 * 1000);
  g_assert_true (ptl_test_holder_alive (h));
  g_assert_true (ptl_test_holder_alive (other));
}

/* --pid with the right start time ends that process, also when it holds
 * the port only through a connection (the client end of a pair), where
 * plain kill finds no listener. */
static void
test_pid_ends_connection_holder (void)
{
  g_autoptr (PtlTestHolder) h = ptl_test_holder_start ("tcp4-pair");
  g_autofree char *client_port
      = g_strdup_printf ("%u", ptl_test_holder_client_port (h, "tcp4-pair"));
  g_autofree char *pid_arg = g_strdup_printf ("%d", h->pid);
  g_autofree char *start
      = g_strdup_printf ("%" G_GUINT64_FORMAT, ptl_test_proc_start_time (h->pid));
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;

  g_assert_cmpint (ptl_test_cli_run (&out, &err, "kill", client_port, "--yes"), ==, 1);
  g_assert_nonnull (strstr (err, "Nothing listens"));
  g_assert_true (ptl_test_holder_alive (h));
  g_assert_cmpint (ptl_test_cli_run (&out2, &err2, "kill", client_port, "--yes", "--pid", pid_arg,
                                     "--start-time", start),
                   ==, 0);
  g_test_message ("kill --pid -> %s", out2);
  g_assert_nonnull (strstr (out2, "ESTABLISHED"));
  g_assert_nonnull (strstr (out2, "Ended PID"));
  g_assert_true (ptl_test_holder_wait (h, 5000));
}

/* The owner ends and its PID goes to a thread of another process (this
 * test's) before the signal: the pidfd cannot be opened for a thread, and
 * the CLI must say the process it checked is gone (exit 1), not fail. */
static void
test_thread_takes_pid (void)
{
  PtlTestHolder *owner;
  g_autofree char *port_arg = NULL, *out = NULL, *err = NULL;
  ThreadHunt hunt = { 0 };
  pthread_t thread;
  int out_fd, err_fd, cli_status, release[2];
  GPid cli;

  if (pid_max () >= 70000)
    {
      g_test_skip ("pid_max is too large to hand the PID to a thread within 20 s");
      return;
    }
  owner = ptl_test_holder_start ("tcp4-listen");
  port_arg = g_strdup_printf ("%u", ptl_test_holder_port (owner, "tcp4-listen"));
  hunt.want = owner->pid;
  cli = spawn_paused_cli ("signal", (const char *[]){ "kill", port_arg, "--yes", NULL }, &out_fd,
                          &err_fd);
  ptl_test_holder_free (owner);
  g_assert_cmpint (pipe2 (release, O_CLOEXEC), ==, 0);
  hunt.release = release[0];
  if (!start_thread_with_tid (&hunt, &thread))
    {
      kill (cli, SIGKILL);
      waitpid (cli, NULL, 0);
      g_test_skip ("no thread got the old owner's PID within 20 s (other processes took it)");
      return;
    }
  kill (cli, SIGCONT);
  g_assert_true (wait_status (cli, 0, &cli_status, 30000));
  g_spawn_close_pid (cli);
  out = read_all (out_fd);
  err = read_all (err_fd);
  g_test_message ("thread %d has the old owner's PID; kill -> status %d\nstdout: %s\nstderr: %s",
                  hunt.want, cli_status, out, err);
  close (release[1]);
  g_assert_cmpint (pthread_join (thread, NULL), ==, 0);
  close (release[0]);
  g_assert_true (WIFEXITED (cli_status));
  g_assert_cmpint (WEXITSTATUS (cli_status), ==, 1);
  g_assert_nonnull (strstr (err, "nothing was sent"));
}

int
main (int argc, char **argv)
{
  static const NewcomerCase recheck = { "recheck", FALSE }, signal = { "signal", FALSE };
  static const NewcomerCase recheck_pid = { "recheck", TRUE }, signal_pid = { "signal", TRUE };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portolan/cli/kill/refuse-self", test_refuse_self);
  g_test_add_func ("/portolan/cli/kill/refuse-pid1", test_refuse_pid1);
  g_test_add_func ("/portolan/cli/kill/refuse-without-terminal", test_refuse_without_terminal);
  g_test_add_func ("/portolan/cli/kill/refuse-hidden-owner", test_refuse_hidden_owner);
  g_test_add_data_func ("/portolan/cli/kill/newcomer-before-recheck", &recheck, test_newcomer);
  g_test_add_data_func ("/portolan/cli/kill/newcomer-before-signal", &signal, test_newcomer);
  g_test_add_data_func ("/portolan/cli/kill/pid-newcomer-before-recheck", &recheck_pid,
                        test_newcomer);
  g_test_add_data_func ("/portolan/cli/kill/pid-newcomer-before-signal", &signal_pid,
                        test_newcomer);
  g_test_add_func ("/portolan/cli/kill/pid-bad-arguments", test_pid_bad_arguments);
  g_test_add_func ("/portolan/cli/kill/pid-mismatch", test_pid_mismatch);
  g_test_add_func ("/portolan/cli/kill/pid-ends-connection-holder",
                   test_pid_ends_connection_holder);
  g_test_add_func ("/portolan/cli/kill/thread-takes-pid", test_thread_takes_pid);

  return g_test_run ();
}
