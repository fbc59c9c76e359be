/*
 * The chart deficiency rules (deficiency.h): one function per requirement,
 * each adding its findings with the responsible physician.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "chart/deficiency.h"

struct ctx {
	const struct dq_encounter *e;
	const struct dq_doc *docs;
	size_t n_docs;
	struct dq_finding *out;
	size_t cap;
	size_t n;
};

static void add(struct ctx *c, const char *kind, const char *key, int64_t provider, int64_t doc,
		const char *detail)
{
	if (c->n < c->cap) {
		struct dq_finding *f = &c->out[c->n];
		memset(f, 0, sizeof *f);
		mrt_strlcpy(f->kind, kind, sizeof f->kind);
		mrt_strlcpy(f->key, key, sizeof f->key);
		mrt_strlcpy(f->detail, detail, sizeof f->detail);
		f->provider_id = provider;
		f->document_id = doc;
	}
	c->n++;
}

static int live(const struct dq_doc *d)
{
	return strcmp(d->status, "cancelled") != 0;
}

static int of_kind(const struct dq_doc *d, const char *kind)
{
	return live(d) && d->kind && kind && strcmp(d->kind, kind) == 0;
}

static const char *kind_of(const struct dq_rule *r, const char *dflt)
{
	return r->doc_kind && *r->doc_kind ? r->doc_kind : dflt;
}

/* The H&P that meets the window: one written after admission first, else
 * the latest before it; NULL when none. */
static const struct dq_doc *hp_in_window(struct ctx *c, const struct dq_rule *r)
{
	const struct dq_doc *best = NULL;
	int64_t a = c->e->admit;
	for (size_t i = 0; i < c->n_docs; i++) {
		const struct dq_doc *d = &c->docs[i];
		if (!of_kind(d, kind_of(r, DQ_KIND_HP)))
			continue;
		if (a == DQ_NO_TIME)
			return d; /* no admission time: any H&P will do */
		if (d->written == DQ_NO_TIME)
			continue;
		if (d->written < a - (int64_t)r->before_hours * 60 ||
		    d->written > a + (int64_t)r->after_hours * 60)
			continue;
		if (d->written >= a)
			return d;
		if (!best || d->written > best->written)
			best = d;
	}
	return best;
}

static void rule_hp(struct ctx *c, const struct dq_rule *r)
{
	char detail[200];
	if (hp_in_window(c, r))
		return;
	int any = 0;
	for (size_t i = 0; i < c->n_docs; i++)
		any |= of_kind(&c->docs[i], kind_of(r, DQ_KIND_HP));
	snprintf(detail, sizeof detail,
		 "%s: no history and physical from %d h before to %d h after"
		 " admission",
		 any ? "H&P outside its window" : "H&P missing", r->before_hours, r->after_hours);
	add(c, "history-physical", "history-physical", c->e->attending_id, 0, detail);
}

static void rule_hp_update(struct ctx *c, const struct dq_rule *r, const struct dq_rule *hp)
{
	const struct dq_doc *h = hp ? hp_in_window(c, hp) : NULL;
	int64_t a = c->e->admit;
	if (!h || a == DQ_NO_TIME || h->written >= a)
		return;
	for (size_t i = 0; i < c->n_docs; i++) {
		const struct dq_doc *d = &c->docs[i];
		if (of_kind(d, kind_of(r, DQ_KIND_HP_UPDATE)) && d->written != DQ_NO_TIME &&
		    d->written >= h->written && d->written <= a + (int64_t)r->after_hours * 60)
			return;
	}
	char detail[200];
	snprintf(detail, sizeof detail,
		 "H&P update missing: the H&P predates admission and no update"
		 " note was written by %d h after admission",
		 r->after_hours);
	add(c, "hp-update", "hp-update", c->e->attending_id, h->id, detail);
}

/* Operations: operative procedures, those with the same time and surgeon
 * taken as one. Each is matched to an operative report written at or after
 * it (any time when either time is unknown), earliest first. */
