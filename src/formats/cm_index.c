/*
 * Alphabetic index reader; see cm_index.h. A term is passed on once its own
 * lines are known: when its first subterm starts, or when it ends. Text is
 * routed by the element it sits in, so <nemod> inside <title> and <codes>
 * inside a PCS <see> land in their own fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "formats/cm_index.h"
#include "formats/xmlsrc.h"

#define FIELD_MAX (16 * 1024)
#define CELL_MAX 24

enum { F_TITLE, F_NEMOD, F_CODE, F_MANIF, F_SEE, F_SEEALSO, F_USE, NFIELDS };

struct tframe {
	mrt_buf f[NFIELDS];
	char code_kind[8];
	int ncells;
	int cell_col[IDX_MAX_COLS];
	char cell[IDX_MAX_COLS][CELL_MAX];
	int emitted;
	unsigned long line;
};

struct idx {
	xmlsrc *x;
	const struct idx_handler *h;
	const char *root;
	int seen_root;
	long nterms;
	struct tframe fr[IDX_MAX_LEVEL + 1];
	int nfr;
	mrt_buf text; /* version, head */
	int head_col;
	int cur_cell; /* index into the frame's cells, or -1 */
};

static const char *const code_kinds[] = { "code", "codes", "tab", "subcat", "seecat", NULL };

static int is_code_kind(const char *name)
{
	for (int i = 0; code_kinds[i]; i++)
		if (strcmp(code_kinds[i], name) == 0)
			return 1;
	return 0;
}

static int is_term(const char *name)
{
	return strcmp(name, "mainTerm") == 0 || strcmp(name, "term") == 0;
}

static void frame_reset(struct tframe *f)
{
	for (int i = 0; i < NFIELDS; i++)
		mrt_buf_free(&f->f[i]);
	memset(f, 0, sizeof *f);
	for (int i = 0; i < NFIELDS; i++)
		mrt_buf_init(&f->f[i], FIELD_MAX);
}

static const char *field(const struct tframe *f, int i)
{
	return f->f[i].len ? mrt_buf_str(&f->f[i]) : NULL;
}

static int emit(struct idx *t, int i, mrt_err *err)
{
	struct tframe *f = &t->fr[i];
	if (f->emitted)
		return 0;
	f->emitted = 1;
	struct idx_term term = { 0 };
	term.level = i;
	term.title = field(f, F_TITLE);
	term.nemod = field(f, F_NEMOD);
	term.code = field(f, F_CODE);
	term.code_kind = term.code ? f->code_kind : NULL;
	term.manif = field(f, F_MANIF);
	term.see = field(f, F_SEE);
	term.see_also = field(f, F_SEEALSO);
	term.use = field(f, F_USE);
	term.ncells = f->ncells;
	for (int c = 0; c < f->ncells; c++) {
		term.cells[c].col = f->cell_col[c];
		term.cells[c].code = f->cell[c];
	}
	term.line = f->line;
	t->nterms++;
	return t->h->term ? t->h->term(t->h->ctx, &term, err) : 0;
}

static int term_start(struct idx *t, mrt_err *err)
{
	int level = 0;
	if (strcmp(xmlsrc_name(t->x), "term") == 0) {
		char *lv = xmlsrc_attr(t->x, "level");
		int ok = lv && mrt_parse_int(&level, lv) == 0;
		free(lv);
		if (!ok || level < 1 || level > IDX_MAX_LEVEL)
			return xmlsrc_fail(t->x, err, MRT_EPARSE, "term without a level 1..%d",
					   IDX_MAX_LEVEL);
		if (level != t->nfr)
			return xmlsrc_fail(t->x, err, MRT_EPARSE,
					   "term level %d where level %d was expected", level,
					   t->nfr);
	} else if (t->nfr != 0) {
		return xmlsrc_fail(t->x, err, MRT_EPARSE, "mainTerm inside a term");
	}
	if (t->nfr > 0) {
		int rc = emit(t, t->nfr - 1, err);
		if (rc < 0)
			return rc;
	}
	struct tframe *f = &t->fr[t->nfr++];
	frame_reset(f);
	f->line = xmlsrc_line(t->x);
	return 0;
}

static int cell_start(struct idx *t, mrt_err *err)
{
	struct tframe *f = &t->fr[t->nfr - 1];
	char *col = xmlsrc_attr(t->x, "col");
	int c = 0;
	int ok = col && mrt_parse_int(&c, col) == 0 && c >= 1 && c <= IDX_MAX_COLS;
	free(col);
	if (!ok)
		return xmlsrc_fail(t->x, err, MRT_EPARSE, "cell without a col 1..%d", IDX_MAX_COLS);
	if (f->ncells >= IDX_MAX_COLS)
		return xmlsrc_fail(t->x, err, MRT_EPARSE, "more than %d cells", IDX_MAX_COLS);
	t->cur_cell = f->ncells++;
	f->cell_col[t->cur_cell] = c;
	f->cell[t->cur_cell][0] = '\0';
	return 0;
}

