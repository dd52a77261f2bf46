/* test-ui-admin.c: "Show All Owners…" and End Process… on root's process,
 * the app as an unprivileged user against a real polkitd.
 *
 * tests/test-polkit.py runs this program as nobody, inside a mount
 * namespace where its own system bus and polkitd run with the rules of
 * the case, and where the build's portolan-cli sits at the installed path
 * pkexec runs. The listener on PTL_ADMIN_PORT belongs to root (PID
 * PTL_ADMIN_PID), so its owner is hidden from nobody. PTL_ADMIN_CASE:
 *
 * - allow: polkit allows nobody without a password. The banner offers
 *   Show All Owners…; after it the page names the root listener's
 *   process, and so does the Connections view, over refreshes, until Stop
 *   hides it again; the toolbar's button asks again; a range's list offers
 *   the button too and then names the process.
 * - password: the policy's own defaults, with pkttyagent as the agent for
 *   this process (the test answers it with root's password). One
 *   authentication shows the owner in both views and over refreshes
 *   (auth_admin_keep); End Process… then asks once more (auth_admin) and
 *   the root listener ends.
 * - deny: polkit says no. The page stays as it was, with a quiet note,
 *   and no dialog.
 * - cancel: the agent dismisses the request. Nothing changes: no note,
 *   no dialog.
 * - no-pkexec: pkexec is not on PATH. The button explains, in a dialog,
 *   how to see every owner with sudo; nothing else changes.
 * - no-polkit: pkexec is there but polkitd does not run. The same, saying
 *   so.
 * - lapse: after one authentication the test restarts polkitd, which
 *   forgets it (as when polkit's keep time runs out). The next refresh asks
 *   polkit without a prompt, is told it would ask, and turns the view back
 *   with a note; no password is asked.
 *
 * Lines "# STEP name" say where the test is; with PTL_ADMIN_STEP_WAIT set
 * it then waits for a line on stdin (the agent is registered, polkitd
 * restarted, a screenshot taken), and with PTL_ADMIN_STEP_DRAW it first
 * has every window it shows draw two frames. "# READY" comes first.
 */
#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portolan-application.h"
#include "portolan-connections-view.h"
#include "portolan-port-view.h"
#include "portolan-window.h"
#include "ptl-platform.h"
#include "ptl-test-ui.h"

static PortolanApplication *app;
static PortolanWindow *win;
static guint port;
static gint64 holder_pid;

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Runs the main loop for @ms: the window draws what it should show. */
static void
spin_for (guint ms)
{
  ptl_test_ui_wait_data (never, NULL, ms);
}

static void
count_paint (GdkFrameClock *clock, guint *painted)
{
  (*painted)++;
}

typedef struct
{
  guint n;
  guint painted[8];
} Paints;

static gboolean
all_painted_twice (gpointer data)
{
  Paints *p = data;

  for (guint i = 0; i < p->n; i++)
    if (p->painted[i] < 2)
      return FALSE;
  return TRUE;
}

/* Redraws every window shown (the main one and any dialog) and runs the
 * main loop until each has painted twice since: a busy machine can take
 * longer than any fixed pause to draw a frame. */
static void
draw_all_windows (void)
{
  GListModel *tops = gtk_window_get_toplevels ();
  GdkFrameClock *clocks[8];
  gulong ids[8];
  Paints paints = { 0 };

  spin_for (100);
  for (guint i = 0; i < g_list_model_get_n_items (tops) && paints.n < 8; i++)
    {
      g_autoptr (GtkWidget) w = g_list_model_get_item (tops, i);
      GdkFrameClock *clock = gtk_widget_get_frame_clock (w);

      if (!gtk_widget_get_visible (w) || clock == NULL)
        continue;
      clocks[paints.n] = g_object_ref (clock);
      ids[paints.n] = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint),
                                        &paints.painted[paints.n]);
      gtk_widget_queue_draw (w);
      paints.n++;
    }
  if (!ptl_test_ui_wait_data (all_painted_twice, &paints, 10000))
    g_test_message ("a window did not draw within 10 s; the picture may be late");
  for (guint i = 0; i < paints.n; i++)
    {
      g_signal_handler_disconnect (clocks[i], ids[i]);
      g_object_unref (clocks[i]);
    }
}

