/*
 * Import progress and counters; see import_util.h. The progress line is
 * redrawn in place with '\r' at most five times a second, so printing it
 * costs nothing next to the import; when stderr is not a terminal (a log
 * file, a test) nothing is written at all.
 */
#include <errno.h>

#include <sodium.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "service/import_util.h"

#define REDRAW_EVERY 0.2 /* seconds */

double import_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw(const struct import_progress *p, double now)
{
	double secs = now - p->started;
	if (p->total) {
		double pct = 100.0 * (double)p->done / (double)p->total;
		if (pct > 100.0)
			pct = 100.0;
		fprintf(stderr, "\r%s: %5.1f%% (%llu of %llu) %.0f s   ", p->what, pct,
			(unsigned long long)p->done, (unsigned long long)p->total, secs);
	} else {
		fprintf(stderr, "\r%s: %llu %.0f s   ", p->what, (unsigned long long)p->done, secs);
	}
	fflush(stderr);
}

void import_progress_start(struct import_progress *p, const char *what, uint64_t total)
{
	p->what = what ? what : "import";
	p->total = total;
	p->done = 0;
	p->started = import_now();
	p->last = p->started;
	p->tty = isatty(STDERR_FILENO);
}

void import_progress_add(struct import_progress *p, uint64_t n)
{
	p->done += n;
	if (!p->tty)
		return;
	double now = import_now();
	if (now - p->last < REDRAW_EVERY)
		return;
	p->last = now;
	draw(p, now);
}

void import_progress_end(struct import_progress *p)
{
	if (!p->tty)
		return;
	draw(p, import_now());
	fputc('\n', stderr);
	fflush(stderr);
}

json_t *import_count_json(const struct import_count *c)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I}", "read", (json_int_t)c->read, "created",
			 (json_int_t)c->created, "updated", (json_int_t)c->updated, "unchanged",
			 (json_int_t)c->unchanged, "rejected", (json_int_t)c->rejected);
}

/* ---- key -> ids map ---------------------------------------------------- */

struct slot {
	size_t key; /* offset in pool + 1; 0 = empty */
	uint64_t hash;
	int64_t a, b;
};

struct import_map {
	struct slot *slots;
	size_t cap, n; /* cap a power of two */
	char *pool;
	size_t pool_len, pool_cap;
};

static uint64_t hash_key(const char *k)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h ^ (h >> 29);
}

import_map *import_map_new(void)
{
	import_map *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cap = 64;
	m->slots = calloc(m->cap, sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void import_map_free(import_map *m)
{
	if (!m)
		return;
	import_free_zero(m->slots, m->cap * sizeof *m->slots);
	import_free_zero(m->pool, m->pool_len);
	free(m);
}

size_t import_map_count(const import_map *m)
{
	return m->n;
}

static struct slot *find(const import_map *m, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);
	for (;; i = (i + 1) & (m->cap - 1)) {
		struct slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && strcmp(m->pool + s->key - 1, key) == 0))
			return s;
	}
}

static int grow(import_map *m)
{
	size_t cap = m->cap * 2;
	struct slot *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return MRT_ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].key)
			continue;
		size_t j = (size_t)m->slots[i].hash & (cap - 1);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

static int pool_add(import_map *m, const char *key, size_t *off)
{
	size_t len = strlen(key) + 1;
	if (m->pool_len + len > m->pool_cap) {
		size_t cap = m->pool_cap ? m->pool_cap * 2 : 4096;
		while (cap < m->pool_len + len)
			cap *= 2;
		char *p = realloc(m->pool, cap);
		if (!p)
			return MRT_ENOMEM;
		m->pool = p;
		m->pool_cap = cap;
	}
	memcpy(m->pool + m->pool_len, key, len);
	*off = m->pool_len + 1;
	m->pool_len += len;
	return 0;
}

int import_map_put(import_map *m, const char *key, int64_t a, int64_t b)
{
	if ((m->n + 1) * 4 > m->cap * 3 && grow(m) != 0)
		return MRT_ENOMEM;
	uint64_t h = hash_key(key);
	struct slot *s = find(m, key, h);
	if (!s->key) {
		size_t off;
		if (pool_add(m, key, &off) != 0)
			return MRT_ENOMEM;
		s->key = off;
		s->hash = h;
		m->n++;
	}
	s->a = a;
	s->b = b;
	return 0;
}

