/* portolan-label-dump.c: PORTOLAN_DUMP_LABELS, see the header. */
#include "config.h"

#include "portolan-label-dump.h"

#define DUMP_TICK_MS 250
#define DUMP_STEADY_TICKS 4 /* one second without change */

typedef struct
{
  GtkApplication *app;
  char *path;
  char *last;
  guint steady;
  guint linger;
  gint64 deadline;
} DumpJob;

static void
append_text (GString *out, const char *text)
{
  if (text == NULL || text[0] == '\0')
    return;
  for (const char *p = text; *p; p++)
    g_string_append_c (out, *p == '\n' || *p == '\r' ? ' ' : *p);
  g_string_append_c (out, '\n');
}

static void
collect (GtkWidget *w, GString *out, gboolean *busy)
{
  if (!gtk_widget_get_mapped (w))
    return;
  if (GTK_IS_LABEL (w))
    append_text (out, gtk_label_get_text (GTK_LABEL (w)));
  else if (GTK_IS_INSCRIPTION (w))
    append_text (out, gtk_inscription_get_text (GTK_INSCRIPTION (w)));
  else if (GTK_IS_SPINNER (w) && gtk_spinner_get_spinning (GTK_SPINNER (w)))
    *busy = TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect (c, out, busy);
}

char *
portolan_label_dump_collect (GtkWidget *root)
{
  GString *out = g_string_new (NULL);
  gboolean busy = FALSE;

  collect (root, out, &busy);
  return g_string_free (out, FALSE);
}

static gboolean
settled (DumpJob *job, GtkWidget *win, char **text)
{
  GString *out = g_string_new (NULL);
  gboolean busy = FALSE;

  collect (win, out, &busy);
  *text = g_string_free (out, FALSE);
  if (busy || (*text)[0] == '\0' || g_strcmp0 (*text, job->last) != 0)
    job->steady = 0;
  else
    job->steady++;
  g_free (job->last);
  job->last = g_strdup (*text);
  return job->steady >= DUMP_STEADY_TICKS;
}

static gboolean
quit_later (gpointer data)
{
  g_application_quit (G_APPLICATION (data));
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static gboolean
dump_tick (gpointer data)
{
  DumpJob *job = data;
  GtkWindow *win = gtk_application_get_active_window (job->app);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  gboolean late = g_get_monotonic_time () > job->deadline;

  if (win == NULL || (!settled (job, GTK_WIDGET (win), &text) && !late))
    return G_SOURCE_CONTINUE;
  if (late)
    g_printerr ("portolan: the window did not settle; writing what it shows now\n");
  if (!g_file_set_contents (job->path, text ? text : "", -1, &error))
    g_printerr ("portolan: cannot write %s: %s\n", job->path, error->message);
  /* PORTOLAN_DUMP_LABELS_LINGER=SECONDS keeps the window up a while after
   * (for a screenshot). */
  g_timeout_add_seconds (job->linger, quit_later, g_object_ref (job->app));
  return G_SOURCE_REMOVE;
}

static void
dump_job_free (gpointer data)
{
  DumpJob *job = data;

  g_free (job->path);
  g_free (job->last);
  g_free (job);
}

void
portolan_label_dump_setup (GtkApplication *app)
{
  const char *path = g_getenv ("PORTOLAN_DUMP_LABELS");
  const char *timeout = g_getenv ("PORTOLAN_DUMP_LABELS_TIMEOUT");
  const char *linger = g_getenv ("PORTOLAN_DUMP_LABELS_LINGER");
  DumpJob *job;

  if (path == NULL || path[0] == '\0')
    return;
  job = g_new0 (DumpJob, 1);
  job->app = app;
  job->path = g_strdup (path);
  job->linger = linger ? (guint) g_ascii_strtoull (linger, NULL, 10) : 0;
  job->deadline = g_get_monotonic_time ()
                  + (timeout ? g_ascii_strtoll (timeout, NULL, 10) : 120) * G_USEC_PER_SEC;
  g_timeout_add_full (G_PRIORITY_LOW, DUMP_TICK_MS, dump_tick, job, dump_job_free);
}
