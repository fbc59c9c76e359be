/*
 * Human tables of the coding quality commands (coding-audit sample, code,
 * report; coding dnfc): agreement as percentages, days as numbers.
 */
#ifndef MRT_CLI_CODING_PRINT_H
#define MRT_CLI_CODING_PRINT_H

#include <jansson.h>

void coding_print_sample(json_t *v);
void coding_print_result(json_t *v);
void coding_print_report(json_t *v);
void coding_print_dnfc(json_t *v);

#endif
