/*
 * ICD-10-CM Tabular List XML reader; see cm_tabular.h. One pass over the
 * document with a small stack of open diags: a diag is known to be a header
 * when its first child diag starts, and a leaf when it ends childless. The
 * 7th-character definitions (sevenChrDef) of a diag apply to every code
 * below it, so each frame can reach the nearest definitions above it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "formats/cm_tabular.h"
#include "formats/xmlsrc.h"

#define MAX_DIAG_DEPTH 12
#define MAX_EXT 40
#define TEXT_MAX (64 * 1024)

struct ext {
	char ch[4];
	char *text;
};

struct frame {
	char code[CM_TAB_MAX_CODE];
	char *desc;
	int emitted;     /* its code row has been passed on (as a header) */
	int placeholder;
	int next_ext;
	struct ext ext[MAX_EXT];
};

static const char *const note_kinds[] = {
	"inclusionTerm", "includes", "excludes1", "excludes2", "codeFirst",
	"useAdditionalCode", "codeAlso", "notes", "sevenChrNote", "sevenChrDef", NULL,
};
#define NKINDS 10

struct tab {
	xmlsrc *x;
	const struct cm_tab_handler *h;
	struct cm_tab_counts *counts;
	struct frame fr[MAX_DIAG_DEPTH];
	int nfr;
	char chapter[32];
	char section[64];
	char owner[80];
	int seq[NKINDS];
	int kind;        /* index of the open note-kind element, or -1 */
	int collecting;  /* inside name/desc/note/extension */
	char ext_ch[4];
	int skip_depth;  /* > 0 inside <introduction> */
	int seen_root;
	mrt_buf text;
};

int cm_code_undot(char *out, size_t cap, const char *dotted)
{
	size_t n = 0;
	for (const char *p = dotted; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!isalnum(c))
			continue;
		if (n + 1 >= cap)
			return -1;
		out[n++] = (char)toupper(c);
	}
	out[n] = '\0';
	return (int)n;
}

static int code_like(const char *s, size_t n)
{
	/* Letter, digit, then a digit or letter: A00, C4A, E11.9, O09.3-. */
	return n >= 3 && isupper((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	       isalnum((unsigned char)s[2]);
}

int cm_note_refs(const char *text, char refs[][CM_TAB_MAX_CODE], int max)
{
	int found = 0;
	const char *p = text;
	while (*p && found < max) {
		size_t n = 0;
		while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '.'))
			n++;
		int boundary = p == text || !isalnum((unsigned char)p[-1]);
		if (n && boundary && code_like(p, n) && n <= 9) {
			char tmp[CM_TAB_MAX_CODE];
			memcpy(tmp, p, n);
			tmp[n] = '\0';
			if (cm_code_undot(refs[found], CM_TAB_MAX_CODE, tmp) > 0)
				found++;
		}
		p += n ? n : 1;
	}
	return found;
}

static void frame_clear(struct frame *f)
{
	free(f->desc);
	for (int i = 0; i < f->next_ext; i++)
		free(f->ext[i].text);
	memset(f, 0, sizeof *f);
}

static void set_owner(struct tab *t)
{
	if (t->nfr > 0)
		snprintf(t->owner, sizeof t->owner, "%s", t->fr[t->nfr - 1].code);
	else if (t->section[0])
		snprintf(t->owner, sizeof t->owner, "section:%s", t->section);
	else
		snprintf(t->owner, sizeof t->owner, "chapter:%s", t->chapter);
	memset(t->seq, 0, sizeof t->seq);
}

static int emit_code(struct tab *t, const char *code, int billable, const char *title,
		     const char *parent, int placeholder, mrt_err *err)
{
	t->counts->codes++;
	if (billable)
		t->counts->billable++;
	if (!t->h->code)
		return 0;
	struct cm_tab_code c = { code, billable, title, parent, placeholder, xmlsrc_line(t->x) };
	return t->h->code(t->h->ctx, &c, err);
}

static const char *parent_of(struct tab *t, int i)
{
	return i > 0 ? t->fr[i - 1].code : NULL;
}

