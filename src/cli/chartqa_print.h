/*
 * Human tables of the chart completion commands (cmd_chart_*.c,
 * cmd_query_*.c).
 */
#ifndef MRT_CLI_CHARTQA_PRINT_H
#define MRT_CLI_CHARTQA_PRINT_H

#include <jansson.h>

/* {open, delinquent, ..., deficiencies[]}: counts, then the rows. */
void chartqa_print_deficiencies(json_t *v);
/* {rules[], operative_procedures[]}. */
void chartqa_print_rules(json_t *v);
/* {quarters[]}. */
void chartqa_print_delinquency(json_t *v);
/* One query with its options and codings. */
void chartqa_print_query(json_t *v);

#endif
