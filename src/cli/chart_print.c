/*
 * Human renderings of chart JSON for the CLI (see chart_print.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/chart_print.h"
#include "cli/cli.h"

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void print_int_or_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (json_is_integer(v))
		printf("%lld", (long long)json_integer_value(v));
	else
		printf("%s", json_is_string(v) ? json_string_value(v) : "");
}

static void print_name(json_t *p)
{
	printf("%s, %s%s%s", str(p, "family"), str(p, "given"), *str(p, "middle") ? " " : "",
	       str(p, "middle"));
}

void chart_print_patient(json_t *p)
{
	cli_printable(p);
	printf("MRN %s  ", str(p, "mrn"));
	print_name(p);
	printf("  born %s  sex %s  %s", *str(p, "birth_date") ? str(p, "birth_date") : "?",
	       *str(p, "sex") ? str(p, "sex") : "?", str(p, "status"));
	if (json_is_true(json_object_get(p, "deceased")))
		printf("  deceased %s", str(p, "death_at"));
	printf("\n");
	if (*str(p, "address_line") || *str(p, "city"))
		printf("address: %s, %s %s %s\n", str(p, "address_line"), str(p, "city"),
		       str(p, "state"), str(p, "postal_code"));
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(p, "identifiers"), i, v)
		printf("identifier: %-4s %s%s%s\n", str(v, "type"), str(v, "value"),
		       *str(v, "system") ? "  authority " : "", str(v, "system"));
	json_array_foreach(json_object_get(p, "names"), i, v) {
		printf("name (%s): ", str(v, "use"));
		print_name(v);
		printf("\n");
	}
	json_array_foreach(json_object_get(p, "labels"), i, v)
		printf("label: %s %s on %s\n", str(v, "system"), str(v, "code"), str(v, "object_type"));
	json_array_foreach(json_object_get(p, "links"), i, v)
		printf("link: %s (%s) %s%s\n", str(v, "kind"), str(v, "status"), str(v, "other_mrn"),
		       str(v, "other_identifier"));
	json_array_foreach(json_object_get(p, "amendments"), i, v) {
		printf("amendment %s (%s): %s\n", str(v, "received_date"), str(v, "status"),
		       str(v, "what"));
		size_t k;
		json_t *st;
		json_array_foreach(json_object_get(v, "statements"), k, st)
			printf("  %s: %s\n", str(st, "kind"), str(st, "text"));
	}
	printf("encounters:\n");
	json_array_foreach(json_object_get(p, "encounters"), i, v) {
		if (json_is_true(json_object_get(v, "restricted"))) {
			printf("  %-14s (restricted record)\n", str(v, "account"));
			continue;
		}
		printf("  %-14s %-11s %-19.19s %-19.19s %-11s coding %s\n", str(v, "account"),
		       str(v, "class"), str(v, "admit_at"), str(v, "discharge_at"), str(v, "status"),
		       str(v, "coding_status"));
	}
	if (json_is_true(json_object_get(p, "break_glass")))
		printf("opened by break-the-glass: this read is audited and reviewed\n");
}

void chart_print_matches(json_t *a)
{
	cli_printable(a);
	size_t i;
	json_t *v;
	if (json_array_size(a) == 0) {
		printf("no patient matches\n");
		return;
	}
	int w = 14;
	json_array_foreach(a, i, v) {
		int n = (int)strlen(str(v, "mrn"));
		if (n > w && n <= 64)
			w = n;
	}
	printf("%-*s %-30s %-10s %-3s %s\n", w, "MRN", "NAME", "BORN", "SEX", "ENCOUNTERS");
	json_array_foreach(a, i, v) {
		if (json_is_true(json_object_get(v, "restricted"))) {
			printf("%-*s (restricted record)\n", w, str(v, "mrn"));
			continue;
		}
		char name[128];
		snprintf(name, sizeof name, "%s, %s", str(v, "family"), str(v, "given"));
		printf("%-*s %-30s %-10s %-3s ", w, str(v, "mrn"), name, str(v, "birth_date"),
		       str(v, "sex"));
		print_int_or_str(v, "encounters");
		printf("\n");
	}
}

static void print_coding(json_t *e)
{
	json_t *c = json_object_get(e, "coding");
	size_t i;
	json_t *v;
	if (!json_is_object(c)) {
		printf("coding: none (%s)\n", str(e, "coding_status"));
		return;
	}
	printf("coding: version ");
	print_int_or_str(c, "version");
	printf(" from %s, %s  status %s", str(c, "source"), str(c, "created_at"),
	       str(e, "coding_status"));
	if (*str(c, "cm_release"))
		printf("  ICD-10-CM %s", str(c, "cm_release"));
	if (*str(c, "pcs_release"))
		printf("  ICD-10-PCS %s", str(c, "pcs_release"));
	printf("\n");
	json_array_foreach(json_object_get(e, "diagnoses"), i, v) {
		printf("  dx ");
		print_int_or_str(v, "seq");
		printf(" %-9s %-8s POA %-1s %s\n", str(v, "kind"), str(v, "code"), str(v, "poa"),
		       str(v, "display"));
	}
	json_array_foreach(json_object_get(e, "procedures"), i, v) {
		printf("  px ");
		print_int_or_str(v, "seq");
		printf(" %-8s %-10.10s %s\n", str(v, "code"), str(v, "performed_at"), str(v, "display"));
	}
	json_array_foreach(json_object_get(e, "findings"), i, v)
		printf("  finding: %s %s: %s\n", str(v, "item"), str(v, "code"), str(v, "message"));
}

/* Queries, open deficiencies and open edit findings on the encounter. */
static void print_work(json_t *e)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(e, "queries"), i, v) {
		printf("query ");
		print_int_or_str(v, "id");
		printf(" (%s) %s to %s: %s\n", str(v, "status"), str(v, "asked_at"), str(v, "asked_of"),
		       str(v, "question"));
		if (*str(v, "answered_at"))
			printf("  answered %s: %s%s\n", str(v, "answered_at"), str(v, "answer_choice"),
			       str(v, "answer_text"));
		if (*str(v, "outcome")) {
			printf("  closed %s: %s (coding version ", str(v, "closed_at"), str(v, "outcome"));
			print_int_or_str(v, "coding_before");
			printf(" -> ");
			print_int_or_str(v, "coding_after");
			printf(")\n");
		}
	}
	json_array_foreach(json_object_get(e, "deficiencies"), i, v)
		printf("deficiency: %s %s (%s)%s%s\n", str(v, "kind"), str(v, "detail"),
		       str(v, "physician"), *str(v, "delinquent_since") ? " delinquent since " : "",
		       str(v, "delinquent_since"));
	json_array_foreach(json_object_get(e, "edit_findings"), i, v)
		printf("edit: %-8s %-26s %-8s %s\n", str(v, "severity"), str(v, "rule"), str(v, "code"),
		       str(v, "message"));
}

