/*
 * Human tables of the chart completion commands (chartqa_print.h).
 */
#include <stdio.h>

#include "cli/chartqa_print.h"
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"

void chartqa_print_deficiencies(json_t *v)
{
	static const char *const keys[] = {"id",	"account",   "kind",
					   "detail",	"physician", "physician_user",
					   "status",	"due_date",  "delinquent_since",
					   "work_item", NULL};
	json_t *n;
	if ((n = json_object_get(v, "encounters")) != NULL)
		printf("encounters analyzed: %lld, opened: %lld, closed: %lld\n",
		       (long long)json_integer_value(n),
		       (long long)json_integer_value(json_object_get(v, "opened")),
		       (long long)json_integer_value(json_object_get(v, "closed")));
	printf("open deficiencies: %lld, delinquent: %lld (delinquent records: %lld)\n",
	       (long long)json_integer_value(json_object_get(v, "open")),
	       (long long)json_integer_value(json_object_get(v, "delinquent")),
	       (long long)json_integer_value(json_object_get(v, "delinquent_records")));
	rq_print_table(json_object_get(v, "deficiencies"), keys, "no deficiencies");
}

void chartqa_print_rules(json_t *v)
{
	static const char *const rk[] = {"class",
					 "requirement",
					 "doc_kind",
					 "before_hours",
					 "after_hours",
					 "short_stay_hours",
					 "short_stay_kind",
					 "delinquent_days",
					 "enabled",
					 "citation",
					 NULL};
	static const char *const ok[] = {"system",	"section", "approach",
					 "description", "enabled", NULL};
	rq_print_table(json_object_get(v, "rules"), rk, "no rules");
	printf("\noperative procedures (an operative report each):\n");
	rq_print_table(json_object_get(v, "operative_procedures"), ok, "none");
}

void chartqa_print_delinquency(json_t *v)
{
	json_t *q;
	size_t i;
	printf("%-8s %-10s %-10s %10s %12s %10s %8s %s\n", "quarter", "from", "to", "discharges",
	       "avg/month", "delinquent", "rate %", "within 50 %");
	json_array_foreach(json_object_get(v, "quarters"), i, q)
	{
		json_t *r = json_object_get(q, "rate_percent");
		char rate[32] = "-";
		if (json_is_real(r))
			snprintf(rate, sizeof rate, "%.1f", json_real_value(r));
		json_t *w = json_object_get(q, "within_limit");
		printf("%-8s %-10s %-10s %10lld %12.2f %10lld %8s %s\n", cli_json_str(q, "quarter"),
		       cli_json_str(q, "from"), cli_json_str(q, "to"),
		       (long long)json_integer_value(json_object_get(q, "discharges")),
		       json_real_value(json_object_get(q, "average_monthly_discharges")),
		       (long long)json_integer_value(json_object_get(q, "delinquent_records")),
		       rate, json_is_boolean(w) ? (json_is_true(w) ? "yes" : "NO") : "-");
	}
}

void chartqa_print_query(json_t *v)
{
	static const char *const ok[] = {"seq", "text", "kind", NULL};
	json_t *opts = json_incref(json_object_get(v, "options"));
	json_t *b = json_incref(json_object_get(v, "coding_before"));
	json_t *a = json_incref(json_object_get(v, "coding_after"));
	json_object_del(v, "options");
	json_object_del(v, "coding_before");
	json_object_del(v, "coding_after");
	rq_print_object(v);
	if (json_array_size(opts)) {
		printf("options:\n");
		rq_print_table(opts, ok, "");
	}
	const char *names[2] = {"coding before", "coding after"};
	json_t *c[2] = {b, a};
	for (int k = 0; k < 2; k++) {
		if (!json_is_object(c[k]))
			continue;
		printf("%s: version %lld:", names[k],
		       (long long)json_integer_value(json_object_get(c[k], "version")));
		size_t i;
		json_t *x;
		json_array_foreach(json_object_get(c[k], "codes"), i, x)
		    printf("%s%s", i ? ", " : " ", json_string_value(x));
		printf("\n");
	}
	json_decref(opts);
	json_decref(b);
	json_decref(a);
}
