/*
 * De-identified export benchmark: a generated hospital (bench/hospital_gen.h,
 * MIMIC-IV layout) imported through import_mimic, a data use agreement
 * recorded, then - in a fresh process of this program, so the figures are
 * the export's own - `export deid --method safe-harbor` and `--method
 * limited`: rows written per second and the peak RSS, which stays flat
 * whatever the chart size because the extract streams (VmHWM of that
 * process). Safe harbor runs twice: first on a cold cache, then warm.
 * Every file's row count is checked against the database. --smoke: 300 patients;
 * --patients N (default 20000); --keep keeps the folder.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_common.h"
#include "hospital_gen.h"
#include "service/dua_svc.h"
#include "service/export_deid.h"
#include "service/import_mimic.h"
#include "service/site.h"

struct cfg {
	long patients;
	int smoke, keep;
	char data[4096], dir[64], gen[128], db[128];
};

static int fail(mrt_err *err, const char *msg)
{
	return mrt_err_set(err, MRT_EINVAL, "bench_deid: %s", msg);
}

static long long count(mrt_db *db, const char *sql)
{
	mrt_err err = {0};
	mrt_stmt *st = mrt_db_stmt(db, sql, &err);
	long long n = -1;
	if (st && mrt_stmt_step(st, &err) == 1)
		n = mrt_stmt_int(st, 0);
	if (st)
		mrt_stmt_reset(st);
	return n;
}

/* Phase 1: generate, import, record an agreement. */
static int prepare(const struct cfg *c, mrt_err *err)
{
	hgen_codes *codes = NULL;
	struct hgen_opts o;
	struct hgen_counts n;
	hgen_opts_init(&o);
	o.patients = c->patients;
	double t0 = bench_now();
	int rc = hgen_codes_load(&codes, c->data, err);
	if (rc == 0)
		rc = hgen_write(c->gen, &o, codes, &n, err);
	hgen_codes_free(codes);
	fprintf(stderr, "bench_deid: generated %ld patients (%.1f s)\n", c->patients,
		bench_now() - t0);
	mrt_session *s = NULL;
	struct mrt_site_info info;
	if (rc == 0)
		rc = mrt_site_init(&s, c->db, &info, err);
	json_t *rep = NULL;
	t0 = bench_now();
	if (rc == 0)
		rc = import_mimic(s, c->gen, &rep, err);
	json_decref(rep);
	fprintf(stderr, "bench_deid: imported (%.1f s)\n", bench_now() - t0);
	int64_t id = 0;
	struct dua_new d = {.recipient = "bench", .purpose = "research",
			    .permitted_uses = "benchmark", .expires = "9999-12-31"};
	if (rc == 0)
		rc = dua_svc_add(s, &d, &id, err);
	mrt_session_close(s);
	return rc;
}

/* The peak RSS of this process image in KB (VmHWM: unlike ru_maxrss it
 * starts afresh at exec, so it is the export's own), or -1. */
static long hwm_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

static const char *const files[] = {"patients.csv",  "encounters.csv", "diagnoses.csv",
				    "procedures.csv", "transfers.csv", "services.csv",
				    "drgs.csv"};
static const char *const count_sql[] = {
    "SELECT count(*) FROM patient WHERE status <> 'merged'",
    "SELECT count(*) FROM encounter WHERE status <> 'merged'",
    "SELECT count(*) FROM diagnosis x JOIN coding c ON c.id = x.coding_id"
    " WHERE c.superseded_by IS NULL",
    "SELECT count(*) FROM procedure x JOIN coding c ON c.id = x.coding_id"
    " WHERE c.superseded_by IS NULL",
    "SELECT count(*) FROM transfer", "SELECT count(*) FROM encounter_service",
    "SELECT count(*) FROM encounter_drg"};

static long long last_rows;

