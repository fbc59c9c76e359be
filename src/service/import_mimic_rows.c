/*
 * MIMIC-IV import, the tables hung on admissions: transfers (ED stays with
 * no hadm_id kept with no encounter), services, DRGs, and diagnoses_icd /
 * procedures_icd. The ICD rows are read into one array and sorted by
 * (hadm_id, seq_num, line), so grouping per encounter does not rely on the
 * file's order; each encounter's diagnoses and procedures are then applied
 * together, in one coding change (32 bytes a row: the full MIMIC-IV's 5M
 * diagnosis rows take about 160 MB).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "service/import_mimic_int.h"

static int count_row(struct mimic_run *r, enum mimic_table t, int changed)
{
	if (changed)
		r->n[t].created++;
	else
		r->n[t].unchanged++;
	return 0;
}

static int put_transfer(struct mimic_run *r, struct mimic_table_rd *tb,
			const struct mimic_transfer *x, mrt_err *err)
{
	int64_t pat, enc = 0, enc_pat;
	if (!mimic_patient_of(r, x->subject_id, &pat))
		return mimic_reject(r, tb, "no patient for this subject_id", err);
	if (x->has_hadm_id && !mimic_encounter_of(r, x->hadm_id, &enc, &enc_pat))
		return mimic_reject(r, tb, "no admission for this hadm_id", err);
	if (x->has_hadm_id && enc_pat != pat)
		return mimic_reject(r, tb, "hadm_id belongs to another subject_id", err);
	char ref[24], in[IMPORT_TIME_LEN], out[IMPORT_TIME_LEN];
	snprintf(ref, sizeof ref, "%" PRId64, x->transfer_id);
	import_time_iso(in, &x->intime);
	if (x->has_outtime)
		import_time_iso(out, &x->outtime);
	struct chart_transfer t = {.source_ref = ref,
				   .event = x->eventtype,
				   .unit = x->careunit && *x->careunit ? x->careunit : NULL,
				   .in_at = in,
				   .out_at = x->has_outtime ? out : NULL};
	int changed = 0;
	int rc = chart_transfer_put(r->b.db, &r->b.ctx, pat, enc, &t, &changed, err);
	return rc ? rc : count_row(r, MIMIC_TRANSFERS, changed);
}

int mimic_load_transfers(struct mimic_run *r, mrt_err *err)
{
	struct mimic_table_rd tb;
	int rc = mimic_tab_open(r, MIMIC_TRANSFERS, 0, &tb, err);
	while (rc == 0 && tb.m) {
		struct mimic_transfer row;
		mrt_err rerr = {0};
		int k = mimic_tab_step(r, &tb, mimic_read_transfer(tb.m, &row, &rerr), &rerr, err);
		if (k == 2)
			break;
		rc = k < 0 ? k : k == 1 ? put_transfer(r, &tb, &row, err) : 0;
	}
	mimic_tab_close(&tb);
	return rc;
}

/* The encounter of a row, checked against its subject; 0 after keeping the
 * row as a reject. */
static int row_encounter(struct mimic_run *r, struct mimic_table_rd *tb, int64_t subject,
			 int64_t hadm, int64_t *enc, int64_t *pat, mrt_err *err)
{
	int rc;
	int64_t sp = 0;
	if (!mimic_encounter_of(r, hadm, enc, pat))
		rc = mimic_reject(r, tb, "no admission for this hadm_id", err);
	else if (!mimic_patient_of(r, subject, &sp))
		rc = mimic_reject(r, tb, "no patient for this subject_id", err);
	else if (sp != *pat)
		rc = mimic_reject(r, tb, "hadm_id belongs to another subject_id", err);
	else
		return 1;
	return rc ? rc : 0;
}

static int put_service(struct mimic_run *r, struct mimic_table_rd *tb,
		       const struct mimic_service *x, mrt_err *err)
{
	int64_t enc, pat;
	int rc = row_encounter(r, tb, x->subject_id, x->hadm_id, &enc, &pat, err);
	if (rc <= 0)
		return rc;
	char at[IMPORT_TIME_LEN];
	import_time_iso(at, &x->transfertime);
	int changed = 0;
	rc = chart_service_put(r->b.db, &r->b.ctx, pat, enc, at,
			       x->prev_service && *x->prev_service ? x->prev_service : NULL,
			       x->curr_service, &changed, err);
	return rc ? rc : count_row(r, MIMIC_SERVICES, changed);
}

int mimic_load_services(struct mimic_run *r, mrt_err *err)
{
	struct mimic_table_rd tb;
	int rc = mimic_tab_open(r, MIMIC_SERVICES, 0, &tb, err);
	while (rc == 0 && tb.m) {
		struct mimic_service row;
		mrt_err rerr = {0};
		int k = mimic_tab_step(r, &tb, mimic_read_service(tb.m, &row, &rerr), &rerr, err);
		if (k == 2)
			break;
		rc = k < 0 ? k : k == 1 ? put_service(r, &tb, &row, err) : 0;
	}
	mimic_tab_close(&tb);
	return rc;
}

