/*
 * The rules of a code's shape, against the code set of the discharge date
 * and the 7th characters of the Tabular List (Official Guidelines I.A.5,
 * I.A.6, I.B.2): a code of a category that takes a 7th character written
 * without one ("missing"), with one its category does not allow, or with
 * the placeholder X left out (T36.0X1A written T3601A); and a header
 * (category or subcategory with codes below it) reported as if billable,
 * with its first billable codes to choose from, found by probing the
 * code set one character at a time (no allocation).
 */
#include <stdio.h>
#include <string.h>

#include "edits/tabular_int.h"

#define SUGGEST_MAX 4

static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/* The first billable codes under code (a buffer of 8 with len used); a
 * placeholder X is a level of its own that the code set need not list. */
static void billable_below(const codes_lookup *cm, char *code, size_t len, char out[][8], int *n)
{
	if (len >= 7)
		return;
	for (const char *c = alnum; *c && *n < SUGGEST_MAX; c++) {
		code[len] = *c;
		code[len + 1] = '\0';
		const struct codes_entry *e = codes_lookup_find(cm, code);
		if (!e && *c == 'X')
			billable_below(cm, code, len + 1, out, n); /* W44.B9 -> W44.B9XA */
		if (!e)
			continue;
		if (e->billable)
			memcpy(out[(*n)++], code, len + 2);
		else
			billable_below(cm, code, len + 1, out, n);
	}
	code[len] = '\0';
}

static int billable(const codes_lookup *cm, const char *code)
{
	const struct codes_entry *e = codes_lookup_find(cm, code);
	return e && e->billable;
}

/* code padded with X to six characters and given an allowed 7th: the
 * first such code of the code set, into out. */
static int seventh_fill(const codes_lookup *cm, const char *code, const struct tab_sev *v,
			char out[8])
{
	size_t n = strlen(code);
	if (n > 6)
		return 0;
	memcpy(out, code, n);
	memset(out + n, 'X', 6 - n);
	out[7] = '\0';
	for (const char *c = v->chars; *c; c++) {
		out[6] = *c;
		if (billable(cm, out))
			return 1;
	}
	return 0;
}

static void header(struct tab_claim *x, const struct tab_dx *d, const char *dot)
{
	char code[8], kids[SUGGEST_MAX][8], list[SUGGEST_MAX * 12 + 8] = "";
	int n = 0;
	snprintf(code, sizeof code, "%s", d->code);
	billable_below(x->cm, code, strlen(code), kids, &n);
	for (int i = 0; i < n; i++) {
		char k[TAB_DOT_MAX];
		size_t len = strlen(list);
		tab_dot(k, kids[i]);
		snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", k);
	}
	if (n == SUGGEST_MAX) {
		size_t len = strlen(list);
		snprintf(list + len, sizeof list - len, ", ...");
	}
	tab_add(x, TAB_HEADER, d, NULL, "", 0,
		"%s is a header, not a billable code (Official Guidelines I.A.3); code to the "
		"highest specificity: %s",
		dot, n ? list : "no billable code below it");
}

static int sev_release(struct tab_claim *x, const struct tab_sev *v, int64_t *id, char ver[16])
{
	const struct tab_rel *r = &x->t->rel[v->rel];
	*id = r->id;
	memcpy(ver, r->version, 16);
	return 0;
}

static void list_chars(char out[80], const char *chars)
{
	size_t k = 0;
	for (const char *c = chars; *c && k + 3 < 80; c++) {
		if (k) {
			out[k++] = ',';
			out[k++] = ' ';
		}
		out[k++] = *c;
	}
	out[k] = '\0';
}

/* A code of the code set that is not billable. */
static void not_billable(struct tab_claim *x, const struct tab_dx *d, const struct tab_sev *v,
			 const char *dot)
{
	char fill[8], fdot[TAB_DOT_MAX], ver[16];
	int64_t rid = 0;
	if (!v || !seventh_fill(x->cm, d->code, v, fill)) {
		header(x, d, dot);
		return;
	}
	sev_release(x, v, &rid, ver);
	tab_dot(fdot, fill);
	char cat[TAB_DOT_MAX], chars[80];
	tab_dot(cat, v->owner);
	list_chars(chars, v->chars);
	tab_add(x, TAB_SEVENTH_CHAR, d, NULL, v->owner, rid,
		"%s: 7th character missing%s; codes of %s take one of %s (ICD-10-CM %s "
		"7th characters), e.g. %s",
		dot, strlen(d->code) < 6 ? ", with placeholder X" : "", cat, chars, ver, fdot);
}

/* T3601A -> T360X1A: X inserted (as many as make seven characters) before
 * the 7th; the first place that gives a billable code, into out. */
static int placeholder_fix(const codes_lookup *cm, const char *code, char out[8])
{
	size_t n = strlen(code), body = n - 1, k = 7 - n;
	for (size_t p = body; p >= 3; p--) {
		memcpy(out, code, p);
		memset(out + p, 'X', k);
		memcpy(out + p + k, code + p, body - p);
		out[6] = code[n - 1];
		out[7] = '\0';
		if (billable(cm, out))
			return 1;
	}
	return 0;
}

/* A code the code set lacks, of a category with 7th characters. */
static void not_in_set(struct tab_claim *x, const struct tab_dx *d, const struct tab_sev *v,
		       const char *dot)
{
	char fix[8], fdot[TAB_DOT_MAX], ver[16], cat[TAB_DOT_MAX], chars[80];
	int64_t rid = 0;
	size_t n = strlen(d->code);
	sev_release(x, v, &rid, ver);
	tab_dot(cat, v->owner);
	int allowed = strchr(v->chars, d->code[n - 1]) != NULL;
	if (n == 7 && !allowed) {
		char six[8];
		memcpy(six, d->code, 6);
		six[6] = '\0';
		if (!seventh_fill(x->cm, six, v, fix))
			return;
		list_chars(chars, v->chars);
		tab_add(x, TAB_SEVENTH_CHAR, d, NULL, v->owner, rid,
			"%s: 7th character %c is not allowed for %s (ICD-10-CM %s 7th characters: "
			"%s)",
			dot, d->code[6], cat, ver, chars);
	} else if (n >= 4 && n < 7 && allowed && placeholder_fix(x->cm, d->code, fix)) {
		tab_dot(fdot, fix);
		tab_add(x, TAB_PLACEHOLDER_X, d, NULL, v->owner, rid,
			"%s: placeholder X missing, write %s; codes of %s take a 7th character in "
			"the 7th place (ICD-10-CM %s, Official Guidelines I.A.5)",
			dot, fdot, cat, ver);
	}
}

void tab_check_struct(struct tab_claim *x)
{
	for (int i = 0; i < x->n; i++) {
		const struct tab_dx *d = &x->d[i];
		size_t n = strlen(d->code);
		if (n < 3 || n > 7)
			continue;
		const struct codes_entry *e = d->e;
		if (e && e->billable)
			continue;
		const struct tab_sev *v = x->t ? tab_sev_for(x->t, x->rel, x->cm, d->code) : NULL;
		char dot[TAB_DOT_MAX];
		tab_dot(dot, d->code);
		if (e)
			not_billable(x, d, v, dot);
		else if (v)
			not_in_set(x, d, v, dot);
	}
}
