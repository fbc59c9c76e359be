/*
 * CSV reader throughput on the MIMIC-IV demo hosp/ tables: each table's
 * rows replicated in memory (~100 MB uncompressed in all, ~2 MB with
 * --smoke), read once as plain CSV and once gzip-compressed through the
 * streaming inflater, touching every field. Peers on the same bytes in the
 * same run: Python's csv module (plain) and `gzip -dc | wc -l` (gzip, a
 * lower bound: it only inflates and counts lines). Prints MB/s of
 * uncompressed CSV, rows/s, the ratios, and peak RSS (which includes the
 * in-memory copies; the reader itself holds one 64 KiB chunk and one
 * record). Exit 77 when the data is absent.
 */
#include <stdint.h>
#include <sys/wait.h>
#include <zlib.h>

#include "bench_common.h"
#include "formats/csv.h"
#include "formats/gzsrc.h"
#include "formats/mimic.h"

struct table {
	char *plain;
	size_t plain_len;
	unsigned char *gz;
	size_t gz_len;
	char plain_path[256], gz_path[256];
};

/* The whole uncompressed file, through the same inflater. */
static char *slurp(const char *path, size_t *len)
{
	mrt_err err = {0};
	mrt_src *s = NULL;
	gzsrc *g = NULL;
	mrt_buf b = MRT_BUF_INIT(1u << 30);
	char chunk[65536];
	if (mrt_src_open(&s, path, &err) != 0 || gzsrc_open(&g, s, &err) != 0)
		goto fail;
	for (;;) {
		ssize_t n = gzsrc_read(g, chunk, sizeof chunk, &err);
		if (n < 0 || mrt_buf_add(&b, chunk, (size_t)n) != 0)
			goto fail;
		if (n == 0)
			break;
	}
	gzsrc_close(g);
	mrt_src_close(s);
	*len = b.len;
	return mrt_buf_detach(&b);
fail:
	fprintf(stderr, "bench_csv: %s\n", err.msg);
	exit(1);
}

/* header + body repeated until at least target bytes. */
static void replicate(struct table *t, const char *text, size_t len, size_t target)
{
	const char *nl = memchr(text, '\n', len);
	size_t hl = nl ? (size_t)(nl - text) + 1 : len, bl = len - hl;
	size_t k = bl ? (target + bl - 1) / bl : 1;
	t->plain_len = hl + k * bl;
	t->plain = malloc(t->plain_len);
	memcpy(t->plain, text, hl);
	for (size_t i = 0; i < k; i++)
		memcpy(t->plain + hl + i * bl, text + hl, bl);
	z_stream z;
	memset(&z, 0, sizeof z);
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	size_t cap = deflateBound(&z, t->plain_len);
	t->gz = malloc(cap);
	z.next_in = (unsigned char *)t->plain;
	z.avail_in = (uInt)t->plain_len;
	z.next_out = t->gz;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	t->gz_len = cap - z.avail_out;
	deflateEnd(&z);
}

/* Reads every record and touches every field; returns rows. */
static long read_all(const void *data, size_t len)
{
	mrt_err err = {0};
	mrt_src *s = NULL;
	csv_reader *r = NULL;
	long rows = 0;
	size_t touch = 0;
	if (mrt_src_open_mem(&s, "bench.csv", data, len, &err) != 0 ||
	    csv_open(&r, s, 1, NULL, &err) != 0)
		goto fail;
	for (int rc = csv_next(r, &err); rc != 0; rc = csv_next(r, &err)) {
		if (rc < 0)
			goto fail;
		for (size_t i = 0; i < csv_nfields(r); i++)
			touch += csv_field_len(r, i);
		rows++;
	}
	csv_close(r);
	return touch ? rows : -1;
fail:
	fprintf(stderr, "bench_csv: %s\n", err.msg);
	exit(1);
}

static int write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(p, 1, n, f);
	return fclose(f) == 0 && w == n ? 0 : -1;
}

/* Seconds a shell command takes (its own output discarded). */
static double time_cmd(const char *cmd)
{
	double t0 = bench_now();
	int rc = system(cmd);
	double dt = bench_now() - t0;
	return rc == 0 ? dt : -1;
}

/* Python's csv module over the plain files: seconds measured inside Python
 * (interpreter start-up excluded), rows into *rows. */