/* The frame whose sevenChrDef applies to frame i, or NULL. */
static const struct frame *seventh_of(struct tab *t, int i)
{
	for (; i >= 0; i--)
		if (t->fr[i].next_ext > 0)
			return &t->fr[i];
	return NULL;
}

static int diag_start(struct tab *t, mrt_err *err)
{
	if (t->nfr > 0) {
		struct frame *p = &t->fr[t->nfr - 1];
		if (!p->code[0])
			return xmlsrc_fail(t->x, err, MRT_EPARSE, "diag without <name>");
		if (!p->emitted) {
			p->emitted = 1;
			int rc = emit_code(t, p->code, 0, p->desc ? p->desc : "",
					   parent_of(t, t->nfr - 1), p->placeholder, err);
			if (rc < 0)
				return rc;
		}
	}
	if (t->nfr >= MAX_DIAG_DEPTH)
		return xmlsrc_fail(t->x, err, MRT_EPARSE, "diags nested deeper than %d",
				   MAX_DIAG_DEPTH);
	struct frame *f = &t->fr[t->nfr++];
	memset(f, 0, sizeof *f);
	char *ph = xmlsrc_attr(t->x, "placeholder");
	f->placeholder = ph && strcmp(ph, "true") == 0;
	free(ph);
	t->counts->diags++;
	t->counts->placeholders += f->placeholder;
	return 0;
}

static int leaf_codes(struct tab *t, int i, mrt_err *err)
{
	struct frame *f = &t->fr[i];
	const struct frame *s = seventh_of(t, i);
	const char *title = f->desc ? f->desc : "";
	size_t len = strlen(f->code);
	if (!s || len >= 7)
		return emit_code(t, f->code, 1, title, parent_of(t, i), f->placeholder, err);
	int rc = emit_code(t, f->code, 0, title, parent_of(t, i), f->placeholder, err);
	mrt_buf full = MRT_BUF_INIT(TEXT_MAX);
	for (int e = 0; rc == 0 && e < s->next_ext; e++) {
		char code[CM_TAB_MAX_CODE];
		snprintf(code, sizeof code, "%.6sXXXXXX", f->code);
		code[6] = s->ext[e].ch[0];
		code[7] = '\0';
		mrt_buf_reset(&full);
		if (mrt_buf_addf(&full, "%s, %s", title, s->ext[e].text) < 0) {
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
			break;
		}
		rc = emit_code(t, code, 1, mrt_buf_str(&full), f->code, 0, err);
	}
	mrt_buf_free(&full);
	return rc;
}

static int diag_end(struct tab *t, mrt_err *err)
{
	int i = t->nfr - 1;
	struct frame *f = &t->fr[i];
	if (!f->code[0])
		return xmlsrc_fail(t->x, err, MRT_EPARSE, "diag without <name>");
	int rc = f->emitted ? 0 : leaf_codes(t, i, err);
	frame_clear(f);
	t->nfr--;
	set_owner(t);
	return rc;
}

static int emit_note(struct tab *t, const char *ch, mrt_err *err)
{
	struct cm_tab_note n = { t->owner, note_kinds[t->kind], ++t->seq[t->kind],
				 mrt_buf_str(&t->text), ch };
	t->counts->notes++;
	return t->h->note ? t->h->note(t->h->ctx, &n, err) : 0;
}

static int add_extension(struct tab *t, mrt_err *err)
{
	if (t->nfr == 0)
		return emit_note(t, t->ext_ch, err);
	struct frame *f = &t->fr[t->nfr - 1];
	if (f->next_ext >= MAX_EXT)
		return xmlsrc_fail(t->x, err, MRT_EPARSE, "more than %d 7th characters", MAX_EXT);
	if (!t->ext_ch[0] || t->ext_ch[1])
		return xmlsrc_fail(t->x, err, MRT_EPARSE, "extension without a one-character @char");
	struct ext *e = &f->ext[f->next_ext];
	e->text = strdup(mrt_buf_str(&t->text));
	if (!e->text)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	memcpy(e->ch, t->ext_ch, sizeof e->ch);
	f->next_ext++;
	return emit_note(t, t->ext_ch, err);
}

