/* ptl-format-text-private.h: the text writer's helpers, shared by its
 * files (ptl-format-text.c, ptl-format-text-where.c). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ptl-report.h"

/** ptl_text_wrap: @text (already safe) at @indent, wrapped at 100 columns. */
void ptl_text_wrap (PtlBuf *out, size_t indent, const char *text);

/** ptl_text_wrap_untrusted: @prefix then @text made safe, continuation lines after @prefix. */
void ptl_text_wrap_untrusted (PtlBuf *out, size_t indent, const char *prefix, const char *text);

/** ptl_text_heading: a blank line, then @title. */
void ptl_text_heading (PtlBuf *out, const char *title);

/** ptl_text_endpoint: "addr:port" or "[v6]:port" ("*" for @wildcard_port), made safe. */
void ptl_text_endpoint (char *out, size_t size, const char *addr, unsigned port,
                        bool wildcard_port);

/** ptl_text_process_context: the lines under a process: unit, container, thread, relay. */
void ptl_text_process_context (PtlBuf *out, const PtlProcess *p);

/**
 * ptl_text_elsewhere:
 * The report's section "Inside containers and other network namespaces"
 * for @r's port (nothing when no other namespace was seen).
 */
void ptl_text_elsewhere (PtlBuf *out, const PtlReportSet *set, const PtlPortReport *r);
