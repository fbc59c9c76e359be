/*
 * Benchmark: HL7 v2 parse throughput on one core. The 139 FHIR-Converter
 * sample messages (read from the data folder at run time; BOM dropped,
 * segments ended by CR so the peer can read them too) are replicated in
 * memory to about 200 MB; "parse" = hl7_parse (every segment, field,
 * repetition and component located) and then every value - each
 * component and sub-component - read through the escape-decoding
 * accessor. Prints MB/s and messages/s per core (thread CPU time, as the
 * machine may be shared), for the parse alone and with every value read. The peer, in the same run:
 * Debian's python3-hl7 (hl7.parse, then every leaf of the parsed message
 * visited) on the same messages; the ratio of the two; peak RSS.
 * --smoke = about 2 MB and one pass of the peer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "formats/hl7v2.h"

struct corpus {
	mrt_buf bytes;  /* the messages, back to back */
	size_t *off, *len;
	size_t n, cap;
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of this thread: the figure per core on a shared machine. */
static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int reserve(struct corpus *c)
{
	if (c->n < c->cap)
		return 0;
	size_t cap = c->cap ? c->cap * 2 : 256;
	size_t *o = realloc(c->off, cap * sizeof *o);
	if (!o)
		return -1;
	c->off = o;
	size_t *l = realloc(c->len, cap * sizeof *l);
	if (!l)
		return -1;
	c->len = l;
	c->cap = cap;
	return 0;
}

static int add_msg(struct corpus *c, const char *p, size_t n)
{
	if (reserve(c) != 0)
		return -1;
	c->off[c->n] = c->bytes.len;
	/* Segments end with CR (python-hl7 splits on CR only). */
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (ch == '\r' && i + 1 < n && p[i + 1] == '\n')
			continue;
		if (mrt_buf_addc(&c->bytes, ch == '\n' ? '\r' : ch) != 0)
			return -1;
	}
	c->len[c->n] = c->bytes.len - c->off[c->n];
	c->n++;
	return 0;
}

/* The sample messages of dir, one copy each. */
static int load_samples(struct corpus *c, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	static char file[1 << 20];
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".hl7") != 0)
			continue;
		int k = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = k > 0 && (size_t)k < sizeof path ? fopen(path, "rb") : NULL;
		size_t n = f ? fread(file, 1, sizeof file, f) : 0;
		if (f)
			fclose(f);
		hl7_splitter sp;
		const char *p = NULL;
		size_t pn = 0;
		hl7_split_init(&sp, file, n);
		while (hl7_split_next(&sp, &p, &pn))
			if (add_msg(c, p, pn) != 0) {
				closedir(d);
				return -1;
			}
	}
	closedir(d);
	return c->n > 0 ? 0 : -1;
}

/* Every component and sub-component of m through the decoding accessor. */
static int read_values(const hl7_msg *m, mrt_buf *v, size_t *bytes)
{
	for (uint32_t i = 0; i < m->ncomps; i++) {
		const char *p = m->buf + m->comps[i].off;
		unsigned subs = 1;
		for (uint32_t k = 0; i >= 2 && k < m->comps[i].len; k++)
			subs += p[k] == m->ss;
		for (unsigned k = 1; k <= subs; k++) {
			if (hl7_get_comp(m, i, k, v) != 0)
				return -1;
			*bytes += v->len;
		}
	}
	return 0;
}

/* Copies of the first `one` messages (bytes [0, nbytes)) appended until
 * the corpus holds `target` bytes. */
static int replicate(struct corpus *c, size_t one, size_t nbytes, size_t target)
{
	char *orig = malloc(nbytes);
	int rc = orig ? 0 : -1;
	if (orig)
		memcpy(orig, c->bytes.ptr, nbytes);
	while (rc == 0 && c->bytes.len < target)
		for (size_t i = 0; rc == 0 && i < one; i++) {
			size_t off = c->bytes.len;
			rc = reserve(c);
			if (rc == 0)
				rc = mrt_buf_add(&c->bytes, orig + c->off[i], c->len[i]);
			if (rc == 0) {
				c->off[c->n] = off;
				c->len[c->n] = c->len[i];
				c->n++;
			}
		}
	free(orig);
	return rc;
}

static int run_ours(const struct corpus *c, int read, double *secs, double *cpu, size_t *values)
{
	hl7_msg m;
	mrt_buf v = MRT_BUF_INIT(1 << 20);
	mrt_err err = { 0 };
	int rc = 0;
	hl7_msg_init(&m);
	double t0 = now(), c0 = cpu_now();
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		rc = hl7_parse(&m, c->bytes.ptr + c->off[i], c->len[i], &err);
		if (rc == 0 && read)
			rc = read_values(&m, &v, values);
	}
	*secs = now() - t0;
	*cpu = cpu_now() - c0;
	if (rc != 0)
		fprintf(stderr, "bench_hl7_parse: %s\n", err.msg);
	hl7_msg_free(&m);
	mrt_buf_free(&v);
	return rc;
}

