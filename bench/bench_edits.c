/*
 * Benchmark: the code editor. (a) The MCE edits, and the MCE edits with
 * the tabular rules (the FY2023 Tabular List's notes loaded), over the reference claims parsed once
 * and replicated to 1M claims in memory (an array of claim pointers, shuffled): claims/s on one
 * core, p50/p99 per-claim latency, peak RSS, and the number of mallocs made on the hot path
 * (counted by a malloc that forwards to glibc's; must be 0). (b) End to end from the JSONL file:
 * read, parse, edit, write the JSON results. (c) With $MCE_ORACLE_LIB and java, the CMS component's
 * own rate on the same claims, timed in the same run (the JVM's start timed apart and taken off),
 * printed as a ratio.
 * --smoke: a short run that exits 0 (77 without the data).
 */
#include <stdarg.h>
#include <stdint.h>

#include "bench_common.h"
#include "formats/claim_jsonl.h"
#include "service/codes_svc.h"
#include "service/edits_svc.h"

/* Counting malloc (not under the sanitizers, which bring their own). */
#if defined(__SANITIZE_ADDRESS__)
#define COUNT_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COUNT_MALLOC 0
#endif
#endif
#ifndef COUNT_MALLOC
#define COUNT_MALLOC 1
#endif

static volatile long mallocs;
static volatile int counting;

#if COUNT_MALLOC
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t k);
void *__libc_realloc(void *p, size_t n);
void *malloc(size_t n)
{
	if (counting)
		mallocs++;
	return __libc_malloc(n);
}
void *calloc(size_t n, size_t k)
{
	if (counting)
		mallocs++;
	return __libc_calloc(n, k);
}
void *realloc(void *p, size_t n)
{
	if (counting)
		mallocs++;
	return __libc_realloc(p, n);
}
#endif

/* Every claim of the file, parsed once. */
static struct claim *read_claims(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0, k = 0, have = 0;
	ssize_t len;
	long no = 0;
	struct claim *cs = NULL;
	mrt_err err = {0};
	while (f && (len = getline(&line, &cap, f)) >= 0) {
		if (k == have) {
			have = have ? 2 * have : 1024;
			cs = realloc(cs, have * sizeof *cs);
		}
		if (claim_jsonl_parse(&cs[k], line, (size_t)len, path, ++no, &err) == 0)
			k++;
	}
	free(line);
	if (f)
		fclose(f);
	*n = k;
	return cs;
}

static void report(const char *what, double secs, double cpu, size_t n, double *lat, size_t nlat)
{
	qsort(lat, nlat, sizeof *lat, bench_cmp_double);
	printf("%-26s %10.0f claims/s CPU, %10.0f wall  p50 %6.0f ns  p99 %6.0f ns  (%zu claims)\n",
	       what, (double)n / cpu, (double)n / secs, lat[nlat / 2] * 1e9,
	       lat[nlat * 99 / 100] * 1e9, n);
}

struct hot {
	const struct edits_ctx *x;
	const struct claim **ps;
	size_t n;
	struct mce_result mr;
	struct tab_result tr;
	long edits;
};

/* CPU time of this thread: the claims/s of one core even when the machine
 * is shared (wall-clock figures are printed too). */
static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* One pass over the claims; tab: with the tabular rules. *cpu: its CPU time. */
static double pass(struct hot *h, int tab, double *cpu)
{
	const struct mce_ctx *m = edits_ctx_mce(h->x);
	double c0 = cpu_now(), t0 = bench_now();
	for (size_t i = 0; i < h->n; i++) {
		if (tab)
			edits_ctx_check(h->x, h->ps[i], &h->mr, &h->tr);
		else
			mce_check(m, h->ps[i], &h->mr);
		h->edits += h->mr.n;
	}
	double t = bench_now() - t0;
	*cpu = cpu_now() - c0;
	return t;
}

static void latencies(struct hot *h, int tab, double *lat, size_t nlat)
{
	const struct mce_ctx *m = edits_ctx_mce(h->x);
	for (size_t i = 0; i < nlat; i++) {
		double t0 = bench_now();
		if (tab)
			edits_ctx_check(h->x, h->ps[i], &h->mr, &h->tr);
		else
			mce_check(m, h->ps[i], &h->mr);
		lat[i] = bench_now() - t0;
		h->edits += h->mr.n;
	}
}

