/*
 * Human renderings of chart JSON (patients, matches, encounters) for the
 * CLI; --json prints the service's JSON as it is.
 */
#ifndef MRT_CLI_CHART_PRINT_H
#define MRT_CLI_CHART_PRINT_H

#include <jansson.h>

void chart_print_patient(json_t *p);
void chart_print_matches(json_t *a);
void chart_print_encounter(json_t *e);
void chart_print_refused(json_t *r);

#endif