static void
step (const char *name)
{
  char line[64];

  /* Drawn before a picture is taken: the main loop stops while stdin is
   * read. */
  if (g_getenv ("PTL_ADMIN_STEP_DRAW") != NULL)
    draw_all_windows ();
  g_print ("# STEP %s\n", name);
  fflush (stdout);
  if (g_getenv ("PTL_ADMIN_STEP_WAIT") == NULL)
    return;
  if (fgets (line, sizeof line, stdin) == NULL)
    g_error ("stdin closed at step %s", name);
}

static void
collect_text (GtkWidget *w, GString *out)
{
  if (GTK_IS_LABEL (w) && gtk_widget_get_mapped (w))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (w)));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect_text (c, out);
}

static char *
text_of (GtkWidget *w)
{
  GString *out = g_string_new (NULL);

  collect_text (w, out);
  return g_string_free (out, FALSE);
}

/* Every visible label under @w, shown on screen now or not (a view in the
 * stack's back). */
static void
collect_all_text (GtkWidget *w, GString *out)
{
  if (GTK_IS_LABEL (w) && gtk_widget_get_visible (w))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (w)));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect_all_text (c, out);
}

static GtkWidget *
find_button (GtkWidget *w, const char *label)
{
  if (GTK_IS_BUTTON (w) && gtk_widget_get_mapped (w)
      && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), label) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
port_view (void)
{
  return portolan_window_get_port_view (win);
}

static PortolanConnectionsView *
connections (void)
{
  return PORTOLAN_CONNECTIONS_VIEW (portolan_window_get_connections_view (win));
}

static gboolean
not_busy (gpointer data)
{
  return !portolan_window_get_busy (win);
}

static void
search_port (void)
{
  g_autofree char *text = g_strdup_printf ("%u", port);

  portolan_window_set_view (win, "port");
  portolan_window_search (win, text);
  g_assert_true (ptl_test_ui_wait_data (not_busy, NULL, 20000));
}

static gboolean
page_names_holder (gpointer data)
{
  g_autofree char *text = text_of (port_view ());
  g_autofree char *want = g_strdup_printf ("(PID %" G_GINT64_FORMAT ")", holder_pid);

  return !portolan_window_get_busy (win) && strstr (text, want) != NULL;
}

static gboolean
state_is (gpointer data)
{
  return portolan_window_get_all_owners (win) == (PortolanAllOwners) GPOINTER_TO_INT (data);
}

/* The row of the root listener in the Connections view, or NULL. */
static PortolanSocketRow *
listener_row (void)
{
  GListModel *shown = portolan_connections_view_get_shown (connections ());

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr (PortolanSocketRow) row = g_list_model_get_item (shown, i);

      if (portolan_socket_row_get_local_port (row) == port
          && g_strcmp0 (portolan_socket_row_get_state (row), "LISTEN") == 0)
        return row;
    }
  return NULL;
}

static gboolean
row_pid_is (gpointer data)
{
  PortolanSocketRow *row = listener_row ();

  return row != NULL && portolan_socket_row_get_pid (row) == GPOINTER_TO_INT (data);
}

/* The starting point of every case: the owner hidden, and the button. */
static GtkWidget *
hidden_page_with_button (void)
{
  g_autofree char *text = NULL;
  GtkWidget *button;

  search_port ();
  text = text_of (port_view ());
  g_test_message ("page before:\n%s", text);
  g_assert_nonnull (strstr (text, "Owner hidden: needs root"));
  g_assert_nonnull (strstr (text, "Some owners belong to other users or the system"));
  g_assert_false (page_names_holder (NULL));
  button = find_button (port_view (), "Show _All Owners…");
  g_assert_nonnull (button);
  return button;
}