static int one_export(mrt_session *s, const struct cfg *c, enum export_deid_method m,
		      const char *zip3, mrt_err *err)
{
	char out[160];
	snprintf(out, sizeof out, "%s/%s", c->dir, m == EXPORT_DEID_LIMITED ? "lds" : "sh");
	struct export_deid_opts o = {.method = m, .out_dir = out, .zip3_file = zip3,
				     .dua_id = m == EXPORT_DEID_LIMITED ? 1 : 0};
	json_t *rep = NULL;
	double t0 = bench_now();
	int rc = export_deid(s, &o, &rep, err);
	double dt = bench_now() - t0;
	long long rows = 0;
	for (size_t i = 0; rc == 0 && i < sizeof files / sizeof files[0]; i++) {
		long long n = json_integer_value(json_object_get(json_object_get(rep, "files"),
								 files[i]));
		if (n != count(mrt_session_db(s), count_sql[i]))
			rc = fail(err, "an extract file's rows differ from the database");
		rows += n;
	}
	json_decref(rep);
	last_rows = rows;
	if (rc == 0)
		printf("export deid --method %-11s %10lld rows in %6.2f s = %9.0f rows/s;"
		       " peak RSS so far %ld KB\n",
		       m == EXPORT_DEID_LIMITED ? "limited" : "safe-harbor", rows, dt,
		       dt > 0 ? (double)rows / dt : 0.0, hwm_kb());
	return rc;
}

/* The peer: the sqlite3 shell writing the same rows, in the same order,
 * as CSV, with no rule applied (the bare cost of reading and printing). */
static const char peer_sql[] =
    "SELECT p.id, p.birth_date, p.sex, p.deceased, p.death_at, p.race, p.ethnicity,"
    " p.marital_status, p.language, p.state, p.postal_code, p.country FROM patient p"
    " WHERE p.status <> 'merged' ORDER BY p.id;"
    "SELECT e.patient_id, e.id, e.class, e.status, e.admit_at, e.discharge_at, e.admit_type,"
    " e.admit_source, e.discharge_status, e.discharge_location, e.service, e.payer"
    " FROM encounter e WHERE e.status <> 'merged' ORDER BY e.patient_id, e.id;"
    "SELECT e.patient_id, e.id, d.seq, d.kind, d.system, d.code, d.poa, d.onset"
    " FROM encounter e CROSS JOIN diagnosis d ON d.encounter_id = e.id"
    " JOIN coding c ON c.id = d.coding_id WHERE e.status <> 'merged'"
    " AND c.superseded_by IS NULL ORDER BY e.patient_id, e.id, d.seq;"
    "SELECT e.patient_id, e.id, x.seq, x.system, x.code, x.performed_at"
    " FROM encounter e CROSS JOIN procedure x ON x.encounter_id = e.id"
    " JOIN coding c ON c.id = x.coding_id WHERE e.status <> 'merged'"
    " AND c.superseded_by IS NULL ORDER BY e.patient_id, e.id, x.seq;"
    "SELECT t.patient_id, t.encounter_id, t.event, t.unit, t.in_at, t.out_at FROM transfer t"
    " ORDER BY t.patient_id, coalesce(t.encounter_id, 0), t.in_at, t.id;"
    "SELECT e.patient_id, e.id, s.at, s.prev_service, s.service FROM encounter e"
    " CROSS JOIN encounter_service s ON s.encounter_id = e.id WHERE e.status <> 'merged'"
    " ORDER BY e.patient_id, e.id, s.at;"
    "SELECT e.patient_id, e.id, g.drg_type, g.drg_code, g.severity, g.mortality"
    " FROM encounter e CROSS JOIN encounter_drg g ON g.encounter_id = e.id"
    " WHERE e.status <> 'merged' ORDER BY e.patient_id, e.id, g.drg_type, g.drg_code;";

static void peer(const struct cfg *c, long long rows)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "sqlite3 -csv -readonly '%s' \"%s\" > '%s/peer.csv'", c->db,
		 peer_sql, c->dir);
	double t0 = bench_now();
	int rc = system(cmd);
	double dt = bench_now() - t0;
	if (rc != 0) {
		printf("peer: sqlite3 shell not available\n");
		return;
	}
	printf("peer: sqlite3 -csv, same rows    %10lld rows in %6.2f s = %9.0f rows/s\n", rows, dt,
	       dt > 0 ? (double)rows / dt : 0.0);
}