/* (a): the claims in memory. Returns the MCE claims/s. */
static double in_memory(const struct edits_ctx *x, const struct claim *cs, size_t ncs, size_t n,
			double *wall_rate)
{
	static struct hot h;
	size_t nlat = n / 5;
	double *lat = malloc(nlat * sizeof *lat);
	h.x = x;
	h.n = n;
	h.ps = malloc(n * sizeof *h.ps);
	for (size_t i = 0; i < n; i++)
		h.ps[i] = &cs[bench_next() % ncs];
	long rss0 = bench_peak_rss_kb();
	double cpu;
	pass(&h, 0, &cpu); /* warm */
	mallocs = 0;
	counting = 1;
	double t = pass(&h, 0, &cpu);
	counting = 0;
	long m1 = mallocs;
	latencies(&h, 0, lat, nlat);
	double rate = (double)n / cpu;
	*wall_rate = (double)n / t;
	report("MCE edits, in memory", t, cpu, n, lat, nlat);
	counting = 1;
	t = pass(&h, 1, &cpu);
	counting = 0;
	latencies(&h, 1, lat, nlat);
	report("MCE + tabular, in memory", t, cpu, n, lat, nlat);
	printf(
	    "mallocs on the hot path: %ld (MCE), %ld (MCE + tabular)%s; peak RSS %ld -> %ld KiB\n",
	    m1, mallocs - m1, COUNT_MALLOC ? "" : " [not counted under the sanitizers]", rss0,
	    bench_peak_rss_kb());
	printf("edits raised: %ld\n", h.edits);
	free(lat);
	free(h.ps);
	return rate;
}

/* Writes the claims file copies times into path (the JSONL of (b)). */
static int replicate(const char *src, const char *dst, int copies)
{
	FILE *out = fopen(dst, "wb");
	int rc = out ? 0 : -1;
	for (int k = 0; k < copies && rc == 0; k++) {
		FILE *in = fopen(src, "rb");
		char buf[1 << 16];
		size_t n;
		if (!in) {
			rc = -1;
			break;
		}
		while ((n = fread(buf, 1, sizeof buf, in)) > 0)
			fwrite(buf, 1, n, out);
		fclose(in);
	}
	if (out && fclose(out))
		rc = -1;
	return rc;
}