int import_map_get(const import_map *m, const char *key, int64_t *a, int64_t *b)
{
	const struct slot *s = find(m, key, hash_key(key));
	if (!s->key)
		return 0;
	if (a)
		*a = s->a;
	if (b)
		*b = s->b;
	return 1;
}

int import_map_put_i(import_map *m, int64_t key, int64_t a, int64_t b)
{
	char k[24];
	snprintf(k, sizeof k, "%" PRId64, key);
	return import_map_put(m, k, a, b);
}

int import_map_get_i(const import_map *m, int64_t key, int64_t *a, int64_t *b)
{
	char k[24];
	snprintf(k, sizeof k, "%" PRId64, key);
	return import_map_get(m, k, a, b);
}

/* ---- rows and files ---------------------------------------------------- */

void import_free_zero(void *p, size_t len)
{
	if (p && len)
		sodium_memzero(p, len);
	free(p);
}

void import_free_str(char *s)
{
	import_free_zero(s, s ? strlen(s) : 0);
}

void import_time_iso(char out[IMPORT_TIME_LEN], const struct csv_time *t)
{
	int y, mo, d;
	mrt_date_to_ymd(t->day, &y, &mo, &d);
	unsigned sec = t->sec < 0 ? 0u : (unsigned)t->sec % 86400u;
	snprintf(out, IMPORT_TIME_LEN, "%04d-%02d-%02dT%02u:%02u:%02u", y, mo, d, sec / 3600u,
		 sec / 60u % 60u, sec % 60u);
}

int import_csv_record(const csv_reader *r, mrt_buf *out)
{
	mrt_buf_reset(out);
	for (size_t i = 0; i < csv_nfields(r); i++) {
		const char *f = csv_field(r, i);
		size_t len = csv_field_len(r, i);
		int rc = i ? mrt_buf_addc(out, ',') : 0;
		if (rc)
			return rc;
		if (!memchr(f, ',', len) && !memchr(f, '"', len) && !memchr(f, '\n', len) &&
		    !memchr(f, '\r', len)) {
			if ((rc = mrt_buf_add(out, f, len)) != 0)
				return rc;
			continue;
		}
		if ((rc = mrt_buf_addc(out, '"')) != 0)
			return rc;
		for (size_t k = 0; k < len; k++)
			if ((f[k] == '"' && (rc = mrt_buf_addc(out, '"')) != 0) ||
			    (rc = mrt_buf_addc(out, f[k])) != 0)
				return rc;
		if ((rc = mrt_buf_addc(out, '"')) != 0)
			return rc;
	}
	return 0;
}

int import_slurp(const char *path, size_t max, void **data, size_t *len, mrt_err *err)
{
	*data = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return mrt_err_set(err, MRT_EIO, "%s: cannot open: %s", path, strerror(errno));
	mrt_buf b = MRT_BUF_INIT(max);
	char chunk[65536];
	size_t n;
	int rc = 0;
	while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		rc = mrt_buf_add(&b, chunk, n);
	if (rc == 0 && ferror(f))
		rc = mrt_err_set(err, MRT_EIO, "%s: read error", path);
	else if (rc)
		rc = mrt_err_set(err, MRT_ENOMEM, "%s: larger than %zu bytes", path, max);
	fclose(f);
	if (rc) {
		mrt_buf_free(&b);
		return rc;
	}
	*len = b.len;
	*data = mrt_buf_detach(&b);
	if (!*data)
		*data = calloc(1, 1);
	return *data ? 0 : mrt_err_set(err, MRT_ENOMEM, "out of memory");
}

/* ---- rejects and failures ---------------------------------------------- */

int import_reject_row(mrt_db *db, const struct chart_ctx *c, const char *kind, const char *path,
		      const csv_reader *r, const char *reason, mrt_buf *line, mrt_err *err)
{
	char pos[40];
	snprintf(pos, sizeof pos, "line %lu", csv_lineno(r));
	if (import_csv_record(r, line) != 0)
		return mrt_err_set(err, MRT_ENOMEM, "%s: %s: rejected row too large to keep", path,
				   pos);
	int changed = 0;
	return chart_reject_put(db, c, kind, path, pos, reason, line->ptr ? line->ptr : "",
				line->len, &changed, err);
}

#define REJECT_FILE_MAX ((size_t)256 << 20)

