/*
 * Rendering work items; see queue_print.h.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
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
	if (json_array_size(items) == 0) {
		printf("(no work items)\n");
		return;
	}
	/* Overdue: still open past the due date (for a chart deficiency, a
	 * delinquent record). */
	char today[MRT_DATE_LEN];
	mrt_date_format(today, mrt_date_today());
	size_t overdue = 0;
	json_array_foreach(items, i, it) {
		const char *due = str(it, "due_date", NULL), *st = str(it, "status", "");
		if (due && strcmp(due, today) < 0 && (!strcmp(st, "open") || !strcmp(st, "in-progress")))
			overdue++;
	}
	printf("%zu item%s, %zu overdue (due before %s)\n", json_array_size(items),
	       json_array_size(items) == 1 ? "" : "s", overdue, today);
}

void queue_print_json(json_t *v)
{
	cli_print_json(v);
}