static void
show_all_owners (void)
{
  GtkWidget *button = hidden_page_with_button ();

  step ("hidden");
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpint (portolan_window_get_all_owners (win), ==, PORTOLAN_ALL_OWNERS_ASKING);
  step ("asking");
  g_assert_true (ptl_test_ui_wait_data (state_is, GINT_TO_POINTER (PORTOLAN_ALL_OWNERS_ON), 30000));
  g_assert_true (ptl_test_ui_wait_data (page_names_holder, NULL, 20000));
  g_assert_null (ptl_test_ui_find_message_dialog ());
  g_assert_nonnull (find_button (port_view (), "_Stop"));
  step ("shown");
}

/* The Connections view shows the owner too, and keeps it over refreshes
 * (owners carried over; hidden ones read without a prompt). */
static void
connections_keep_owner (void)
{
  portolan_connections_view_set_refresh_interval (connections (), 300);
  portolan_window_set_view (win, "connections");
  portolan_connections_view_show_port (connections (), port);
  g_assert_true (ptl_test_ui_wait_data (row_pid_is, GINT_TO_POINTER ((int) holder_pid), 20000));
  step ("connections");
  for (int i = 0; i < 3; i++)
    {
      guint before
          = g_list_model_get_n_items (portolan_connections_view_get_shown (connections ()));

      portolan_connections_view_refresh (connections ());
      ptl_test_ui_wait_data (not_busy, NULL, 2000);
      g_usleep (400 * 1000);
      g_assert_true (ptl_test_ui_wait_data (row_pid_is, GINT_TO_POINTER ((int) holder_pid), 5000));
      g_assert_cmpuint (before, >, 0);
    }
  g_assert_cmpint (portolan_window_get_all_owners (win), ==, PORTOLAN_ALL_OWNERS_ON);
}

static void
show_all_owners_both_views (void)
{
  show_all_owners ();
  connections_keep_owner ();
}

static void
stop_and_toolbar (void)
{
  GtkWidget *stop;

  stop = find_button (GTK_WIDGET (connections ()), "Stop Showing _All Owners");
  g_assert_nonnull (stop);
  g_signal_emit_by_name (stop, "clicked");
  g_assert_cmpint (portolan_window_get_all_owners (win), ==, PORTOLAN_ALL_OWNERS_OFF);
  g_assert_true (ptl_test_ui_wait_data (row_pid_is, GINT_TO_POINTER (0), 20000));
  step ("stopped");
  /* The toolbar's own button asks too, for the whole table. */
  stop = find_button (GTK_WIDGET (connections ()), "Show _All Owners…");
  g_assert_nonnull (stop);
  g_signal_emit_by_name (stop, "clicked");
  g_assert_true (ptl_test_ui_wait_data (state_is, GINT_TO_POINTER (PORTOLAN_ALL_OWNERS_ON), 30000));
  g_assert_true (ptl_test_ui_wait_data (row_pid_is, GINT_TO_POINTER ((int) holder_pid), 20000));
  g_assert_nonnull (find_button (GTK_WIDGET (connections ()), "Stop Showing _All Owners"));
  step ("toolbar");
}

static gboolean
list_names_holder (gpointer data)
{
  g_autofree char *text = text_of (port_view ());
  g_autofree char *want
      = g_strdup_printf ("In use: ptl-test-holder (PID %" G_GINT64_FORMAT ")", holder_pid);

  return !portolan_window_get_busy (win) && strstr (text, want) != NULL;
}

/* A range's list: the same button under its title, for the range's ports. */
static void
range_list (void)
{
  g_autofree char *range = g_strdup_printf ("%u-%u", port - 1, port);
  g_autofree char *text = NULL;
  GtkWidget *button;

  portolan_window_set_view (win, "port");
  portolan_window_search (win, range);
  g_assert_true (ptl_test_ui_wait_data (not_busy, NULL, 20000));
  text = text_of (port_view ());
  g_test_message ("list before:\n%s", text);
  g_assert_nonnull (strstr (text, "In use: owner hidden"));
  g_assert_false (list_names_holder (NULL));
  button = find_button (port_view (), "Show _All Owners…");
  g_assert_nonnull (button);
  step ("range-hidden");
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ptl_test_ui_wait_data (state_is, GINT_TO_POINTER (PORTOLAN_ALL_OWNERS_ON), 30000));
  g_assert_true (ptl_test_ui_wait_data (list_names_holder, NULL, 20000));
  g_assert_nonnull (find_button (port_view (), "_Stop"));
  step ("range-shown");
}

