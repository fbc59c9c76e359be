/*
 * Benchmark: HL7 v2 file import (mrt import hl7). A generated file of ADT
 * messages - per patient an A01 (PID, PV1, IN1, three DG1, a PR1), an A08
 * and an A03 with its final diagnoses - with distinct control ids is
 * imported into a fresh database in one transaction: messages/s and MB/s
 * for the first run (everything applied), for a second run (every message
 * a resend, recognised by control id and content) and, side by side in
 * the same run, two peers over the same bytes: parsing alone (hl7_parse
 * of each message) and storing each message whole as a row of an indexed
 * SQLite table in one transaction (the floor of keeping messages at all).
 * Then peak RSS. --smoke = a short run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench_common.h"
#include "formats/hl7v2.h"
#include "service/import_hl7.h"
#include "service/site.h"

static int gen_patient(mrt_buf *out, long p)
{
	static const char *const dx[] = {"I10", "E11.9", "I21.4", "J18.9", "N17.9", "K35.80"};
	int day = 1 + (int)(p % 28), rc = 0;
	for (int e = 0; rc == 0 && e < 3; e++) {
		const char *ev = e == 0 ? "A01" : e == 1 ? "A08" : "A03";
		rc = mrt_buf_addf(
		    out,
		    "MSH|^~\\&|GENADT|GENHOSP|MRT|HIM|202601%02d0830||ADT^%s^ADT_A01|G%ld-%d|P|2.5."
		    "1\r"
		    "EVN|%s|202601%02d0830\r"
		    "PID|1||M%07ld^^^GENHOSP^MR~%09ld^^^SSA^SS||Gen%ld^Pat^Q^^^^L||19%02ld%02ld%"
		    "02ld|%c|||"
		    "%ld Main St^^Springfield^IL^62701||^PRN^PH^^^217^55501%02ld|||M||A%07ld\r"
		    "PV1|1|I|4W^%ld^A^GENHOSP|E|||%ld^Attending^Amy^^^^^^NPI|||MED||||7|||||V%07ld|"
		    "SP"
		    "||||||||||||||||%s|||||||202601%02d0800|%s%s\r"
		    "IN1|1||BCBS|Blue Plan\r",
		    day, ev, p, e, ev, day, p, 100000000 + p, p, 40 + p % 50, 1 + p % 12,
		    1 + p % 28, "FM"[p % 2], 1 + p % 900, p % 100, p, 400 + p % 60, 1000 + p % 50,
		    p, e == 2 ? "01" : "", day, e == 2 ? "20260131" : "", e == 2 ? "1200" : "");
		for (int d = 0; rc == 0 && e != 1 && d < 3; d++)
			rc = mrt_buf_addf(out, "DG1|%d||%s^^I10|||%s|||||||||%d\r", d + 1,
					  dx[(p + d + e) % 6], e == 2 ? "F" : "A", d + 1);
		if (rc == 0 && e == 0)
			rc = mrt_buf_addf(out,
					  "PR1|1||02703ZZ^Dilation^I10P||202601%02d1000||||||%ld^"
					  "Cutter^Sam\r",
					  day, 2000 + p % 30);
	}
	return rc;
}

static int write_file(const char *path, const mrt_buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(b->ptr, 1, b->len, f);
	return fclose(f) == 0 && n == b->len ? 0 : -1;
}

static double parse_peer(const mrt_buf *b, long *n)
{
	hl7_msg m;
	hl7_msg_init(&m);
	hl7_splitter sp;
	hl7_split_init(&sp, b->ptr, b->len);
	const char *p;
	size_t len;
	*n = 0;
	double t0 = bench_now();
	while (hl7_split_next(&sp, &p, &len))
		if (hl7_parse(&m, p, len, NULL) == 0)
			(*n)++;
	double t = bench_now() - t0;
	hl7_msg_free(&m);
	return t;
}

/* Each message whole into an indexed table, one transaction. */
static double sqlite_peer(const char *path, const mrt_buf *b)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	sqlite3_open(path, &h);
	sqlite3_exec(h,
		     "PRAGMA journal_mode=WAL; CREATE TABLE m(id INTEGER PRIMARY KEY,"
		     " control_id TEXT UNIQUE, sha256 TEXT, body TEXT)",
		     NULL, NULL, NULL);
	sqlite3_prepare_v2(h, "INSERT INTO m(control_id, sha256, body) VALUES (?,?,?)", -1, &st,
			   NULL);
	hl7_splitter sp;
	hl7_split_init(&sp, b->ptr, b->len);
	const char *p;
	size_t len;
	long k = 0;
	double t0 = bench_now();
	sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
	while (hl7_split_next(&sp, &p, &len)) {
		char cid[32], hex[MRT_SHA256_HEX];
		unsigned char sum[MRT_SHA256_LEN];
		snprintf(cid, sizeof cid, "%ld", k++);
		mrt_sha256_buf(sum, p, len);
		mrt_hex(hex, sum, sizeof sum);
		sqlite3_bind_text(st, 1, cid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, hex, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, p, (int)len, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
	double t = bench_now() - t0;
	sqlite3_finalize(st);
	sqlite3_close(h);
	return t;
}

static int import_once(mrt_session *s, const char *path, long want_aa, long want_dup, double *t,
		       mrt_err *err)
{
	json_t *rep = NULL;
	const char *paths[1] = {path};
	double t0 = bench_now();
	int rc = import_hl7_files(s, paths, 1, &rep, err);
	*t = bench_now() - t0;
	if (rc == 0 && (json_integer_value(json_object_get(rep, "aa")) != want_aa ||
			json_integer_value(json_object_get(rep, "duplicate")) != want_dup))
		rc = mrt_err_set(
		    err, MRT_EINVAL, "import: %lld AA (want %ld), %lld duplicates (want %ld)",
		    (long long)json_integer_value(json_object_get(rep, "aa")), want_aa,
		    (long long)json_integer_value(json_object_get(rep, "duplicate")), want_dup);
	json_decref(rep);
	return rc;
}

int main(int argc, char **argv)
{
	int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
	long patients = smoke ? 200 : 20000, n = patients * 3;
	char dir[] = "/tmp/mrt-bench-hl7-XXXXXX", file[600], db[600], peerdb[600];
	if (!mkdtemp(dir))
		return 1;
	snprintf(file, sizeof file, "%s/adt.hl7", dir);
	snprintf(db, sizeof db, "%s/site.db", dir);
	snprintf(peerdb, sizeof peerdb, "%s/peer.db", dir);
	mrt_buf b = MRT_BUF_INIT((size_t)1 << 31);
	int rc = 0;
	for (long p = 0; rc == 0 && p < patients; p++)
		rc = gen_patient(&b, p);
	if (rc || write_file(file, &b) != 0) {
		fprintf(stderr, "bench_hl7_import: cannot write %s\n", file);
		return 1;
	}
	double mb = (double)b.len / 1e6, t1 = 0, t2 = 0;
	mrt_err err = {0};
	mrt_session *s = NULL;
	struct mrt_site_info info;
	rc = mrt_site_init(&s, db, &info, &err);
	if (rc == 0)
		rc = import_once(s, file, n, 0, &t1, &err);
	if (rc == 0)
		rc = import_once(s, file, 0, n, &t2, &err);
	mrt_session_close(s);
	if (rc) {
		fprintf(stderr, "bench_hl7_import: %s\n", err.msg);
		return 1;
	}
	long parsed = 0;
	double tp = parse_peer(&b, &parsed), ts = sqlite_peer(peerdb, &b);
	printf(
	    "HL7 v2 file import: %ld ADT messages (%ld patients: A01 with DG1 x3 and PR1, A08, A03 "
	    "with final DG1 x3), %.1f MB, one transaction\n",
	    n, patients, mb);
	printf("  import, first run:      %9.0f msgs/s  %7.2f MB/s  (%.2f s)\n", n / t1, mb / t1,
	       t1);
	printf("  import, resend (dups):  %9.0f msgs/s  %7.2f MB/s  (%.2f s)\n", n / t2, mb / t2,
	       t2);
	printf("  peer, parse alone:      %9.0f msgs/s  %7.2f MB/s  (%ld parsed)\n", parsed / tp,
	       mb / tp, parsed);
	printf("  peer, SQLite rows:      %9.0f msgs/s  %7.2f MB/s  (each message as one indexed "
	       "row)\n",
	       n / ts, mb / ts);
	printf("  peak RSS: %ld MB\n", bench_peak_rss_kb() / 1024);
	mrt_buf_free(&b);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
