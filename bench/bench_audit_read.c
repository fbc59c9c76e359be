/*
 * Benchmark: the cost of access control and a durable audit record per
 * patient read (issue 5 §5). A synthetic hospital (bench/hospital_gen, a
 * few thousand patients, one in ten labelled BH) is imported through
 * import_mimic; then 16 reader threads, each with its own session and
 * connection, read random patients' charts (chart_patient_json) for a
 * fixed time in four modes:
 *
 *   bare    the read alone
 *   decide  + the access decision as the service makes it
 *           (access_svc_decide: labels loaded, relation, break-glass)
 *   group   + the audit event, durable (synchronous=FULL) before the data
 *           is returned, through the group committer (service/audit_group)
 *   peer    + the same audit event in its own durable transaction per read
 *           on the reader's own connection (no group commit)
 *
 * For each: reads/s, p50/p99 latency; for decide the decision's share of
 * a read; for group the batch sizes. Also the pure decision
 * (privacy/access.c access_decide) alone. After the audited modes the
 * chain is verified. Prints peak RSS. --smoke: a short run for CTest.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_common.h"
#include "chart/chart.h"
#include "hospital_gen.h"
#include "privacy/access.h"
#include "privacy/roles.h"
#include "service/access_svc.h"
#include "service/audit_group.h"
#include "service/audit_svc.h"
#include "service/import_mimic.h"
#include "service/site.h"
#include "service/user_svc.h"

#define THREADS 16
#define LAT_CAP (1 << 18)

enum mode { MODE_BARE, MODE_DECIDE, MODE_GROUP, MODE_PEER, MODE_COUNT };
static const char *const mode_names[] = {"bare read", "read + access decision",
					 "read + access + audit (group commit)",
					 "read + access + audit (1 txn per read)"};

struct cfg {
	int smoke;
	long patients;
	double seconds;
	char data[4096], dir[64], gen[96], db[96];
};

struct worker {
	enum mode mode;
	mrt_session *s;
	const int64_t *pids;
	size_t npids;
	uint64_t rng;
	float *lat;	 /* microseconds */
	long n;		 /* reads done */
	double decide_s; /* time in the decision (decide mode) */
	double read_s;	 /* time in the read (decide mode) */
	int rc;
	mrt_err err;
};

static atomic_int stop_flag;

static uint64_t next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static int read_chart(mrt_db *db, int64_t pid, mrt_err *err)
{
	json_t *j = NULL;
	int rc = chart_patient_json(db, pid, &j, err);
	json_decref(j);
	return rc;
}

static int one(struct worker *w, int64_t pid)
{
	mrt_db *db = mrt_session_db(w->s);
	if (w->mode == MODE_BARE)
		return read_chart(db, pid, &w->err);
	struct access_target t = {.patient_id = pid, .object_type = "patient", .object_id = pid};
	struct access_decision d;
	double t0 = bench_now();
	int rc = access_svc_decide(w->s, ACCESS_PATIENT_READ, &t, &d, &w->err);
	if (rc)
		return rc;
	double t1 = bench_now();
	if (w->mode != MODE_DECIDE) {
		char oid[32];
		snprintf(oid, sizeof oid, "%" PRId64, pid);
		struct mrt_audit_rec r = {.action = "patient.show",
					  .object_type = "patient",
					  .object_id = oid,
					  .patient_id = pid,
					  .outcome = access_outcome(&d)};
		if ((rc = mrt_session_audit(w->s, &r, &w->err)) != 0)
			return rc;
	}
	/* the data, only once the record is durable */
	if (d.result == ACCESS_ALLOW)
		rc = read_chart(db, pid, &w->err);
	if (w->mode == MODE_DECIDE) {
		w->decide_s += t1 - t0;
		w->read_s += bench_now() - t1;
	}
	return rc;
}

static void *run_worker(void *arg)
{
	struct worker *w = arg;
	while (!atomic_load(&stop_flag) && w->rc == 0) {
		int64_t pid = w->pids[next_rand(&w->rng) % w->npids];
		double t0 = bench_now();
		w->rc = one(w, pid);
		if (w->n < LAT_CAP)
			w->lat[w->n] = (float)((bench_now() - t0) * 1e6);
		w->n++;
	}
	return NULL;
}

static int by_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

struct result {
	double rate, p50, p99, decide_share;
	long reads;
};

