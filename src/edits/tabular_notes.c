/*
 * The rules of the Tabular List's instructional notes (Official
 * Guidelines I.A.12-13, I.B.7, I.A.13 "code first" / "use additional
 * code"): two codes coded together where one's Excludes1 note names the
 * other; a code-first list whose condition is missing (only for a single
 * item without a condition: not "such as", "if applicable", "any",
 * "complicating", nor one of several alternatives) or coded after the
 * code, or a "code first underlying disease" naming no code whose code is
 * listed first; a use-additional list written at the code or a category
 * above it none of whose codes is on the claim (a warning for a single
 * unconditional item, else a reminder). A note written at a category binds
 * every code below it; a release without notes uses those of the newest
 * earlier one, only at categories the claim's code set also has, and each
 * finding names the note's release.
 */
#include <stdio.h>
#include <string.h>

#include "edits/tabular_int.h"

static const char *txt(const struct tab_claim *x, uint32_t off)
{
	return x->t->text + off;
}

/* The first of the claim's codes in key order that may fall in r. */
static int lower_bound(const struct tab_claim *x, uint64_t klo)
{
	int lo = 0, hi = x->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (x->d[x->ord[mid]].key < klo)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The position of the claim's m-th code in key order when range r names
 * it and it is neither the i-th code nor the same code; else -1. */
static int named_at(const struct tab_claim *x, int i, const struct tab_range *r, int m)
{
	int j = x->ord[m];
	const struct tab_dx *d = &x->d[j];
	if (j == i || d->key == x->d[i].key || !tab_range_match(r, d->key, d->code))
		return -1;
	return j;
}

#define EACH_NAMED(x, r, m)                                                                        \
	for (int m = lower_bound(x, (r)->klo); m < (x)->n && (x)->d[(x)->ord[m]].key <= (r)->khi;  \
	     m++)

/* The first code of the claim in sequence, other than the i-th, that a
 * note of the list names, or -1. */
static int find_named(const struct tab_claim *x, int i, const struct tab_note *g, size_t n)
{
	int best = -1;
	for (size_t k = 0; k < n; k++) {
		for (uint32_t q = 0; q < g[k].nr; q++) {
			const struct tab_range *r = &x->t->range[g[k].r0 + q];
			EACH_NAMED(x, r, m)
			{
				int j = named_at(x, i, r, m);
				if (j >= 0 && (best < 0 || j < best))
					best = j;
			}
		}
	}
	return best;
}

static size_t ranges_of(const struct tab_note *g, size_t n)
{
	size_t r = 0;
	for (size_t k = 0; k < n; k++)
		r += g[k].nr;
	return r;
}

/* The list's words for a message: its "...:" line and items, cut to fit. */
static void quote(const struct tab_claim *x, const struct tab_note *g, size_t n, char *out,
		  size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t k = 0; k < n && len + 1 < cap; k++) {
		int r = snprintf(out + len, cap - len, "%s%s",
				 k ? (k == 1 && g[0].nr == 0 ? " " : "; ") : "", txt(x, g[k].text));
		if (r < 0)
			break;
		len += (size_t)r;
	}
	if (len >= cap && cap > 4)
		memcpy(out + cap - 4, "...", 4);
}

/* The i-th and j-th codes, once per pair whichever carries the note. */
static void pair(struct tab_claim *x, int i, int j, const struct tab_note *g, const char *at)
{
	int lo = i < j ? i : j, hi = i < j ? j : i;
	if (x->pair[lo] >> hi & 1u)
		return;
	x->pair[lo] |= 1u << hi;
	char a[TAB_DOT_MAX], b[TAB_DOT_MAX], w[TAB_DOT_MAX];
	tab_dot(a, x->d[i].code);
	tab_dot(b, x->d[j].code);
	tab_dot(w, at);
	const struct tab_rel *r = &x->t->rel[g->rel];
	tab_add(x, TAB_EXCLUDES1, &x->d[i], &x->d[j], at, r->id,
		"%s with %s: Excludes1 at %s \"%s\" (ICD-10-CM %s)", a, b, w, txt(x, g->text),
		r->version);
}

static void excludes1(struct tab_claim *x, int i, const struct tab_note *g, size_t n,
		      const char *at)
{
	for (size_t k = 0; k < n; k++) {
		for (uint32_t q = 0; q < g[k].nr; q++) {
			const struct tab_range *r = &x->t->range[g[k].r0 + q];
			EACH_NAMED(x, r, m)
			{
				int j = named_at(x, i, r, m);
				if (j >= 0)
					pair(x, i, j, &g[k], at);
			}
		}
	}
}

/* "Code first underlying disease" names no code; it is broken only when
 * the code is listed first (the MCE's manifestation edit covers some of
 * these as principal diagnoses). */
static void first_listed(struct tab_claim *x, int i, const struct tab_note *g, size_t n,
			 const char *at)
{
	if (i != 0 || !strstr(txt(x, g->text), "underlying"))
		return;
	char a[TAB_DOT_MAX], w[TAB_DOT_MAX], q[150];
	tab_dot(a, x->d[i].code);
	tab_dot(w, at);
	quote(x, g, n, q, sizeof q);
	const struct tab_rel *r = &x->t->rel[g->rel];
	tab_add(x, TAB_CODE_FIRST, &x->d[i], NULL, at, r->id,
		"%s is listed first: Code first at %s \"%s\" (ICD-10-CM %s)", a, w, q, r->version);
}

