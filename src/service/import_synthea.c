/*
 * Synthea CSV import (see import_synthea.h): the files, the transaction,
 * organizations and payers (names only, for encounters), providers and
 * patients. Encounters, conditions and procedures are in
 * import_synthea_rows.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/str.h"
#include "service/import_synthea_int.h"

static const char *table_name(enum synthea_table t)
{
	static const char *const names[SYNTHEA_NTABLES] = {
	    "patients",	 "encounters",	  "conditions", "procedures",
	    "providers", "organizations", "payers",
	};
	return names[t];
}

int syn_tab_open(struct syn_run *r, enum synthea_table t, int required, struct syn_tab *tb,
		 mrt_err *err)
{
	memset(tb, 0, sizeof *tb);
	tb->t = t;
	int rc = import_path(r->b.path, r->b.dir, synthea_table_file(t), err);
	if (rc)
		return rc;
	size_t k = strlen(r->b.path);
	if (!import_file_exists(r->b.path) && k + 4 < sizeof r->b.path)
		memcpy(r->b.path + k, ".gz", 4);
	if (!import_file_exists(r->b.path)) {
		if (required)
			return mrt_err_set(err, MRT_ENOTFOUND, "%s: no %s (.csv or .csv.gz)",
					   r->b.dir, table_name(t));
		return json_array_append_new(r->absent, json_string(table_name(t))) ? MRT_ENOMEM
										    : 0;
	}
	if ((rc = synthea_open(&tb->rd, t, r->b.dir, err)) != 0) {
		r->b.file_failed = 1;
		r->b.fail_line = 1;
		return rc;
	}
	struct stat st;
	import_progress_start(&tb->p, table_name(t),
			      stat(r->b.path, &st) == 0 ? (uint64_t)st.st_size : 0);
	return 0;
}

void syn_tab_close(struct syn_tab *tb)
{
	if (!tb->rd)
		return;
	import_progress_end(&tb->p);
	synthea_close(tb->rd);
	tb->rd = NULL;
}

int syn_reject(struct syn_run *r, struct syn_tab *tb, const char *reason, mrt_err *err)
{
	r->n[tb->t].rejected++;
	return import_reject_row(r->b.db, &r->b.ctx, "synthea", r->b.path, synthea_csv(tb->rd), reason,
				 &r->line, err);
}

int syn_tab_step(struct syn_run *r, struct syn_tab *tb, int rc, mrt_err *rerr, mrt_err *err)
{
	if (rc == 0)
		return 2;
	if (rc < 0) {
		r->b.file_failed = 1;
		r->b.fail_line = csv_lineno(synthea_csv(tb->rd));
		*err = *rerr;
		return rc;
	}
	r->n[tb->t].read++;
	unsigned long long at = csv_src_bytes(synthea_csv(tb->rd));
	if (at > tb->p.done)
		import_progress_add(&tb->p, at - tb->p.done);
	if (rc != CSV_REJECT)
		return 1;
	rc = syn_reject(r, tb, rerr->msg, err);
	return rc ? rc : 0;
}

void syn_count_put(struct import_count *n, int existed, int changed)
{
	if (!existed)
		n->created++;
	else if (changed)
		n->updated++;
	else
		n->unchanged++;
}

const char *syn_name(const struct syn_run *r, const import_map *m, const char *id)
{
	int64_t i;
	if (!id || !*id || !import_map_get(m, id, &i, NULL))
		return NULL;
	return r->names.v[i];
}

static int keep_name(struct syn_run *r, import_map *m, const char *id, const char *name,
		     mrt_err *err)
{
	struct syn_names *nv = &r->names;
	if (nv->n == nv->cap) {
		size_t cap = nv->cap ? nv->cap * 2 : 64;
		char **v = realloc(nv->v, cap * sizeof *v);
		if (!v)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		nv->v = v;
		nv->cap = cap;
	}
	char *copy = mrt_strndup(name ? name : "", name ? strlen(name) : 0);
	if (!copy)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	nv->v[nv->n] = copy;
	if (import_map_put(m, id, (int64_t)nv->n, 0) != 0)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	nv->n++;
	return 0;
}

/* Organizations and payers: their names only (no chart table of their own). */
static int load_names(struct syn_run *r, enum synthea_table t, mrt_err *err)
{
	struct syn_tab tb;
	int rc = syn_tab_open(r, t, 0, &tb, err);
	while (rc == 0 && tb.rd) {
		struct synthea_organization o;
		struct synthea_payer p;
		mrt_err rerr = {0};
		int k = syn_tab_step(r, &tb,
				     t == SYNTHEA_ORGANIZATIONS
					 ? synthea_read_organization(tb.rd, &o, &rerr)
					 : synthea_read_payer(tb.rd, &p, &rerr),
				     &rerr, err);
		if (k == 2)
			break;
		if (k < 0)
			rc = k;
		else if (k == 1) {
			rc = t == SYNTHEA_ORGANIZATIONS ? keep_name(r, r->org, o.id, o.name, err)
							: keep_name(r, r->payer, p.id, p.name, err);
			r->n[t].unchanged += rc == 0; /* read for reference only */
		}
	}
	syn_tab_close(&tb);
	return rc;
}