static void
test_allow (void)
{
  show_all_owners_both_views ();
  stop_and_toolbar ();
  g_signal_emit_by_name (find_button (GTK_WIDGET (connections ()), "Stop Showing _All Owners"),
                         "clicked");
  g_assert_cmpint (portolan_window_get_all_owners (win), ==, PORTOLAN_ALL_OWNERS_OFF);
  range_list ();
}

static gboolean
holder_gone_or_dialog (gpointer data)
{
  const char *notice = portolan_window_get_notice (win);

  return (notice != NULL && strstr (notice, "has ended") != NULL)
         || ptl_test_ui_find_message_dialog () != NULL;
}

/* One authentication for reading (kept), one more for ending. */
static void
test_password (void)
{
  GtkWidget *end, *dialog;

  show_all_owners ();
  connections_keep_owner ();
  search_port ();
  g_assert_true (page_names_holder (NULL));
  end = find_button (port_view (), "_End Process…");
  g_assert_nonnull (end);
  g_signal_emit_by_name (end, "clicked");
  dialog = ptl_test_ui_find_message_dialog ();
  g_assert_nonnull (dialog);
  step ("end-confirm");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (ptl_test_ui_wait_data (holder_gone_or_dialog, NULL, 30000));
  if ((dialog = ptl_test_ui_find_message_dialog ()) != NULL)
    {
      g_autofree char *said = text_of (dialog);

      g_error ("End Process… failed:\n%s", said);
    }
  g_test_message ("notice: %s", portolan_window_get_notice (win));
  step ("ended");
}

static gboolean
asked_and_back (gpointer data)
{
  return portolan_window_get_all_owners (win) == PORTOLAN_ALL_OWNERS_OFF;
}

/* The lines of @after that @before does not have, in order. */
static char *
added_lines (const char *before, const char *after)
{
  g_auto (GStrv) a = g_strsplit (before, "\n", -1), b = g_strsplit (after, "\n", -1);
  GString *added = g_string_new (NULL);
  guint i = 0;

  for (guint k = 0; b[k]; k++)
    if (a[i] != NULL && strcmp (a[i], b[k]) == 0)
      i++;
    else
      g_string_append_printf (added, "%s\n", b[k]);
  g_assert_null (a[i]); /* nothing of before went */
  return g_string_free (added, FALSE);
}

/* Refused or dismissed: back to OFF, the page as it was (plus what
 * refused() returns: the lines that came), no dialog. */
static char *
refused (void)
{
  GtkWidget *button = hidden_page_with_button ();
  g_autofree char *before = text_of (port_view ());
  g_autofree char *after = NULL;

  step ("hidden");
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ptl_test_ui_wait_data (asked_and_back, NULL, 30000));
  spin_for (200);
  g_assert_null (ptl_test_ui_find_message_dialog ());
  g_assert_false (page_names_holder (NULL));
  after = text_of (port_view ());
  g_assert_nonnull (find_button (port_view (), "Show _All Owners…"));
  step ("refused");
  return added_lines (before, after);
}

static void
test_deny (void)
{
  g_autofree char *added = refused ();
  g_autoptr (GString) notes = g_string_new (NULL);

  /* The quiet note: one line under the banner, and in the table's notes. */
  g_test_message ("added: %s", added);
  g_assert_true (g_str_has_prefix (added, "Administrator rights were not given ("));
  g_assert_nonnull (strstr (added, "Not authorized"));
  g_assert_cmpuint (strchr (added, '\n') - added, ==, strlen (added) - 1);
  collect_all_text (GTK_WIDGET (connections ()), notes);
  g_assert_nonnull (strstr (notes->str, "Administrator rights were not given"));
}

static void
test_cancel (void)
{
  g_autofree char *added = refused ();

  g_assert_cmpstr (added, ==, "");
}

static gboolean
dialog_shown (void)
{
  return ptl_test_ui_find_message_dialog () != NULL;
}

