/*
 * mrt-gen: writes a synthetic hospital in the MIMIC-IV hosp/ layout
 * (OUT/hosp/<table>.csv.gz) for benchmarks and demonstrations, e.g.
 *   mrt-gen --patients 1000000 --seed 7 --out /tmp/hospital
 * gives about 10M admissions and 50M diagnoses. `mrt import mimic OUT`
 * reads the result. See docs/generator.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "hospital_gen.h"

static const char usage[] =
    "usage: mrt-gen --out DIR [--patients N] [--seed N] [--mean-encounters X]\n"
    "               [--mean-dx X] [--header-rate X] [--gzip-level 1-9] [--data DIR]\n";

static int num(const char *s, double lo, double hi, double *out)
{
	char *end = NULL;
	errno = 0;
	double v = s ? strtod(s, &end) : 0;
	if (!s || !*s || *end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

struct args {
	struct hgen_opts o;
	const char *out, *data;
};

static int parse(int argc, char **argv, struct args *a)
{
	hgen_opts_init(&a->o);
	for (int i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		double x = 0;
		int bad = 0;
		if (strcmp(k, "--out") == 0)
			bad = !(a->out = v);
		else if (strcmp(k, "--data") == 0)
			bad = !(a->data = v);
		else if (strcmp(k, "--patients") == 0 && !(bad = num(v, 1, 1e9, &x)))
			a->o.patients = (long)x;
		else if (strcmp(k, "--seed") == 0 && !(bad = num(v, 0, 1e18, &x)))
			a->o.seed = (uint64_t)x;
		else if (strcmp(k, "--mean-encounters") == 0 && !(bad = num(v, 1, 100, &x)))
			a->o.mean_encounters = x;
		else if (strcmp(k, "--mean-dx") == 0 && !(bad = num(v, 1, 30, &x)))
			a->o.mean_dx = x;
		else if (strcmp(k, "--header-rate") == 0 && !(bad = num(v, 0, 1, &x)))
			a->o.header_rate = x;
		else if (strcmp(k, "--gzip-level") == 0 && !(bad = num(v, 1, 9, &x)))
			a->o.gzip_level = (int)x;
		else if (!bad)
			bad = 1;
		if (bad) {
			fprintf(stderr, "mrt-gen: bad option %s\n%s", k, usage);
			return -1;
		}
		i++;
	}
	if (!a->out) {
		fprintf(stderr, "mrt-gen: --out is required\n%s", usage);
		return -1;
	}
	return 0;
}

static void report(const struct hgen_counts *n, double dt)
{
	printf("patients        %12lld\n", n->patients);
	printf("admissions      %12lld\n", n->admissions);
	printf("transfers       %12lld\n", n->transfers);
	printf("services        %12lld\n", n->services);
	printf("diagnoses_icd   %12lld\n", n->diagnoses);
	printf("procedures_icd  %12lld\n", n->procedures);
	printf("drgcodes        %12lld\n", n->drgs);
	printf("provider        %12lld\n", n->providers);
	printf("d_icd_*         %12lld (code titles, not counted below)\n", n->titles);
	printf("rows            %12lld in %.2f s (%.0f rows/s)\n", hgen_counts_rows(n), dt,
	       (double)hgen_counts_rows(n) / dt);
	printf("CSV %.1f MB, gzip %.1f MB, peak RSS %ld kB\n", (double)n->bytes / 1e6,
	       (double)n->gzbytes / 1e6, bench_peak_rss_kb());
}

int main(int argc, char **argv)
{
	struct args a = {0};
	char data[4200], probe[4200];
	mrt_err err = {0};
	hgen_codes *codes = NULL;
	struct hgen_counts n;
	if (parse(argc, argv, &a) != 0)
		return 2;
	if (a.data)
		snprintf(data, sizeof data, "%s", a.data);
	else if (bench_data_file(probe, sizeof probe, "") == 0)
		snprintf(data, sizeof data, "%s", probe);
	else
		snprintf(data, sizeof data, "../shared/data");
	double t0 = bench_now();
	int rc = hgen_codes_load(&codes, data, &err);
	if (rc == 0) {
		printf("codes: %ld ICD-10-CM, %ld ICD-10-PCS billable (%.2f s)\n",
		       hgen_codes_count(codes, 0), hgen_codes_count(codes, 1), bench_now() - t0);
		t0 = bench_now();
		rc = hgen_write(a.out, &a.o, codes, &n, &err);
	}
	if (rc == 0)
		report(&n, bench_now() - t0);
	hgen_codes_free(codes);
	if (rc) {
		fprintf(stderr, "mrt-gen: %s\n", err.msg);
		return 1;
	}
	return 0;
}