static int run_mode(struct worker *w, enum mode m, double seconds, struct result *res, mrt_err *err)
{
	pthread_t t[THREADS];
	atomic_store(&stop_flag, 0);
	for (int i = 0; i < THREADS; i++) {
		w[i].mode = m;
		w[i].n = 0;
		w[i].rc = 0;
		w[i].decide_s = w[i].read_s = 0;
	}
	double t0 = bench_now();
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, run_worker, &w[i]) != 0)
			return mrt_err_set(err, MRT_ENOMEM, "pthread_create");
	usleep((useconds_t)(seconds * 1e6));
	atomic_store(&stop_flag, 1);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	double dt = bench_now() - t0;
	long total = 0, kept = 0;
	double dec = 0, rd = 0;
	for (int i = 0; i < THREADS; i++) {
		if (w[i].rc)
			return mrt_err_set(err, w[i].rc, "%s: %s", mode_names[m], w[i].err.msg);
		total += w[i].n;
		kept += w[i].n < LAT_CAP ? w[i].n : LAT_CAP;
		dec += w[i].decide_s;
		rd += w[i].read_s;
	}
	float *all = malloc((size_t)(kept ? kept : 1) * sizeof *all);
	if (!all)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	long k = 0;
	for (int i = 0; i < THREADS; i++) {
		long n = w[i].n < LAT_CAP ? w[i].n : LAT_CAP;
		memcpy(all + k, w[i].lat, (size_t)n * sizeof *all);
		k += n;
	}
	qsort(all, (size_t)kept, sizeof *all, by_float);
	res->reads = total;
	res->rate = (double)total / dt;
	res->p50 = kept ? all[kept / 2] : 0;
	res->p99 = kept ? all[(long)((double)kept * 0.99)] : 0;
	res->decide_share = dec + rd > 0 ? dec / (dec + rd) : 0;
	free(all);
	return 0;
}

/* ---- setup ------------------------------------------------------------------ */

static int generate_and_import(const struct cfg *c, mrt_session **admin, mrt_err *err)
{
	hgen_codes *codes = NULL;
	struct hgen_opts o;
	struct hgen_counts n;
	hgen_opts_init(&o);
	o.patients = c->patients;
	int rc = hgen_codes_load(&codes, c->data, err);
	if (!rc)
		rc = hgen_write(c->gen, &o, codes, &n, err);
	hgen_codes_free(codes);
	struct mrt_site_info info;
	if (!rc)
		rc = mrt_site_init(admin, c->db, &info, err);
	json_t *rep = NULL;
	if (!rc)
		rc = import_mimic(*admin, c->gen, &rep, err);
	json_decref(rep);
	if (!rc)
		printf("chart: %lld patients, %lld admissions, %lld diagnoses imported\n",
		       n.patients, n.admissions, n.diagnoses);
	return rc;
}

/* One patient in ten carries BH; the reader, a records technician, holds
 * the BH grant, so every read is allowed and every decision looks at
 * labels. */
static int label_and_user(mrt_session *admin, mrt_err *err)
{
	static const char labels[] =
	    "INSERT INTO label(patient_id, object_type, object_id, system, code, source, "
	    "created_at)"
	    " SELECT id, 'patient', id, 'http://terminology.hl7.org/CodeSystem/v3-ActCode', 'BH',"
	    " 'bench', strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM patient WHERE id % 10 = 0";
	int rc = mrt_db_exec(mrt_session_db(admin), labels, err);
	struct user_new u = {.name = "reader",
			     .os_account = "bench-reader-os",
			     .roles = {MRT_ROLE_HIM},
			     .nroles = 1};
	int64_t id;
	int changed;
	if (!rc)
		rc = user_svc_add(admin, &u, &id, err);
	if (!rc)
		rc = user_svc_grant(admin, "reader", "BH", &changed, err);
	return rc;
}

static int load_pids(mrt_session *admin, int64_t **out, size_t *n, mrt_err *err)
{
	static const char sql[] = "SELECT id FROM patient ORDER BY id";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(admin), sql, err);
	if (!st)
		return err->code;
	size_t cap = 1024;
	*n = 0;
	*out = malloc(cap * sizeof **out);
	int rc;
	while (*out && (rc = mrt_stmt_step(st, err)) == 1) {
		if (*n == cap) {
			int64_t *p = realloc(*out, (cap *= 2) * sizeof **out);
			if (!p)
				break;
			*out = p;
		}
		(*out)[(*n)++] = mrt_stmt_int(st, 0);
	}
	mrt_stmt_reset(st);
	return *out && *n ? 0 : mrt_err_set(err, MRT_ENOMEM, "no patients");
}

