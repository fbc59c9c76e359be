/*
 * Rendering work items for the queue commands: a human table or JSON.
 */
#ifndef MRT_CLI_QUEUE_PRINT_H
#define MRT_CLI_QUEUE_PRINT_H

#include <jansson.h>

void queue_print_items(json_t *items);
void queue_print_json(json_t *v);

#endif
