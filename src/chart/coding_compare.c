/*
 * Comparing a coder's coding with a reviewer's blind coding of the same
 * encounter (see coding_compare.h): set agreement of diagnoses and
 * procedures, POA differences, and the disagreements listed.
 */
#include <string.h>

#include "base/str.h"
#include "chart/coding_compare.h"

const char *cc_diff_kind_name(enum cc_diff_kind k)
{
	static const char *const names[] = {"principal", "missing", "extra", "different", "poa"};
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* One side's distinct codes with their POA (the first occurrence's). */
#define SIDE_MAX (CC_MAX_DX + 1) /* the principal and the secondaries */
_Static_assert(CC_MAX_PX <= SIDE_MAX, "a side holds the procedures too");
struct side {
	int n;
	const char *code[SIDE_MAX];
	const char *poa[SIDE_MAX];
	unsigned char used[SIDE_MAX];
};

static int find(const struct side *s, const char *code)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->code[i], code) == 0)
			return i;
	return -1;
}

static void add_dx(struct side *s, const struct cc_dx *d)
{
	if (!d->code[0] || find(s, d->code) >= 0)
		return;
	s->poa[s->n] = d->poa;
	s->code[s->n++] = d->code;
}

static void dx_side(struct side *s, const struct cc_coding *c)
{
	memset(s, 0, sizeof *s);
	add_dx(s, &c->pdx);
	for (int i = 0; i < c->nsdx && i < CC_MAX_DX; i++)
		add_dx(s, &c->sdx[i]);
}

static void px_side(struct side *s, const struct cc_coding *c)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; i < c->npx && i < CC_MAX_PX; i++)
		if (c->px[i][0] && find(s, c->px[i]) < 0)
			s->code[s->n++] = c->px[i];
}

static struct cc_diff *diff(struct cc_result *r, enum cc_diff_kind k, int px, const char *coder,
			    const char *reviewer)
{
	if (r->ndiff == CC_MAX_DIFF) {
		r->truncated = 1;
		return NULL;
	}
	struct cc_diff *d = &r->diff[r->ndiff++];
	memset(d, 0, sizeof *d);
	d->kind = (uint8_t)k;
	d->px = (uint8_t)px;
	mrt_strlcpy(d->coder, coder ? coder : "", sizeof d->coder);
	mrt_strlcpy(d->reviewer, reviewer ? reviewer : "", sizeof d->reviewer);
	return d;
}

/* Codes on both sides (marked used), then POA differences (diagnoses). */
static int match(struct cc_result *r, struct side *a, struct side *b, int px)
{
	int both = 0;
	for (int i = 0; i < a->n; i++) {
		int j = find(b, a->code[i]);
		if (j < 0)
			continue;
		a->used[i] = b->used[j] = 1;
		both++;
		if (px || strcmp(a->poa[i], b->poa[j]) == 0)
			continue;
		r->poa_diff++;
		struct cc_diff *d = diff(r, CC_DIFF_POA, 0, a->code[i], b->code[j]);
		if (d) {
			mrt_strlcpy(d->coder_poa, a->poa[i], sizeof d->coder_poa);
			mrt_strlcpy(d->reviewer_poa, b->poa[j], sizeof d->reviewer_poa);
		}
	}
	return both;
}

/* Unmatched codes of the same category paired as "different"; the rest
 * missing (reviewer's) or extra (coder's), in each side's order. */
static void unmatched(struct cc_result *r, struct side *a, struct side *b, int px)
{
	for (int i = 0; i < a->n; i++) {
		if (a->used[i])
			continue;
		for (int j = 0; j < b->n; j++) {
			if (b->used[j] || strncmp(a->code[i], b->code[j], 3) != 0)
				continue;
			a->used[i] = b->used[j] = 1;
			diff(r, CC_DIFF_DIFFERENT, px, a->code[i], b->code[j]);
			break;
		}
	}
	for (int i = 0; i < a->n; i++)
		if (!a->used[i])
			diff(r, CC_DIFF_EXTRA, px, a->code[i], NULL);
	for (int j = 0; j < b->n; j++)
		if (!b->used[j])
			diff(r, CC_DIFF_MISSING, px, NULL, b->code[j]);
}

void cc_compare(const struct cc_coding *coder, const struct cc_coding *reviewer,
		struct cc_result *out)
{
	memset(out, 0, sizeof *out);
	struct side a, b;
	out->pdx_agree = coder->pdx.code[0] && strcmp(coder->pdx.code, reviewer->pdx.code) == 0;
	if (!out->pdx_agree)
		diff(out, CC_DIFF_PDX, 0, coder->pdx.code, reviewer->pdx.code);
	dx_side(&a, coder);
	dx_side(&b, reviewer);
	out->dx_coder = a.n;
	out->dx_reviewer = b.n;
	out->dx_both = match(out, &a, &b, 0);
	unmatched(out, &a, &b, 0);
	px_side(&a, coder);
	px_side(&b, reviewer);
	out->px_coder = a.n;
	out->px_reviewer = b.n;
	out->px_both = match(out, &a, &b, 1);
	unmatched(out, &a, &b, 1);
}

int cc_dx_agree(const struct cc_result *r)
{
	return r->pdx_agree && r->dx_both == r->dx_coder && r->dx_both == r->dx_reviewer &&
	       r->poa_diff == 0;
}

int cc_px_agree(const struct cc_result *r)
{
	return r->px_both == r->px_coder && r->px_both == r->px_reviewer;
}

void cc_tally_add(struct cc_tally *t, const struct cc_result *r)
{
	t->items++;
	t->pdx_agree += r->pdx_agree;
	t->dx_coder += r->dx_coder;
	t->dx_reviewer += r->dx_reviewer;
	t->dx_both += r->dx_both;
	t->dx_items_agree += cc_dx_agree(r);
	t->poa_diff += r->poa_diff;
	t->px_coder += r->px_coder;
	t->px_reviewer += r->px_reviewer;
	t->px_both += r->px_both;
	t->px_items_agree += cc_px_agree(r);
}

void cc_tally_edits(struct cc_tally *t, int coder_edits, int reviewer_edits, int same)
{
	t->edits_items++;
	t->edits_items_agree += same != 0;
	t->edits_coder += coder_edits;
	t->edits_reviewer += reviewer_edits;
}

double cc_ratio(long num, long den)
{
	return den > 0 ? (double)num / (double)den : -1.0;
}

double cc_jaccard(long both, long a, long b)
{
	return cc_ratio(both, a + b - both);
}
