/* ptl-win32-owners.c: names, paths and users for the PIDs the socket
 * tables gave, and the services behind svchost.exe. */
#include <windows.h>
#include <tlhelp32.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-win32-private.h"

bool
ptl_win32_snapshot_name (long pid, char *out, size_t size)
{
  HANDLE snap = CreateToolhelp32Snapshot (TH32CS_SNAPPROCESS, 0);
  PROCESSENTRY32W pe;
  bool found = false;

  if (snap == INVALID_HANDLE_VALUE)
    return false;
  pe.dwSize = sizeof pe;
  for (BOOL ok = Process32FirstW (snap, &pe); ok && !found; ok = Process32NextW (snap, &pe))
    if ((long) pe.th32ProcessID == pid)
      {
        ptl_win32_utf8_into (pe.szExeFile, out, size);
        found = true;
      }
  CloseHandle (snap);
  return found;
}

struct PtlWin32Services
{
  ENUM_SERVICE_STATUS_PROCESSW *list;
  DWORD count;
};

PtlWin32Services *
ptl_win32_services_load (void)
{
  SC_HANDLE scm = OpenSCManagerW (NULL, NULL, SC_MANAGER_ENUMERATE_SERVICE);
  PtlWin32Services *s;
  DWORD need = 0, resume = 0;

  if (scm == NULL)
    return NULL;
  if ((s = calloc (1, sizeof *s)) == NULL)
    return CloseServiceHandle (scm), NULL;
  EnumServicesStatusExW (scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE, NULL, 0, &need,
                         &s->count, &resume, NULL);
  s->count = 0;
  if (need > 0 && need < (64u << 20) && (s->list = malloc (need)) != NULL
      && !EnumServicesStatusExW (scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE,
                                 (BYTE *) s->list, need, &need, &s->count, &resume, NULL))
    s->count = 0;
  CloseServiceHandle (scm);
  return s;
}

void
ptl_win32_services_free (PtlWin32Services *services)
{
  if (services == NULL)
    return;
  free (services->list);
  free (services);
}

size_t
ptl_win32_services_of (const PtlWin32Services *services, long pid, char *out, size_t size)
{
  size_t found = 0, len = 0;

  out[0] = '\0';
  for (DWORD i = 0; services && i < services->count; i++)
    {
      char name[128];

      if ((long) services->list[i].ServiceStatusProcess.dwProcessId != pid)
        continue;
      ptl_win32_utf8_into (services->list[i].lpServiceName, name, sizeof name);
      if (len + strlen (name) + 8 >= size)
        {
          snprintf (out + len, size - len, ", \xe2\x80\xa6"); /* ", …" */
          return found + 1;
        }
      len += (size_t) snprintf (out + len, size - len, "%s%s", found ? ", " : "", name);
      found++;
    }
  return found;
}

/* PID → image name for every process, read once per table. */
typedef struct
{
  DWORD pid;
  wchar_t name[MAX_PATH];
} SnapEntry;

static SnapEntry *
snapshot_all (size_t *n)
{
  HANDLE snap = CreateToolhelp32Snapshot (TH32CS_SNAPPROCESS, 0);
  SnapEntry *list = NULL, *grown;
  size_t cap = 0;
  PROCESSENTRY32W pe;

  *n = 0;
  if (snap == INVALID_HANDLE_VALUE)
    return NULL;
  pe.dwSize = sizeof pe;
  for (BOOL ok = Process32FirstW (snap, &pe); ok; ok = Process32NextW (snap, &pe))
    {
      if (*n == cap)
        {
          cap = cap ? cap * 2 : 256;
          if ((grown = realloc (list, cap * sizeof *list)) == NULL)
            break;
          list = grown;
        }
      list[*n].pid = pe.th32ProcessID;
      memcpy (list[*n].name, pe.szExeFile, sizeof list[*n].name);
      (*n)++;
    }
  CloseHandle (snap);
  return list;
}

static const wchar_t *
snapshot_find (const SnapEntry *list, size_t n, long pid)
{
  for (size_t i = 0; i < n; i++)
    if ((long) list[i].pid == pid)
      return list[i].name;
  return NULL;
}

/* Replaces the PID-only entry @p with what the OS tells. */
static int
fill_process (PtlProcess *p, const SnapEntry *snap, size_t n_snap, const PtlWin32Services *services,
              bool *hidden)
{
  const wchar_t *wname = snapshot_find (snap, n_snap, p->pid);
  char name[MAX_PATH];
  PtlProcess full;
  int rc;

  if (wname)
    ptl_win32_utf8_into (wname, name, sizeof name);
  rc = ptl_win32_process_read (p->pid, wname ? name : NULL, services, &full, hidden);
  if (rc == 0 && *hidden && full.name[0] == '\0')
    rc = PTL_EACCES; /* not even a name without elevation */
  if (rc < 0)
    {
      ptl_process_clear (&full);
      return rc;
    }
  ptl_process_clear (p);
  *p = full;
  return 0;
}

static void
explain_row (PtlSocket *s)
{
  if (s->n_owners > 0 || s->owner_note)
    return;
  s->owner_note = s->state == PTL_STATE_TIME_WAIT ? PTL_WIN32_NOTE_TIME_WAIT : PTL_WIN32_NOTE_PID0;
}

/* Rows whose owner exited between the table read and now, or cannot be
 * named without elevation, lose it and say why; the rest take their
 * owner's user, as Windows has no socket uid. @failed holds each process's
 * fill_process code, or DETAILS_HIDDEN: named, but its path and user need
 * elevation, which the row's owner_hidden says. */
#define DETAILS_HIDDEN 1

static void
settle_rows (PtlSocketTable *t, const int *failed)
{
  for (size_t i = 0; i < t->len; i++)
    {
      PtlSocket *s = &t->rows[i];
      int rc = s->n_owners > 0 ? failed[t->owner_links[s->owners_first]] : 0;

      s->owner_hidden = rc == DETAILS_HIDDEN;
      if (rc < 0)
        {
          ptl_socket_table_set_owners (t, i, NULL, 0);
          s->owner_note = rc == PTL_EACCES ? PTL_WIN32_NOTE_HIDDEN : PTL_WIN32_NOTE_GONE;
          s->owner_hidden = rc == PTL_EACCES;
        }
      if (s->n_owners > 0)
        snprintf (s->user, sizeof s->user, "%s", ptl_socket_owner (t, s, 0)->user);
      explain_row (s);
    }
}

int
ptl_platform_find_owners (PtlSocketTable *table, PtlError *err)
{
  size_t n_snap = 0;
  SnapEntry *snap = snapshot_all (&n_snap);
  PtlWin32Services *services = table->n_procs ? ptl_win32_services_load () : NULL;
  int *failed = calloc (table->n_procs + 1, sizeof *failed);
  bool any_hidden = false, privileged = ptl_platform_is_privileged ();

  if (failed == NULL)
    {
      ptl_win32_services_free (services);
      free (snap);
      return ptl_error_set (err, PTL_ENOMEM, "Out of memory.");
    }
  for (size_t i = 0; i < table->n_procs; i++)
    {
      bool hidden = false;

      failed[i] = fill_process (&table->procs[i], snap, n_snap, services, &hidden);
      any_hidden |= hidden;
      if (failed[i] == 0 && hidden && !privileged)
        failed[i] = DETAILS_HIDDEN;
    }
  settle_rows (table, failed);
  if (any_hidden && !privileged)
    ptl_socket_table_add_note (table, PTL_WIN32_NOTE_SOME_HIDDEN);
  ptl_win32_services_free (services);
  free (failed);
  free (snap);
  return 0;
}
