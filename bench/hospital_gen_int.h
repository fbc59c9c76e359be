/*
 * Internals of the hospital data generator shared by hospital_gen.c (PRNG,
 * code lists, writers) and hospital_gen_rows.c (the rows).
 */
#ifndef MRT_BENCH_HOSPITAL_GEN_INT_H
#define MRT_BENCH_HOSPITAL_GEN_INT_H

#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#include "base/date.h"
#include "formats/cms_order.h"
#include "hospital_gen.h"

struct hg_rng {
	uint64_t s[4];
};

/* One independent stream per (seed, stream): patient i uses stream i. */
void hg_rng_seed(struct hg_rng *r, uint64_t seed, uint64_t stream);
uint64_t hg_next(struct hg_rng *r);
double hg_u01(struct hg_rng *r);		  /* [0, 1) */
long hg_below(struct hg_rng *r, long n);	  /* [0, n) */
long hg_geometric(struct hg_rng *r, double mean); /* >= 1 */
long hg_poisson(struct hg_rng *r, double lambda);
double hg_normal(struct hg_rng *r);

/* A weighted vocabulary, ended by a NULL value. */
struct hg_choice {
	int weight;
	const char *value;
};
const char *hg_pick(struct hg_rng *r, const struct hg_choice *c);

struct hg_list {
	char (*code)[8];
	size_t n, cap;
	double *cdf; /* Zipf popularity by position */
};

struct hgen_codes {
	struct hg_list list[2]; /* billable CM, PCS, most popular first */
	struct hg_list headers; /* CM codes that are not billable */
	cms_codeset *set[2];	/* FY2025 codes: 1 billable, 2 header (filter) */
	int filtered[2];
	cms_codeset *kept[2];  /* every code the lists hold (for the dictionaries) */
	char order26[2][4200]; /* the FY2026 order files */
};

const char *hg_zipf(struct hg_rng *r, const struct hg_list *l);
const char *hg_uniform_code(struct hg_rng *r, const struct hg_list *l);

#define HG_OUT_CAP ((1u << 18) + 65536u)

struct hg_out {
	gzFile gz;
	size_t n;
	long long bytes;
	char path[4200];
	char buf[HG_OUT_CAP];
};

int hg_out_open(struct hg_out *o, const char *dir, const char *file, const char *header, int level,
		mrt_err *err);
int hg_out_flush(struct hg_out *o, mrt_err *err);
/* Flushes and closes; adds the file's size to *gzbytes. */
int hg_out_close(struct hg_out *o, long long *gzbytes, mrt_err *err);
void hg_put(struct hg_out *o, const char *s, size_t n);
void hg_str(struct hg_out *o, const char *s);
void hg_i64(struct hg_out *o, long long v);
void hg_date(struct hg_out *o, int64_t t); /* t: seconds since 1970 */
void hg_time(struct hg_out *o, int64_t t);
static inline void hg_comma(struct hg_out *o)
{
	o->buf[o->n++] = ',';
}
static inline void hg_nl(struct hg_out *o)
{
	o->buf[o->n++] = '\n';
}
/* Ends a row; flushes when the buffer is full. */
int hg_row_end(struct hg_out *o, mrt_err *err);
/* d_icd_diagnoses and d_icd_procedures (code, version, long title) for
 * every code the lists hold, from the FY2026 order files. */
int hg_write_dicts(const hgen_codes *c, const char *hosp, int level, struct hgen_counts *n,
		   mrt_err *err);
/* dir and dir/hosp; the latter into hosp. */
int hg_mkdirs(const char *dir, char *hosp, size_t size, mrt_err *err);

#endif
