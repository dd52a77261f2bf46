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

/* EnumServicesStatusExW fills at most 256 KB per call. */
#define PTL_WIN32_SERVICES_CHUNK (256u * 1024u)

typedef struct
{
  DWORD pid;
  char name[128];
} ServiceEntry;

struct PtlWin32Services
{
  ServiceEntry *list;
  size_t count, cap;
};

/* Copies what one call returned: its strings live in the call's buffer. */
static bool
services_append (PtlWin32Services *s, const ENUM_SERVICE_STATUS_PROCESSW *got, DWORD n)
{
  for (DWORD i = 0; i < n; i++)
    {
      if (s->count == s->cap)
        {
          size_t cap = s->cap ? s->cap * 2 : 64;
          ServiceEntry *grown = realloc (s->list, cap * sizeof *grown);

          if (grown == NULL)
            return false;
          s->list = grown;
          s->cap = cap;
        }
      s->list[s->count].pid = got[i].ServiceStatusProcess.dwProcessId;
      ptl_win32_utf8_into (got[i].lpServiceName, s->list[s->count].name,
                           sizeof s->list[s->count].name);
      s->count++;
    }
  return true;
}

/* One call; false when the list is complete or cannot go on. The resume
 * handle carries the position: ERROR_MORE_DATA means "read on", with the
 * entries that fitted already in the buffer. */
static bool
services_call (SC_HANDLE scm, PtlWin32Services *s, BYTE **buf, DWORD *size, DWORD *resume)
{
  DWORD need = 0, got = 0;
  BOOL ok = EnumServicesStatusExW (scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE, *buf,
                                   *size, &need, &got, resume, NULL);
  BYTE *grown;

  if (!ok && GetLastError () != ERROR_MORE_DATA)
    return false;
  if (!services_append (s, (const ENUM_SERVICE_STATUS_PROCESSW *) *buf, got))
    return false;
  if (ok)
    return false;
  if (got == 0)
    {
      /* Not even one entry fitted: grow to what the next one needs. */
      if (need <= *size || need > PTL_WIN32_SERVICES_CHUNK
          || (grown = realloc (*buf, need)) == NULL)
        return false;
      *buf = grown;
      *size = need;
    }
  return true;
}

PtlWin32Services *
ptl_win32_services_load_chunked (unsigned chunk, unsigned *calls)
{
  SC_HANDLE scm = OpenSCManagerW (NULL, NULL, SC_MANAGER_ENUMERATE_SERVICE);
  PtlWin32Services *s;
  DWORD size = chunk, resume = 0;
  BYTE *buf;
  unsigned n = 0;

  if (scm == NULL)
    return NULL;
  if ((s = calloc (1, sizeof *s)) == NULL || (buf = malloc (size)) == NULL)
    {
      free (s);
      CloseServiceHandle (scm);
      return NULL;
    }
  /* The bound only guards against a service manager that never says done. */
  while (n++ < 100000 && services_call (scm, s, &buf, &size, &resume))
    ;
  free (buf);
  CloseServiceHandle (scm);
  if (calls)
    *calls = n;
  return s;
}

PtlWin32Services *
ptl_win32_services_load (void)
{
  return ptl_win32_services_load_chunked (PTL_WIN32_SERVICES_CHUNK, NULL);
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
ptl_win32_services_count (const PtlWin32Services *services)
{
  return services ? services->count : 0;
}

const char *
ptl_win32_services_at (const PtlWin32Services *services, size_t i, long *pid)
{
  *pid = (long) services->list[i].pid;
  return services->list[i].name;
}

size_t
ptl_win32_services_of (const PtlWin32Services *services, long pid, char *out, size_t size)
{
  size_t found = 0, len = 0;

  out[0] = '\0';
  for (size_t i = 0; services && i < services->count; i++)
    {
      const char *name = services->list[i].name;

      if ((long) services->list[i].pid != pid)
        continue;
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