static void code_first(struct tab_claim *x, int i, const struct tab_note *g, size_t n,
		       const char *at)
{
	if (!ranges_of(g, n)) {
		first_listed(x, i, g, n, at);
		return;
	}
	int j = find_named(x, i, g, n);
	if (j >= 0 && j < i)
		return;
	if (j < 0 && g->open)
		return;
	char a[TAB_DOT_MAX], w[TAB_DOT_MAX], q[150];
	tab_dot(a, x->d[i].code);
	tab_dot(w, at);
	quote(x, g, n, q, sizeof q);
	const struct tab_rel *r = &x->t->rel[g->rel];
	if (j < 0) {
		tab_add(x, TAB_CODE_FIRST, &x->d[i], NULL, at, r->id,
			"%s: Code first at %s \"%s\" (ICD-10-CM %s): no such code on the claim", a,
			w, q, r->version);
		return;
	}
	char b[TAB_DOT_MAX];
	tab_dot(b, x->d[j].code);
	tab_add(x, TAB_CODE_FIRST, &x->d[i], &x->d[j], at, r->id,
		"%s is sequenced before %s: Code first at %s \"%s\" (ICD-10-CM %s)", a, b, w, q,
		r->version);
}

static void use_additional(struct tab_claim *x, int i, const struct tab_note *g, size_t n,
			   const char *at)
{
	if (!ranges_of(g, n) || find_named(x, i, g, n) >= 0)
		return;
	for (int k = 0; k < x->nfired; k++)
		if (x->fired[k] == g->group)
			return;
	if (x->nfired < (int)(sizeof x->fired / sizeof x->fired[0]))
		x->fired[x->nfired++] = g->group;
	char a[TAB_DOT_MAX], w[TAB_DOT_MAX], q[150];
	tab_dot(a, x->d[i].code);
	tab_dot(w, at);
	quote(x, g, n, q, sizeof q);
	const struct tab_rel *r = &x->t->rel[g->rel];
	struct tab_finding *f =
	    tab_add(x, TAB_USE_ADDITIONAL, &x->d[i], NULL, at, r->id,
		    "%s: Use additional code at %s \"%s\" (ICD-10-CM %s): none on the claim", a, w,
		    q, r->version);
	/* A single unconditional item ("code to identify stage of chronic kidney
	 * disease (N18.1-N18.6)") is required: a warning, not a reminder. */
	if (f && !g->open)
		f->severity = TAB_WARNING;
}

/* Runs the rules of each list in notes[first, first + n) for the i-th
 * code; use-additional lists only when written at a code (with_ua). */
static void run_lists(struct tab_claim *x, int i, const struct tab_note *notes, size_t first,
		      size_t n, const char *at, int with_ua)
{
	for (size_t k = first; k < first + n;) {
		size_t e = k + 1;
		while (e < first + n && notes[e].group == notes[k].group)
			e++;
		if (notes[k].kind == TK_EXCLUDES1)
			excludes1(x, i, &notes[k], e - k, at);
		else if (notes[k].kind == TK_CODE_FIRST)
			code_first(x, i, &notes[k], e - k, at);
		else if (with_ua)
			use_additional(x, i, &notes[k], e - k, at);
		k = e;
	}
}

/* The lists that bind the i-th code: those written at the code and at each
 * category above it, then at its section and chapter (not use-additional
 * lists there: those of a section or chapter, such as chapter 1's
 * "resistance to antimicrobial drugs (Z16.-)", are reminders for every
 * code of it, not a rule a claim can be held to). */
static void lists_of(struct tab_claim *x, int i)
{
	const tabular_tables *t = x->t;
	const char *code = x->d[i].code;
	char at[8];
	size_t first = 0, n;
	for (size_t len = strnlen(code, 7); len >= 3; len--) {
		n = tab_notes_at(t, x->rel, x->d[i].key & ~0ull << (64 - 8 * len), &first);
		if (!n)
			continue;
		memcpy(at, code, len);
		at[len] = '\0';
		/* a code of the set has its categories in the set too */
		if (!x->cm || x->d[i].e || codes_lookup_find(x->cm, at))
			run_lists(x, i, t->note, first, n, at, 1);
	}
	for (int chapter = 0; chapter <= 1; chapter++) {
		const struct tab_owner *o[4];
		int k = tab_blocks(t, x->rel, chapter, x->d[i].key, o, 4);
		for (int b = 0; b < k; b++) {
			char label[TAB_DOT_MAX];
			snprintf(label, sizeof label, "%.3s-%.3s", o[b]->lo, o[b]->hi);
			run_lists(x, i, t->gnote, o[b]->first, o[b]->n, label, 0);
		}
	}
}

void tab_check_notes(struct tab_claim *x)
{
	for (int i = 0; i < x->n; i++)
		lists_of(x, i);
}