static int keep_file(mrt_session *s, const char *kind, const char *action, const char *path,
		     unsigned long line, const char *reason, int64_t *reject_id, mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	void *data = NULL;
	size_t len = 0;
	char pos[48], detail[160];
	snprintf(pos, sizeof pos, "file (unreadable at line %lu)", line);
	struct chart_ctx c;
	chart_ctx_init(&c, kind, mrt_session_user_id(s));
	int rc = import_slurp(path, REJECT_FILE_MAX, &data, &len, err);
	if (rc)
		return rc;
	if ((rc = mrt_db_begin(db, err)) != 0)
		goto done;
	int changed = 0;
	rc = chart_reject_put(db, &c, kind, path, pos, reason, data, len, &changed, err);
	*reject_id = rc == 0 ? mrt_db_last_insert_id(db) : 0;
	snprintf(detail, sizeof detail,
		 "failed: a file could not be read; nothing imported; the "
		 "file kept as a reject (%zu bytes)",
		 len);
	struct mrt_audit_rec a = {.action = action, .object_type = "reject", .detail = detail};
	if (rc == 0)
		rc = mrt_session_audit(s, &a, err);
	if (rc)
		mrt_db_rollback(db);
	else
		rc = mrt_db_commit(db, err);
done:
	import_free_zero(data, len);
	return rc;
}

int import_fail_file(mrt_session *s, const char *kind, const char *action, const char *path,
		     unsigned long line, json_t *report, int rc, mrt_err *err)
{
	mrt_db_rollback(mrt_session_db(s));
	mrt_err kerr = {0};
	int64_t reject_id = 0;
	int krc = keep_file(s, kind, action, path, line, err->msg, &reject_id, &kerr);
	if (report) {
		json_t *f = json_pack("{s:s,s:s}", "file", path, "reason", err->msg);
		if (f && krc == 0 && reject_id)
			json_object_set_new(f, "reject_id", json_integer(reject_id));
		if (f && krc)
			json_object_set_new(f, "reject_error", json_string(kerr.msg));
		json_object_set_new(report, "failed", f);
	}
	return rc;
}

int import_cache_grow(mrt_db *db, mrt_err *err)
{
	return mrt_db_exec(db, "PRAGMA cache_size = -262144;", err);
}

void import_cache_restore(mrt_db *db)
{
	mrt_err ignored = {0};
	mrt_db_exec(db, "PRAGMA cache_size = -2000;", &ignored);
}

int import_path(char out[PATH_MAX], const char *dir, const char *name, mrt_err *err)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);
	if (n < 0 || n >= PATH_MAX)
		return mrt_err_set(err, MRT_EINVAL, "path too long under %s", dir);
	return 0;
}

int import_file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int import_dir_canon(char out[PATH_MAX], const char *dir, mrt_err *err)
{
	if (!import_dir_exists(dir) || !realpath(dir, out))
		return mrt_err_set(err, MRT_ENOTFOUND, "%s: not a directory", dir);
	return 0;
}

int import_dir_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int import_dir_run(struct import_dir_run *r, const struct import_dir_steps *st, json_t **report,
                   mrt_err *err)
{
	double t0 = import_now();
	int rc = import_cache_grow(r->db, err);
	if (rc == 0 && (rc = mrt_db_begin(r->db, err)) == 0) {
		rc = st->run_all(r, err);
		if (rc == 0 && (rc = st->audit_done(r, err)) == 0 &&
		    (rc = mrt_db_commit(r->db, err)) == 0) {
			*report = st->report(r, import_now() - t0);
			if (!*report)
				rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
		} else if (!r->file_failed) {
			mrt_db_rollback(r->db);
		} else {
			*report = json_pack("{s:s,s:s}", "source", st->kind, "dir", r->dir);
			rc = import_fail_file(r->s, st->kind, st->action, r->path, r->fail_line,
			                      *report, rc, err);
		}
	}
	import_cache_restore(r->db);
	return rc;
}

int import_dir_run_init(struct import_dir_run *r, mrt_session *s, const char *source,
                        mrt_err *err)
{
	r->s = s;
	r->db = mrt_session_db(s);
	chart_ctx_init(&r->ctx, source, mrt_session_user_id(s));
	return chart_ctx_use_cache(&r->ctx, err);
}

void import_dir_run_free(struct import_dir_run *r)
{
	chart_ctx_release(&r->ctx);
}
