/*
 * FHIR benchmark: a deterministic synthetic Bulk-Data NDJSON set (per
 * patient: 5 encounters, each with 3 conditions, 1 procedure and 1 note of
 * about 1 KB), then
 *   - read + map alone (formats/fhir): MB/s and resources/s, beside Python's
 *     json.loads over the same lines (parse alone) in the same run;
 *   - mrt import fhir into an empty database (one transaction), and a
 *     second import of the same files (nothing changes);
 *   - mrt export fhir of what was imported;
 * with the peak RSS. --smoke: 200 patients; --patients N (default 20000);
 * --keep keeps the folder.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "bench_common.h"
#include "formats/fhir.h"
#include "service/export_fhir.h"
#include "service/import_fhir.h"
#include "service/site.h"

#define ENC_PER_PATIENT 5
#define DX_PER_ENC 3

static uint64_t rng = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const snomed[] = {"44054006", "38341003",  "195662009", "444814009",
				     "10509002", "232353008", "40055000",  "59621000"};
static const char *const families[] = {"Garcia",   "Smith",  "Nguyen", "Okafor",
				       "Kowalski", "Haddad", "Murphy", "Tanaka"};
static const char *const givens[] = {"Ann", "Bo", "Carla", "Dev", "Eli", "Fatima", "Gus", "Hana"};

struct gen {
	FILE *f[5];
	long long bytes, resources;
};

static void line(struct gen *g, int k, const char *s)
{
	fputs(s, g->f[k]);
	fputc('\n', g->f[k]);
	g->bytes += (long long)strlen(s) + 1;
	g->resources++;
}

static void note(char *b64, size_t size, long p, int e)
{
	char text[1100];
	int n = snprintf(text, sizeof text, "Patient %ld, visit %d. ", p, e);
	while (n < 1000)
		n += snprintf(text + n, sizeof text - (size_t)n, "Stable, follow up in %u weeks. ",
			      1 + rnd(8));
	sodium_bin2base64(b64, size, (const unsigned char *)text, (size_t)n,
			  sodium_base64_VARIANT_ORIGINAL);
}

static void encounter(struct gen *g, long p, int e, char *buf, size_t size)
{
	char b64[1600];
	int day = 1 + (int)rnd(28), mon = 1 + (int)rnd(12), year = 2015 + e;
	snprintf(
	    buf, size,
	    "{\"resourceType\":\"Encounter\",\"id\":\"e%ld-%d\",\"identifier\":"
	    "[{\"value\":\"A%ld-%d\"}],\"status\":\"finished\",\"class\":{\"code\":\"%s\"},"
	    "\"period\":{\"start\":\"%d-%02d-%02dT08:00:00Z\",\"end\":\"%d-%02d-%02dT16:00:00Z\"},"
	    "\"subject\":{\"reference\":\"Patient/p%ld\"},\"participant\":[{\"individual\":"
	    "{\"reference\":\"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|%u\","
	    "\"display\":\"Dr %s\"}}]}",
	    p, e, p, e, rnd(4) ? "AMB" : "IMP", year, mon, day, year, mon, day, p,
	    1000000000u + rnd(500), families[rnd(8)]);
	line(g, 1, buf);
	unsigned r = rnd(8); /* distinct codes in an encounter: a merge keeps one per code */
	for (int d = 0; d < DX_PER_ENC; d++) {
		snprintf(
		    buf, size,
		    "{\"resourceType\":\"Condition\",\"id\":\"c%ld-%d-%d\",\"code\":"
		    "{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"%s\"}]},"
		    "\"subject\":{\"reference\":\"Patient/p%ld\"},\"encounter\":{\"reference\":"
		    "\"Encounter/e%ld-%d\"},\"onsetDateTime\":\"%d-%02d-%02d\"}",
		    p, e, d, snomed[((unsigned)d * 3 + r) % 8], p, p, e, year, mon, day);
		line(g, 2, buf);
	}
	snprintf(
	    buf, size,
	    "{\"resourceType\":\"Procedure\",\"id\":\"x%ld-%d\",\"status\":"
	    "\"completed\",\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":"
	    "\"%u\"}]},\"subject\":{\"reference\":\"Patient/p%ld\"},\"encounter\":{\"reference\":"
	    "\"Encounter/e%ld-%d\"},\"performedDateTime\":\"%d-%02d-%02d\"}",
	    p, e, 430193006u + rnd(50), p, p, e, year, mon, day);
	line(g, 3, buf);
	note(b64, sizeof b64, p, e);
	snprintf(
	    buf, size,
	    "{\"resourceType\":\"DocumentReference\",\"id\":\"n%ld-%d\",\"status\":"
	    "\"current\",\"docStatus\":\"final\",\"type\":{\"coding\":[{\"system\":"
	    "\"http://loinc.org\",\"code\":\"11506-3\"}]},\"subject\":{\"reference\":"
	    "\"Patient/p%ld\"},\"date\":\"%d-%02d-%02dT17:00:00Z\",\"content\":[{\"attachment\":"
	    "{\"contentType\":\"text/plain\",\"data\":\"%s\"}}],\"context\":{\"encounter\":"
	    "[{\"reference\":\"Encounter/e%ld-%d\"}]}}",
	    p, e, p, year, mon, day, b64, p, e);
	line(g, 4, buf);
}