/* Phase 2, in its own process: the exports alone. */
static int export_phase(const char *dir, const char *zip3)
{
	struct cfg c = {0};
	mrt_err err = {0};
	snprintf(c.dir, sizeof c.dir, "%s", dir);
	snprintf(c.db, sizeof c.db, "%s/mrt.db", dir);
	if (mrt_hash_init(&err) != 0)
		return 1;
	long rss0 = hwm_kb();
	mrt_session *s = NULL;
	struct mrt_session_opts o = {.db_path = c.db};
	int rc = mrt_session_open(&s, &o, &err);
	if (rc == 0)
		rc = one_export(s, &c, EXPORT_DEID_SAFE_HARBOR, zip3, &err);
	if (rc == 0)
		rc = one_export(s, &c, EXPORT_DEID_LIMITED, NULL, &err);
	/* again, with the database in the page cache as for the second */
	if (rc == 0)
		rc = one_export(s, &c, EXPORT_DEID_SAFE_HARBOR, zip3, &err);
	mrt_session_close(s);
	if (rc) {
		fprintf(stderr, "bench_deid: %s\n", err.msg);
		return 1;
	}
	peer(&c, last_rows);
	printf("peak RSS of the export process: %ld KB (%ld KB after start-up)\n", hwm_kb(), rss0);
	return 0;
}

static int parse_args(int argc, char **argv, struct cfg *c)
{
	c->patients = 20000;
	for (int i = 1; i < argc; i++) {
		char *end = NULL;
		if (strcmp(argv[i], "--smoke") == 0) {
			c->smoke = 1;
			c->patients = 300;
		} else if (strcmp(argv[i], "--keep") == 0) {
			c->keep = 1;
		} else if (strcmp(argv[i], "--patients") == 0 && i + 1 < argc) {
			c->patients = strtol(argv[++i], &end, 10);
			if (*end || c->patients < 1)
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	char zip3[4200];
	const char *src = getenv("MRT_SOURCE_DIR");
	snprintf(zip3, sizeof zip3, "%s/share/deid/restricted-zip3-census2000.tsv",
		 src && *src ? src : ".");
	if (argc == 3 && strcmp(argv[1], "--export-phase") == 0)
		return export_phase(argv[2], zip3);
	static struct cfg c;
	mrt_err err = {0};
	if (parse_args(argc, argv, &c) != 0) {
		fprintf(stderr, "usage: bench_deid [--smoke] [--patients N] [--keep]\n");
		return 2;
	}
	if (bench_data_file(c.data, sizeof c.data, "icd10cm/fy2026/icd10cm_order_2026.txt") != 0 ||
	    access(zip3, R_OK) != 0) {
		fprintf(stderr, "bench_deid: no FY2026 order file or ZIP3 list (MRT_SOURCE_DIR);"
				" skipped\n");
		return 77;
	}
	c.data[strlen(c.data) - strlen("icd10cm/fy2026/icd10cm_order_2026.txt")] = '\0';
	snprintf(c.dir, sizeof c.dir, "/tmp/mrt-bench-deid-XXXXXX");
	if (mrt_hash_init(&err) != 0 || !mkdtemp(c.dir))
		return 1;
	snprintf(c.gen, sizeof c.gen, "%s/gen", c.dir);
	snprintf(c.db, sizeof c.db, "%s/mrt.db", c.dir);
	unsetenv("MRT_HOME");
	unsetenv("MRT_SITE_DIR");
	int rc = prepare(&c, &err);
	if (rc) {
		fprintf(stderr, "bench_deid: %s\n", err.msg);
		return 1;
	}
	printf("bench_deid: %ld generated patients\n", c.patients);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", argv[0], "--export-phase", c.dir, (char *)NULL);
		_exit(127);
	}
	int status = 1;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = 1;
	int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (!c.keep) {
		char cmd[160];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", c.dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_deid: could not remove %s\n", c.dir);
	} else {
		printf("kept %s\n", c.dir);
	}
	return ok ? 0 : 1;
}
