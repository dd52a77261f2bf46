/* ptl-prom.h: the socket table as Prometheus metrics (`portolan-cli metrics`). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ptl-buf.h"
#include "ptl-socket.h"

#define PTL_PROM_DEFAULT_MAX_SERIES 1000

typedef struct
{
  bool up;                 /* false: the table could not be read; only the scrape metrics */
  int64_t unix_ms;         /* when the table was read */
  double duration_seconds; /* how long reading it took */
  size_t max_series;       /* cap on portolan_listening + portolan_established series */
  bool ephemeral_known;    /* the ephemeral range below is this machine's */
  unsigned ephemeral_first, ephemeral_last;
} PtlPromOptions;

/**
 * ptl_format_table_prometheus:
 * Writes @table in the Prometheus text exposition format: portolan_up,
 * portolan_scrape_timestamp_seconds, portolan_scrape_duration_seconds,
 * portolan_listening{protocol,address,port,process}, portolan_established
 * {protocol,port} for ports something here listens on,
 * portolan_established_other{protocol}, portolan_sockets{protocol,state}
 * and portolan_series_dropped. Listener and established series past
 * @opt->max_series are left out and counted. Returns 0 or PTL_ENOMEM.
 */
int ptl_format_table_prometheus (const PtlSocketTable *table, const PtlPromOptions *opt,
                                 PtlBuf *out);

/** ptl_prom_label_value: appends @s escaped for a label value (valid UTF-8, \ " \n escaped). */
void ptl_prom_label_value (PtlBuf *out, const char *s);
