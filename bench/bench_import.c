/*
 * Benchmark: bulk import of a generated hospital (bench/hospital_gen.h)
 * through `import_mimic`, with every index of the chart schema, beside
 * its peer measured in the same run: plain prepared SQLite INSERTs of the
 * very rows the import wrote (read back from its database beforehand, in
 * chunks, not timed) into a fresh database with the same schema and
 * indexes and page cache, in one transaction. Prints the phases (generate, CSV parse
 * alone, code sets, import, re-import, peer), rows/s for mrt and the peer,
 * their ratio (goal: within 1.5x), peak RSS after each phase and the
 * database size.
 *
 * It also checks what it measures: the generator is deterministic (same
 * seed, same bytes) and every generated row reads without a reject; the
 * import reads every row and every code title and rejects none, and
 * stores each code with its title; with the code sets loaded, the
 * only diagnosis findings are the header codes the generator put in on
 * purpose (with --codes); a second import changes nothing; the peer holds the same row
 * counts. Any failure exits 1.
 *
 * --smoke: 300 patients. --patients N, --seed N, --header-rate X (share of
 * diagnoses given as header codes), --keep (leave the temporary folder),
 * --codes: load the FY2025 and FY2026 ICD-10-CM and
 * ICD-10-PCS order files first (not timed), so every code is checked
 * against a real release and the only diagnosis findings must be the
 * header codes; without it the findings say no release is loaded.
 */
#include <inttypes.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "bench_common.h"
#include "formats/mimic.h"
#include "hospital_gen.h"
#include "service/codes_svc.h"
#include "service/import_mimic.h"
#include "service/import_util.h"
#include "service/site.h"

/* The chart tables, parents before children. */
static const char *const chart_tables[] = {
    "provider",	    "patient",		 "patient_history",   "patient_identifier",
    "patient_name", "encounter",	 "encounter_history", "coding_status_history",
    "transfer",	    "encounter_service", "encounter_drg",     "coding",
    "diagnosis",    "procedure",	 "coding_finding",    "document",
    "label",	    "patient_link",	 "encounter_link",    "message_log",
    "reject",
};
#define NTABLES (sizeof chart_tables / sizeof *chart_tables)

struct cfg {
	long patients;
	double header_rate;
	uint64_t seed;
	int smoke, codes, keep;
	char data[4200], dir[64], gen[128], mrt_db[128], peer_db[128];
};

struct figures {
	struct hgen_counts gen;
	double cpu_import, cpu_peer; /* user + system seconds (the machine may be shared) */
	long long rows[NTABLES], total_rows, headers_found;
	double t_gen, t_parse, t_codes, t_import, t_reimport, t_peer, t_peer_tab[NTABLES];
	long rss_gen, rss_import, rss_peer;
	long long db_bytes, peer_bytes;
};

