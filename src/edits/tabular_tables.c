/*
 * Loading the tabular rules' tables (tabular_int.h) from the database:
 * every ICD-10-CM release that has Tabular List notes, its Excludes1,
 * code-first and use-additional-code notes with the ranges they name
 * (a "...:" line and the items under it form one list), its 7th
 * characters by category, and the CMS POA-exempt lists by fiscal year.
 * Read once; the lookups here are binary searches that allocate nothing.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "edits/tabular_int.h"

#define MAX_NOTE_RANGES 32

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap) /* need may be 0, *p NULL */
		return 0;
	void *q = mrt_grow(*p, cap, need, size, 256);
	if (!q)
		return -1;
	*p = q;
	return 0;
}

struct loader {
	tabular_tables *t;
	size_t cap_note, cap_gnote, cap_range, cap_sev, cap_text, cap_rel;
	uint32_t group; /* the list being read */
	uint32_t head;	/* its "...:" line */
	char last_owner[80];
	int last_kind, last_rel;
	mrt_err *err;
};

static int oom(struct loader *l)
{
	return mrt_err_set(l->err, MRT_ENOMEM, "tabular rules: out of memory");
}

static int load_releases(mrt_db *db, struct loader *l)
{
	static const char sql[] =
	    "SELECT r.id, r.version, r.effective_from, r.effective_to FROM code_release r"
	    " WHERE r.system = 'icd10cm' AND EXISTS (SELECT 1 FROM code_note n"
	    " WHERE n.release_id = r.id) ORDER BY r.id";
	mrt_stmt *s = mrt_db_stmt(db, sql, l->err);
	if (!s)
		return MRT_EDB;
	tabular_tables *t = l->t;
	int rc;
	while ((rc = mrt_stmt_step(s, l->err)) == 1 && t->nrel < 255) {
		if (grow((void **)&t->rel, &l->cap_rel, t->nrel + 1, sizeof *t->rel) < 0) {
			mrt_stmt_reset(s);
			return oom(l);
		}
		struct tab_rel *r = &t->rel[t->nrel++];
		memset(r, 0, sizeof *r);
		r->id = mrt_stmt_int(s, 0);
		snprintf(r->version, sizeof r->version, "%s", mrt_stmt_text(s, 1));
		mrt_date_parse(&r->from, mrt_stmt_text(s, 2));
		mrt_date_parse(&r->to, mrt_stmt_text(s, 3));
	}
	mrt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

static int rel_index(const tabular_tables *t, int64_t id)
{
	for (size_t i = 0; i < t->nrel; i++)
		if (t->rel[i].id == id)
			return (int)i;
	return -1;
}

static int add_text(struct loader *l, const char *s, uint32_t *off)
{
	tabular_tables *t = l->t;
	size_t n = strlen(s) + 1;
	if (grow((void **)&t->text, &l->cap_text, t->ntext + n, 1) < 0)
		return oom(l);
	memcpy(t->text + t->ntext, s, n);
	*off = (uint32_t)t->ntext;
	t->ntext += n;
	return 0;
}

static int add_sev(struct loader *l, int rel, const char *owner, const char *ch)
{
	tabular_tables *t = l->t;
	struct tab_sev *v = t->nsev ? &t->sev[t->nsev - 1] : NULL;
	if (!v || v->rel != rel || strcmp(v->owner, owner) != 0) {
		if (strlen(owner) >= sizeof v->owner)
			return 0;
		if (grow((void **)&t->sev, &l->cap_sev, t->nsev + 1, sizeof *t->sev) < 0)
			return oom(l);
		v = &t->sev[t->nsev++];
		memset(v, 0, sizeof *v);
		v->rel = (uint16_t)rel;
		memcpy(v->owner, owner, strlen(owner) + 1);
	}
	size_t n = strlen(v->chars);
	if (ch && ch[0] && !ch[1] && n + 1 < sizeof v->chars && !strchr(v->chars, ch[0]))
		v->chars[n] = ch[0];
	return 0;
}

/* A list's wording that makes it a set of examples or a conditional one. */
static int is_open(const char *text)
{
	static const char *const words[] = {"such as",	    "if applicable",	"any ",
					    "if known",	    "where applicable", "if ",
					    "complicating", "complicated by"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		for (const char *p = strstr(text, words[i]); p; p = strstr(p + 1, words[i]))
			if (p == text || !isalpha((unsigned char)p[-1])) /* "any", not "company" */
				return 1;
	return 0;
}

static int kind_of(const char *kind)
{
	if (strcmp(kind, "excludes1") == 0)
		return TK_EXCLUDES1;
	if (strcmp(kind, "codeFirst") == 0)
		return TK_CODE_FIRST;
	if (strcmp(kind, "useAdditionalCode") == 0)
		return TK_USE_ADDITIONAL;
	return -1;
}

/* "section:A00-A09" -> glo "A00", ghi "A09". */
static int set_group_owner(struct tab_note *n, const char *owner)
{
	const char *r = strchr(owner, ':') + 1, *dash = strchr(r, '-');
	if (strlen(r) < 3 || (dash && strlen(dash + 1) < 3))
		return 0;
	memcpy(n->glo, r, 3);
	memcpy(n->ghi, dash ? dash + 1 : r, 3);
	return 1;
}

/* Which list the note belongs to: the notes of one kind written at one
 * code are one list (a "...:" line, if any, then its items). */
static void assign_group(struct loader *l, struct tab_note *n, int rel, const char *owner, int kind)
{
	if (rel != l->last_rel || kind != l->last_kind || strcmp(owner, l->last_owner) != 0) {
		l->group++;
		l->head = UINT32_MAX;
	}
	size_t len = strlen(l->t->text + n->text);
	if (n->nr == 0 && len && l->t->text[n->text + len - 1] == ':' && l->head == UINT32_MAX)
		l->head = n->text;
	n->group = l->group;
	n->head = l->head;
	l->last_rel = rel;
	l->last_kind = kind;
	snprintf(l->last_owner, sizeof l->last_owner, "%s", owner);
}

static int add_note(struct loader *l, int rel, const char *owner, int kind, const char *text)
{
	tabular_tables *t = l->t;
	int group = strchr(owner, ':') != NULL;
	struct tab_range r[MAX_NOTE_RANGES];
	struct tab_note n = {.rel = (uint16_t)rel, .kind = (uint8_t)kind};
	if (group ? !set_group_owner(&n, owner) : strlen(owner) >= sizeof n.owner)
		return 0;
	if (!group)
		memcpy(n.owner, owner, strlen(owner) + 1);
	n.chapter = (uint8_t)(strncmp(owner, "chapter:", 8) == 0);
	n.okey = group ? 0 : tab_key(owner);
	int nr = tab_parse_ranges(text, r, MAX_NOTE_RANGES);
	if (grow((void **)&t->range, &l->cap_range, t->nrange + (size_t)nr, sizeof *t->range) < 0)
		return oom(l);
	if (nr > 0) /* t->range is still NULL before the first range */
		memcpy(t->range + t->nrange, r, (size_t)nr * sizeof *r);
	n.r0 = (uint32_t)t->nrange;
	n.nr = (uint16_t)nr;
	t->nrange += (size_t)nr;
	n.open = (uint8_t)is_open(text);
	int rc = add_text(l, text, &n.text);
	if (rc)
		return rc;
	assign_group(l, &n, rel, owner, kind);
	struct tab_note **arr = group ? &t->gnote : &t->note;
	size_t *cnt = group ? &t->ngnote : &t->nnote;
	if (grow((void **)arr, group ? &l->cap_gnote : &l->cap_note, *cnt + 1, sizeof n) < 0)
		return oom(l);
	(*arr)[(*cnt)++] = n;
	return 0;
}

/* A list's items and its "...:" line share one openness; a list of
 * several items is a set of alternatives that apply when they apply
 * (A41 "Code first: postprocedural sepsis (T81.4-), sepsis during labor
 * (O75.3), ..."; I82 "venous embolism and thrombosis complicating: ..."),
 * so only a single item without a condition is required. */
static void spread_open(struct tab_note *n, size_t count)
{
	for (size_t i = 0; i < count;) {
		size_t j = i;
		int open = 0, items = 0;
		while (j < count && n[j].group == n[i].group) {
			open |= n[j].open;
			items += n[j++].nr > 0;
		}
		if (items > 1)
			open = 1;
		for (; i < j; i++)
			n[i].open = (uint8_t)open;
	}
}

static size_t slot(uint64_t k, size_t mask)
{
	return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

static int cmp_at(const void *a, const void *b)
{
	uint64_t x = ((const struct tab_at *)a)->k, y = ((const struct tab_at *)b)->k;
	return x < y ? -1 : x > y;
}

/* One entry per code and release with notes, sorted by key. */
static int index_codes(tabular_tables *t, mrt_err *err)
{
	for (size_t i = 0; i < t->nnote;) {
		size_t e = i + 1;
		while (e < t->nnote && t->note[e].rel == t->note[i].rel &&
		       t->note[e].okey == t->note[i].okey)
			e++;
		struct tab_at *a = realloc(t->at, (t->nat + 1) * sizeof *a);
		if (!a)
			return mrt_err_set(err, MRT_ENOMEM, "tabular rules: out of memory");
		t->at = a;
		t->at[t->nat++] = (struct tab_at){.k = t->note[i].okey | t->note[i].rel,
						  .first = (uint32_t)i,
						  .n = (uint32_t)(e - i)};
		i = e;
	}
	if (t->nat) /* qsort wants a real array even for none */
		qsort(t->at, t->nat, sizeof *t->at, cmp_at);
	size_t size = 64;
	while (size < 2 * t->nat)
		size *= 2;
	t->hash = calloc(size, sizeof *t->hash);
	if (!t->hash)
		return mrt_err_set(err, MRT_ENOMEM, "tabular rules: out of memory");
	t->hmask = size - 1;
	for (size_t i = 0; i < t->nat; i++) {
		size_t h = slot(t->at[i].k, t->hmask);
		while (t->hash[h])
			h = (h + 1) & t->hmask;
		t->hash[h] = (uint32_t)i + 1;
	}
	return 0;
}

/* One owner per section or chapter whose notes follow each other. */
static int index_owners(tabular_tables *t, mrt_err *err)
{
	for (size_t i = 0; i < t->ngnote; i++) {
		const struct tab_note *g = &t->gnote[i];
		struct tab_owner *o = t->nowner ? &t->owner[t->nowner - 1] : NULL;
		if (o && o->rel == g->rel && o->chapter == g->chapter &&
		    !memcmp(o->lo, g->glo, 4) && !memcmp(o->hi, g->ghi, 4)) {
			o->n++;
			continue;
		}
		o = realloc(t->owner, (t->nowner + 1) * sizeof *o);
		if (!o)
			return mrt_err_set(err, MRT_ENOMEM, "tabular rules: out of memory");
		t->owner = o;
		o = &t->owner[t->nowner++];
		*o = (struct tab_owner){
		    .rel = g->rel, .chapter = g->chapter, .first = (uint32_t)i, .n = 1};
		memcpy(o->lo, g->glo, 4);
		memcpy(o->hi, g->ghi, 4);
		o->klo = tab_key(o->lo);
		o->khi = o->kmax = tab_key(o->hi);
		const struct tab_owner *p = t->nowner > 1 ? o - 1 : NULL;
		if (p && p->rel == o->rel && p->chapter == o->chapter && p->kmax > o->kmax)
			o->kmax = p->kmax;
	}
	return 0;
}

static int load_notes(mrt_db *db, struct loader *l)
{
	static const char sql[] =
	    "SELECT release_id, code, kind, text, ch FROM code_note WHERE kind IN"
	    " ('excludes1', 'codeFirst', 'useAdditionalCode', 'sevenChrDef')"
	    " ORDER BY release_id, code, kind, seq";
	mrt_stmt *s = mrt_db_stmt(db, sql, l->err);
	if (!s)
		return MRT_EDB;
	int rc;
	while ((rc = mrt_stmt_step(s, l->err)) == 1) {
		int rel = rel_index(l->t, mrt_stmt_int(s, 0));
		const char *owner = mrt_stmt_text(s, 1), *kind = mrt_stmt_text(s, 2);
		const char *text = mrt_stmt_text(s, 3);
		if (rel < 0 || !owner || !kind || !text)
			continue;
		if (strcmp(kind, "sevenChrDef") == 0)
			rc = strchr(owner, ':') ? 0 : add_sev(l, rel, owner, mrt_stmt_text(s, 4));
		else
			rc = add_note(l, rel, owner, kind_of(kind), text);
		if (rc < 0)
			break;
	}
	mrt_stmt_reset(s);
	spread_open(l->t->note, l->t->nnote);
	spread_open(l->t->gnote, l->t->ngnote);
	if (rc >= 0)
		rc = index_owners(l->t, l->err);
	if (rc >= 0)
		rc = index_codes(l->t, l->err);
	return rc < 0 ? rc : 0;
}

int tabular_tables_load(mrt_db *db, tabular_tables **out, mrt_err *err)
{
	*out = NULL;
	tabular_tables *t = calloc(1, sizeof *t);
	if (!t)
		return mrt_err_set(err, MRT_ENOMEM, "tabular rules: out of memory");
	struct loader l = {.t = t, .err = err, .last_kind = -1, .last_rel = -1};
	int rc = load_releases(db, &l);
	if (rc == 0)
		rc = load_notes(db, &l);
	if (rc == 0)
		rc = tab_poa_load(db, t, err);
	if (rc) {
		tabular_tables_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void tabular_tables_free(tabular_tables *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->npoa; i++)
		free(t->poa[i].codes);
	free(t->poa);
	free(t->rel);
	free(t->note);
	free(t->gnote);
	free(t->owner);
	free(t->at);
	free(t->hash);
	free(t->range);
	free(t->sev);
	free(t->text);
	free(t);
}

size_t tab_notes_at(const tabular_tables *t, int rel, uint64_t key, size_t *first)
{
	uint64_t k = key | (uint64_t)rel;
	if (!t->hash)
		return 0;
	for (size_t h = slot(k, t->hmask); t->hash[h]; h = (h + 1) & t->hmask) {
		const struct tab_at *a = &t->at[t->hash[h] - 1];
		if (a->k == k) {
			*first = a->first;
			return a->n;
		}
	}
	return 0;
}

/* Owners in gnote order: rel, then chapters ("chapter:" sorts before
 * "section:"), then the first category of the range. */
static int cmp_owner(const struct tab_owner *o, int rel, int chapter, uint64_t cat)
{
	if (o->rel != rel)
		return o->rel < rel ? -1 : 1;
	if (o->chapter != chapter)
		return o->chapter ? -1 : 1;
	return o->klo < cat ? -1 : o->klo > cat;
}

int tab_blocks(const tabular_tables *t, int rel, int chapter, uint64_t key,
	       const struct tab_owner **out, int max)
{
	uint64_t cat = TAB_CAT(key);
	size_t lo = 0, hi = t->nowner;
	while (lo < hi) { /* the first owner after the key */
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_owner(&t->owner[mid], rel, chapter, cat) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	int n = 0;
	for (size_t k = lo; k-- > 0 && n < max;) {
		const struct tab_owner *o = &t->owner[k];
		if (o->rel != rel || o->chapter != chapter || cat > o->kmax)
			break;
		if (cat <= o->khi)
			out[n++] = o;
	}
	return n;
}

static const struct tab_sev *sev_at(const tabular_tables *t, int rel, const char *owner)
{
	size_t lo = 0, hi = t->nsev;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct tab_sev *v = &t->sev[mid];
		int c = v->rel != rel ? (v->rel < rel ? -1 : 1) : strcmp(v->owner, owner);
		if (c == 0)
			return v;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct tab_sev *tab_sev_for(const tabular_tables *t, int rel, const codes_lookup *cm,
				  const char *code)
{
	char at[8];
	size_t n = strnlen(code, 7);
	if (rel < 0)
		return NULL;
	for (; n >= 3; n--) {
		memcpy(at, code, n);
		at[n] = '\0';
		const struct tab_sev *v = sev_at(t, rel, at);
		if (v && (!cm || codes_lookup_find(cm, at)))
			return v;
	}
	return NULL;
}
