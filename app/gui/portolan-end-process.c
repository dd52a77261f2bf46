/* portolan-end-process.c: ending the owner of a port, safely. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-admin.h"
#include "portolan-end-process.h"
#include "portolan-window.h"
#include "ptl-platform.h"

typedef struct
{
  guint port;
  long pid;
  guint64 start_time;
  char *name;
  GtkWindow *parent;
  GtkWidget *widget;
  PortolanEndedFunc done;
  /* Another user's process: portolan-cli ends it as root, through pkexec,
   * after checking everything again itself. */
  gboolean as_admin;
} EndJob;

static void
end_job_free (EndJob *job)
{
  g_free (job->name);
  g_clear_object (&job->parent);
  g_clear_object (&job->widget);
  g_free (job);
}

const char *
portolan_end_process_refusal (long pid)
{
  if (pid <= 1 || pid == 4)
    return _ ("Portolan never ends this process: it is part of the operating system.");
  if (pid == ptl_platform_self_pid ())
    return _ ("This is Portolan itself.");
  /* The platform's own list: on Windows the critical processes too. */
  if (ptl_platform_pid_is_protected (pid, NULL))
    return _ ("Portolan never ends this process: the operating system cannot run without it.");
  return NULL;
}

/* True when @job's process still holds a socket on the port. */
static gboolean
still_holds (const EndJob *job)
{
  PtlSocketFilter f;
  PtlSocketTable t;
  gboolean holds = FALSE;

  ptl_socket_filter_init (&f);
  f.port_first = f.port_last = job->port;
  ptl_socket_table_init (&t);
  if (ptl_platform_read_sockets (&f, &t, NULL) == 0 && ptl_platform_find_owners (&t, NULL) == 0)
    for (size_t i = 0; i < t.len && !holds; i++)
      for (size_t k = 0; k < t.rows[i].n_owners; k++)
        {
          const PtlProcess *p = ptl_socket_owner (&t, &t.rows[i], k);
          holds |= p->pid == job->pid && p->start_time == job->start_time;
        }
  ptl_socket_table_clear (&t);
  return holds;
}

/* Cancelling the authentication ends the attempt without a word. */
static void
end_as_admin (GTask *task, EndJob *job)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *said = NULL;

  if (portolan_admin_end_process (job->port, job->pid, job->start_time, &said, &error))
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_DISMISSED))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", error->message);
  else if (g_error_matches (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_UNAVAILABLE))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _ ("%s\n\nIn a terminal, “sudo %s kill %u --pid %ld” ends it after "
                                "the same checks."),
                             error->message, portolan_admin_helper_path (), job->port, job->pid);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", error->message);
}

static void
end_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  EndJob *job = task_data;
  PtlError err = { 0 };

  if (job->as_admin)
    {
      end_as_admin (task, job);
      return;
    }
  if (!still_holds (job))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _ ("%s (PID %ld) no longer holds port %u, or it was replaced by "
                                  "another process. Nothing was ended."),
                               job->name, job->pid, job->port);
      return;
    }
  if (ptl_platform_terminate (job->pid, job->start_time, &err) < 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
      return;
    }
  for (int i = 0; i < 30 && ptl_platform_process_alive (job->pid, job->start_time); i++)
    ptl_platform_sleep_ms (100);
  if (ptl_platform_process_alive (job->pid, job->start_time))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             _ ("%s (PID %ld) was asked to end but is still running after 3 "
                                "seconds."),
                             job->name, job->pid);
  else
    g_task_return_boolean (task, TRUE);
}

static void
show_message (GtkWindow *parent, const char *title, const char *text)
{
  GtkWidget *dialog
      = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                GTK_MESSAGE_INFO, GTK_BUTTONS_CLOSE, "%s", title);

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", text);
  gtk_window_set_title (GTK_WINDOW (dialog), title);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
end_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  EndJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;

  /* Success is news, not a question: a notice in the window that fades,
   * not a second modal dialog. */
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      title = g_strdup_printf (_ ("%s (PID %ld) has ended. It no longer holds port %u."), job->name,
                               job->pid, job->port);
      portolan_show_notice (GTK_WIDGET (job->parent), title);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    show_message (job->parent, _ ("The process was not ended"), error->message);
  if (job->done)
    job->done (job->widget);
}

static void
confirm_response_cb (GtkDialog *dialog, int response, EndJob *job)
{
  g_autoptr (GTask) task = NULL;

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response != GTK_RESPONSE_ACCEPT)
    {
      end_job_free (job);
      return;
    }
  task = g_task_new (NULL, NULL, end_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) end_job_free);
  g_task_run_in_thread (task, end_thread);
}

void
portolan_end_process_ask (GtkWidget *parent, guint port, const PtlProcess *proc,
                          PortolanEndedFunc done)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (parent));
  const char *refusal = portolan_end_process_refusal (proc->pid);
  GtkWidget *dialog, *button;
  EndJob *job;

  if (refusal)
    {
      g_autofree char *title
          = g_strdup_printf (_ ("%s (PID %ld) cannot be ended"), proc->name, proc->pid);
      show_message (window, title, refusal);
      return;
    }
  job = g_new0 (EndJob, 1);
  *job = (EndJob){ port,
                   proc->pid,
                   proc->start_time,
                   g_strdup (proc->name),
                   g_object_ref (window),
                   g_object_ref (parent),
                   done,
                   portolan_admin_way () == PTL_ELEVATION_HELPER
                       && !ptl_platform_may_terminate (proc->pid) };
  dialog = gtk_message_dialog_new (window, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE, _ ("End %s (PID %ld)?"),
                                   proc->name, proc->pid);
  if (job->as_admin)
    gtk_message_dialog_format_secondary_text (
        GTK_MESSAGE_DIALOG (dialog),
        _ ("It holds port %u and belongs to another user, so ending it needs administrator "
           "rights, which Portolan asks for. Then portolan-cli checks again, as administrator, "
           "that it still holds the port and is the same process, and asks it to stop "
           "(SIGTERM). Unsaved work in it may be lost."),
        port);
  else
    gtk_message_dialog_format_secondary_text (
        GTK_MESSAGE_DIALOG (dialog),
        _ ("It holds port %u. Portolan asks it to stop (SIGTERM) after checking that it still "
           "holds the port and is the same process. Unsaved work in it may be lost."),
        port);
  {
    /* A dialog is named by its title for assistive technology. */
    g_autofree char *name = g_strdup_printf (_ ("End %s (PID %ld)?"), proc->name, proc->pid);
    gtk_window_set_title (GTK_WINDOW (dialog), name);
  }
  gtk_dialog_add_button (GTK_DIALOG (dialog), _ ("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _ ("_End Process"), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response_cb), job);
  gtk_window_present (GTK_WINDOW (dialog));
}