static double cpu_now(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int fail(mrt_err *err, const char *what)
{
	return mrt_err_set(err, MRT_EINVAL, "check failed: %s", what);
}

/* ---- generate ---------------------------------------------------------- */

static int same_file(const char *a, const char *b)
{
	FILE *x = fopen(a, "rb"), *y = fopen(b, "rb");
	int same = x && y;
	while (same) {
		int c = fgetc(x), d = fgetc(y);
		same = c == d;
		if (c == EOF)
			break;
	}
	if (x)
		fclose(x);
	if (y)
		fclose(y);
	return same;
}

static int gen_at(const struct cfg *c, const hgen_codes *codes, const char *dir, uint64_t seed,
		  struct hgen_counts *n, mrt_err *err)
{
	struct hgen_opts o;
	hgen_opts_init(&o);
	o.patients = c->patients;
	o.seed = seed;
	if (c->header_rate >= 0)
		o.header_rate = c->header_rate;
	return hgen_write(dir, &o, codes, n, err);
}

/* Same seed: the same bytes; another seed: other diagnoses. */
static int check_determinism(const struct cfg *c, const hgen_codes *codes, mrt_err *err)
{
	char again[160], other[160], a[256], b[256];
	struct hgen_counts n;
	snprintf(again, sizeof again, "%s/again", c->dir);
	snprintf(other, sizeof other, "%s/other", c->dir);
	int rc = gen_at(c, codes, again, c->seed, &n, err);
	if (rc == 0)
		rc = gen_at(c, codes, other, c->seed + 1, &n, err);
	for (int t = 0; rc == 0 && t < MIMIC_NTABLES; t++) {
		snprintf(a, sizeof a, "%s/hosp/%s", c->gen, mimic_table_file((enum mimic_table)t));
		snprintf(b, sizeof b, "%s/hosp/%s", again, mimic_table_file((enum mimic_table)t));
		if (!same_file(a, b))
			rc = fail(err, "the same seed gave different files");
	}
	snprintf(a, sizeof a, "%s/hosp/diagnoses_icd.csv.gz", c->gen);
	snprintf(b, sizeof b, "%s/hosp/diagnoses_icd.csv.gz", other);
	if (rc == 0 && same_file(a, b))
		rc = fail(err, "another seed gave the same diagnoses");
	return rc;
}

static int generate(const struct cfg *c, struct figures *f, mrt_err *err)
{
	hgen_codes *codes = NULL;
	int rc = hgen_codes_load(&codes, c->data, err);
	double t0 = bench_now();
	if (rc == 0)
		rc = gen_at(c, codes, c->gen, c->seed, &f->gen, err);
	f->t_gen = bench_now() - t0;
	if (rc == 0 && c->smoke)
		rc = check_determinism(c, codes, err);
	hgen_codes_free(codes);
	f->rss_gen = bench_peak_rss_kb();
	return rc;
}

/* ---- parse alone ------------------------------------------------------- */

static int read_table(mimic_reader *m, enum mimic_table t, long long *rows, mrt_err *err)
{
	union {
		struct mimic_patient p;
		struct mimic_admission a;
		struct mimic_transfer tr;
		struct mimic_service s;
		struct mimic_icd i;
		struct mimic_provider pr;
		struct mimic_drg d;
	} u;
	for (;;) {
		int rc;
		switch (t) {
		case MIMIC_PATIENTS:
			rc = mimic_read_patient(m, &u.p, err);
			break;
		case MIMIC_ADMISSIONS:
			rc = mimic_read_admission(m, &u.a, err);
			break;
		case MIMIC_TRANSFERS:
			rc = mimic_read_transfer(m, &u.tr, err);
			break;
		case MIMIC_SERVICES:
			rc = mimic_read_service(m, &u.s, err);
			break;
		case MIMIC_PROVIDER:
			rc = mimic_read_provider(m, &u.pr, err);
			break;
		case MIMIC_DRGCODES:
			rc = mimic_read_drg(m, &u.d, err);
			break;
		default:
			rc = mimic_read_icd(m, &u.i, err);
			break;
		}
		if (rc == 0)
			return 0;
		if (rc == CSV_REJECT)
			return fail(err, "a generated row was rejected by the MIMIC reader");
		if (rc < 0)
			return rc;
		if (t == MIMIC_ADMISSIONS &&
		    (!u.a.discharge_status || u.a.encounter_class == MIMIC_CLASS_UNKNOWN))
			return fail(err, "a generated admission has an unmapped type or location");
		(*rows)++;
	}
}

static long long gen_rows(const struct hgen_counts *n, enum mimic_table t)
{
	switch (t) {
	case MIMIC_PATIENTS:
		return n->patients;
	case MIMIC_ADMISSIONS:
		return n->admissions;
	case MIMIC_TRANSFERS:
		return n->transfers;
	case MIMIC_SERVICES:
		return n->services;
	case MIMIC_DIAGNOSES_ICD:
		return n->diagnoses;
	case MIMIC_PROCEDURES_ICD:
		return n->procedures;
	case MIMIC_PROVIDER:
		return n->providers;
	default:
		return n->drgs;
	}
}

/* Every table through the typed readers, no database: the parse share of
 * the import's time, and proof that every generated row is readable. */
static int parse_alone(const struct cfg *c, struct figures *f, mrt_err *err)
{
	char hosp[160];
	snprintf(hosp, sizeof hosp, "%s/hosp", c->gen);
	double t0 = bench_now();
	int rc = 0;
	for (int t = 0; rc == 0 && t < MIMIC_NTABLES; t++) {
		mimic_reader *m = NULL;
		long long rows = 0;
		rc = mimic_open(&m, (enum mimic_table)t, hosp, err);
		if (rc == 0)
			rc = read_table(m, (enum mimic_table)t, &rows, err);
		mimic_close(m);
		if (rc == 0 && rows != gen_rows(&f->gen, (enum mimic_table)t))
			rc = fail(err, "rows read differ from rows generated");
	}
	f->t_parse = bench_now() - t0;
	return rc;
}

/* ---- mrt --------------------------------------------------------------- */

static int load_codes(mrt_session *s, const struct cfg *c, struct figures *f, mrt_err *err)
{
	static const char *const rel[] = {
	    "icd10cm/fy2025/icd10cm_order_2025.txt",
	    "icd10cm/fy2026/icd10cm_order_2026.txt",
	    "icd10pcs/fy2025/icd10pcs_order_2025.txt",
	    "icd10pcs/fy2026/icd10pcs_order_2026.txt",
	};
	char paths[4][4300];
	const char *p[4];
	for (int i = 0; i < 4; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/%s", c->data, rel[i]);
		p[i] = paths[i];
	}
	struct codes_svc_load_req req = {.paths = p, .npaths = 4};
	json_t *rep = NULL;
	double t0 = bench_now();
	int rc = codes_svc_load(s, &req, &rep, err);
	f->t_codes = bench_now() - t0;
	json_decref(rep);
	return rc;
}

static long long count_rows(sqlite3 *h, const char *schema, const char *table, const char *where)
{
	char sql[256];
	sqlite3_stmt *st = NULL;
	long long n = -1;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s.%s %s", schema, table, where);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The report's counters: every row read, none rejected; changes only on
 * the first run. */
static int check_report(const json_t *rep, const struct figures *f, int first, mrt_err *err)
{
	json_t *tables = json_object_get(rep, "tables");
	for (int t = 0; t < MIMIC_NTABLES; t++) {
		const char *file = mimic_table_file((enum mimic_table)t);
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(strcspn(file, ".")), file);
		json_t *n = json_object_get(tables, name);
		json_int_t read = json_integer_value(json_object_get(n, "read"));
		json_int_t made = json_integer_value(json_object_get(n, "created")) +
				  json_integer_value(json_object_get(n, "updated"));
		if (!n || read != gen_rows(&f->gen, (enum mimic_table)t))
			return fail(err, "the import did not read every generated row");
		if (json_integer_value(json_object_get(n, "rejected")) != 0)
			return fail(err, "the import rejected a generated row");
		if (!first && made != 0)
			return fail(err, "a second import changed something");
	}
	json_t *titles = json_object_get(rep, "titles");
	if (json_integer_value(json_object_get(titles, "read")) != f->gen.titles ||
	    json_integer_value(json_object_get(titles, "skipped")) != 0 ||
	    json_integer_value(json_object_get(titles, "used")) <= 0)
		return fail(err, "the import did not read the generated code titles");
	return 0;
}

static int run_import(mrt_session *s, const struct cfg *c, struct figures *f, int first,
		      mrt_err *err)
{
	json_t *rep = NULL;
	double t0 = bench_now(), c0 = cpu_now();
	int rc = import_mimic(s, c->gen, &rep, err);
	double dt = bench_now() - t0;
	if (first)
		f->cpu_import = cpu_now() - c0;
	if (first)
		f->t_import = dt;
	else
		f->t_reimport = dt;
	if (rc == 0)
		rc = check_report(rep, f, first, err);
	json_decref(rep);
	return rc;
}

/* Row counts of the chart tables; a second call must find the same. */
static int count_chart(mrt_session *s, const struct cfg *c, struct figures *f, mrt_err *err)
{
	sqlite3 *h = mrt_db_sqlite(mrt_session_db(s));
	long long total = 0;
	for (size_t i = 0; i < NTABLES; i++) {
		long long n = count_rows(h, "main", chart_tables[i], "");
		if (n < 0)
			return mrt_err_set(err, MRT_EDB, "counting %s failed", chart_tables[i]);
		if (f->total_rows && n != f->rows[i])
			return fail(err, "row counts changed on a second import");
		f->rows[i] = n;
		total += n;
	}
	f->total_rows = total;
	/* Every code has its title from the generated dictionaries. */
	if (count_rows(h, "main", "diagnosis", "WHERE display IS NULL") != 0 ||
	    count_rows(h, "main", "procedure", "WHERE display IS NULL") != 0)
		return fail(err, "a diagnosis or procedure was stored without its title");
	/* With the code sets: the only diagnosis findings are the header codes. */
	f->headers_found = count_rows(h, "main", "coding_finding", "WHERE item = 'diagnosis'");
	long long not_billable = count_rows(
	    h, "main", "coding_finding", "WHERE item = 'diagnosis' AND problem = 'not-billable'");
	if (c->codes && (f->headers_found != f->gen.headers || not_billable != f->gen.headers))
		return fail(err, "diagnosis findings differ from the header codes generated");
	return 0;
}

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

static int mrt_side(const struct cfg *c, struct figures *f, mrt_err *err)
{
	mrt_session *s = NULL;
	struct mrt_site_info info;
	int rc = mrt_site_init(&s, c->mrt_db, &info, err);
	if (rc == 0 && c->codes)
		rc = load_codes(s, c, f, err);
	if (rc == 0)
		rc = run_import(s, c, f, 1, err);
	f->rss_import = bench_peak_rss_kb();
	if (rc == 0)
		rc = count_chart(s, c, f, err);
	if (rc == 0)
		rc = run_import(s, c, f, 0, err);
	if (rc == 0)
		rc = count_chart(s, c, f, err);
	mrt_session_close(s);
	f->db_bytes = file_size(c->mrt_db);
	return rc;
}

/* ---- the peer ---------------------------------------------------------- */

#define CHUNK 50000

static int peer_exec(sqlite3 *h, const char *sql, mrt_err *err)
{
	if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return mrt_err_set(err, MRT_EDB, "peer: %s", sqlite3_errmsg(h));
	return 0;
}

/* Reads up to CHUNK rows of sel into v (copies); the number read. */
static long read_chunk(sqlite3_stmt *sel, int ncol, sqlite3_value **v, int *rc)
{
	long n = 0;
	while (n < CHUNK && *rc == 0) {
		int st = sqlite3_step(sel);
		if (st == SQLITE_DONE)
			break;
		if (st != SQLITE_ROW) {
			*rc = MRT_EDB;
			break;
		}
		for (int k = 0; k < ncol; k++) {
			v[n * ncol + k] = sqlite3_value_dup(sqlite3_column_value(sel, k));
			if (!v[n * ncol + k])
				*rc = MRT_ENOMEM;
		}
		n++;
	}
	return n;
}

/* A column pointing at a later row of its own table (a coding superseded
 * by the next one): the import inserts it NULL and updates it when the
 * later row exists; the peer does the same. */
static const struct {
	const char *table, *col;
} self_refs[] = {
    {"coding", "superseded_by"},
    {"document", "superseded_by"},
    {"patient_identifier", "replaced_by"},
    {"encounter", "merged_into"},
};

struct copy {
	sqlite3_stmt *sel, *ins, *upd;
	int ncol, self; /* the self-referencing column, -1 for none */
	int64_t *fix;	/* (id, value) pairs for the UPDATEs */
	size_t nfix, capfix;
};

static int add_fix(struct copy *cp, int64_t id, int64_t v)
{
	if (cp->nfix == cp->capfix) {
		size_t cap = cp->capfix ? cp->capfix * 2 : 1024;
		int64_t *p = realloc(cp->fix, cap * 2 * sizeof *p);
		if (!p)
			return MRT_ENOMEM;
		cp->fix = p;
		cp->capfix = cap;
	}
	cp->fix[2 * cp->nfix] = id;
	cp->fix[2 * cp->nfix + 1] = v;
	cp->nfix++;
	return 0;
}

/* The timed part: plain INSERTs of n buffered rows. */
static int insert_chunk(struct copy *cp, sqlite3_value **v, long n)
{
	int rc = 0;
	for (long r = 0; rc == 0 && r < n; r++) {
		sqlite3_value **row = v + r * cp->ncol;
		for (int k = 0; k < cp->ncol; k++) {
			if (k == cp->self && sqlite3_value_type(row[k]) != SQLITE_NULL) {
				sqlite3_bind_null(cp->ins, k + 1);
				rc = add_fix(cp, sqlite3_value_int64(row[0]),
					     sqlite3_value_int64(row[k]));
			} else {
				sqlite3_bind_value(cp->ins, k + 1, row[k]);
			}
		}
		if (rc == 0 && sqlite3_step(cp->ins) != SQLITE_DONE)
			rc = MRT_EDB;
		sqlite3_reset(cp->ins);
	}
	return rc;
}

static int run_fixes(struct copy *cp)
{
	for (size_t i = 0; i < cp->nfix; i++) {
		sqlite3_bind_int64(cp->upd, 1, cp->fix[2 * i]);
		sqlite3_bind_int64(cp->upd, 2, cp->fix[2 * i + 1]);
		int st = sqlite3_step(cp->upd);
		sqlite3_reset(cp->upd);
		if (st != SQLITE_DONE)
			return MRT_EDB;
	}
	return 0;
}

static int prepare_copy(sqlite3 *h, const char *t, struct copy *cp)
{
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT * FROM m.%s ORDER BY id", t);
	if (sqlite3_prepare_v2(h, sql, -1, &cp->sel, NULL) != SQLITE_OK)
		return MRT_EDB;
	cp->ncol = sqlite3_column_count(cp->sel);
	cp->self = -1;
	for (size_t i = 0; i < sizeof self_refs / sizeof *self_refs; i++)
		for (int k = 0; strcmp(t, self_refs[i].table) == 0 && k < cp->ncol; k++)
			if (strcmp(sqlite3_column_name(cp->sel, k), self_refs[i].col) == 0) {
				cp->self = k;
				snprintf(sql, sizeof sql,
					 "UPDATE main.%s SET %s = ?2 WHERE id = ?1", t,
					 self_refs[i].col);
				if (sqlite3_prepare_v2(h, sql, -1, &cp->upd, NULL) != SQLITE_OK)
					return MRT_EDB;
			}
	int k = snprintf(sql, sizeof sql, "INSERT INTO main.%s VALUES (?", t);
	for (int i = 1; i < cp->ncol && k < (int)sizeof sql - 8; i++)
		k += snprintf(sql + k, sizeof sql - (size_t)k, ",?");
	snprintf(sql + k, sizeof sql - (size_t)k, ")");
	return sqlite3_prepare_v2(h, sql, -1, &cp->ins, NULL) == SQLITE_OK ? 0 : MRT_EDB;
}

static int peer_table(sqlite3 *h, const char *t, double *secs, double *cpu, mrt_err *err)
{
	struct copy cp = {0};
	sqlite3_value **v = NULL;
	int rc = prepare_copy(h, t, &cp);
	if (rc == 0 && !(v = calloc((size_t)CHUNK * (size_t)cp.ncol, sizeof *v)))
		rc = MRT_ENOMEM;
	*secs = 0;
	for (long n = CHUNK; rc == 0 && n == CHUNK;) {
		n = read_chunk(cp.sel, cp.ncol, v, &rc);
		double t0 = bench_now(), c0 = cpu_now();
		if (rc == 0)
			rc = insert_chunk(&cp, v, n);
		*secs += bench_now() - t0;
		*cpu += cpu_now() - c0;
		for (long i = 0; i < n * cp.ncol; i++) {
			sqlite3_value_free(v[i]);
			v[i] = NULL;
		}
	}
	double t0 = bench_now(), c0 = cpu_now();
	if (rc == 0)
		rc = run_fixes(&cp);
	*secs += bench_now() - t0;
	*cpu += cpu_now() - c0;
	if (rc)
		mrt_err_set(err, rc, "peer: %s: %s", t, sqlite3_errmsg(h));
	free(v);
	free(cp.fix);
	sqlite3_finalize(cp.sel);
	sqlite3_finalize(cp.ins);
	sqlite3_finalize(cp.upd);
	return rc;
}

static int attach(sqlite3 *h, const char *path, mrt_err *err)
{
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_prepare_v2(h, "ATTACH ?1 AS m", -1, &st, NULL) == SQLITE_OK &&
		 sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC) == SQLITE_OK &&
		 sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	return ok ? 0 : mrt_err_set(err, MRT_EDB, "peer: attach: %s", sqlite3_errmsg(h));
}

