/*
 * Human tables of the coding quality commands (see coding_print.h). Values
 * have been made printable (cli_printable) by the caller.
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "cli/coding_print.h"

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* A rate as a percentage, "-" when there was nothing to measure. */
static void pct(char *out, size_t cap, json_t *v)
{
	if (json_is_number(v))
		snprintf(out, cap, "%.1f%%", json_number_value(v) * 100.0);
	else
		snprintf(out, cap, "-");
}

static void dnum(char *out, size_t cap, json_t *v)
{
	if (json_is_number(v))
		snprintf(out, cap, "%.2f", json_number_value(v));
	else
		snprintf(out, cap, "-");
}

void coding_print_sample(json_t *v)
{
	printf(
	    "sample %lld: %lld of %lld eligible encounters coded by %s (asked %lld), seed %s%s\n",
	    num(v, "id"), num(v, "n_drawn"), num(v, "n_eligible"), cli_json_str(v, "coder"),
	    num(v, "n_requested"), cli_json_str(v, "seed"),
	    json_is_true(json_object_get(v, "seed_given")) ? "" : " (random)");
	static const char *const keys[] = {"item", "account", "discharge_date", NULL};
	rq_print_table(json_object_get(v, "items"), keys, "no items");
}

static const char *const diff_keys[] = {"kind",		 "system",	 "coder_code", "coder_poa",
					"reviewer_code", "reviewer_poa", NULL};

void coding_print_result(json_t *v)
{
	printf("item %lld (%s): principal %s; diagnoses %lld coder, %lld reviewer, %lld both, "
	       "%lld POA differences; procedures %lld coder, %lld reviewer, %lld both\n",
	       num(v, "item"), cli_json_str(v, "account"),
	       json_is_true(json_object_get(v, "pdx_agree")) ? "agrees" : "differs",
	       num(v, "dx_coder"), num(v, "dx_reviewer"), num(v, "dx_both"), num(v, "poa_diff"),
	       num(v, "px_coder"), num(v, "px_reviewer"), num(v, "px_both"));
	rq_print_table(json_object_get(v, "disagreements"), diff_keys, "full agreement");
}

static void tally_row(json_t *t, const char *name)
{
	char a[16], b[16], c[16], d[16], e[16], f[16], g[16];
	pct(a, sizeof a, json_object_get(t, "pdx_rate"));
	pct(b, sizeof b, json_object_get(t, "dx_precision"));
	pct(c, sizeof c, json_object_get(t, "dx_recall"));
	pct(d, sizeof d, json_object_get(t, "dx_jaccard"));
	pct(e, sizeof e, json_object_get(t, "px_jaccard"));
	pct(f, sizeof f, json_object_get(t, "edits_rate"));
	snprintf(g, sizeof g, "%lld/%lld", num(t, "edits_coder"), num(t, "edits_reviewer"));
	printf("%-16s %5lld %7s %8s %8s %8s %5lld %8s %8s %9s\n", name, num(t, "items"), a, b, c, d,
	       num(t, "poa_diff"), e, f, g);
}

void coding_print_report(json_t *v)
{
	printf("%-16s %5s %7s %8s %8s %8s %5s %8s %8s %9s\n", "coder", "items", "pdx", "dx-prec",
	       "dx-rec", "dx-jacc", "poa", "px-jacc", "edits-eq", "edits c/r");
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(v, "coders"), i, t)
	    tally_row(t, cli_json_str(t, "coder"));
	tally_row(json_object_get(v, "overall"), "(all)");
	if (!json_is_true(json_object_get(v, "edits")))
		printf("(MCE edits not compared: no MCE release loaded)\n");
	printf("\ndisagreements\n");
	static const char *const keys[] = {
	    "item",	  "account",   "coder",		"reviewer",	"kind", "system",
	    "coder_code", "coder_poa", "reviewer_code", "reviewer_poa", NULL};
	rq_print_table(json_object_get(v, "disagreements"), keys, "none");
}

static void stats_row(json_t *t, const char *name, int buckets)
{
	char mean[16], median[16];
	dnum(mean, sizeof mean, json_object_get(t, "mean_days"));
	dnum(median, sizeof median, json_object_get(t, "median_days"));
	char mx[24] = "-";
	if (json_is_integer(json_object_get(t, "max_days")))
		snprintf(mx, sizeof mx, "%lld", num(t, "max_days"));
	printf("%-16s %6lld %8s %8s %5s", name, num(t, "count"), mean, median, mx);
	json_t *b = json_object_get(t, "buckets");
	if (buckets && b)
		printf(" %5lld %5lld %5lld %5lld %5lld", num(b, "0-3"), num(b, "4-7"),
		       num(b, "8-14"), num(b, "15-30"), num(b, ">30"));
	printf("\n");
}

static void stats_table(json_t *part, int buckets)
{
	printf("%-16s %6s %8s %8s %5s", "coder", "count", "mean", "median", "max");
	if (buckets)
		printf(" %5s %5s %5s %5s %5s", "0-3", "4-7", "8-14", "15-30", ">30");
	printf("\n");
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(part, "coders"), i, t)
	    stats_row(t, cli_json_str(t, "coder"), buckets);
	stats_row(json_object_get(part, "overall"), "(all)", buckets);
}

void coding_print_dnfc(json_t *v)
{
	printf("discharged, not final coded, as of %s (days since discharge)\n",
	       cli_json_str(v, "as_of"));
	stats_table(v, 1);
	printf("\noldest first\n");
	static const char *const keys[] = {"account", "discharge_date", "days",
					   "coder",   "status",		NULL};
	rq_print_table(json_object_get(v, "encounters"), keys, "none");
	json_t *t = json_object_get(v, "timeliness");
	printf("\nfinal coded %s to %s (days from discharge to final coding)\n",
	       cli_json_str(t, "from"), cli_json_str(t, "to"));
	stats_table(t, 0);
}