static int put_provider(struct syn_run *r, const struct synthea_provider *x, mrt_err *err)
{
	int64_t id;
	mrt_err ferr = {0};
	int existed = chart_provider_find(r->b.db, SYNTHEA_SYSTEM, x->id, &id, &ferr) == 0;
	struct chart_provider p = {
	    .system = SYNTHEA_SYSTEM, .ident = x->id, .name = x->name, .specialty = x->speciality};
	int changed = 0;
	int rc = chart_provider_put(r->b.db, &r->b.ctx, &p, &id, &changed, err);
	if (rc)
		return rc;
	syn_count_put(&r->n[SYNTHEA_PROVIDERS], existed, changed);
	return import_map_put(r->prov, x->id, id, 0) ? mrt_err_set(err, MRT_ENOMEM, "out of memory")
						     : 0;
}

static int load_providers(struct syn_run *r, mrt_err *err)
{
	struct syn_tab tb;
	int rc = syn_tab_open(r, SYNTHEA_PROVIDERS, 0, &tb, err);
	while (rc == 0 && tb.rd) {
		struct synthea_provider row;
		mrt_err rerr = {0};
		int k = syn_tab_step(r, &tb, synthea_read_provider(tb.rd, &row, &rerr), &rerr, err);
		if (k == 2)
			break;
		rc = k < 0 ? k : k == 1 ? put_provider(r, &row, err) : 0;
	}
	syn_tab_close(&tb);
	return rc;
}

static const char *opt(const char *s)
{
	return s && *s ? s : NULL;
}

static int put_patient(struct syn_run *r, const struct synthea_patient *x, mrt_err *err)
{
	char birth[MRT_DATE_LEN], death[MRT_DATE_LEN], sex[2] = {x->gender, 0};
	mrt_date_format(birth, x->birthdate);
	struct chart_patient p;
	chart_patient_init(&p);
	p.mrn = x->id;
	p.mrn_system = SYNTHEA_SYSTEM;
	p.source_ref = x->id;
	p.family = x->last;
	p.given = x->first;
	p.prefix = opt(x->prefix);
	p.suffix = opt(x->suffix);
	p.birth_date = birth;
	p.sex = sex;
	p.address_line = opt(x->address);
	p.city = opt(x->city);
	p.state = opt(x->state);
	p.postal_code = opt(x->zip);
	p.marital_status = opt(x->marital);
	p.race = opt(x->race);
	p.ethnicity = opt(x->ethnicity);
	if (x->has_deathdate) {
		mrt_date_format(death, x->deathdate);
		p.deceased = 1;
		p.death_at = death;
	}
	struct chart_name maiden = {.use = "maiden", .family = x->maiden, .given = x->first};
	if (opt(x->maiden)) {
		p.names = &maiden;
		p.n_names = 1;
	}
	struct chart_ident ssn = {.system = SYNTHEA_SSN_SYSTEM, .type = "SS", .value = x->ssn};
	if (opt(x->ssn)) {
		p.idents = &ssn;
		p.n_idents = 1;
	}
	int64_t id;
	mrt_err ferr = {0};
	int existed = chart_patient_by_mrn(r->b.db, x->id, &id, &ferr) == 0;
	int changed = 0;
	int rc = chart_patient_put(r->b.db, &r->b.ctx, &p, &id, &changed, err);
	if (rc)
		return rc;
	syn_count_put(&r->n[SYNTHEA_PATIENTS], existed, changed);
	return import_map_put(r->pat, x->id, id, 0) ? mrt_err_set(err, MRT_ENOMEM, "out of memory")
						    : 0;
}

static int load_patients(struct syn_run *r, mrt_err *err)
{
	struct syn_tab tb;
	int rc = syn_tab_open(r, SYNTHEA_PATIENTS, 1, &tb, err);
	while (rc == 0) {
		struct synthea_patient row;
		mrt_err rerr = {0};
		int k = syn_tab_step(r, &tb, synthea_read_patient(tb.rd, &row, &rerr), &rerr, err);
		if (k == 2)
			break;
		if (k == 1 && import_map_get(r->pat, row.id, NULL, NULL))
			rc = syn_reject(r, &tb, "Id repeats an earlier patient row", err);
		else
			rc = k < 0 ? k : k == 1 ? put_patient(r, &row, err) : 0;
	}
	syn_tab_close(&tb);
	return rc;
}

static int resolve_dir(struct syn_run *r, const char *dir, mrt_err *err)
{
	char p[PATH_MAX], f[PATH_MAX];
	if (!dir || !*dir)
		return mrt_err_set(err, MRT_EINVAL, "give the Synthea CSV directory");
	if (!import_dir_exists(dir))
		return mrt_err_set(err, MRT_ENOTFOUND, "%s: not a directory", dir);
	int rc = import_path(p, dir, "csv", err);
	if (rc == 0)
		rc = import_path(f, dir, "patients.csv", err);
	if (rc)
		return rc;
	const char *use = !import_file_exists(f) && import_dir_exists(p) ? p : dir;
	return import_dir_canon(r->b.dir, use, err);
}