static int open_readers(const struct cfg *c, struct worker *w, const int64_t *pids, size_t n,
			mrt_err *err)
{
	struct mrt_session_opts o = {.db_path = c->db, .as_user = "reader", .purpose = "treatment"};
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){
		    .pids = pids, .npids = n, .rng = 0x9e3779b97f4a7c15ull * (i + 1)};
		w[i].lat = malloc(LAT_CAP * sizeof *w[i].lat);
		if (!w[i].lat)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		int rc = mrt_session_open(&w[i].s, &o, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* The decision's share of a read, one reader alone (no contention). */
static double decision_share_alone(struct worker *w)
{
	w->mode = MODE_DECIDE;
	w->decide_s = w->read_s = 0;
	for (int i = 0; i < 3000 && w->rc == 0; i++)
		w->rc = one(w, w->pids[next_rand(&w->rng) % w->npids]);
	return w->rc == 0 ? w->decide_s / (w->decide_s + w->read_s) : -1;
}

/* The disk: mean latency of a 4 KiB append + fdatasync in the database's
 * folder, the floor of one durable commit. */
static double fsync_ms(const char *dir)
{
	char path[128], block[4096] = {0};
	snprintf(path, sizeof path, "%s/fsync.probe", dir);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int n = 50;
	double t0 = bench_now();
	for (int i = 0; i < n; i++)
		if (fwrite(block, 1, sizeof block, f) != sizeof block || fflush(f) != 0 ||
		    fdatasync(fileno(f)) != 0)
			break;
	double ms = (bench_now() - t0) * 1e3 / n;
	fclose(f);
	unlink(path);
	return ms;
}

/* The pure decision alone, one thread: nanoseconds per call. */
static double pure_decision_ns(void)
{
	struct access_subject who = {.roles = ROLE_HIM_BIT, .label_grants = 1u << LABEL_BH};
	struct access_object obj = {.labels = 1u << LABEL_BH};
	struct access_decision d;
	long n = 2000000, allowed = 0;
	double t0 = bench_now();
	for (long i = 0; i < n; i++) {
		obj.labels = (unsigned)(i & 1) << LABEL_BH;
		access_decide(&d, ACCESS_PATIENT_READ, PURPOSE_TREATMENT, &who, &obj);
		allowed += d.result == ACCESS_ALLOW;
	}
	double ns = (bench_now() - t0) * 1e9 / (double)n;
	return allowed == n ? ns : -1;
}

static void print_result(enum mode m, const struct result *r, const struct result *bare)
{
	printf("%-40s %9.0f reads/s  p50 %7.1f us  p99 %8.1f us", mode_names[m], r->rate, r->p50,
	       r->p99);
	if (m != MODE_BARE)
		printf("  (%.2fx the bare read's time)", bare->rate / r->rate);
	printf("\n");
}

static int verify_chain(mrt_session *admin, int64_t *events, mrt_err *err)
{
	struct audit_verify_result v;
	int rc = audit_svc_verify(admin, &v, err);
	if (rc)
		return rc;
	if (!v.intact)
		return mrt_err_set(err, MRT_ETAMPER, "chain broken: %s", v.problem);
	*events = v.events;
	return 0;
}

static int bench(const struct cfg *c, mrt_err *err)
{
	mrt_session *admin = NULL;
	audit_group *g = NULL;
	int64_t *pids = NULL;
	size_t npids = 0;
	struct worker w[THREADS] = {0};
	struct result r[MODE_COUNT];
	int rc = generate_and_import(c, &admin, err);
	if (!rc)
		rc = label_and_user(admin, err);
	if (!rc)
		rc = load_pids(admin, &pids, &npids, err);
	if (!rc)
		rc = open_readers(c, w, pids, npids, err);
	for (int m = MODE_BARE; !rc && m <= MODE_DECIDE; m++)
		rc = run_mode(w, (enum mode)m, c->seconds, &r[m], err);
	if (!rc)
		rc = audit_group_open(&g, c->db, err);
	for (int i = 0; !rc && i < THREADS; i++)
		audit_group_attach(g, w[i].s);
	int64_t before = 0, after = 0;
	if (!rc)
		rc = verify_chain(admin, &before, err);
	if (!rc)
		rc = run_mode(w, MODE_GROUP, c->seconds, &r[MODE_GROUP], err);
	struct audit_group_stats gs = {0};
	if (g)
		audit_group_get_stats(g, &gs);
	for (int i = 0; i < THREADS; i++)
		if (w[i].s)
			audit_group_detach(w[i].s);
	for (int i = 0; !rc && i < THREADS; i++)
		rc = mrt_db_set_durable(mrt_session_db(w[i].s), err);
	if (!rc)
		rc = run_mode(w, MODE_PEER, c->seconds, &r[MODE_PEER], err);
	if (!rc)
		rc = verify_chain(admin, &after, err);
	if (!rc && after - before != r[MODE_GROUP].reads + r[MODE_PEER].reads)
		rc = mrt_err_set(err, MRT_ETAMPER, "%" PRId64 " audit events for %ld audited reads",
				 after - before, r[MODE_GROUP].reads + r[MODE_PEER].reads);
	if (!rc) {
		printf("%d reader threads, %.1f s per mode, %zu patients\n", THREADS, c->seconds,
		       npids);
		for (int m = 0; m < MODE_COUNT; m++)
			print_result((enum mode)m, &r[m], &r[MODE_BARE]);
		printf(
		    "access decision (service: labels, relation, break-glass): %.1f %% of a read "
		    "with 16 readers, %.1f %% with one reader alone\n",
		    100 * r[MODE_DECIDE].decide_share, 100 * decision_share_alone(&w[0]));
		double ns = pure_decision_ns();
		printf("access decision alone (access_decide): %.0f ns = %.3f %% of a bare read's "
		       "p50\n",
		       ns, ns / 1e3 / r[MODE_BARE].p50 * 100);
		printf(
		    "group commit: %" PRId64 " events in %" PRId64 " transactions, mean batch %.1f,"
		    " max %" PRId64 "; group commit is %.1fx the 1-txn-per-read peer\n",
		    gs.events, gs.batches, gs.batches ? (double)gs.events / (double)gs.batches : 0,
		    gs.max_batch, r[MODE_GROUP].rate / r[MODE_PEER].rate);
		double fs = fsync_ms(c->dir);
		printf(
		    "disk: 4 KiB append + fdatasync %.2f ms; writer busy committing %.0f %% of the"
		    " group run (%.2f ms a batch): 16 waiting readers can get at most ~%.0f"
		    " durable reads/s on this disk\n",
		    fs, 100 * gs.commit_seconds / c->seconds,
		    gs.batches ? 1e3 * gs.commit_seconds / (double)gs.batches : 0,
		    fs > 0 ? THREADS / (fs / 1e3) : 0);
		printf("audit chain verified: %" PRId64 " events, %ld written by this run\n", after,
		       r[MODE_GROUP].reads + r[MODE_PEER].reads);
	}
	for (int i = 0; i < THREADS; i++) {
		mrt_session_close(w[i].s);
		free(w[i].lat);
	}
	audit_group_close(g);
	mrt_session_close(admin);
	free(pids);
	return rc;
}

int main(int argc, char **argv)
{
	static struct cfg c;
	c.smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
	c.patients = c.smoke ? 200 : 3000;
	c.seconds = c.smoke ? 0.3 : 3.0;
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--patients") == 0)
			c.patients = strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--seconds") == 0)
			c.seconds = strtod(argv[i + 1], NULL);
	}
	if (c.patients <= 0 || c.seconds <= 0) {
		fprintf(stderr, "usage: bench_audit_read [--smoke] [--patients N] [--seconds S]\n");
		return 2;
	}
	static const char probe_rel[] = "icd10cm/fy2026/icd10cm_order_2026.txt";
	char probe[4200];
	if (bench_data_file(probe, sizeof probe, "icd10pcs/fy2026/icd10pcs_order_2026.txt") != 0 ||
	    bench_data_file(c.data, sizeof c.data, probe_rel) != 0) {
		fprintf(stderr,
			"bench_audit_read: no FY2026 order files in the data folder; skipped\n");
		return 77;
	}
	c.data[strlen(c.data) - strlen(probe_rel)] = '\0';
	mrt_err err = {0};
	snprintf(c.dir, sizeof c.dir, "/tmp/mrt-bench-audit-read-XXXXXX");
	if (mrt_hash_init(&err) != 0 || !mkdtemp(c.dir))
		return 1;
	snprintf(c.gen, sizeof c.gen, "%s/gen", c.dir);
	snprintf(c.db, sizeof c.db, "%s/mrt.db", c.dir);
	unsetenv("MRT_HOME");
	int rc = bench(&c, &err);
	printf("peak RSS: %ld kB\n", bench_peak_rss_kb());
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", c.dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_audit_read: could not remove %s\n", c.dir);
	if (rc) {
		fprintf(stderr, "bench_audit_read: %s\n", err.msg);
		return 1;
	}
	return 0;
}
