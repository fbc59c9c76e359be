/*
 * The hospital data generator (see hospital_gen.h): code lists from the
 * CMS order files, a seeded PRNG per patient, the value tables (MIMIC-IV's
 * own vocabularies) and the buffered gzip writers. The rows themselves are
 * made in hospital_gen_rows.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/cms_order.h"
#include "formats/source.h"
#include "hospital_gen_int.h"

/* ---- PRNG: xoshiro256** seeded by splitmix64 --------------------------- */

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void hg_rng_seed(struct hg_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t hg_next(struct hg_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

double hg_u01(struct hg_rng *r)
{
	return (double)(hg_next(r) >> 11) * 0x1.0p-53;
}

long hg_below(struct hg_rng *r, long n)
{
	return n <= 1 ? 0 : (long)(hg_u01(r) * (double)n);
}

long hg_geometric(struct hg_rng *r, double mean)
{
	if (mean <= 1.0)
		return 1;
	double u = 1.0 - hg_u01(r); /* (0, 1] */
	return 1 + (long)floor(log(u) / log(1.0 - 1.0 / mean));
}

long hg_poisson(struct hg_rng *r, double lambda)
{
	double l = exp(-lambda), p = 1.0;
	long k = 0;
	do {
		k++;
		p *= hg_u01(r);
	} while (p > l && k < 1000);
	return k - 1;
}

double hg_normal(struct hg_rng *r)
{
	double u = 1.0 - hg_u01(r), v = hg_u01(r);
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

const char *hg_pick(struct hg_rng *r, const struct hg_choice *c)
{
	long total = 0;
	for (const struct hg_choice *p = c; p->value; p++)
		total += p->weight;
	long x = hg_below(r, total);
	for (; c->value; c++) {
		if (x < c->weight)
			return c->value;
		x -= c->weight;
	}
	return c[-1].value;
}

/* ---- code lists ------------------------------------------------------- */

struct rd {
	struct hg_list *billable, *headers;
	cms_codeset *record;	  /* FY2025 pass: every code, 1 billable, 2 header */
	const cms_codeset *prior; /* FY2026 pass: keep a code only when FY2025 had it alike */
};

static int list_add(struct hg_list *l, const char *code)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4096;
		char(*c)[8] = realloc(l->code, cap * sizeof *c);
		if (!c)
			return MRT_ENOMEM;
		l->code = c;
		l->cap = cap;
	}
	memcpy(l->code[l->n], code, 8);
	l->n++;
	return 0;
}

static int on_row(void *ctx, const struct cms_order_row *row, mrt_err *err)
{
	struct rd *d = ctx;
	unsigned long kind = row->billable ? 1 : 2, prior = 0;
	int rc = 0;
	if (d->record)
		rc = cms_codeset_put(d->record, row->code, kind);
	else if (d->prior && (!cms_codeset_get(d->prior, row->code, &prior) || prior != kind))
		return 0;
	else if (row->billable)
		rc = list_add(d->billable, row->code);
	else if (d->headers)
		rc = list_add(d->headers, row->code);
	return rc ? mrt_err_set(err, MRT_ENOMEM, "out of memory") : 0;
}

static int read_order(const char *path, struct rd *d, mrt_err *err)
{
	mrt_src *src = NULL;
	int rc = mrt_src_open(&src, path, err);
	if (rc == 0)
		rc = cms_order_read(src, on_row, d, err);
	mrt_src_close(src);
	return rc;
}

/* The commonest codes of a US inpatient population, first in popularity
 * (kept only when billable in the loaded releases). */
static const char *const cm_head[] = {
    "I10",   "E785", "Z87891", "K219",	"F329",	 "I2510", "E119",   "Z794",  "N179",
    "E039",  "D649", "F419",   "I4891", "E871",	 "Z7901", "J449",   "G4733", "Z66",
    "E1122", "I129", "N390",   "J9601", "A419",	 "E876",  "F17210", "Z7902", "I509",
    "R0789", "Z955", "D696",   "E669",	"Z6841", "M109",  "J189",   "K5900", "Z8673",
};
static const char *const pcs_head[] = {
    "02HV33Z", "0BH17EZ", "5A1955Z", "5A1945Z", "3E0G76Z", "0DJ08ZZ", "30233N1", "B2111ZZ",
    "5A1D70Z", "02703ZZ", "0SRC0J9", "0SRD0J9", "10E0XZZ", "10907ZC", "0W9G3ZZ", "4A023N7",
};

/* Moves the head codes (those present) to the front of a shuffled list. */
static void order_list(struct hg_list *l, uint64_t seed, const char *const *head, size_t nhead)
{
	struct hg_rng r;
	hg_rng_seed(&r, seed, 0xC0DE);
	for (size_t i = l->n; i > 1; i--) {
		size_t j = (size_t)hg_below(&r, (long)i);
		char t[8];
		memcpy(t, l->code[i - 1], 8);
		memcpy(l->code[i - 1], l->code[j], 8);
		memcpy(l->code[j], t, 8);
	}
	size_t front = 0;
	for (size_t h = 0; h < nhead; h++)
		for (size_t i = front; i < l->n; i++)
			if (strcmp(l->code[i], head[h]) == 0) {
				char t[8];
				memcpy(t, l->code[front], 8);
				memcpy(l->code[front], l->code[i], 8);
				memcpy(l->code[i], t, 8);
				front++;
				break;
			}
}

/* Zipf(s = 1) over ranks: cumulative weights for a binary search. */
static int zipf_table(struct hg_list *l)
{
	l->cdf = malloc(l->n * sizeof *l->cdf);
	if (!l->cdf)
		return MRT_ENOMEM;
	double sum = 0;
	for (size_t i = 0; i < l->n; i++) {
		sum += 1.0 / (double)(i + 1);
		l->cdf[i] = sum;
	}
	for (size_t i = 0; i < l->n; i++)
		l->cdf[i] /= sum;
	return 0;
}

const char *hg_zipf(struct hg_rng *r, const struct hg_list *l)
{
	double u = hg_u01(r);
	size_t lo = 0, hi = l->n - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return l->code[lo];
}

const char *hg_uniform_code(struct hg_rng *r, const struct hg_list *l)
{
	return l->code[hg_below(r, (long)l->n)];
}

/* Loads FY2025 (when present) into sets, then FY2026 filtered by them: a
 * billable code must be billable in both, a header a header in both. */
static int load_lists(hgen_codes *c, const char *data_dir, mrt_err *err)
{
	static const char *const f25[2] = {"icd10cm/fy2025/icd10cm_order_2025.txt",
					   "icd10pcs/fy2025/icd10pcs_order_2025.txt"};
	static const char *const f26[2] = {"icd10cm/fy2026/icd10cm_order_2026.txt",
					   "icd10pcs/fy2026/icd10pcs_order_2026.txt"};
	char path[4096];
	int rc = 0;
	for (int k = 0; rc == 0 && k < 2; k++) {
		snprintf(path, sizeof path, "%s/%s", data_dir, f25[k]);
		c->set[k] = cms_codeset_new();
		if (!c->set[k])
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		FILE *probe = fopen(path, "r");
		if (!probe)
			continue;
		fclose(probe);
		struct rd d = {.record = c->set[k]};
		rc = read_order(path, &d, err);
		c->filtered[k] = 1;
	}
	for (int k = 0; rc == 0 && k < 2; k++) {
		snprintf(path, sizeof path, "%s/%s", data_dir, f26[k]);
		snprintf(c->order26[k], sizeof c->order26[k], "%s", path);
		struct rd d = {.billable = &c->list[k],
			       .headers = k == 0 ? &c->headers : NULL,
			       .prior = c->filtered[k] ? c->set[k] : NULL};
		rc = read_order(path, &d, err);
		if (rc == 0 && c->list[k].n == 0)
			rc = mrt_err_set(err, MRT_EPARSE, "%s: no billable codes", path);
	}
	return rc;
}

static int kept_sets(hgen_codes *c, mrt_err *err)
{
	for (int k = 0; k < 2; k++) {
		c->kept[k] = cms_codeset_new();
		if (!c->kept[k])
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		const struct hg_list *l = &c->list[k];
		for (int h = 0; h < (k == 0 ? 2 : 1); h++, l = &c->headers)
			for (size_t i = 0; i < l->n; i++)
				if (cms_codeset_put(c->kept[k], l->code[i], 1) != 0)
					return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	return 0;
}

struct dict {
	const cms_codeset *kept;
	struct hg_out *o;
	long long n;
};

static int on_dict(void *ctx, const struct cms_order_row *row, mrt_err *err)
{
	struct dict *d = ctx;
	if (!cms_codeset_get(d->kept, row->code, NULL))
		return 0;
	hg_str(d->o, row->code);
	hg_put(d->o, ",10,", 4);
	hg_str(d->o, row->long_title);
	d->n++;
	return hg_row_end(d->o, err);
}

int hg_write_dicts(const hgen_codes *c, const char *hosp, int level, struct hgen_counts *n,
		   mrt_err *err)
{
	static const char *const files[2] = {"d_icd_diagnoses.csv.gz", "d_icd_procedures.csv.gz"};
	struct dict d = {0};
	d.o = calloc(1, sizeof *d.o);
	int rc = d.o ? 0 : mrt_err_set(err, MRT_ENOMEM, "out of memory");
	for (int k = 0; rc == 0 && k < 2; k++) {
		mrt_src *src = NULL;
		d.kept = c->kept[k];
		rc =
		    hg_out_open(d.o, hosp, files[k], "icd_code,icd_version,long_title", level, err);
		if (rc == 0)
			rc = mrt_src_open(&src, c->order26[k], err);
		if (rc == 0)
			rc = cms_order_read(src, on_dict, &d, err);
		mrt_src_close(src);
		if (d.o->gz)
			n->bytes += d.o->bytes + (long long)d.o->n;
		int rc2 = hg_out_close(d.o, &n->gzbytes, err);
		if (rc == 0)
			rc = rc2;
	}
	n->titles = d.n;
	free(d.o);
	return rc;
}

int hgen_codes_load(hgen_codes **out, const char *data_dir, mrt_err *err)
{
	*out = NULL;
	hgen_codes *c = calloc(1, sizeof *c);
	if (!c)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	int rc = load_lists(c, data_dir, err);
	if (rc == 0) {
		order_list(&c->list[0], 1, cm_head, sizeof cm_head / sizeof *cm_head);
		order_list(&c->list[1], 2, pcs_head, sizeof pcs_head / sizeof *pcs_head);
		if (zipf_table(&c->list[0]) || zipf_table(&c->list[1]))
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	if (rc == 0)
		rc = kept_sets(c, err);
	if (rc == 0 && c->headers.n == 0)
		rc = mrt_err_set(err, MRT_EPARSE, "no header codes in the ICD-10-CM order file");
	if (rc) {
		hgen_codes_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void hgen_codes_free(hgen_codes *c)
{
	if (!c)
		return;
	for (int k = 0; k < 2; k++) {
		free(c->list[k].code);
		free(c->list[k].cdf);
		cms_codeset_free(c->set[k]);
		cms_codeset_free(c->kept[k]);
	}
	free(c->headers.code);
	free(c);
}

long hgen_codes_count(const hgen_codes *c, int pcs)
{
	return (long)c->list[pcs ? 1 : 0].n;
}

/* ---- buffered gzip CSV writer ----------------------------------------- */

#define OUT_FLUSH (1u << 18)

int hg_out_open(struct hg_out *o, const char *dir, const char *file, const char *header, int level,
		mrt_err *err)
{
	char mode[8];
	snprintf(o->path, sizeof o->path, "%s/%s", dir, file);
	snprintf(mode, sizeof mode, "wb%d", level < 1 || level > 9 ? 1 : level);
	o->n = 0;
	o->bytes = 0;
	o->gz = gzopen(o->path, mode);
	if (!o->gz)
		return mrt_err_set(err, MRT_EIO, "%s: cannot create", o->path);
	gzbuffer(o->gz, 1u << 17);
	hg_put(o, header, strlen(header));
	hg_nl(o);
	return 0;
}

int hg_out_flush(struct hg_out *o, mrt_err *err)
{
	if (o->n && gzwrite(o->gz, o->buf, (unsigned)o->n) != (int)o->n)
		return mrt_err_set(err, MRT_EIO, "%s: write failed", o->path);
	o->bytes += (long long)o->n;
	o->n = 0;
	return 0;
}

int hg_out_close(struct hg_out *o, long long *gzbytes, mrt_err *err)
{
	if (!o->gz)
		return 0;
	int rc = hg_out_flush(o, err);
	if (gzclose(o->gz) != Z_OK && rc == 0)
		rc = mrt_err_set(err, MRT_EIO, "%s: write failed", o->path);
	o->gz = NULL;
	struct stat st;
	if (rc == 0 && gzbytes && stat(o->path, &st) == 0)
		*gzbytes += (long long)st.st_size;
	return rc;
}

int hg_row_end(struct hg_out *o, mrt_err *err)
{
	hg_nl(o);
	return o->n >= OUT_FLUSH ? hg_out_flush(o, err) : 0;
}

void hg_put(struct hg_out *o, const char *s, size_t n)
{
	memcpy(o->buf + o->n, s, n);
	o->n += n;
}

/* A field: quoted when it holds a comma, a quote or a line end. */
void hg_str(struct hg_out *o, const char *s)
{
	size_t n = strlen(s);
	if (strcspn(s, ",\"\r\n") == n) {
		hg_put(o, s, n);
		return;
	}
	o->buf[o->n++] = '"';
	for (; *s; s++) {
		if (*s == '"')
			o->buf[o->n++] = '"';
		o->buf[o->n++] = *s;
	}
	o->buf[o->n++] = '"';
}

void hg_i64(struct hg_out *o, long long v)
{
	char t[24];
	int k = 0;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do {
		t[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		o->buf[o->n++] = '-';
	while (k)
		o->buf[o->n++] = t[--k];
}

static void two(struct hg_out *o, int v)
{
	o->buf[o->n++] = (char)('0' + v / 10);
	o->buf[o->n++] = (char)('0' + v % 10);
}

void hg_date(struct hg_out *o, int64_t t)
{
	int y, m, d;
	mrt_date_to_ymd((mrt_day)(t / 86400), &y, &m, &d);
	two(o, y / 100);
	two(o, y % 100);
	o->buf[o->n++] = '-';
	two(o, m);
	o->buf[o->n++] = '-';
	two(o, d);
}

void hg_time(struct hg_out *o, int64_t t)
{
	int s = (int)(t % 86400);
	hg_date(o, t);
	o->buf[o->n++] = ' ';
	two(o, s / 3600);
	o->buf[o->n++] = ':';
	two(o, s / 60 % 60);
	o->buf[o->n++] = ':';
	two(o, s % 60);
}

int hg_mkdirs(const char *dir, char *hosp, size_t size, mrt_err *err)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return mrt_err_set(err, MRT_EIO, "%s: cannot create the folder", dir);
	int k = snprintf(hosp, size, "%s/hosp", dir);
	if (k < 0 || (size_t)k >= size)
		return mrt_err_set(err, MRT_EINVAL, "%s: path too long", dir);
	if (mkdir(hosp, 0755) != 0 && errno != EEXIST)
		return mrt_err_set(err, MRT_EIO, "%s: cannot create the folder", hosp);
	return 0;
}