/* A fresh database with mrt's schema; the users and releases the rows
 * point at copied first (not timed); then every chart row in one
 * transaction. */
static int peer_side(const struct cfg *c, struct figures *f, mrt_err *err)
{
	mrt_db *db = NULL;
	int rc = mrt_db_open(&db, c->peer_db, MRT_DB_CREATE, err);
	sqlite3 *h = rc == 0 ? mrt_db_sqlite(db) : NULL;
	/* The page cache the import itself uses for a bulk load. */
	if (rc == 0)
		rc = import_cache_grow(db, err);
	if (rc == 0)
		rc = attach(h, c->mrt_db, err);
	if (rc == 0)
		rc = peer_exec(
		    h,
		    "PRAGMA foreign_keys=OFF;"
		    "INSERT OR IGNORE INTO main.app_user SELECT * FROM m.app_user;"
		    "INSERT OR IGNORE INTO main.code_release SELECT * FROM m.code_release;"
		    "PRAGMA foreign_keys=ON;",
		    err);
	if (rc == 0)
		rc = peer_exec(h, "BEGIN", err);
	f->t_peer = 0;
	for (size_t i = 0; rc == 0 && i < NTABLES; i++) {
		rc = peer_table(h, chart_tables[i], &f->t_peer_tab[i], &f->cpu_peer, err);
		f->t_peer += f->t_peer_tab[i];
	}
	double t0 = bench_now(), c0 = cpu_now();
	if (rc == 0)
		rc = peer_exec(h, "COMMIT", err);
	f->t_peer += bench_now() - t0;
	f->cpu_peer += cpu_now() - c0;
	for (size_t i = 0; rc == 0 && i < NTABLES; i++)
		if (count_rows(h, "main", chart_tables[i], "") != f->rows[i])
			rc = fail(err, "the peer holds other row counts");
	if (rc == 0)
		rc = peer_exec(h, "DETACH m", err);
	mrt_db_close(db);
	f->rss_peer = bench_peak_rss_kb();
	f->peer_bytes = file_size(c->peer_db);
	return rc;
}

