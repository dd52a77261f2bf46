/* test-linux-where.c: where a Linux process lives, from the bytes the
 * system gives: the systemd unit and the container in recorded
 * /proc/PID/cgroup files (tests/data/cgroup/, written for these tests),
 * what a relay's arguments say it forwards to, and running an engine's
 * CLI with a time limit.
 */
#define _GNU_SOURCE

#include <glib.h>
#include <string.h>

#include "ptl-linux-private.h"

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "cgroup", name, NULL);
}

static const char *
dash (const char *s)
{
  return s[0] ? s : "-";
}

/* Every line of expected.txt: FILE UNIT USER_UNIT ENGINE ID. */
static void
test_cgroup_files (void)
{
  g_autofree char *list_path = data_path ("expected.txt"), *list = NULL;
  g_auto (GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (list_path, &list, NULL, NULL));
  lines = g_strsplit (list, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto (GStrv) f = NULL;
      g_autofree char *path = NULL, *text = NULL;
      PtlProcess p;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      f = g_strsplit_set (lines[i], " ", -1);
      {
        /* Columns are separated by runs of spaces. */
        g_autoptr (GPtrArray) cols = g_ptr_array_new ();
        for (guint k = 0; f[k]; k++)
          if (f[k][0])
            g_ptr_array_add (cols, f[k]);
        g_assert_cmpuint (cols->len, ==, 5);
        path = data_path (cols->pdata[0]);
        g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
        memset (&p, 0, sizeof p);
        ptl_linux_cgroup_parse (text, &p);
        g_test_message ("%s", (char *) cols->pdata[0]);
        g_assert_cmpstr (dash (p.unit), ==, cols->pdata[1]);
        g_assert_cmpstr (dash (p.user_unit), ==, cols->pdata[2]);
        g_assert_cmpstr (ptl_engine_name (p.container.engine), ==, cols->pdata[3]);
        g_assert_cmpstr (dash (p.container.id), ==, cols->pdata[4]);
        g_assert_cmpstr (p.container.name, ==, "");
      }
      n++;
    }
  g_assert_cmpuint (n, >=, 20);
}

/* A path cut at any byte, or a file of only separators, must not read
 * past its end (run under the sanitizers in CI). */
static void
test_cgroup_truncated (void)
{
  const char *text = "1:name=systemd:/system.slice/docker-"
                     "3f2a9c4b7d1e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a.scope\n";
  size_t len = strlen (text);

  for (size_t cut = 0; cut <= len; cut++)
    {
      g_autofree char *part = g_strndup (text, cut);
      PtlProcess p;

      memset (&p, 0, sizeof p);
      ptl_linux_cgroup_parse (part, &p);
      /* Only the whole id makes a container. */
      g_assert_cmpint (p.container.engine, ==,
                       cut >= len - 1 ? PTL_ENGINE_DOCKER : PTL_ENGINE_NONE);
    }
}

typedef struct
{
  const char *name, *path, *cmdline;
  PtlProto proto;
  const char *address;
  unsigned port;
  PtlEngine engine;
  const char *id, *cname;
} RelayCase;

static void
test_relay_arguments (void)
{
  static const RelayCase cases[] = {
    /* As dockerd 20.10 starts it. */
    { "docker-proxy", "/usr/sbin/docker-proxy",
      "/usr/sbin/docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port 18080 -container-ip "
      "172.17.0.2 -container-port 8080",
      PTL_PROTO_TCP, "172.17.0.2", 8080, PTL_ENGINE_NONE, "", "" },
    { "docker-proxy", "/usr/libexec/docker/docker-proxy",
      "docker-proxy -proto udp -host-ip :: -host-port 5353 -container-ip fd00::2 "
      "-container-port 53",
      PTL_PROTO_UDP, "fd00::2", 53, PTL_ENGINE_NONE, "", "" },
    /* Its name is told by comm or by the path. */
    { "proxy", "/usr/sbin/docker-proxy", "docker-proxy -proto tcp -container-port 80",
      PTL_PROTO_TCP, "", 80, PTL_ENGINE_NONE, "", "" },
    /* conmon names its container. */
    { "conmon", "/usr/bin/conmon",
      "/usr/bin/conmon --api-version 1 -c 3f2a9c4b7d1e -u 3f2a9c4b7d1e -r /usr/bin/crun -n web "
      "--exit-dir /run/libpod/exits",
      0, "", 0, PTL_ENGINE_PODMAN, "3f2a9c4b7d1e", "web" },
    /* Look-alikes are not relays. */
    { "docker-proxyx", "/usr/bin/docker-proxyx", "docker-proxyx -proto tcp", 0, "", 0,
      PTL_ENGINE_NONE, "", "" },
    { "python3", "/usr/bin/python3", "python3 docker-proxy -proto tcp -container-port 1", 0, "", 0,
      PTL_ENGINE_NONE, "", "" },
    /* A flag without its value gives nothing for it. */
    { "docker-proxy", "/usr/sbin/docker-proxy", "docker-proxy -proto tcp -container-ip",
      PTL_PROTO_TCP, "", 0, PTL_ENGINE_NONE, "", "" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const RelayCase *c = &cases[i];
      PtlProcess p;

      memset (&p, 0, sizeof p);
      p.name = (char *) c->name;
      p.path = (char *) c->path;
      p.cmdline = (char *) c->cmdline;
      ptl_linux_relay_parse (&p);
      g_test_message ("case %zu: %s", i, c->cmdline);
      g_assert_cmpint (p.relay.proto, ==, c->proto);
      g_assert_cmpstr (p.relay.address, ==, c->address);
      g_assert_cmpuint (p.relay.port, ==, c->port);
      g_assert_cmpint (p.relay.container.engine, ==, c->engine);
      g_assert_cmpstr (p.relay.container.id, ==, c->id);
      g_assert_cmpstr (p.relay.container.name, ==, c->cname);
    }
}

/* The engine CLIs run with an argument vector and a time limit. */
static void
test_run_program (void)
{
  g_autofree char *sleep_path = g_find_program_in_path ("sleep");
  g_autofree char *printf_path = g_find_program_in_path ("printf");
  char *echo[] = { "printf", "%s\\t%s\\n", "a b", "$(c)", NULL };
  char *slow[] = { "sleep", "10", NULL };
  char *fails[] = { "false", NULL };
  char *missing[] = { "ptl-no-such-program-anywhere", NULL };
  gint64 t0;
  char *out;

  if (sleep_path == NULL || printf_path == NULL)
    {
      g_test_skip ("sleep or printf is not installed");
      return;
    }
  /* Arguments reach the program as they are: no shell expands them. */
  out = ptl_linux_run_program (echo, 2000);
  g_assert_cmpstr (out, ==, "a b\t$(c)\n");
  g_free (out);
  /* Too slow: killed at the limit, no answer. */
  t0 = g_get_monotonic_time ();
  g_assert_null (ptl_linux_run_program (slow, 300));
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 300 * 1000);
  /* Failing or missing: no answer. */
  g_assert_null (ptl_linux_run_program (fails, 2000));
  g_assert_null (ptl_linux_run_program (missing, 2000));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ptl/linux/cgroup/files", test_cgroup_files);
  g_test_add_func ("/ptl/linux/cgroup/truncated", test_cgroup_truncated);
  g_test_add_func ("/ptl/linux/relay/arguments", test_relay_arguments);
  g_test_add_func ("/ptl/linux/engine/run-program", test_run_program);
  return g_test_run ();
}
