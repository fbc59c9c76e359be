/*
 * Code search. FTS5 keeps each release's rows in rank order (likeliest
 * answer first, see schema_codetext.c), so a query reads the first
 * CANDIDATES matches of one release's rowid range, with no bm25 sort over
 * every match, then re-scores that handful: words matched whole rather than
 * as prefixes, the text starting with the first word, billable codes and
 * titles before inclusion and index terms, shorter texts first. One row per
 * code survives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "codes/codetext_int.h"

#define CANDIDATES 240
#define MAX_WORDS 16

static const char sql_match[] =
	"SELECT rowid, text, code, kind FROM code_fts WHERE code_fts MATCH ?1"
	" AND rowid BETWEEN (?2 << 32) AND (?2 << 32) + 4294967295 LIMIT ?3";
static const char sql_code[] =
	"SELECT billable, short_title, long_title FROM code WHERE release_id = ? AND code = ?";

struct cand {
	char *text;
	char code[16];
	char kind[12];
	const struct ct_release *rel;
	int billable;
	double score;
};

struct words {
	char *folded;
	char *joined; /* the folded words, space-separated */
	const char *w[MAX_WORDS];
	int n;
};

static int split_words(struct words *ws, const char *text, mrt_err *err)
{
	ws->folded = ct_fold(text);
	ws->joined = ct_fold(text);
	if (!ws->folded || !ws->joined)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	ws->n = 0;
	for (char *p = ws->folded; *p;) {
		if (ws->n == MAX_WORDS)
			return mrt_err_set(err, MRT_EINVAL, "more than %d words to search", MAX_WORDS);
		ws->w[ws->n++] = p;
		char *sp = strchr(p, ' ');
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	if (ws->n == 0)
		return mrt_err_set(err, MRT_EINVAL, "nothing to search for");
	return 0;
}

/* The FTS5 query for the words: each word as a prefix, expanded through
 * code_term into ("w1" OR "w2" ...) when it is the prefix of at most
 * MAX_EXPAND terms, else left to FTS5 as "word"*. The terms and words hold
 * only token characters, so the query cannot carry FTS5 syntax of its own.
 * *none = 1 when a word is the prefix of no term at all. */
#define MAX_EXPAND 32
static const char sql_terms[] =
	"SELECT term FROM code_term WHERE term >= ?1 AND term < ?2 ORDER BY term LIMIT ?3";

static int add_word(mrt_db *db, mrt_buf *q, const char *w, int *none, mrt_err *err)
{
	char hi[64];
	size_t n = strlen(w);
	if (n == 0 || n >= sizeof hi || (unsigned char)w[n - 1] == 0xFF)
		return mrt_buf_addf(q, "\"%s\"*", w) < 0 ? MRT_ENOMEM : 0;
	memcpy(hi, w, n + 1);
	hi[n - 1] = (char)((unsigned char)hi[n - 1] + 1);
	mrt_stmt *s = mrt_db_stmt(db, sql_terms, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_text(s, 1, w);
	mrt_stmt_bind_text(s, 2, hi);
	mrt_stmt_bind_int(s, 3, MAX_EXPAND + 1);
	mrt_buf terms = MRT_BUF_INIT(8192);
	int rc, k = 0;
	while ((rc = mrt_stmt_step(s, err)) == 1)
		if (mrt_buf_addf(&terms, "%s\"%s\"", k++ ? " OR " : "", mrt_stmt_text(s, 0)) < 0)
			rc = MRT_ENOMEM;
	mrt_stmt_reset(s);
	if (rc >= 0) {
		*none |= k == 0;
		if (k > MAX_EXPAND)
			rc = mrt_buf_addf(q, "\"%s\"*", w);
		else
			rc = mrt_buf_addf(q, "(%s)", mrt_buf_str(&terms));
		rc = rc < 0 ? mrt_err_set(err, MRT_ENOMEM, "search text too long") : 0;
	}
	mrt_buf_free(&terms);
	return rc;
}

static int fts_query(mrt_db *db, mrt_buf *q, const struct words *ws, int *none, mrt_err *err)
{
	*none = 0;
	for (int i = 0; i < ws->n; i++) {
		if (i && mrt_buf_adds(q, " AND ") < 0)
			return mrt_err_set(err, MRT_ENOMEM, "search text too long");
		int rc = add_word(db, q, ws->w[i], none, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int whole_word(const char *folded, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = strstr(folded, w); p; p = strstr(p + 1, w))
		if ((p == folded || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

static double score(const struct cand *c, const struct words *ws)
{
	char *f = ct_fold(c->text);
	/* Injury titles end in the encounter ("..., initial encounter for closed
	 * fracture", "..., sequela"): rank on the condition, then initial before
	 * subsequent before sequela. */
	static const struct { const char *tail; double add; } enc[] = {
		{ ", initial encounter", 0 }, { ", subsequent encounter", 6 }, { ", sequela", 8 },
	};
	size_t len = strlen(c->text);
	double add = 0;
	for (size_t i = 0; i < sizeof enc / sizeof enc[0]; i++) {
		const char *t = strstr(c->text, enc[i].tail);
		if (t) {
			len = (size_t)(t - c->text);
			add = enc[i].add;
			break;
		}
	}
	double s = (double)len + add;
	if (!strcmp(c->kind, "inclusion"))
		s += 6;
	else if (!strcmp(c->kind, "index") || !strcmp(c->kind, "main"))
		s += 10;
	else if (!strcmp(c->kind, "table"))
		s += 14;
	if (!c->billable)
		s += 20;
	if (f) {
		for (int i = 0; i < ws->n; i++)
			if (!whole_word(f, ws->w[i]))
				s += 12;
		size_t n0 = strlen(ws->w[0]), nq = strlen(ws->joined);
		if (strncmp(f, ws->w[0], n0) == 0 && (f[n0] == ' ' || !f[n0]))
			s -= 8;
		/* The whole text, or its main term before the comma, is what
		 * was typed: "Diabetes" -> "Diabetes, diabetic". */
		const char *comma = strcmp(c->kind, "main") == 0 ? strchr(c->text, ',') : NULL;
		char *head = comma ? mrt_strndup(c->text, (size_t)(comma - c->text)) : NULL;
		char *fh = head ? ct_fold(head) : NULL;
		if (strcmp(f, ws->joined) == 0 || (fh && strcmp(fh, ws->joined) == 0))
			s -= 25;
		else if (strncmp(f, ws->joined, nq) == 0 && f[nq] == ' ')
			s -= 12;
		free(fh);
		free(head);
		free(f);
	}
	return s;
}

static int seen_code(const struct cand *cs, int n, const struct ct_release *rel, const char *code)
{
	for (int i = 0; i < n; i++)
		if (cs[i].rel == rel && strcmp(cs[i].code, code) == 0)
			return 1;
	return 0;
}

static int billable_of(mrt_db *db, const struct ct_release *rel, const char *code, int *b,
		       mrt_err *err)
{
	mrt_stmt *s = mrt_db_stmt(db, sql_code, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, rel->id);
	mrt_stmt_bind_text(s, 2, code);
	int rc = mrt_stmt_step(s, err);
	*b = rc == 1 ? (int)mrt_stmt_int(s, 0) : 0;
	mrt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

static int gather(mrt_db *db, const struct ct_release *rel, const char *q,
		  const struct words *ws, struct cand *cs, int *n, int cap, mrt_err *err)
{
	mrt_stmt *s = mrt_db_stmt(db, sql_match, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_text(s, 1, q);
	mrt_stmt_bind_int(s, 2, rel->id);
	mrt_stmt_bind_int(s, 3, CANDIDATES);
	int rc, start = *n;
	while ((rc = mrt_stmt_step(s, err)) == 1 && *n < cap) {
		const char *code = mrt_stmt_text(s, 2);
		if (!code)
			continue;
		struct cand *c = &cs[*n];
		memset(c, 0, sizeof *c);
		c->text = strdup(mrt_stmt_text(s, 1));
		if (!c->text) {
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
			break;
		}
		snprintf(c->code, sizeof c->code, "%s", code);
		snprintf(c->kind, sizeof c->kind, "%s", mrt_stmt_text(s, 3));
		c->rel = rel;
		(*n)++;
	}
	mrt_stmt_reset(s);
	if (rc < 0)
		return rc;
	for (int i = start; i < *n; i++) {
		if ((rc = billable_of(db, rel, cs[i].code, &cs[i].billable, err)) != 0)
			return rc;
		cs[i].score = score(&cs[i], ws);
	}
	return 0;
}

static int by_score(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return strcmp(x->code, y->code);
}

static json_t *result_json(mrt_db *db, const struct cand *c, mrt_err *err)
{
	mrt_stmt *s = mrt_db_stmt(db, sql_code, err);
	if (!s)
		return NULL;
	mrt_stmt_bind_int(s, 1, c->rel->id);
	mrt_stmt_bind_text(s, 2, c->code);
	if (mrt_stmt_step(s, err) != 1) {
		mrt_stmt_reset(s);
		return NULL;
	}
	char dotted[24];
	ct_dotted(dotted, sizeof dotted, c->rel->system, c->code);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s}", "system",
			      c->rel->system, "version", c->rel->version, "code", c->code,
			      "code_dotted", dotted, "billable", (int)mrt_stmt_int(s, 0),
			      "short_title", mrt_stmt_text(s, 1), "long_title",
			      mrt_stmt_text(s, 2), "matched", c->text, "match_kind",
			      strcmp(c->kind, "main") == 0 ? "index" : c->kind);
	mrt_stmt_reset(s);
	if (!o)
		mrt_err_set(err, MRT_ENOMEM, "out of memory");
	return o;
}

static int emit(mrt_db *db, struct cand *cs, int n, int limit, json_t *arr, mrt_err *err)
{
	qsort(cs, (size_t)n, sizeof *cs, by_score);
	for (int i = 0; i < n && (int)json_array_size(arr) < limit; i++) {
		/* One row per code: its best-scored match. */
		if (seen_code(cs, i, cs[i].rel, cs[i].code))
			continue;
		mrt_err_clear(err);
		json_t *o = result_json(db, &cs[i], err);
		if (!o && err->code)
			return err->code;
		if (o)
			json_array_append_new(arr, o);
	}
	return 0;
}

int codetext_search(mrt_db *db, const int64_t *release_ids, size_t n, const char *text, int limit,
		    json_t **out, mrt_err *err)
{
	*out = NULL;
	if (n > 4 || limit < 1)
		return mrt_err_set(err, MRT_EINVAL, "bad search request");
	struct words ws = { 0 };
	struct ct_release rels[4];
	mrt_buf q = MRT_BUF_INIT(4096);
	int cap = CANDIDATES * (int)n, nc = 0;
	struct cand *cs = calloc((size_t)cap + 1, sizeof *cs);
	json_t *arr = json_array();
	int rc = !cs || !arr ? mrt_err_set(err, MRT_ENOMEM, "out of memory") : 0;
	int none = 0;
	if (rc == 0)
		rc = split_words(&ws, text, err);
	if (rc == 0)
		rc = fts_query(db, &q, &ws, &none, err);
	for (size_t i = 0; rc == 0 && !none && i < n; i++) {
		rc = ct_release_get(db, release_ids[i], &rels[i], err);
		if (rc == 0)
			rc = gather(db, &rels[i], mrt_buf_str(&q), &ws, cs, &nc, cap, err);
	}
	if (rc == 0)
		rc = emit(db, cs, nc, limit, arr, err);
	for (int i = 0; cs && i < nc; i++)
		free(cs[i].text);
	free(cs);
	free(ws.folded);
	free(ws.joined);
	mrt_buf_free(&q);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}