/* ---- report ------------------------------------------------------------ */

static void print_figures(const struct cfg *c, const struct figures *f)
{
	const struct hgen_counts *g = &f->gen;
	long long in = hgen_counts_rows(g);
	printf("generated (seed %" PRIu64 "): %lld patients, %lld admissions, %lld transfers, "
	       "%lld services, %lld diagnoses, %lld procedures, %lld DRGs, %lld providers\n",
	       c->seed, g->patients, g->admissions, g->transfers, g->services, g->diagnoses,
	       g->procedures, g->drgs, g->providers);
	printf("  and %lld code titles (d_icd_diagnoses, d_icd_procedures)\n", g->titles);
	printf("  %lld rows, %.1f MB CSV, %.1f MB gzip in %.2f s (%.0f rows/s)\n", in,
	       (double)g->bytes / 1e6, (double)g->gzbytes / 1e6, f->t_gen, (double)in / f->t_gen);
	printf(
	    "CSV parse alone (typed readers, no DB):  %10.0f rows/s  (%.2f s, %.0f MB/s of CSV)\n",
	    (double)in / f->t_parse, f->t_parse, (double)g->bytes / 1e6 / f->t_parse);
	if (c->codes)
		printf("code sets (CM+PCS order files, FY2025+FY2026): %.2f s (not in the import "
		       "time)\n",
		       f->t_codes);
	else
		printf("code sets: not loaded (findings say no release)\n");
	double mrt = (double)f->total_rows / f->t_import, peer = (double)f->total_rows / f->t_peer;
	printf("mrt import_mimic: %lld CSV rows -> %lld DB rows in %.2f s\n", in, f->total_rows,
	       f->t_import);
	printf("  mrt:  %10.0f DB rows/s  (%.0f CSV rows/s)\n", mrt, (double)in / f->t_import);
	printf("  peer: %10.0f DB rows/s  (plain INSERTs of the same rows, same schema and "
	       "indexes, one transaction: %.2f s)\n",
	       peer, f->t_peer);
	printf(
	    "  ratio mrt/peer: %.2fx wall-clock, %.2fx CPU time (%.2f s / %.2f s) (goal <= 1.5x)\n",
	    f->t_import / f->t_peer, f->cpu_import / f->cpu_peer, f->cpu_import, f->cpu_peer);
	printf("  diagnosis findings: %lld (header codes generated: %lld)\n", f->headers_found,
	       g->headers);
	printf("re-import, nothing changes: %.2f s (%.0f CSV rows/s)\n", f->t_reimport,
	       (double)in / f->t_reimport);
	printf("peer per table (rows, s):");
	for (size_t i = 0; i < NTABLES; i++)
		if (f->rows[i])
			printf(" %s %lld %.2f;", chart_tables[i], f->rows[i], f->t_peer_tab[i]);
	printf("\nDB size: mrt %.1f MB, peer %.1f MB\n", (double)f->db_bytes / 1e6,
	       (double)f->peer_bytes / 1e6);
	printf(
	    "peak RSS: %ld kB after generating, %ld kB after the import, %ld kB after the peer\n",
	    f->rss_gen, f->rss_import, f->rss_peer);
}

