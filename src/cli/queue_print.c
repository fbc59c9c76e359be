/*
 * Rendering work items; see queue_print.h.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/queue_print.h"

static const char *str(json_t *o, const char *key, const char *none)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : none;
}

void queue_print_items(json_t *items)
{
	printf("%5s  %-16s %-22s %-12s %-10s %-11s %-10s %s\n", "id", "kind", "subject", "user", "role",
	       "status", "due", "title");
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		char subject[160];
		snprintf(subject, sizeof subject, "%s:%s", str(it, "subject_type", ""),
		         str(it, "subject_id", ""));
		printf("%5lld  %-16s %-22s %-12s %-10s %-11s %-10s %s\n",
		       (long long)json_integer_value(json_object_get(it, "id")), str(it, "kind", ""),
		       subject, str(it, "assigned_user", "-"), str(it, "assigned_role", "-"),
		       str(it, "status", ""), str(it, "due_date", "-"), str(it, "title", ""));
	}
	if (json_array_size(items) == 0)
		printf("(no work items)\n");
}

void queue_print_json(json_t *v)
{
	cli_print_json(v);
}
