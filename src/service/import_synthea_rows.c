/*
 * Synthea import, the encounter side: encounters (account = the encounter
 * Id; facility and payer by name; the provider as attending), then
 * conditions (SNOMED CT diagnoses) and procedures (SNOMED CT procedures)
 * merged into each encounter's coding. Code rows are gathered and sorted
 * by encounter first, so their order in the file does not matter; each
 * encounter's codes are then applied once, in MERGE mode (a condition
 * recorded elsewhere - by a coder, another import - is kept).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "service/import_synthea_int.h"

static const char *opt(const char *s)
{
	return s && *s ? s : NULL;
}

static int put_encounter(struct syn_run *r, struct syn_tab *tb, const struct synthea_encounter *x,
			 mrt_err *err)
{
	int64_t pat, attending = 0, id;
	if (!import_map_get(r->pat, x->patient, &pat, NULL))
		return syn_reject(r, tb, "PATIENT names no patient row", err);
	if (import_map_get(r->enc, x->id, NULL, NULL))
		return syn_reject(r, tb, "Id repeats an earlier encounter row", err);
	if (opt(x->provider))
		import_map_get(r->prov, x->provider, &attending, NULL);
	char start[IMPORT_TIME_LEN], stop[IMPORT_TIME_LEN];
	import_time_iso(start, &x->start);
	if (x->has_stop)
		import_time_iso(stop, &x->stop);
	struct chart_encounter e;
	chart_encounter_init(&e);
	e.account = x->id;
	e.source_ref = x->id;
	e.klass = x->mrt_class;
	r->unknown_class += x->mrt_class == NULL;
	e.status = x->has_stop ? "finished" : "in-progress";
	e.admit_at = start;
	e.discharge_at = x->has_stop ? stop : NULL;
	e.facility = syn_name(r, r->org, x->organization);
	e.payer = syn_name(r, r->payer, x->payer);
	e.reason = opt(x->reasondescription);
	e.attending_id = attending;
	mrt_err ferr = {0};
	int existed = chart_encounter_by_account(r->b.db, x->id, &id, NULL, &ferr) == 0;
	int changed = 0;
	int rc = chart_encounter_put(r->b.db, &r->b.ctx, pat, &e, &id, &changed, err);
	if (rc)
		return rc;
	syn_count_put(&r->n[SYNTHEA_ENCOUNTERS], existed, changed);
	return import_map_put(r->enc, x->id, id, pat)
		   ? mrt_err_set(err, MRT_ENOMEM, "out of memory")
		   : 0;
}

int syn_load_encounters(struct syn_run *r, mrt_err *err)
{
	struct syn_tab tb;
	int rc = syn_tab_open(r, SYNTHEA_ENCOUNTERS, 1, &tb, err);
	while (rc == 0) {
		struct synthea_encounter row;
		mrt_err rerr = {0};
		int k =
		    syn_tab_step(r, &tb, synthea_read_encounter(tb.rd, &row, &rerr), &rerr, err);
		if (k == 2)
			break;
		rc = k < 0 ? k : k == 1 ? put_encounter(r, &tb, &row, err) : 0;
	}
	syn_tab_close(&tb);
	return rc;
}

/* ---- conditions, procedures -------------------------------------------- */

struct code_row {
	int64_t enc, pat;
	unsigned long line;
	char *code, *display;
	char date[IMPORT_TIME_LEN];
};

struct code_rows {
	struct code_row *v;
	size_t n, cap;
};

static void rows_free(struct code_rows *rows)
{
	for (size_t i = 0; i < rows->n; i++) {
		import_free_str(rows->v[i].code);
		import_free_str(rows->v[i].display);
	}
	import_free_zero(rows->v, rows->n * sizeof *rows->v);
}

static int row_cmp(const void *a, const void *b)
{
	const struct code_row *x = a, *y = b;
	if (x->enc != y->enc)
		return x->enc < y->enc ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int keep_row(struct syn_run *r, struct syn_tab *tb, struct code_rows *rows,
		    const char *patient, const char *encounter, const char *code,
		    const char *display, const char *date, mrt_err *err)
{
	int64_t enc, pat, rpat;
	if (!import_map_get(r->enc, encounter, &enc, &pat))
		return syn_reject(r, tb, "ENCOUNTER names no encounter row", err);
	if (!import_map_get(r->pat, patient, &rpat, NULL) || rpat != pat)
		return syn_reject(r, tb, "PATIENT is not the encounter's patient", err);
	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 256;
		struct code_row *v = realloc(rows->v, cap * sizeof *v);
		if (!v)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		rows->v = v;
		rows->cap = cap;
	}
	struct code_row *o = &rows->v[rows->n];
	memset(o, 0, sizeof *o);
	o->enc = enc;
	o->pat = pat;
	o->line = csv_lineno(synthea_csv(tb->rd));
	o->code = mrt_strndup(code, strlen(code));
	o->display = display ? mrt_strndup(display, strlen(display)) : NULL;
	mrt_strlcpy(o->date, date, sizeof o->date);
	rows->n++;
	if (!o->code || (display && !o->display))
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	return 0;
}