static void rule_operative(struct ctx *c, const struct dq_rule *r, const struct dq_proc *px,
			   size_t n_px, const struct dq_op_rule *ops, size_t n_ops)
{
	unsigned char used[256] = {0};
	for (size_t i = 0; i < n_px; i++) {
		const struct dq_proc *p = &px[i];
		if (!dq_is_operative(p->code, ops, n_ops) || strcmp(p->system, "ICD-10-PCS"))
			continue;
		int dup = 0;
		for (size_t k = 0; k < i && !dup; k++)
			dup = px[k].performed == p->performed &&
			      px[k].surgeon_id == p->surgeon_id && px[k].performed != DQ_NO_TIME &&
			      dq_is_operative(px[k].code, ops, n_ops);
		if (dup)
			continue;
		size_t best = SIZE_MAX;
		for (size_t k = 0; k < c->n_docs && k < sizeof used; k++) {
			const struct dq_doc *d = &c->docs[k];
			if (used[k] || !of_kind(d, kind_of(r, DQ_KIND_OPERATIVE)))
				continue;
			if (p->performed != DQ_NO_TIME && d->written != DQ_NO_TIME &&
			    d->written < p->performed)
				continue;
			if (best == SIZE_MAX ||
			    (d->written != DQ_NO_TIME && d->written < c->docs[best].written))
				best = k;
		}
		if (best != SIZE_MAX) {
			used[best] = 1;
			continue;
		}
		char key[192], detail[200];
		snprintf(key, sizeof key, "operative-report:%d:%s", p->seq, p->code);
		snprintf(detail, sizeof detail, "operative report missing for procedure %s",
			 p->code);
		add(c, "operative-report", key, p->surgeon_id ? p->surgeon_id : c->e->attending_id,
		    0, detail);
	}
}

static void rule_discharge(struct ctx *c, const struct dq_rule *r)
{
	const struct dq_encounter *e = c->e;
	if (e->discharge == DQ_NO_TIME)
		return;
	int64_t stay = e->admit == DQ_NO_TIME ? INT64_MAX : e->discharge - e->admit;
	int short_stay = r->short_stay_hours > 0 && stay < (int64_t)r->short_stay_hours * 60;
	const char *alt =
	    r->short_stay_kind && *r->short_stay_kind ? r->short_stay_kind : DQ_KIND_PROGRESS;
	for (size_t i = 0; i < c->n_docs; i++)
		if (of_kind(&c->docs[i], kind_of(r, DQ_KIND_DISCHARGE)) ||
		    (short_stay && of_kind(&c->docs[i], alt)))
			return;
	char detail[200];
	if (short_stay)
		snprintf(detail, sizeof detail,
			 "discharge summary or final %s missing (stay under %d h)", alt,
			 r->short_stay_hours);
	else
		snprintf(detail, sizeof detail, "discharge summary missing");
	add(c, "discharge-summary", "discharge-summary", e->attending_id, 0, detail);
}

static void rule_authentication(struct ctx *c)
{
	for (size_t i = 0; i < c->n_docs; i++) {
		const struct dq_doc *d = &c->docs[i];
		if (strcmp(d->status, "in-progress") != 0)
			continue;
		char key[192], detail[200];
		snprintf(key, sizeof key, "authentication:%s", d->ref ? d->ref : "");
		snprintf(detail, sizeof detail, "unsigned %s (document %" PRId64 ")",
			 d->kind ? d->kind : "document", d->id);
		add(c, "authentication", key, d->author_id ? d->author_id : c->e->attending_id,
		    d->id, detail);
	}
}

int dq_is_operative(const char *code, const struct dq_op_rule *ops, size_t n_ops)
{
	if (!code || strlen(code) != 7)
		return 0;
	for (size_t i = 0; i < n_ops; i++)
		if (code[0] == ops[i].section && (!ops[i].approach || code[4] == ops[i].approach))
			return 1;
	return 0;
}

static const struct dq_rule *find_rule(const struct dq_rule *rules, size_t n, const char *req)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rules[i].requirement, req) == 0)
			return &rules[i];
	return NULL;
}

size_t dq_analyze(const struct dq_encounter *e, const struct dq_doc *docs, size_t n_docs,
		  const struct dq_proc *px, size_t n_px, const struct dq_rule *rules,
		  size_t n_rules, const struct dq_op_rule *ops, size_t n_ops,
		  struct dq_finding *out, size_t cap)
{
	struct ctx c = {.e = e, .docs = docs, .n_docs = n_docs, .out = out, .cap = cap};
	const struct dq_rule *r, *hp = find_rule(rules, n_rules, "history-physical");
	if (hp)
		rule_hp(&c, hp);
	if ((r = find_rule(rules, n_rules, "hp-update")) != NULL)
		rule_hp_update(&c, r, hp);
	if ((r = find_rule(rules, n_rules, "operative-report")) != NULL)
		rule_operative(&c, r, px, n_px, ops, n_ops);
	if ((r = find_rule(rules, n_rules, "discharge-summary")) != NULL)
		rule_discharge(&c, r);
	if (find_rule(rules, n_rules, "authentication"))
		rule_authentication(&c);
	return c.n;
}

mrt_day dq_delinquent_from(mrt_day discharge, int days)
{
	return discharge + days + 1;
}

int dq_delinquent_days(const struct dq_rule *rules, size_t n_rules)
{
	int d = 0;
	for (size_t i = 0; i < n_rules; i++)
		if (rules[i].delinquent_days > 0 && (d == 0 || rules[i].delinquent_days < d))
			d = rules[i].delinquent_days;
	return d ? d : 30;
}
