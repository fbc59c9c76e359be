/*
 * Reading one reject whole; see reject_read.h.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/str.h"
#include "chart/reject_read.h"

static char *dup_col(mrt_stmt *st, int col, int *bad)
{
	const char *s = mrt_stmt_text(st, col);
	char *d = mrt_strndup(s ? s : "", s ? strlen(s) : 0);
	*bad |= d == NULL;
	return d;
}

static int fill(mrt_stmt *st, struct chart_reject *r, mrt_err *err)
{
	int bad = 0;
	r->id = mrt_stmt_int(st, 0);
	r->kind = dup_col(st, 1, &bad);
	r->source = dup_col(st, 2, &bad);
	r->position = dup_col(st, 3, &bad);
	r->reason = dup_col(st, 4, &bad);
	r->sha256 = dup_col(st, 5, &bad);
	r->first_seen = dup_col(st, 6, &bad);
	size_t len = 0;
	const void *b = mrt_stmt_blob(st, 7, &len);
	r->content = malloc(len + 1);
	if (bad || !r->content)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory reading reject %lld",
				   (long long)r->id);
	if (len)
		memcpy(r->content, b, len);
	r->content[len] = '\0';
	r->len = len;
	return 0;
}

int chart_reject_get(mrt_db *db, int64_t id, struct chart_reject **out, mrt_err *err)
{
	static const char sql[] =
	    "SELECT id, kind, source, position, reason, sha256, first_seen, content"
	    " FROM reject WHERE id = ?";
	*out = NULL;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	struct chart_reject *r = NULL;
	if (rc == 1) {
		r = calloc(1, sizeof *r);
		rc = r ? fill(st, r, err) : mrt_err_set(err, MRT_ENOMEM, "out of memory");
	} else if (rc == 0) {
		rc = mrt_err_set(err, MRT_ENOTFOUND, "no reject %lld", (long long)id);
	}
	mrt_stmt_reset(st);
	if (rc < 0) {
		chart_reject_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void chart_reject_free(struct chart_reject *r)
{
	if (!r)
		return;
	free(r->kind);
	free(r->source);
	free(r->position);
	free(r->reason);
	free(r->sha256);
	free(r->first_seen);
	if (r->content)
		sodium_memzero(r->content, r->len);
	free(r->content);
	free(r);
}
