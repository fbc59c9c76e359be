/*
 * The tabular rules over one claim (tabular.h): the rule names and
 * severities, the choice of the notes release for the discharge date,
 * and the run of each rule family in turn (code set, notes, external
 * causes, POA). Findings go into the caller's fixed array.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "edits/tabular_int.h"

const struct tab_rule_info tab_rule_info[TAB_RULE_COUNT] = {
    [TAB_EXCLUDES1] = {"excludes1", TAB_ERROR},
    [TAB_CODE_FIRST] = {"code-first", TAB_WARNING},
    [TAB_USE_ADDITIONAL] = {"use-additional", TAB_INFO},
    [TAB_SEVENTH_CHAR] = {"seventh-char", TAB_ERROR},
    [TAB_PLACEHOLDER_X] = {"placeholder-x", TAB_ERROR},
    [TAB_HEADER] = {"header", TAB_ERROR},
    [TAB_EXTERNAL_CAUSE_REPEATED] = {"external-cause-repeated", TAB_ERROR},
    [TAB_EXTERNAL_CAUSE_ALONE] = {"external-cause-alone", TAB_WARNING},
    [TAB_POA_MISSING] = {"poa-missing", TAB_WARNING},
    [TAB_POA_EXEMPT] = {"poa-exempt", TAB_WARNING},
    [TAB_POA_INVALID] = {"poa-invalid", TAB_ERROR},
};

const char *tab_severity_name(enum tab_severity s)
{
	switch (s) {
	case TAB_INFO:
		return "info";
	case TAB_WARNING:
		return "warning";
	case TAB_ERROR:
		return "error";
	}
	return "?";
}

struct tab_finding *tab_add(struct tab_claim *x, int rule, const struct tab_dx *a,
			    const struct tab_dx *b, const char *note_code, int64_t release_id,
			    const char *fmt, ...)
{
	struct tab_result *out = x->out;
	if (out->n >= TAB_MAX_FINDINGS) {
		out->truncated = 1;
		return NULL;
	}
	struct tab_finding *f = &out->f[out->n++];
	f->rule = (uint8_t)rule;
	f->severity = (uint8_t)tab_rule_info[rule].severity;
	f->where = a ? a->where : CLAIM_AT_CLAIM;
	f->pos = a ? a->pos : 0;
	f->where2 = b ? b->where : CLAIM_AT_CLAIM;
	f->pos2 = b ? b->pos : 0;
	snprintf(f->note_code, sizeof f->note_code, "%s", note_code ? note_code : "");
	f->note_release_id = release_id;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof f->message, fmt, ap);
	va_end(ap);
	return f;
}

/* The newest notes release starting on or before the day; the earliest
 * when the day is before them all (or unknown). */
static int pick_release(const tabular_tables *t, mrt_day day)
{
	int best = -1, first = -1;
	for (size_t i = 0; i < t->nrel; i++) {
		const struct tab_rel *r = &t->rel[i];
		if (first < 0 || r->from < t->rel[first].from)
			first = (int)i;
		if (day && r->from <= day && (best < 0 || r->from > t->rel[best].from))
			best = (int)i;
	}
	return best >= 0 ? best : first;
}

static void add_dx(struct tab_claim *x, int where, int pos, const struct claim_dx *d)
{
	if (!d->code[0])
		return;
	struct tab_dx *e = &x->d[x->n++];
	e->where = (uint8_t)where;
	e->pos = (uint8_t)pos;
	e->code = d->code;
	e->key = tab_key(d->code);
	e->e = x->cm ? codes_lookup_find(x->cm, d->code) : NULL;
	e->poa = d->poa;
}

void tabular_check(const tabular_tables *t, const codes_lookup *cm, const struct claim *c,
		   struct tab_result *out)
{
	out->n = 0;
	out->truncated = 0;
	struct tab_claim x = {.t = t, .cm = cm, .c = c, .out = out, .rel = -1};
	if (t)
		x.rel = pick_release(t, c->discharge);
	add_dx(&x, CLAIM_AT_PDX, 0, &c->pdx);
	for (int i = 0; i < c->nsdx && i < CLAIM_MAX_SDX; i++)
		add_dx(&x, CLAIM_AT_SDX, i, &c->sdx[i]);
	for (int i = 0; i < x.n; i++) { /* insertion sort by key */
		int k = i;
		for (; k > 0 && x.d[x.ord[k - 1]].key > x.d[i].key; k--)
			x.ord[k] = x.ord[k - 1];
		x.ord[k] = (uint8_t)i;
	}
	if (cm)
		tab_check_struct(&x);
	if (t && x.rel >= 0)
		tab_check_notes(&x);
	tab_check_ecode(&x);
	tab_check_poa(&x);
}
