/* fuzz-tables.h: socket tables and report sets built from fuzzer bytes,
 * for the writer targets. Every string in them (addresses, users, process
 * names, paths, command lines, notes, the query) is arbitrary bytes.
 */
#pragma once

#include "fuzz-util.h"
#include "ptl-report.h"

/** ptl_fuzz_table: fills an initialised @table from @in. */
void ptl_fuzz_table (PtlFuzzInput *in, PtlSocketTable *table);

/** ptl_fuzz_report_set: fills a zeroed @set from @in; free with ptl_report_clear. */
void ptl_fuzz_report_set (PtlFuzzInput *in, PtlReportSet *set);