/* (b): read, parse, edit and print JSON to /dev/null. */
static void end_to_end(const struct edits_ctx *x, const char *path)
{
	FILE *in = fopen(path, "rb"), *out = fopen("/dev/null", "wb");
	static struct claim c;
	static struct mce_result mr;
	static struct tab_result tr;
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	long no = 0;
	mrt_err err = {0};
	double c0 = cpu_now(), t0 = bench_now();
	while (in && out && (len = getline(&line, &cap, in)) >= 0) {
		if (claim_jsonl_parse(&c, line, (size_t)len, path, ++no, &err))
			continue;
		edits_ctx_check(x, &c, &mr, &tr);
		json_t *o = edits_result_json(x, &c, &mr, &tr);
		json_dumpf(o, out, JSON_COMPACT);
		fputc('\n', out);
		json_decref(o);
		n++;
	}
	double t = bench_now() - t0, cpu = cpu_now() - c0;
	printf(
	    "%-26s %10.0f claims/s CPU, %10.0f wall  (%zu claims: read, parse, edit, JSON out)\n",
	    "end to end, JSONL", (double)n / cpu, (double)n / t, n);
	free(line);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

/* A command line; 0, or -1 when it would not fit. */
static int cmdf(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int cmdf(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(out, n, fmt, ap);
	va_end(ap);
	return k < 0 || (size_t)k >= n ? -1 : 0;
}

/* CPU time (user + system) of the children waited for so far. */
static double child_cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Runs cmd; its wall-clock seconds (-1 on failure) and CPU seconds. */
static double run_secs(const char *cmd, double *cpu)
{
	double c0 = child_cpu(), t0 = bench_now();
	int rc = system(cmd);
	double t = bench_now() - t0;
	*cpu = child_cpu() - c0;
	return rc == 0 ? t : -1;
}

/* (c): the CMS component on the same claims (as its TSV), JVM start apart. */
static void oracle(const char *claims, const char *dir, int copies, double mrt_cpu, double mrt_wall)
{
	const char *lib = getenv("MCE_ORACLE_LIB");
	char run[4096], cmd[16384], tsv[4200];
	if (!lib || !*lib || system("command -v java >/dev/null 2>&1") != 0 ||
	    bench_data_file(run, sizeof run, "../tools/mce-oracle/run") != 0) {
		printf("CMS oracle: not run (needs $MCE_ORACLE_LIB with the CMS jars, and java)\n");
		return;
	}
	*strrchr(run, '/') = 0; /* the oracle's folder: run and jsonl2tsv.py */
	if (cmdf(tsv, sizeof tsv, "%s/claims.tsv", dir) ||
	    cmdf(cmd, sizeof cmd,
		 "python3 '%s/jsonl2tsv.py' '%s' > '%s.1' && echo '# none' > '%s.0' && "
		 "for i in $(seq %d); do cat '%s.1'; done > '%s'",
		 run, claims, tsv, tsv, copies, tsv, tsv) ||
	    system(cmd) != 0)
		return;
	double jvm = -1, all = -1, jvm_cpu = 0, all_cpu = 0;
	if (!cmdf(cmd, sizeof cmd, "'%s/run' < '%s.0' > /dev/null", run, tsv)) {
		run_secs(cmd, &jvm_cpu); /* compiles the harness once */
		jvm = run_secs(cmd, &jvm_cpu);
	}
	if (!cmdf(cmd, sizeof cmd, "'%s/run' < '%s' > /dev/null", run, tsv))
		all = run_secs(cmd, &all_cpu);
	if (jvm < 0 || all < 0) {
		printf("CMS oracle: failed to run\n");
		return;
	}
	size_t n = 0;
	free(read_claims(claims, &n));
	double nn = (double)n * copies, wall = nn / (all - jvm), cpu = nn / (all_cpu - jvm_cpu);
	printf("%-26s %10.0f claims/s CPU, %10.0f wall  (%zu claims; JVM start %.2f s wall taken "
	       "off)\n",
	       "CMS MCE oracle (Java)", cpu, wall, n * (size_t)copies, jvm);
	printf("ratio mrt / CMS oracle, MCE edits: %.0fx by CPU time, %.0fx by wall clock\n",
	       mrt_cpu / cpu, mrt_wall / wall);
}

static int load_ctx(const char *dir, int smoke, mrt_session **s, struct edits_ctx **x, mrt_err *err)
{
	static const char *const rel[] = {
	    "icd10cm/fy2026/icd10cm_order_2026.txt",
	    "icd10pcs/fy2026/icd10pcs_order_2026.txt",
	    "cms-mce/Definitions of Medicare Code Edits_v_43_1.txt",
	    "icd10cm/fy2023-tabular-index/icd10cm_tabular_2023.xml", /* the tabular notes */
	    "icd10cm/fy2025/icd10cm_order_2025.txt",
	    "icd10pcs/fy2025/icd10pcs_order_2025.txt",
	    "cms-poa-exempt/fy2025/POAexemptCodesFY25.txt", /* the POA rules */
	    "cms-poa-exempt/fy2026/POAexemptCodesFY26.txt",
	};
	char paths[8][4096], dbp[4200];
	const char *specs[8];
	size_t n = smoke ? 4 : 8;
	for (size_t i = 0; i < n; i++) {
		if (bench_data_file(paths[i], sizeof paths[i], rel[i]) != 0)
			return 77;
		specs[i] = paths[i];
	}
	snprintf(dbp, sizeof dbp, "%s/edits.db", dir);
	double t0 = bench_now();
	struct mrt_session_opts so = {.db_path = dbp, .create = 1};
	struct codes_svc_load_req req = {.paths = specs, .npaths = n};
	json_t *rep = NULL;
	int rc = mrt_session_open(s, &so, err);
	if (!rc)
		rc = codes_svc_load(*s, &req, &rep, err);
	json_decref(rep);
	if (!rc)
		rc = edits_ctx_load(mrt_session_db(*s), NULL, x, err);
	printf("loaded %zu files and the edit context in %.1f s\n", n, bench_now() - t0);
	return rc;
}

int main(int argc, char **argv)
{
	int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
	char claims[4096], dir[] = "/tmp/bench_edits_XXXXXX", big[4200];
	if (bench_data_file(claims, sizeof claims, "mce-reference/claims.jsonl") != 0) {
		printf("no reference claims: skipped\n");
		return 77;
	}
	if (!mkdtemp(dir))
		return 1;
	mrt_session *s = NULL;
	struct edits_ctx *x = NULL;
	mrt_err err = {0};
	int rc = load_ctx(dir, smoke, &s, &x, &err);
	size_t ncs = 0;
	struct claim *cs = rc ? NULL : read_claims(claims, &ncs);
	if (rc == 0 && ncs) {
		double wall = 0, rate = in_memory(x, cs, ncs, smoke ? 20000 : 1000000, &wall);
		snprintf(big, sizeof big, "%s/claims.jsonl", dir);
		if (replicate(claims, big, smoke ? 1 : 100) == 0)
			end_to_end(x, big);
		if (!smoke)
			oracle(claims, dir, 25, rate, wall);
	} else if (rc && rc != 77) {
		fprintf(stderr, "bench_edits: %s\n", err.msg);
	}
	free(cs);
	edits_ctx_free(x);
	mrt_session_close(s);
	char cmd[4300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc == 77 ? 77 : rc ? 1 : 0;
}