/* CPU seconds (user + system) of this process or of its waited-for children:
 * the machine may be shared, so throughput is given per CPU second too. */
static double cpu(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int generate(const char *dir, long patients, struct gen *g)
{
	static const char *const names[5] = {"Patient", "Encounter", "Condition", "Procedure",
					     "DocumentReference"};
	char path[4200], buf[4096];
	memset(g, 0, sizeof *g);
	for (int k = 0; k < 5; k++) {
		snprintf(path, sizeof path, "%s/%s.ndjson", dir, names[k]);
		g->f[k] = fopen(path, "w");
		if (!g->f[k])
			return -1;
	}
	for (long p = 0; p < patients; p++) {
		snprintf(buf, sizeof buf,
			 "{\"resourceType\":\"Patient\",\"id\":\"p%ld\",\"identifier\":"
			 "[{\"system\":\"urn:bench\",\"type\":{\"coding\":[{\"code\":\"MR\"}]},"
			 "\"value\":"
			 "\"M%08ld\"}],\"name\":[{\"use\":\"official\",\"family\":\"%s\",\"given\":"
			 "[\"%s\"]}],"
			 "\"gender\":\"%s\",\"birthDate\":\"%d-%02d-%02d\",\"address\":[{\"line\":"
			 "[\"%u Main St\"],\"city\":\"Springfield\",\"state\":\"MA\"}]}",
			 p, p, families[rnd(8)], givens[rnd(8)], rnd(2) ? "female" : "male",
			 1930 + (int)rnd(80), 1 + (int)rnd(12), 1 + (int)rnd(28), 1 + rnd(999));
		line(g, 0, buf);
		for (int e = 0; e < ENC_PER_PATIENT; e++)
			encounter(g, p, e, buf, sizeof buf);
	}
	int rc = 0;
	for (int k = 0; k < 5; k++)
		rc |= fclose(g->f[k]) != 0;
	return rc ? -1 : 0;
}

/* Reads and maps every resource; returns the count mapped. */
static long long read_map(const char *dir, mrt_err *err)
{
	fhir_reader *r = NULL;
	mrt_arena *a = mrt_arena_new(64 << 10);
	long long n = 0;
	if (!a || fhir_reader_open(&r, dir, NULL, err) != 0) {
		mrt_arena_free(a);
		return -1;
	}
	struct fhir_item it;
	char why[256];
	while (fhir_reader_next(r, &it, err) == 1) {
		struct fhir_res res;
		mrt_arena_reset(a);
		if (it.kind == FHIR_ITEM_RESOURCE &&
		    fhir_map(it.resource, r, a, &res, why, sizeof why) == FHIR_MAP_OK)
			n++;
	}
	fhir_reader_close(r);
	mrt_arena_free(a);
	return n;
}

static double python_peer(const char *dir, double *cpu_s)
{
	char cmd[4400];
	snprintf(cmd, sizeof cmd,
		 "python3 -c 'import json,glob,sys\n"
		 "n=0\nfor f in glob.glob(sys.argv[1]+\"/*.ndjson\"):\n"
		 "  for l in open(f,\"rb\"):\n    json.loads(l); n+=1\n' '%s'",
		 dir);
	double t0 = bench_now(), c0 = cpu(RUSAGE_CHILDREN);
	if (system(cmd) != 0)
		return -1;
	*cpu_s = cpu(RUSAGE_CHILDREN) - c0;
	return bench_now() - t0;
}

static int import_export(const char *dir, const char *db, long long want, mrt_err *err)
{
	mrt_session *s = NULL;
	struct mrt_site_info info;
	json_t *rep = NULL;
	char out[4200];
	if (mrt_site_init(&s, db, &info, err) != 0)
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		double t0 = bench_now(), c0 = cpu(RUSAGE_SELF);
		int rc = import_fhir(s, dir, &rep, err);
		double t = bench_now() - t0, c = cpu(RUSAGE_SELF) - c0;
		if (rc) {
			mrt_session_close(s);
			return rc;
		}
		printf("import fhir (%s): %.2f s, %.0f resources/s (%.0f per CPU s), peak RSS %ld "
		       "MB\n",
		       pass ? "second run, nothing changes" : "empty database", t, (double)want / t,
		       (double)want / c, bench_peak_rss_kb() / 1024);
		json_decref(rep);
	}
	snprintf(out, sizeof out, "%s/export", dir);
	double t0 = bench_now();
	int rc = export_fhir(s, out, NULL, &rep, err);
	double t = bench_now() - t0;
	if (rc == 0) {
		long long n = json_integer_value(json_object_get(rep, "resources"));
		printf("export fhir: %lld resources in %.2f s, %.0f resources/s\n", n, t,
		       (double)n / t);
		if (n < want) /* every resource comes back, plus the providers */
			rc = mrt_err_set(err, MRT_EINVAL,
					 "export wrote fewer resources than imported");
	}
	json_decref(rep);
	mrt_session_close(s);
	return rc;
}