static int put_drg(struct mimic_run *r, struct mimic_table_rd *tb, const struct mimic_drg *x,
		   mrt_err *err)
{
	int64_t enc, pat;
	int rc = row_encounter(r, tb, x->subject_id, x->hadm_id, &enc, &pat, err);
	if (rc <= 0)
		return rc;
	int changed = 0;
	rc = chart_drg_put(r->b.db, &r->b.ctx, pat, enc, x->drg_type, x->drg_code, x->description,
			   x->drg_severity, x->drg_mortality, &changed, err);
	return rc ? rc : count_row(r, MIMIC_DRGCODES, changed);
}

int mimic_load_drgs(struct mimic_run *r, mrt_err *err)
{
	struct mimic_table_rd tb;
	int rc = mimic_tab_open(r, MIMIC_DRGCODES, 0, &tb, err);
	while (rc == 0 && tb.m) {
		struct mimic_drg row;
		mrt_err rerr = {0};
		int k = mimic_tab_step(r, &tb, mimic_read_drg(tb.m, &row, &rerr), &rerr, err);
		if (k == 2)
			break;
		rc = k < 0 ? k : k == 1 ? put_drg(r, &tb, &row, err) : 0;
	}
	mimic_tab_close(&tb);
	return rc;
}

/* ---- diagnoses_icd, procedures_icd ------------------------------------- */

struct icd_row {
	int64_t hadm;
	uint32_t line;
	int16_t seq;
	int8_t version;
	char code[8];
	mrt_day chartdate;
};

struct icd_rows {
	struct icd_row *v;
	size_t n, cap;
};

static int icd_cmp(const void *a, const void *b)
{
	const struct icd_row *x = a, *y = b;
	if (x->hadm != y->hadm)
		return x->hadm < y->hadm ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int icd_keep(struct mimic_run *r, struct mimic_table_rd *tb, struct icd_rows *rows,
		    const struct mimic_icd *x, mrt_err *err)
{
	int64_t enc, pat;
	int rc = row_encounter(r, tb, x->subject_id, x->hadm_id, &enc, &pat, err);
	if (rc <= 0)
		return rc;
	if (strlen(x->icd_code) >= sizeof rows->v->code)
		return mimic_reject(r, tb, "icd_code longer than 7 characters", err);
	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 1024;
		struct icd_row *v = realloc(rows->v, cap * sizeof *v);
		if (!v)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory (%zu ICD rows)",
					   rows->n);
		rows->v = v;
		rows->cap = cap;
	}
	struct icd_row *o = &rows->v[rows->n++];
	memset(o, 0, sizeof *o);
	o->hadm = x->hadm_id;
	o->line = (uint32_t)csv_lineno(mimic_csv(tb->m));
	o->seq = (int16_t)x->seq_num;
	o->version = (int8_t)x->icd_version;
	mrt_strlcpy(o->code, x->icd_code, sizeof o->code);
	o->chartdate = x->chartdate;
	return mimic_code_used(r, tb->t == MIMIC_PROCEDURES_ICD, x->icd_version, x->icd_code, err);
}

static int icd_read(struct mimic_run *r, enum mimic_table t, struct icd_rows *rows, mrt_err *err)
{
	struct mimic_table_rd tb;
	int rc = mimic_tab_open(r, t, 0, &tb, err);
	while (rc == 0 && tb.m) {
		struct mimic_icd row;
		mrt_err rerr = {0};
		int k = mimic_tab_step(r, &tb, mimic_read_icd(tb.m, &row, &rerr), &rerr, err);
		if (k == 2)
			break;
		rc = k < 0 ? k : k == 1 ? icd_keep(r, &tb, rows, &row, err) : 0;
	}
	mimic_tab_close(&tb);
	return rc;
}

/* One encounter's rows of one table: [i, j) of rows, empty when i == j. */
struct icd_group {
	const struct icd_row *v;
	size_t n;
};

static void fill_dx(const struct mimic_run *r, struct chart_dx *dx, const struct icd_group *g)
{
	for (size_t i = 0; i < g->n; i++) {
		const struct icd_row *x = &g->v[i];
		dx[i] = (struct chart_dx){.system = x->version == 9 ? CHART_SYS_ICD9CM
								    : CHART_SYS_ICD10CM,
					  .code = x->code,
					  .display = mimic_title(r, 0, x->version, x->code),
					  .kind = x->seq == 1 ? "principal" : "secondary"};
	}
}

static void fill_px(const struct mimic_run *r, struct chart_px *px, char (*dates)[MRT_DATE_LEN],
		    const struct icd_group *g)
{
	for (size_t i = 0; i < g->n; i++) {
		const struct icd_row *x = &g->v[i];
		mrt_date_format(dates[i], x->chartdate);
		px[i] = (struct chart_px){.system = x->version == 9 ? CHART_SYS_ICD9CM
								    : CHART_SYS_ICD10PCS,
					  .code = x->code,
					  .display = mimic_title(r, 1, x->version, x->code),
					  .performed_at = dates[i]};
	}
}