static double python_peer(struct table *t, int n, long *rows)
{
	char cmd[8192];
	int k = snprintf(cmd, sizeof cmd,
			 "python3 -c 'import csv,sys,time\n"
			 "t=time.perf_counter();n=0\n"
			 "for p in sys.argv[1:]:\n"
			 " with open(p,newline=\"\") as f:\n"
			 "  r=csv.reader(f);next(r)\n"
			 "  for row in r: n+=1\n"
			 "print(time.perf_counter()-t,n)'");
	for (int i = 0; i < n && k > 0 && (size_t)k < sizeof cmd; i++)
		k += snprintf(cmd + k, sizeof cmd - (size_t)k, " %s", t[i].plain_path);
	FILE *p = popen(cmd, "r");
	double secs = -1;
	if (!p)
		return -1;
	if (fscanf(p, "%lf %ld", &secs, rows) != 2)
		secs = -1;
	return pclose(p) == 0 ? secs : -1;
}

static void cleanup(struct table *t, int n, const char *dir)
{
	for (int i = 0; i < n; i++) {
		unlink(t[i].plain_path);
		unlink(t[i].gz_path);
		free(t[i].plain);
		free(t[i].gz);
	}
	rmdir(dir);
}

int main(int argc, char **argv)
{
	int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
	size_t target = smoke ? (2u << 20) : (100u << 20);
	char hosp[4096], probe[4200];
	if (bench_data_file(hosp, sizeof hosp, "mimic-iv-demo-2.2/hosp") != 0) {
		fprintf(stderr, "bench_csv: MIMIC-IV demo not found; skipping\n");
		return 77;
	}
	enum { NT = MIMIC_NTABLES };
	struct table t[NT];
	memset(t, 0, sizeof t);
	size_t demo = 0, plain = 0, gzb = 0;
	char dir[] = "/tmp/mrt-bench-csv-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	for (int i = 0; i < NT; i++) {
		snprintf(probe, sizeof probe, "%s/%s", hosp, mimic_table_file((enum mimic_table)i));
		size_t len;
		char *text = slurp(probe, &len);
		demo += len;
		replicate(&t[i], text, len, target / 675000 * len + 1);
		free(text);
		plain += t[i].plain_len;
		gzb += t[i].gz_len;
		snprintf(t[i].plain_path, sizeof t[i].plain_path, "%s/%d.csv", dir, i);
		snprintf(t[i].gz_path, sizeof t[i].gz_path, "%s/%d.csv.gz", dir, i);
		if (write_file(t[i].plain_path, t[i].plain, t[i].plain_len) != 0 ||
		    write_file(t[i].gz_path, t[i].gz, t[i].gz_len) != 0)
			return 1;
	}
	printf("bench_csv: MIMIC-IV demo hosp/ (8 tables, %.2f MB) replicated to %.1f MB CSV, %.1f "
	       "MB gzip\n",
	       demo / 1e6, plain / 1e6, gzb / 1e6);

	long rows = 0, rows_gz = 0;
	double t0 = bench_now();
	for (int i = 0; i < NT; i++)
		rows += read_all(t[i].plain, t[i].plain_len);
	double dt_plain = bench_now() - t0;
	t0 = bench_now();
	for (int i = 0; i < NT; i++)
		rows_gz += read_all(t[i].gz, t[i].gz_len);
	double dt_gz = bench_now() - t0;
	if (rows != rows_gz)
		return 1;
	printf("  mrt csv, plain:        %8.1f MB/s  %10.0f rows/s  (%ld rows, %.3f s)\n",
	       plain / 1e6 / dt_plain, rows / dt_plain, rows, dt_plain);
	printf("  mrt csv, gzip:         %8.1f MB/s  %10.0f rows/s  (%.3f s, inflate included)\n",
	       plain / 1e6 / dt_gz, rows / dt_gz, dt_gz);

	long prow = 0;
	double py = python_peer(t, NT, &prow);
	if (py > 0)
		printf("  peer python3 csv:      %8.1f MB/s  %10.0f rows/s  (%ld rows)  mrt/peer = "
		       "%.1fx\n",
		       plain / 1e6 / py, prow / py, prow, py / dt_plain);
	else
		printf("  peer python3 csv:      not available\n");
	char cmd[8192];
	int k = snprintf(cmd, sizeof cmd, "gzip -dc");
	for (int i = 0; i < NT && k > 0 && (size_t)k < sizeof cmd; i++)
		k += snprintf(cmd + k, sizeof cmd - (size_t)k, " %s", t[i].gz_path);
	snprintf(cmd + k, sizeof cmd - (size_t)k, " | wc -l > /dev/null");
	double zc = time_cmd(cmd);
	if (zc > 0)
		printf("  peer gzip -dc | wc -l: %8.1f MB/s  (inflate + count lines only)  "
		       "mrt/peer = %.2fx\n",
		       plain / 1e6 / zc, zc / dt_gz);
	printf("  peak RSS: %ld KB (the in-memory copies included)\n", bench_peak_rss_kb());
	cleanup(t, NT, dir);
	return 0;
}