/* ---- main -------------------------------------------------------------- */

/* Progress on stderr for long runs. */
static void note(const char *what, double t0)
{
	fprintf(stderr, "bench_import: %s (%.1f s)\n", what, bench_now() - t0);
}

static int parse_args(int argc, char **argv, struct cfg *c)
{
	c->patients = 20000;
	c->header_rate = -1;
	c->seed = 1;
	for (int i = 1; i < argc; i++) {
		char *end = NULL;
		if (strcmp(argv[i], "--smoke") == 0) {
			c->smoke = 1;
			c->patients = 300;
		} else if (strcmp(argv[i], "--codes") == 0) {
			c->codes = 1;
		} else if (strcmp(argv[i], "--keep") == 0) {
			c->keep = 1;
		} else if (strcmp(argv[i], "--patients") == 0 && i + 1 < argc) {
			c->patients = strtol(argv[++i], &end, 10);
			if (*end || c->patients < 1)
				return -1;
		} else if (strcmp(argv[i], "--header-rate") == 0 && i + 1 < argc) {
			c->header_rate = strtod(argv[++i], &end);
			if (*end || c->header_rate < 0 || c->header_rate > 1)
				return -1;
		} else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			c->seed = strtoull(argv[++i], &end, 10);
			if (*end)
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct cfg c;
	static struct figures f;
	char probe[4200];
	mrt_err err = {0};
	if (parse_args(argc, argv, &c) != 0) {
		fprintf(stderr, "usage: bench_import [--smoke] [--patients N] [--seed N] "
				"[--header-rate X] [--codes] [--keep]\n");
		return 2;
	}
	if (bench_data_file(probe, sizeof probe, "icd10pcs/fy2026/icd10pcs_order_2026.txt") != 0 ||
	    bench_data_file(c.data, sizeof c.data, "icd10cm/fy2026/icd10cm_order_2026.txt") != 0) {
		fprintf(stderr,
			"bench_import: no FY2026 order files in the data folder; skipped\n");
		return 77;
	}
	c.data[strlen(c.data) - strlen("icd10cm/fy2026/icd10cm_order_2026.txt")] = '\0';
	snprintf(c.dir, sizeof c.dir, "/tmp/mrt-bench-import-XXXXXX");
	if (mrt_hash_init(&err) != 0 || !mkdtemp(c.dir))
		return 1;
	snprintf(c.gen, sizeof c.gen, "%s/gen", c.dir);
	snprintf(c.mrt_db, sizeof c.mrt_db, "%s/mrt.db", c.dir);
	snprintf(c.peer_db, sizeof c.peer_db, "%s/peer.db", c.dir);
	unsetenv("MRT_HOME");
	double t0 = bench_now();
	int rc = generate(&c, &f, &err);
	note("generated", t0);
	if (rc == 0)
		rc = parse_alone(&c, &f, &err);
	if (rc == 0)
		rc = mrt_side(&c, &f, &err);
	note("mrt import and re-import", t0);
	if (rc == 0)
		rc = peer_side(&c, &f, &err);
	note("peer", t0);
	if (rc == 0)
		print_figures(&c, &f);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", c.dir);
	if (c.keep)
		printf("kept %s\n", c.dir);
	else if (system(cmd) != 0)
		fprintf(stderr, "bench_import: could not remove %s\n", c.dir);
	if (rc) {
		fprintf(stderr, "bench_import: %s\n", err.msg);
		return 1;
	}
	return 0;
}
