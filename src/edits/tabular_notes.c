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

typedef void (*group_fn)(struct tab_claim *x, int i, const struct tab_note *g, size_t n,
			 const char *at);

static void groups_of(struct tab_claim *x, int i, const struct tab_note *arr, size_t first,
		      size_t count, int kind, const char *at, group_fn fn)
{
	for (size_t k = first; k < first + count;) {
		size_t e = k + 1;
		while (e < first + count && arr[e].group == arr[k].group)
			e++;
		if (arr[k].kind == kind)
			fn(x, i, &arr[k], e - k, at);
		k = e;
	}
}

/* Every list of the kind that binds the i-th code: those written at the
 * code and at each category above it, then at its section and chapter
 * (not for use-additional lists: those of a section or chapter, such as
 * chapter 1's "resistance to antimicrobial drugs (Z16.-)", are reminders
 * for every code of it, not a rule a claim can be held to). */
static void each_group(struct tab_claim *x, int i, int kind, group_fn fn)
{
	const tabular_tables *t = x->t;
	const char *code = x->d[i].code;
	char at[8];
	for (size_t len = strnlen(code, 7); len >= 3; len--) {
		memcpy(at, code, len);
		at[len] = '\0';
		if (x->cm && !codes_lookup_find(x->cm, at))
			continue;
		size_t first, n = tab_notes_at(t, x->rel, at, &first);
		groups_of(x, i, t->note, first, n, kind, at, fn);
	}
	for (size_t k = 0; kind != TK_USE_ADDITIONAL && k < t->ngnote;) {
		const struct tab_note *g = &t->gnote[k];
		size_t e = k + 1;
		while (e < t->ngnote && t->gnote[e].group == g->group)
			e++;
		if (g->rel == x->rel && g->kind == kind && strncmp(code, g->glo, 3) >= 0 &&
		    strncmp(code, g->ghi, 3) <= 0) {
			char label[12];
			snprintf(label, sizeof label, "%.3s-%.3s", g->glo, g->ghi);
			fn(x, i, g, e - k, label);
		}
		k = e;
	}
}

static const char *txt(const struct tab_claim *x, uint32_t off)
{
	return x->t->text + off;
}

/* The first code of the claim, other than the i-th, that a note of the
 * list names, or -1. */
static int find_named(const struct tab_claim *x, int i, const struct tab_note *g, size_t n)
{
	for (int j = 0; j < x->n; j++) {
		if (j == i || strcmp(x->d[j].code, x->d[i].code) == 0)
			continue;
		for (size_t k = 0; k < n; k++)
			if (tab_note_match(x->t, &g[k], x->d[j].code))
				return j;
	}
	return -1;
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

static void excludes1(struct tab_claim *x, int i, const struct tab_note *g, size_t n,
		      const char *at)
{
	for (size_t k = 0; k < n; k++) {
		if (!g[k].nr)
			continue;
		for (int j = 0; j < x->n; j++) {
			int lo = i < j ? i : j, hi = i < j ? j : i;
			if (j == i || (x->pair[lo] >> hi & 1u) ||
			    strcmp(x->d[j].code, x->d[i].code) == 0 ||
			    !tab_note_match(x->t, &g[k], x->d[j].code))
				continue;
			x->pair[lo] |= 1u << hi;
			char a[12], b[12], w[12];
			tab_dot(a, x->d[i].code);
			tab_dot(b, x->d[j].code);
			tab_dot(w, at);
			const struct tab_rel *r = &x->t->rel[g[k].rel];
			tab_add(x, TAB_EXCLUDES1, &x->d[i], &x->d[j], at, r->id,
				"%s with %s: Excludes1 at %s \"%s\" (ICD-10-CM %s)", a, b, w,
				txt(x, g[k].text), r->version);
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
	char a[12], w[12], q[150];
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
	char a[12], w[12], q[150];
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
	char b[12];
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
	char a[12], w[12], q[150];
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

void tab_check_notes(struct tab_claim *x)
{
	for (int i = 0; i < x->n; i++) {
		each_group(x, i, TK_EXCLUDES1, excludes1);
		each_group(x, i, TK_CODE_FIRST, code_first);
		each_group(x, i, TK_USE_ADDITIONAL, use_additional);
	}
}