static int read_row(struct syn_run *r, struct syn_tab *tb, struct code_rows *rows, mrt_err *err)
{
	mrt_err rerr = {0};
	char date[IMPORT_TIME_LEN];
	int k;
	if (tb->t == SYNTHEA_CONDITIONS) {
		struct synthea_condition c;
		k = syn_tab_step(r, tb, synthea_read_condition(tb->rd, &c, &rerr), &rerr, err);
		if (k != 1)
			return k;
		mrt_date_format(date, c.start);
		k = keep_row(r, tb, rows, c.patient, c.encounter, c.code, opt(c.description), date,
			     err);
	} else {
		struct synthea_procedure p;
		k = syn_tab_step(r, tb, synthea_read_procedure(tb->rd, &p, &rerr), &rerr, err);
		if (k != 1)
			return k;
		import_time_iso(date, &p.date);
		k = keep_row(r, tb, rows, p.patient, p.encounter, p.code, opt(p.description), date,
			     err);
	}
	return k;
}

static int apply_group(struct syn_run *r, enum synthea_table t, const struct code_row *g, size_t n,
		       void *items, mrt_err *err)
{
	struct chart_coding_change ch = {.dx_mode = CHART_KEEP, .px_mode = CHART_KEEP};
	if (t == SYNTHEA_CONDITIONS) {
		struct chart_dx *dx = items;
		for (size_t i = 0; i < n; i++)
			dx[i] = (struct chart_dx){.system = CHART_SYS_SNOMED,
						  .code = g[i].code,
						  .display = g[i].display,
						  .onset = g[i].date};
		ch.dx_mode = CHART_MERGE;
		ch.dx = dx;
		ch.n_dx = n;
	} else {
		struct chart_px *px = items;
		for (size_t i = 0; i < n; i++)
			px[i] = (struct chart_px){.system = CHART_SYS_SNOMED,
						  .code = g[i].code,
						  .display = g[i].display,
						  .performed_at = g[i].date};
		ch.px_mode = CHART_MERGE;
		ch.px = px;
		ch.n_px = n;
	}
	int64_t coding = 0;
	int changed = 0;
	int rc =
	    chart_coding_apply(r->b.db, &r->b.ctx, g[0].pat, g[0].enc, &ch, &coding, &changed, err);
	if (rc)
		return rc;
	r->codings_created += changed;
	r->codings_unchanged += !changed;
	if (changed)
		r->n[t].created += (int64_t)n;
	else
		r->n[t].unchanged += (int64_t)n;
	return 0;
}

static int apply_all(struct syn_run *r, enum synthea_table t, struct code_rows *rows, mrt_err *err)
{
	if (!rows->n)
		return 0;
	qsort(rows->v, rows->n, sizeof *rows->v, row_cmp);
	size_t item = sizeof(struct chart_dx) > sizeof(struct chart_px) ? sizeof(struct chart_dx)
									: sizeof(struct chart_px);
	void *items = malloc(rows->n * item);
	if (!items)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	int rc = 0;
	for (size_t i = 0, j; rc == 0 && i < rows->n; i = j) {
		for (j = i + 1; j < rows->n && rows->v[j].enc == rows->v[i].enc; j++)
			;
		rc = apply_group(r, t, rows->v + i, j - i, items, err);
	}
	free(items);
	return rc;
}

int syn_load_codes(struct syn_run *r, enum synthea_table t, mrt_err *err)
{
	struct code_rows rows = {0};
	struct syn_tab tb;
	int rc = syn_tab_open(r, t, 0, &tb, err);
	while (rc == 0 && tb.rd) {
		int k = read_row(r, &tb, &rows, err);
		if (k == 2)
			break;
		rc = k < 0 ? k : 0;
	}
	syn_tab_close(&tb);
	if (rc == 0)
		rc = apply_all(r, t, &rows, err);
	rows_free(&rows);
	return rc;
}