static void count_group(struct mimic_run *r, enum mimic_table t, size_t n, int changed)
{
	if (changed)
		r->n[t].created += (int64_t)n;
	else
		r->n[t].unchanged += (int64_t)n;
}

/* Applies one encounter's diagnoses and procedures in one coding change:
 * the list a file gives replaces the current one (REPLACE), a list the
 * files do not give for this encounter is kept (KEEP). items has room for
 * dx->n diagnoses and px->n procedures with their dates. */
static int icd_apply(struct mimic_run *r, const struct icd_group *dx, const struct icd_group *px,
		     void *items, mrt_err *err)
{
	int64_t enc = 0, pat = 0;
	mimic_encounter_of(r, (dx->n ? dx->v : px->v)[0].hadm, &enc, &pat);
	struct chart_dx *dxs = items;
	struct chart_px *pxs = (void *)(dxs + dx->n);
	char(*dates)[MRT_DATE_LEN] = (void *)(pxs + px->n);
	fill_dx(r, dxs, dx);
	fill_px(r, pxs, dates, px);
	struct chart_coding_change ch = {.dx_mode = dx->n ? CHART_REPLACE : CHART_KEEP,
					 .px_mode = px->n ? CHART_REPLACE : CHART_KEEP,
					 .dx = dxs,
					 .n_dx = dx->n,
					 .px = pxs,
					 .n_px = px->n};
	int64_t coding = 0;
	int changed = 0;
	int rc = chart_coding_apply(r->b.db, &r->b.ctx, pat, enc, &ch, &coding, &changed, err);
	if (rc)
		return rc;
	r->codings_created += changed;
	r->codings_unchanged += !changed;
	count_group(r, MIMIC_DIAGNOSES_ICD, dx->n, changed);
	count_group(r, MIMIC_PROCEDURES_ICD, px->n, changed);
	return 0;
}

/* The group of rows of v[*at..] with hadm_id hadm (empty when the next row
 * has another), advancing *at past it. */
static struct icd_group next_group(const struct icd_rows *rows, size_t *at, int64_t hadm)
{
	struct icd_group g = {rows->v ? rows->v + *at : NULL, 0};
	while (*at < rows->n && rows->v[*at].hadm == hadm) {
		(*at)++;
		g.n++;
	}
	return g;
}

static int grow_items(void **items, size_t *cap, size_t need, mrt_err *err)
{
	if (need <= *cap)
		return 0;
	import_free_zero(*items, *cap);
	*cap = need * 2;
	*items = malloc(*cap);
	return *items ? 0 : mrt_err_set(err, MRT_ENOMEM, "out of memory");
}

/* Walks both lists (sorted by hadm_id) together, one apply per encounter. */
static int icd_apply_all(struct mimic_run *r, struct icd_rows *dx, struct icd_rows *px,
			 mrt_err *err)
{
	if (dx->n)
		qsort(dx->v, dx->n, sizeof *dx->v, icd_cmp);
	if (px->n)
		qsort(px->v, px->n, sizeof *px->v, icd_cmp);
	void *items = NULL;
	size_t cap = 0, i = 0, j = 0;
	struct import_progress p;
	import_progress_start(&p, "codings (apply)", dx->n + px->n);
	int rc = 0;
	while (rc == 0 && (i < dx->n || j < px->n)) {
		int64_t h = i == dx->n					  ? px->v[j].hadm
			    : j == px->n || dx->v[i].hadm < px->v[j].hadm ? dx->v[i].hadm
									  : px->v[j].hadm;
		struct icd_group gd = next_group(dx, &i, h), gp = next_group(px, &j, h);
		size_t need = gd.n * sizeof(struct chart_dx) +
			      gp.n * (sizeof(struct chart_px) + MRT_DATE_LEN);
		if ((rc = grow_items(&items, &cap, need, err)) != 0)
			break;
		rc = icd_apply(r, &gd, &gp, items, err);
		import_progress_add(&p, gd.n + gp.n);
	}
	import_progress_end(&p);
	import_free_zero(items, cap);
	return rc;
}

int mimic_load_icd(struct mimic_run *r, mrt_err *err)
{
	struct icd_rows dx = {0}, px = {0};
	int rc = icd_read(r, MIMIC_DIAGNOSES_ICD, &dx, err);
	if (rc == 0)
		rc = icd_read(r, MIMIC_PROCEDURES_ICD, &px, err);
	if (rc == 0)
		rc = mimic_load_titles(r, err);
	if (rc == 0)
		rc = icd_apply_all(r, &dx, &px, err);
	import_free_zero(dx.v, dx.n * sizeof *dx.v);
	import_free_zero(px.v, px.n * sizeof *px.v);
	return rc;
}
