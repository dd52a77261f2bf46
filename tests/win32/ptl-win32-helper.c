/* ptl-win32-helper: a child process for the Windows tests.
 *
 *   ptl-win32-helper sleep            waits up to 60 s (something to end)
 *   ptl-win32-helper hold             listens on 127.0.0.1, port chosen by
 *                                     the system; prints the port, waits
 *   ptl-win32-helper hold-quiet [6]   the same on 127.0.0.1 (or ::1) without
 *                                     the calls that make Wine report the
 *                                     owner: the row shows PID 0
 *   ptl-win32-helper write-handle HEX writes one byte to handle HEX and
 *                                     prints "wrote" or "failed" (did the
 *                                     parent's pipe reach this process?)
 *   ptl-win32-helper args ...         prints each argument (UTF-8) as hex
 *   ptl-win32-helper print            prints a fixed UTF-8 text
 *
 * Copied as ssh.exe it plays ssh for portolan-cli --host: it prints each
 * argument on a line of its own, then writes $PTL_FAKE_SSH_STDERR to
 * stderr and exits with $PTL_FAKE_SSH_EXIT (0 when unset).
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-platform.h"

/* "é – ü 漢 😀" and a line end: two-, three- and four-byte UTF-8. */
#define HELPER_TEXT "port \xc3\xa9 \xe2\x80\x93 \xc3\xbc \xe6\xbc\xa2 \xf0\x9f\x98\x80\n"

static int
hold (bool wake, bool v6)
{
  struct sockaddr_in6 a6;
  struct sockaddr_in a;
  struct sockaddr *sa = v6 ? (struct sockaddr *) &a6 : (struct sockaddr *) &a;
  int len = v6 ? (int) sizeof a6 : (int) sizeof a;
  DWORD one = 1;
  u_long pending = 0;
  WSADATA data;
  SOCKET s;

  if (WSAStartup (MAKEWORD (2, 2), &data) != 0)
    return 3;
  s = socket (v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  memset (&a, 0, sizeof a);
  memset (&a6, 0, sizeof a6);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  a6.sin6_family = AF_INET6;
  a6.sin6_addr = in6addr_loopback;
  if (s == INVALID_SOCKET || bind (s, sa, len) != 0 || listen (s, 4) != 0
      || getsockname (s, sa, &len) != 0)
    return 3;
  /* Wine 8 reports a socket's owner only after a call like these on it. */
  if (wake)
    {
      setsockopt (s, SOL_SOCKET, SO_KEEPALIVE, (const char *) &one, sizeof one);
      ioctlsocket (s, FIONREAD, &pending);
    }
  printf ("%u\n", ntohs (v6 ? a6.sin6_port : a.sin_port));
  fflush (stdout);
  Sleep (60000);
  return 0;
}

/* Started as "ssh" or "...\\ssh.exe" (the name on the command line). */
static bool
called_ssh (const char *argv0)
{
  const char *base = argv0 + strlen (argv0);

  while (base > argv0 && base[-1] != '\\' && base[-1] != '/')
    base--;
  return _stricmp (base, "ssh") == 0 || _stricmp (base, "ssh.exe") == 0;
}

static int
fake_ssh (int argc, char **argv)
{
  const char *said = getenv ("PTL_FAKE_SSH_STDERR"), *code = getenv ("PTL_FAKE_SSH_EXIT");

  for (int i = 1; i < argc; i++)
    printf ("%s\n", argv[i]);
  fflush (stdout);
  if (said)
    fprintf (stderr, "%s\r\n", said);
  return code ? atoi (code) : 0;
}

int
main (int argc, char **argv)
{
  ptl_platform_init_console ();
  ptl_platform_utf8_argv (&argc, &argv);
  if (argc >= 1 && called_ssh (argv[0]))
    return fake_ssh (argc, argv);
  if (argc >= 2 && strcmp (argv[1], "sleep") == 0)
    return Sleep (60000), 0;
  if (argc >= 2 && strcmp (argv[1], "hold") == 0)
    return hold (true, false);
  if (argc >= 2 && strcmp (argv[1], "hold-quiet") == 0)
    return hold (false, argc >= 3 && strcmp (argv[2], "6") == 0);
  if (argc >= 3 && strcmp (argv[1], "write-handle") == 0)
    {
      HANDLE h = (HANDLE) (uintptr_t) strtoull (argv[2], NULL, 16);
      DWORD n = 0;

      puts (WriteFile (h, "x", 1, &n, NULL) && n == 1 ? "wrote" : "failed");
      return fflush (stdout) != 0;
    }
  if (argc >= 2 && strcmp (argv[1], "print") == 0)
    return fputs (HELPER_TEXT, stdout) == EOF || fflush (stdout) != 0;
  if (argc >= 2 && strcmp (argv[1], "args") == 0)
    {
      for (int i = 2; i < argc; i++, putchar ('\n'))
        for (const unsigned char *p = (const unsigned char *) argv[i]; *p; p++)
          printf ("%02x", *p);
      return fflush (stdout) != 0;
    }
  fputs ("usage: ptl-win32-helper sleep|hold|hold-quiet [6]|write-handle HEX|args ...|print\n",
         stderr);
  return 2;
}
