/*
 * The external-cause rules of the ICD-10-CM Official Guidelines, I.C.20:
 * a place of occurrence (Y92), activity (Y93) or external cause status
 * (Y99) code is reported once per record (I.C.20.b, c, k), and an
 * external-cause code (V00-Y99) goes with a condition it explains, any
 * code from A00.0-T88.9 or Z00-Z99 (I.C.20.a.1).
 */
#include <string.h>

#include "edits/tabular_int.h"

static void repeated(struct tab_claim *x, const char *cat, const char *what)
{
	const struct tab_dx *first = NULL;
	uint64_t k = tab_key(cat);
	for (int i = 0; i < x->n; i++) {
		const struct tab_dx *d = &x->d[i];
		if (TAB_CAT(d->key) != k)
			continue;
		if (!first) {
			first = d;
			continue;
		}
		char a[TAB_DOT_MAX], b[TAB_DOT_MAX];
		tab_dot(a, d->code);
		tab_dot(b, first->code);
		tab_add(x, TAB_EXTERNAL_CAUSE_REPEATED, d, first, cat, 0,
			"%s after %s: only one %s code (%s) is reported per record "
			"(Official Guidelines I.C.20)",
			a, b, what, cat);
	}
}

static int is_external(const char *code)
{
	return code[0] >= 'V' && code[0] <= 'Y';
}

/* A00-T88 (the letters A to T hold nothing past T88) or Z00-Z99. */
static int is_condition(const char *code)
{
	return (code[0] >= 'A' && code[0] <= 'T') || code[0] == 'Z';
}

void tab_check_ecode(struct tab_claim *x)
{
	repeated(x, "Y92", "place of occurrence");
	repeated(x, "Y93", "activity");
	repeated(x, "Y99", "external cause status");
	const struct tab_dx *ext = NULL;
	for (int i = 0; i < x->n; i++) {
		if (is_condition(x->d[i].code))
			return;
		if (!ext && is_external(x->d[i].code))
			ext = &x->d[i];
	}
	if (!ext)
		return;
	char a[TAB_DOT_MAX];
	tab_dot(a, ext->code);
	tab_add(x, TAB_EXTERNAL_CAUSE_ALONE, ext, NULL, "", 0,
		"%s: an external cause code with no condition (A00-T88, Z00-Z99) on the claim "
		"for it to explain (Official Guidelines I.C.20.a.1)",
		a);
}
