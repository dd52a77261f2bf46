/* ptl-cmdline.h: Windows command lines built from argument vectors.
 *
 * Windows hands a program one command line, which the program splits into
 * arguments itself, by the rules of CommandLineToArgvW (GLib, the C runtime
 * and GApplication on Windows split the same way). These functions build a
 * line that splits back into the vector it came from. They work on UTF-8
 * bytes without any Windows header, so the rules are tested on Linux too;
 * the platform converts the line to UTF-16 at its boundary.
 */
#pragma once

#include "ptl-buf.h"
#include "ptl-error.h"

/**
 * ptl_cmdline_append_arg:
 * Appends @arg as one argument after the program's name: as it is when it
 * has no space, tab, line feed, vertical tab or '"' and is not empty;
 * otherwise quoted, with each '"' and the backslashes just before a '"' (or
 * before the closing quote) escaped by backslashes.
 */
void ptl_cmdline_append_arg (PtlBuf *line, const char *arg);

/**
 * ptl_cmdline_append_program:
 * Appends @path as the line's first word, the program. That word follows
 * other rules: it ends at the next '"' when it starts with one, at the
 * first space or tab otherwise, and backslashes are plain characters. So
 * a path is quoted when it has a space or tab (C:\Program Files\…), and a
 * path with a '"' (not a valid Windows path) cannot be written: PTL_EINVAL.
 */
int ptl_cmdline_append_program (PtlBuf *line, const char *path, PtlError *err);

/**
 * ptl_relaunch_parameters:
 * The arguments that start the desktop app again on the same view and
 * query ("--new-instance --view=port -- 1644"), joined and quoted as one
 * parameter string (what ShellExecuteExW takes besides the program).
 * --new-instance makes the new process a window of its own instead of
 * handing the request to the one already running. @view is "port" or
 * "connections"; @query is what the search shows ("1644", "6660-6669",
 * "ssh"), or NULL or "" for none. Returns 0, or PTL_EINVAL for another view
 * or text that is not UTF-8.
 */
int ptl_relaunch_parameters (const char *query, const char *view, PtlBuf *out, PtlError *err);

/**
 * ptl_relaunch_command_line:
 * The whole command line the new process sees: @program (the running
 * app's path) as its first word, then ptl_relaunch_parameters.
 */
int ptl_relaunch_command_line (const char *program, const char *query, const char *view,
                               PtlBuf *out, PtlError *err);