static void
test_lapse (void)
{
  g_autoptr (GString) notes = g_string_new (NULL);

  show_all_owners ();
  step ("lapse");
  portolan_connections_view_set_refresh_interval (connections (), 300);
  portolan_window_set_view (win, "connections");
  portolan_connections_view_show_port (connections (), port);
  g_assert_true (
      ptl_test_ui_wait_data (state_is, GINT_TO_POINTER (PORTOLAN_ALL_OWNERS_OFF), 30000));
  g_assert_true (ptl_test_ui_wait_data (row_pid_is, GINT_TO_POINTER (0), 20000));
  collect_all_text (GTK_WIDGET (connections ()), notes);
  g_test_message ("connections:\n%s", notes->str);
  g_assert_nonnull (strstr (notes->str, "Administrator rights have lapsed"));
  g_assert_null (ptl_test_ui_find_message_dialog ());
  g_assert_nonnull (find_button (GTK_WIDGET (connections ()), "Show _All Owners…"));
  step ("lapsed");
}

/* No way to administrator rights: a dialog that says why (@why) and gives
 * the sudo command; nothing else changes. */
static void
explained (const char *why)
{
  GtkWidget *button = hidden_page_with_button ();
  g_autofree char *before = text_of (port_view ());
  g_autofree char *said = NULL, *after = NULL;
  GtkWidget *dialog;

  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ptl_test_ui_wait (dialog_shown, 10000));
  dialog = ptl_test_ui_find_message_dialog ();
  said = text_of (dialog);
  g_test_message ("dialog:\n%s", said);
  g_assert_nonnull (strstr (said, "Administrator Rights Are Not Available"));
  g_assert_nonnull (strstr (said, why));
  g_assert_nonnull (strstr (said, "sudo "));
  g_assert_cmpint (portolan_window_get_all_owners (win), ==, PORTOLAN_ALL_OWNERS_OFF);
  step ("explained");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CLOSE);
  after = text_of (port_view ());
  g_assert_cmpstr (after, ==, before);
}

static void
test_no_pkexec (void)
{
  explained ("pkexec, which is not installed here");
}

static void
test_no_polkit (void)
{
  explained ("polkit, which decides who may have administrator rights, is not running here");
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const char *which = g_getenv ("PTL_ADMIN_CASE");
  g_autofree char *path = g_strdup_printf ("/portolan/ui/admin/%s", which ? which : "?");
  int rc;

  gtk_test_init (&argc, &argv, NULL);
  port = (guint) g_ascii_strtoull (g_getenv ("PTL_ADMIN_PORT") ? g_getenv ("PTL_ADMIN_PORT") : "0",
                                   NULL, 10);
  holder_pid
      = g_ascii_strtoll (g_getenv ("PTL_ADMIN_PID") ? g_getenv ("PTL_ADMIN_PID") : "0", NULL, 10);
  g_assert_cmpuint (port, >, 0);
  g_assert_false (ptl_platform_is_privileged ());
  portolan_gui_init ();
  app = portolan_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  win = portolan_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (win), 1100, 760);
  gtk_window_present (GTK_WINDOW (win));
  g_print ("# READY pid=%ld\n", ptl_platform_self_pid ());
  fflush (stdout);
  step ("ready");

  if (g_strcmp0 (which, "allow") == 0)
    g_test_add_func (path, test_allow);
  else if (g_strcmp0 (which, "password") == 0)
    g_test_add_func (path, test_password);
  else if (g_strcmp0 (which, "deny") == 0)
    g_test_add_func (path, test_deny);
  else if (g_strcmp0 (which, "cancel") == 0)
    g_test_add_func (path, test_cancel);
  else if (g_strcmp0 (which, "no-pkexec") == 0)
    g_test_add_func (path, test_no_pkexec);
  else if (g_strcmp0 (which, "no-polkit") == 0)
    g_test_add_func (path, test_no_polkit);
  else if (g_strcmp0 (which, "lapse") == 0)
    g_test_add_func (path, test_lapse);
  else
    g_error ("PTL_ADMIN_CASE is not a case: %s", which ? which : "(unset)");
  rc = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (win));
  g_clear_object (&app);
  return rc;
}
