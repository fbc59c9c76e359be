/*
 * Benchmark: the audit trail. Events appended per second through
 * mrt_session_audit - each in its own transaction (the anchor line written
 * after each commit), and batched 100 per transaction - and chain
 * verification throughput (events/s, with the anchor check) over the
 * events written. The peer, measured in the same run: plain SQLite INSERTs
 * of the same row shape into a table without the chain (no HMAC, no head
 * read, no anchor), with the same pragmas and batching. Prints peak RSS.
 * --smoke = a short run.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/date.h"
#include "base/hash.h"
#include "service/audit_svc.h"
#include "service/site.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int append(mrt_session *s, long i, mrt_err *err)
{
	char oid[32];
	snprintf(oid, sizeof oid, "E11.%ld", i % 10);
	struct mrt_audit_rec r = { .action = "codes.show", .object_type = "code", .object_id = oid,
	                           .patient_id = 1 + i % 5000, .detail = "bench" };
	return mrt_session_audit(s, &r, err);
}

/* The peer: the same rows as plain INSERTs, `batch` per transaction;
 * returns events/s or a negative value on failure. */
static double peer(const char *path, long n, long batch)
{
	static const char ddl[] =
		"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		"CREATE TABLE IF NOT EXISTS ev (id INTEGER PRIMARY KEY, at TEXT NOT NULL,"
		" actor TEXT NOT NULL, on_behalf_of TEXT, role TEXT, action TEXT NOT NULL,"
		" object_type TEXT, object_id TEXT, patient_id INTEGER, purpose TEXT,"
		" outcome TEXT NOT NULL, detail TEXT, prev_mac TEXT NOT NULL, mac TEXT NOT NULL) STRICT;"
		"CREATE INDEX IF NOT EXISTS ev_patient ON ev(patient_id);";
	static const char ins[] =
		"INSERT INTO ev(at, actor, role, action, object_type, object_id, patient_id, purpose,"
		" outcome, detail, prev_mac, mac) VALUES (?, 'bench', 'admin', 'codes.show', 'code', ?, ?,"
		" 'operations', 'allow', 'bench', '-', '-')";
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	double rate = -1;
	if (sqlite3_open(path, &h) != SQLITE_OK || sqlite3_exec(h, ddl, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, ins, -1, &st, NULL) != SQLITE_OK)
		goto done;
	double t0 = now();
	for (long i = 0; i < n; i++) {
		char at[32], oid[32];
		if (i % batch == 0 && sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			goto done;
		mrt_now_iso(at);
		snprintf(oid, sizeof oid, "E11.%ld", i % 10);
		sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, oid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, 1 + i % 5000);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto done;
		sqlite3_reset(st);
		if ((i % batch == batch - 1 || i == n - 1) &&
		    sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			goto done;
	}
	rate = (double)n / (now() - t0);
done:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return rate;
}

static int singles(mrt_session *s, long n, const char *peer_db, mrt_err *err)
{
	double t0 = now();
	for (long i = 0; i < n; i++)
		if (append(s, i, err) != 0)
			return err->code;
	double dt = now() - t0;
	printf("append, 1 event per transaction:    %10.0f events/s  (%ld events, %.2f s)\n",
	       (double)n / dt, n, dt);
	double p = peer(peer_db, n, 1);
	if (p < 0)
		return mrt_err_set(err, MRT_EDB, "peer: plain INSERTs failed");
	printf("  peer, plain INSERT, 1 per txn:    %10.0f rows/s    (chain costs %.2fx)\n", p,
	       p / ((double)n / dt));
	return 0;
}

static int batched(mrt_session *s, long n, double *rate, mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	double t0 = now();
	for (long i = 0; i < n; i += 100) {
		int rc = mrt_db_begin(db, err);
		for (long k = i; rc == 0 && k < i + 100 && k < n; k++)
			rc = append(s, k, err);
		if (rc) {
			mrt_db_rollback(db);
			return rc;
		}
		if ((rc = mrt_db_commit(db, err)) != 0)
			return rc;
	}
	double dt = now() - t0;
	printf("append, 100 events per transaction: %10.0f events/s  (%ld events, %.2f s)\n",
	       (double)n / dt, n, dt);
	*rate = (double)n / dt;
	return 0;
}

static int batched_peer(long n, double mrt_rate, const char *peer_db, mrt_err *err)
{
	double p = peer(peer_db, n, 100);
	if (p < 0)
		return mrt_err_set(err, MRT_EDB, "peer: plain INSERTs failed");
	printf("  peer, plain INSERT, 100 per txn:  %10.0f rows/s    (chain costs %.2fx)\n", p,
	       p / mrt_rate);
	return 0;
}

static int verify(mrt_session *s, mrt_err *err)
{
	struct audit_verify_result r;
	double t0 = now();
	int rc = audit_svc_verify(s, &r, err);
	double dt = now() - t0;
	if (rc)
		return rc;
	if (!r.intact) {
		fprintf(stderr, "bench_audit: chain not intact: %s\n", r.problem);
		return MRT_ETAMPER;
	}
	printf("verify (chain + anchor):            %10.0f events/s  (%" PRId64 " events, %.2f s)\n",
	       (double)r.events / dt, r.events, dt);
	return 0;
}

int main(int argc, char **argv)
{
	int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
	long n = smoke ? 1000 : 100000;
	mrt_err err = { 0 };
	char dir[] = "/tmp/mrt-bench-audit-XXXXXX", db[64], peer_db[64];
	double rate = 0;
	if (mrt_hash_init(&err) != 0 || !mkdtemp(dir))
		return 1;
	snprintf(db, sizeof db, "%s/bench.db", dir);
	snprintf(peer_db, sizeof peer_db, "%s/peer.db", dir);
	unsetenv("MRT_HOME");
	mrt_session *s = NULL;
	struct mrt_site_info info;
	int rc = mrt_site_init(&s, db, &info, &err);
	if (rc == 0)
		rc = singles(s, n, peer_db, &err);
	if (rc == 0)
		rc = verify(s, &err);
	if (rc == 0)
		rc = batched(s, n, &rate, &err);
	if (rc == 0)
		rc = batched_peer(n, rate, peer_db, &err);
	if (rc == 0)
		rc = verify(s, &err);
	mrt_session_close(s);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS: %ld kB\n", ru.ru_maxrss);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_audit: could not remove %s\n", dir);
	if (rc) {
		fprintf(stderr, "bench_audit: %s\n", err.msg);
		return 1;
	}
	return 0;
}