int main(int argc, char **argv)
{
	long patients = 20000;
	int keep = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--smoke") == 0)
			patients = 200;
		else if (strcmp(argv[i], "--patients") == 0 && i + 1 < argc)
			patients = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--keep") == 0)
			keep = 1;
		else {
			fprintf(stderr, "usage: bench_fhir [--smoke] [--patients N] [--keep]\n");
			return 2;
		}
	}
	mrt_err err = {0};
	char dir[] = "/tmp/bench_fhir_XXXXXX", db[64], cmd[128];
	if (mrt_hash_init(&err) != 0 || !mkdtemp(dir))
		return 1;
	unsetenv("MRT_HOME");
	snprintf(db, sizeof db, "%s/site.db", dir);
	struct gen g;
	int rc = generate(dir, patients, &g);
	printf("generated %ld patients: %lld resources, %.1f MB of NDJSON\n", patients, g.resources,
	       (double)g.bytes / 1e6);
	double t0 = bench_now(), c0 = cpu(RUSAGE_SELF);
	long long n = rc ? -1 : read_map(dir, &err);
	double t = bench_now() - t0, c = cpu(RUSAGE_SELF) - c0;
	if (n != g.resources)
		rc = -1;
	else
		printf("read + map (formats/fhir): %.2f s wall, %.1f MB/s, %.0f resources/s;"
		       " %.2f CPU s, %.1f MB per CPU s\n",
		       t, (double)g.bytes / 1e6 / t, (double)n / t, c, (double)g.bytes / 1e6 / c);
	double pc = 0, py = rc ? -1 : python_peer(dir, &pc);
	if (py > 0)
		printf("peer, python3 json.loads per line (parse alone): %.2f s wall, %.1f MB/s;"
		       " %.2f CPU s, %.1f MB per CPU s\n",
		       py, (double)g.bytes / 1e6 / py, pc, (double)g.bytes / 1e6 / pc);
	if (rc == 0)
		rc = import_export(dir, db, g.resources, &err);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (keep)
		printf("kept %s\n", dir);
	else if (system(cmd) != 0)
		fprintf(stderr, "bench_fhir: could not remove %s\n", dir);
	if (rc) {
		fprintf(stderr, "bench_fhir: failed: %s\n", err.msg);
		return 1;
	}
	return 0;
}