static int kind_index(const char *name)
{
	for (int i = 0; note_kinds[i]; i++)
		if (strcmp(note_kinds[i], name) == 0)
			return i;
	return -1;
}

static void collect(struct tab *t)
{
	mrt_buf_reset(&t->text);
	t->collecting = 1;
}

static int on_start(struct tab *t, mrt_err *err)
{
	const char *name = xmlsrc_name(t->x);
	const char *up = xmlsrc_up(t->x, 1);
	if (!t->seen_root) {
		if (strcmp(name, "ICD10CM.tabular") != 0)
			return xmlsrc_fail(t->x, err, MRT_EPARSE,
					   "not an ICD-10-CM tabular file (root <%s>)", name);
		t->seen_root = 1;
		return 0;
	}
	if (strcmp(name, "introduction") == 0) {
		t->skip_depth = xmlsrc_depth(t->x);
		return 0;
	}
	if (strcmp(name, "diag") == 0)
		return diag_start(t, err);
	if (strcmp(name, "chapter") == 0) {
		t->chapter[0] = t->section[0] = '\0';
		return 0;
	}
	if (strcmp(name, "section") == 0) {
		char *id = xmlsrc_attr(t->x, "id");
		snprintf(t->section, sizeof t->section, "%s", id ? id : "");
		free(id);
		set_owner(t);
		return 0;
	}
	int k = kind_index(name);
	if (k >= 0 && (!strcmp(up, "diag") || !strcmp(up, "section") || !strcmp(up, "chapter"))) {
		if (t->nfr > 0 && !t->fr[t->nfr - 1].code[0])
			return xmlsrc_fail(t->x, err, MRT_EPARSE, "note before the diag's <name>");
		t->kind = k;
		return 0;
	}
	if (t->kind >= 0 && strcmp(name, "note") == 0 && kind_index(up) == t->kind) {
		collect(t);
		return 0;
	}
	if (t->kind >= 0 && strcmp(name, "extension") == 0) {
		char *ch = xmlsrc_attr(t->x, "char");
		snprintf(t->ext_ch, sizeof t->ext_ch, "%s", ch ? ch : "");
		free(ch);
		collect(t);
		return 0;
	}
	int in_diag = !strcmp(up, "diag") && t->nfr > 0;
	if ((in_diag && (!strcmp(name, "name") || !strcmp(name, "desc"))) ||
	    (!strcmp(up, "chapter") && (!strcmp(name, "name") || !strcmp(name, "desc"))) ||
	    (!strcmp(up, "ICD10CM.tabular") && !strcmp(name, "version")))
		collect(t);
	return 0;
}

static int diag_name(struct tab *t, mrt_err *err)
{
	struct frame *f = &t->fr[t->nfr - 1];
	int n = cm_code_undot(f->code, sizeof f->code, mrt_buf_str(&t->text));
	if (n < 3 || n > 7 || !code_like(f->code, (size_t)n)) {
		f->code[0] = '\0';
		return xmlsrc_fail(t->x, err, MRT_EPARSE, "bad code \"%.20s\"",
				   mrt_buf_str(&t->text));
	}
	if (t->nfr > 1) {
		const char *pc = t->fr[t->nfr - 2].code;
		/* The official files nest H54.512A under H54.511: only the
		 * category must agree. */
		if (strncmp(f->code, pc, 3) != 0)
			return xmlsrc_fail(t->x, err, MRT_EPARSE, "code %s is not under %s",
					   f->code, pc);
	}
	set_owner(t);
	return 0;
}

/* The XML's text is laid out for print (a note may start with a tab or
 * wrap): runs of white space become one space, none at either end. */
static void squeeze(mrt_buf *b)
{
	size_t j = 0;
	int space = 1;
	for (size_t i = 0; i < b->len; i++) {
		char c = b->ptr[i];
		int ws = c == ' ' || c == '\t' || c == '\r' || c == '\n';
		if (ws && space)
			continue;
		b->ptr[j++] = ws ? ' ' : c;
		space = ws;
	}
	while (j && b->ptr[j - 1] == ' ')
		j--;
	b->len = j;
	if (b->ptr)
		b->ptr[j] = '\0';
}