static int on_start(struct idx *t, mrt_err *err)
{
	const char *name = xmlsrc_name(t->x);
	const char *up = xmlsrc_up(t->x, 1);
	if (!t->seen_root) {
		if (strcmp(name, t->root) != 0)
			return xmlsrc_fail(t->x, err, MRT_EPARSE, "root <%s> where <%s> was expected",
					   name, t->root);
		t->seen_root = 1;
		return 0;
	}
	if (is_term(name))
		return term_start(t, err);
	if (t->nfr == 0) {
		if (!strcmp(name, "head")) {
			char *col = xmlsrc_attr(t->x, "col");
			int ok = col && mrt_parse_int(&t->head_col, col) == 0;
			free(col);
			if (!ok)
				return xmlsrc_fail(t->x, err, MRT_EPARSE, "head without a col");
		}
		mrt_buf_reset(&t->text);
		return 0;
	}
	if (!strcmp(name, "cell") && is_term(up))
		return cell_start(t, err);
	if (is_code_kind(name)) {
		struct tframe *f = &t->fr[t->nfr - 1];
		if (f->f[F_CODE].len && mrt_buf_addc(&f->f[F_CODE], ' ') < 0)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		snprintf(f->code_kind, sizeof f->code_kind, "%s", name);
	}
	return 0;
}

/* Which field of the open term the text of element name (child of up)
 * belongs to, or -1. */
static int route(const char *name, const char *up)
{
	if (!strcmp(name, "title"))
		return is_term(up) ? F_TITLE : -1;
	if (!strcmp(name, "nemod"))
		return F_NEMOD;
	if (is_code_kind(name))
		return F_CODE;
	if (!strcmp(name, "manif"))
		return F_MANIF;
	if (!strcmp(name, "see"))
		return F_SEE;
	if (!strcmp(name, "seeAlso"))
		return F_SEEALSO;
	if (!strcmp(name, "use"))
		return F_USE;
	return -1;
}

static int add_text(mrt_buf *b, const char *s, int spaced, mrt_err *err)
{
	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	if (spaced && b->len && b->ptr[b->len - 1] != ' ' && mrt_buf_addc(b, ' ') < 0)
		return mrt_err_set(err, MRT_ENOMEM, "index text too long");
	if (mrt_buf_adds(b, s) < 0)
		return mrt_err_set(err, MRT_ENOMEM, "index text too long");
	mrt_rtrim(b->ptr);
	b->len = strlen(b->ptr);
	return 0;
}

static int on_text(struct idx *t, mrt_err *err)
{
	const char *name = xmlsrc_name(t->x);
	const char *s = xmlsrc_text(t->x);
	if (t->nfr == 0)
		return add_text(&t->text, s, 1, err);
	struct tframe *f = &t->fr[t->nfr - 1];
	if (!strcmp(name, "cell") && t->cur_cell >= 0) {
		char *dst = f->cell[t->cur_cell];
		size_t have = strlen(dst);
		if (mrt_strlcpy(dst + have, s, CELL_MAX - have) >= CELL_MAX - have)
			return xmlsrc_fail(t->x, err, MRT_EPARSE, "cell longer than %d bytes",
					   CELL_MAX - 1);
		mrt_rtrim(dst);
		return 0;
	}
	int k = route(name, xmlsrc_up(t->x, 1));
	if (k < 0)
		return 0;
	return add_text(&f->f[k], s, k == F_TITLE, err);
}

static int on_end(struct idx *t, mrt_err *err)
{
	const char *name = xmlsrc_name(t->x);
	const char *up = xmlsrc_up(t->x, 1);
	if (is_term(name)) {
		int rc = emit(t, t->nfr - 1, err);
		frame_reset(&t->fr[--t->nfr]);
		return rc;
	}
	if (!strcmp(name, "cell"))
		t->cur_cell = -1;
	if (t->nfr > 0)
		return 0;
	if (!strcmp(name, "version") && !strcmp(up, t->root))
		return t->h->version ? t->h->version(t->h->ctx, mrt_buf_str(&t->text), err) : 0;
	if (!strcmp(name, "head") && t->h->heading)
		return t->h->heading(t->h->ctx, t->head_col, mrt_buf_str(&t->text), err);
	return 0;
}

int idx_read(mrt_src *src, const char *root, const struct idx_handler *h, long *terms,
	     mrt_err *err)
{
	struct idx *t = calloc(1, sizeof *t);
	if (!t)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	t->h = h;
	t->root = root;
	t->cur_cell = -1;
	mrt_buf_init(&t->text, FIELD_MAX);
	int rc = xmlsrc_open(&t->x, src, err);
	while (rc == 0) {
		int ev = xmlsrc_next(t->x, err);
		if (ev <= 0) {
			rc = ev;
			break;
		}
		if (ev == XMLSRC_START)
			rc = on_start(t, err);
		else if (ev == XMLSRC_TEXT)
			rc = on_text(t, err);
		else
			rc = on_end(t, err);
	}
	if (rc == 0 && !t->seen_root)
		rc = mrt_err_set(err, MRT_EPARSE, "%s: empty document", mrt_src_name(src));
	*terms = t->nterms;
	for (int i = 0; i <= IDX_MAX_LEVEL; i++)
		for (int k = 0; k < NFIELDS; k++)
			mrt_buf_free(&t->fr[i].f[k]);
	mrt_buf_free(&t->text);
	xmlsrc_close(t->x);
	free(t);
	return rc;
}