void chart_print_encounter(json_t *e)
{
	cli_printable(e);
	json_t *p = json_object_get(e, "patient");
	printf("account %s  MRN %s  ", str(e, "account"), str(e, "mrn"));
	print_name(p);
	printf("\n%s %s  admitted %s  discharged %s  disposition %s\n", str(e, "class"),
	       str(e, "status"), str(e, "admit_at"), str(e, "discharge_at"),
	       str(e, "discharge_status"));
	if (*str(e, "attending") || *str(e, "attending_id"))
		printf("attending %s %s\n", str(e, "attending_id"), str(e, "attending"));
	print_coding(e);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(e, "transfers"), i, v)
		printf("transfer: %-10s %-30s %-19.19s -> %.19s\n", str(v, "event"), str(v, "unit"),
		       str(v, "in_at"), str(v, "out_at"));
	json_array_foreach(json_object_get(e, "documents"), i, v) {
		if (json_is_true(json_object_get(v, "restricted")))
			printf("document: %s (restricted record)\n", str(v, "doc_ref"));
		else
			printf("document: %s %s %s %s\n", str(v, "doc_ref"), str(v, "type"),
			       str(v, "status"), str(v, "signed_at"));
	}
	print_work(e);
	if (json_is_true(json_object_get(e, "break_glass")))
		printf("opened by break-the-glass: this read is audited and reviewed\n");
	json_array_foreach(json_object_get(e, "labels"), i, v)
		printf("label: %s %s\n", str(v, "system"), str(v, "code"));
}

void chart_print_refused(json_t *r)
{
	size_t i, k;
	json_t *v, *s;
	json_array_foreach(json_object_get(r, "refused"), i, v) {
		fprintf(stderr, "  %s %s: %s\n", str(v, "item"), str(v, "code"), str(v, "message"));
		json_array_foreach(json_object_get(v, "suggestions"), k, s)
			fprintf(stderr, "      %-8s %s\n", str(s, "code"), str(s, "title"));
	}
}