static const char *python(void)
{
	return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

/* The peer on `passes` passes over the first nmsgs messages; MB/s or -1. */
static double run_peer(const struct corpus *c, size_t nmsgs, int passes, double *msgs_s)
{
	static const char script[] =
		"import sys, time, hl7\n"
		"data = open(sys.argv[1], \"rb\").read().decode(\"utf-8\", \"replace\")\n"
		"msgs = [x for x in data.split(\"\\x1c\") if x]\n"
		"nbytes = sum(len(x.encode(\"utf-8\")) for x in msgs)\n"
		"def walk(x):\n"
		"    if isinstance(x, str):\n"
		"        return len(x)\n"
		"    return sum(walk(y) for y in x)\n"
		"t = time.process_time(); tot = 0\n"
		"for p in range(int(sys.argv[2])):\n"
		"    for s in msgs:\n"
		"        tot += walk(hl7.parse(s))\n"
		"dt = time.process_time() - t\n"
		"print(nbytes * int(sys.argv[2]) / dt / 1e6, len(msgs) * int(sys.argv[2]) / dt)\n";
	char tmp[] = "/tmp/mrt-bench-hl7-XXXXXX", cmd[8192];
	int fd = mkstemp(tmp);
	double mbs = -1;
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "wb");
	for (size_t i = 0; f && i < nmsgs; i++) {
		fwrite(c->bytes.ptr + c->off[i], 1, c->len[i], f);
		fputc(0x1c, f);
	}
	if (f)
		fclose(f);
	FILE *sf = fopen("/tmp/mrt-bench-hl7-peer.py", "wb");
	if (sf) {
		fputs(script, sf);
		fclose(sf);
		snprintf(cmd, sizeof cmd, "%s /tmp/mrt-bench-hl7-peer.py %s %d", python(), tmp, passes);
		FILE *p = popen(cmd, "r");
		if (p) {
			if (fscanf(p, "%lf %lf", &mbs, msgs_s) != 2)
				mbs = -1;
			pclose(p);
		}
		unlink("/tmp/mrt-bench-hl7-peer.py");
	}
	unlink(tmp);
	return mbs;
}

static int data_dir(char *out, size_t n)
{
	const char *d = getenv("MRT_DATA"), *s = getenv("MRT_SOURCE_DIR");
	if (d && *d)
		snprintf(out, n, "%s/hl7v2/microsoft-fhir-converter", d);
	else
		snprintf(out, n, "%s/../shared/data/hl7v2/microsoft-fhir-converter", s && *s ? s : ".");
	return access(out, R_OK);
}

int main(int argc, char **argv)
{
	int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
	char dir[4096];
	struct corpus c = { MRT_BUF_INIT(256u << 20), NULL, NULL, 0, 0 };
	if (data_dir(dir, sizeof dir) != 0) {
		printf("bench_hl7_parse: no sample messages at %s; skipped\n", dir);
		return 77;
	}
	if (load_samples(&c, dir) != 0) {
		fprintf(stderr, "bench_hl7_parse: cannot read the samples in %s\n", dir);
		return 1;
	}
	size_t one = c.bytes.len;
	size_t target = smoke ? (2u << 20) : (200u << 20);
	size_t nsamples = c.n, values = 0;
	double secs = 0;
	if (replicate(&c, nsamples, one, target) != 0) {
		fprintf(stderr, "bench_hl7_parse: out of memory replicating the corpus\n");
		return 1;
	}
	printf("corpus: %zu sample messages, %zu bytes; replicated to %zu messages, %.1f MB in memory\n",
	       nsamples, one, c.n, (double)c.bytes.len / 1e6);
	double cpu = 0, pcpu = 0, psecs = 0;
	size_t none = 0;
	if (run_ours(&c, 0, &psecs, &pcpu, &none) != 0 || run_ours(&c, 1, &secs, &cpu, &values) != 0)
		return 1;
	double mbs = (double)c.bytes.len / cpu / 1e6, msgs = (double)c.n / cpu;
	printf("mrt hl7_parse alone (index built): %.1f MB/s, %.0f msgs/s per core (%.2f s CPU, %.2f s wall)\n",
	       (double)c.bytes.len / pcpu / 1e6, (double)c.n / pcpu, pcpu, psecs);
	printf("mrt hl7_parse + every value read: %.1f MB/s, %.0f msgs/s per core (%.2f s CPU, %.2f s wall; "
	       "%zu value bytes decoded)\n",
	       mbs, msgs, cpu, secs, values);
	char check[4200];
	snprintf(check, sizeof check, "%s -c 'import hl7' 2>/dev/null", python());
	if (system(check) != 0) {
		printf("peer python3-hl7: not installed (python3 -c 'import hl7' fails); skipped\n");
	} else {
		double pmsgs = 0, pmbs = run_peer(&c, nsamples, smoke ? 1 : 20, &pmsgs);
		if (pmbs > 0)
			printf("peer python3-hl7 hl7.parse + every leaf visited (no unescaping): %.2f MB/s, %.0f msgs/s per core (CPU time); mrt/peer = %.1fx\n",
			       pmbs, pmsgs, mbs / pmbs);
		else
			printf("peer python3-hl7: run failed\n");
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS: %ld KiB\n", ru.ru_maxrss);
	free(c.off);
	free(c.len);
	mrt_buf_free(&c.bytes);
	return 0;
}