static int on_text_end(struct tab *t, const char *name, const char *up, mrt_err *err)
{
	t->collecting = 0;
	squeeze(&t->text);
	if (!strcmp(name, "note"))
		return emit_note(t, NULL, err);
	if (!strcmp(name, "extension"))
		return add_extension(t, err);
	if (!strcmp(name, "version"))
		return t->h->version ? t->h->version(t->h->ctx, mrt_buf_str(&t->text), err) : 0;
	if (!strcmp(up, "chapter")) {
		/* Chapter notes are owned by the chapter's code range, taken
		 * from its title ("... (A00-B99)"), else by its number. */
		const char *v = mrt_buf_str(&t->text);
		const char *open = strrchr(v, '(');
		if (!strcmp(name, "name") && !t->chapter[0])
			snprintf(t->chapter, sizeof t->chapter, "%s", v);
		else if (!strcmp(name, "desc") && open && strchr(open, ')'))
			snprintf(t->chapter, sizeof t->chapter, "%.*s",
				 (int)(strchr(open, ')') - open - 1), open + 1);
		set_owner(t);
		return 0;
	}
	if (!strcmp(name, "name"))
		return diag_name(t, err);
	if (!strcmp(name, "desc")) {
		struct frame *f = &t->fr[t->nfr - 1];
		free(f->desc);
		f->desc = strdup(mrt_buf_str(&t->text));
		if (!f->desc)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	return 0;
}

static int on_end(struct tab *t, mrt_err *err)
{
	const char *name = xmlsrc_name(t->x);
	const char *up = xmlsrc_up(t->x, 1);
	if (t->collecting)
		return on_text_end(t, name, up, err);
	if (!strcmp(name, "diag"))
		return diag_end(t, err);
	if (t->kind >= 0 && kind_index(name) == t->kind) {
		if (t->kind == NKINDS - 1)
			t->counts->seven_chr_defs++;
		t->kind = -1;
	} else if (!strcmp(name, "section")) {
		t->section[0] = '\0';
		set_owner(t);
	}
	return 0;
}

static int step(struct tab *t, int ev, mrt_err *err)
{
	if (t->skip_depth > 0) {
		if (ev == XMLSRC_END && xmlsrc_depth(t->x) == t->skip_depth)
			t->skip_depth = 0;
		return 0;
	}
	if (ev == XMLSRC_START) {
		if (t->collecting)
			return xmlsrc_fail(t->x, err, MRT_EPARSE, "unexpected element inside text");
		return on_start(t, err);
	}
	if (ev == XMLSRC_TEXT) {
		if (t->collecting && mrt_buf_adds(&t->text, xmlsrc_text(t->x)) < 0)
			return xmlsrc_fail(t->x, err, MRT_ENOMEM, "text longer than %d bytes",
					   TEXT_MAX);
		return 0;
	}
	return on_end(t, err);
}

int cm_tabular_read(mrt_src *src, const struct cm_tab_handler *h, struct cm_tab_counts *counts,
		    mrt_err *err)
{
	struct tab *t = calloc(1, sizeof *t);
	if (!t)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	memset(counts, 0, sizeof *counts);
	t->h = h;
	t->counts = counts;
	t->kind = -1;
	mrt_buf_init(&t->text, TEXT_MAX);
	int rc = xmlsrc_open(&t->x, src, err);
	while (rc == 0) {
		int ev = xmlsrc_next(t->x, err);
		if (ev <= 0) {
			rc = ev;
			break;
		}
		rc = step(t, ev, err);
	}
	if (rc == 0 && !t->seen_root)
		rc = mrt_err_set(err, MRT_EPARSE, "%s: empty document", mrt_src_name(src));
	for (int i = 0; i < t->nfr; i++)
		frame_clear(&t->fr[i]);
	mrt_buf_free(&t->text);
	xmlsrc_close(t->x);
	free(t);
	return rc;
}