static int run_all(struct import_dir_run *b, mrt_err *err)
{
	struct syn_run *r = (struct syn_run *)b;
	int rc = load_names(r, SYNTHEA_ORGANIZATIONS, err);
	if (rc == 0)
		rc = load_names(r, SYNTHEA_PAYERS, err);
	if (rc == 0)
		rc = load_providers(r, err);
	if (rc == 0)
		rc = load_patients(r, err);
	if (rc == 0)
		rc = syn_load_encounters(r, err);
	if (rc == 0)
		rc = syn_load_codes(r, SYNTHEA_CONDITIONS, err);
	if (rc == 0)
		rc = syn_load_codes(r, SYNTHEA_PROCEDURES, err);
	return rc;
}

static int64_t total_rejected(const struct syn_run *r)
{
	int64_t n = 0;
	for (int t = 0; t < SYNTHEA_NTABLES; t++)
		n += r->n[t].rejected;
	return n;
}

static json_t *report_json(struct import_dir_run *b, double secs)
{
	struct syn_run *r = (struct syn_run *)b;
	static const enum synthea_table order[] = {
	    SYNTHEA_ORGANIZATIONS, SYNTHEA_PAYERS,     SYNTHEA_PROVIDERS,  SYNTHEA_PATIENTS,
	    SYNTHEA_ENCOUNTERS,	   SYNTHEA_CONDITIONS, SYNTHEA_PROCEDURES,
	};
	json_t *tables = json_object();
	for (size_t i = 0; tables && i < sizeof order / sizeof *order; i++)
		json_object_set_new(tables, table_name(order[i]),
				    import_count_json(&r->n[order[i]]));
	return json_pack("{s:s,s:s,s:o,s:O,s:I,s:{s:I,s:I},s:{s:I},s:f}", "source", "synthea",
			 "dir", r->b.dir, "tables", tables, "absent", r->absent, "rejected",
			 (json_int_t)total_rejected(r), "codings", "created",
			 (json_int_t)r->codings_created, "unchanged",
			 (json_int_t)r->codings_unchanged, "unmapped", "encounterclass",
			 (json_int_t)r->unknown_class, "seconds", secs);
}

static int audit_done(struct import_dir_run *b, mrt_err *err)
{
	struct syn_run *r = (struct syn_run *)b;
	char detail[400];
	const struct import_count *n = r->n;
	snprintf(detail, sizeof detail,
		 "read: providers %" PRId64 ", patients %" PRId64 ", encounters %" PRId64
		 ", conditions %" PRId64 ", procedures %" PRId64 "; patients created %" PRId64
		 ", encounters created %" PRId64 ", codings written %" PRId64 "; rejected %" PRId64,
		 n[SYNTHEA_PROVIDERS].read, n[SYNTHEA_PATIENTS].read, n[SYNTHEA_ENCOUNTERS].read,
		 n[SYNTHEA_CONDITIONS].read, n[SYNTHEA_PROCEDURES].read,
		 n[SYNTHEA_PATIENTS].created, n[SYNTHEA_ENCOUNTERS].created, r->codings_created,
		 total_rejected(r));
	struct mrt_audit_rec a = {.action = "import.synthea",
				  .object_type = "import",
				  .object_id = "synthea",
				  .detail = detail};
	return mrt_session_audit(r->b.s, &a, err);
}

static void run_free(struct syn_run *r)
{
	for (size_t i = 0; i < r->names.n; i++)
		free(r->names.v[i]);
	free(r->names.v);
	import_map_free(r->pat);
	import_map_free(r->enc);
	import_map_free(r->prov);
	import_map_free(r->org);
	import_map_free(r->payer);
	mrt_buf_free(&r->line);
	import_dir_run_free(&r->b);
	json_decref(r->absent);
	free(r);
}

static int run_new(struct syn_run **out, mrt_session *s, mrt_err *err)
{
	struct syn_run *r = calloc(1, sizeof *r);
	*out = r;
	if (!r)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	int rc = import_dir_run_init(&r->b, s, "synthea", err);
	if (rc)
		return rc;
	mrt_buf_init(&r->line, (size_t)16 << 20);
	r->pat = import_map_new();
	r->enc = import_map_new();
	r->prov = import_map_new();
	r->org = import_map_new();
	r->payer = import_map_new();
	r->absent = json_array();
	if (!r->pat || !r->enc || !r->prov || !r->org || !r->payer || !r->absent)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	return 0;
}

static const struct import_dir_steps steps = { "synthea", "import.synthea", run_all, audit_done,
	                                          report_json };

int import_synthea(mrt_session *s, const char *dir, json_t **report, mrt_err *err)
{
	*report = NULL;
	struct syn_run *r = NULL;
	int rc = mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_HIM, "import.synthea", err);
	if (rc == 0 && (rc = run_new(&r, s, err)) == 0 && (rc = resolve_dir(r, dir, err)) == 0)
		rc = import_dir_run(&r->b, &steps, report, err);
	if (r)
		run_free(r);
	return rc;
}
