/*
 * Group commit of audit events: see audit_group.h. Waiters queue a request
 * that points at their event (valid while they wait) and sleep on one
 * condition variable; the writer takes the whole queue, commits it as one
 * batch and wakes everyone, each waiter checking its own request.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/log.h"
#include "base/str.h"
#include "privacy/audit.h"
#include "service/audit_group.h"
#include "service/session_int.h"
#include "service/site.h"

struct req {
	const struct audit_event *e;
	mrt_err *err;
	int rc;
	int done;
	struct req *next;
};

struct audit_group {
	mrt_db *db;
	unsigned char key[MRT_HMAC_KEY_LEN];
	char anchor_path[PATH_MAX];
	int anchor_fd;
	mrt_buf lines; /* anchor lines of the batch being committed */
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct req *head, *tail;
	int stop;
	int started;
	pthread_t thread;
	struct audit_group_stats stats;
};

static int load_head(mrt_db *db, int64_t *id, char mac[AUDIT_MAC_HEX], mrt_err *err)
{
	static const char sql[] = "SELECT id, mac FROM audit_event ORDER BY id DESC LIMIT 1";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	int rc = mrt_stmt_step(st, err);
	*id = 0;
	memcpy(mac, AUDIT_GENESIS, AUDIT_MAC_HEX);
	if (rc == 1) {
		*id = mrt_stmt_int(st, 0);
		mrt_strlcpy(mac, mrt_stmt_text(st, 1) ? mrt_stmt_text(st, 1) : "", AUDIT_MAC_HEX);
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static void anchor_write(audit_group *g)
{
	if (!g->anchor_path[0] || g->lines.len == 0)
		return;
	if (g->anchor_fd < 0)
		g->anchor_fd =
		    open(g->anchor_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	const char *p = g->lines.ptr;
	size_t left = g->lines.len;
	while (g->anchor_fd >= 0 && left > 0) {
		ssize_t n = write(g->anchor_fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		left -= (size_t)n;
	}
	if (left)
		mrt_log(MRT_LOG_ERROR, "%s: cannot append to audit anchor: %s", g->anchor_path,
			strerror(errno));
}

static int append_batch(audit_group *g, struct req *batch, mrt_err *err)
{
	int64_t id = 0;
	char prev[AUDIT_MAC_HEX], mac[AUDIT_MAC_HEX], now[32], line[AUDIT_ANCHOR_LINE];
	int rc = load_head(g->db, &id, prev, err);
	mrt_now_iso(now);
	mrt_buf_reset(&g->lines);
	for (struct req *r = batch; r && rc == 0; r = r->next) {
		struct audit_event e = *r->e;
		e.id = ++id;
		e.at = now;
		e.prev_mac = prev;
		e.mac = NULL;
		if ((rc = audit_mac(mac, g->key, &e)) != 0) {
			rc = mrt_err_set(err, rc, "audit event too large");
			break;
		}
		e.mac = mac;
		if ((rc = session_audit_insert(g->db, &e, err)) != 0)
			break;
		size_t n = audit_anchor_format(line, sizeof line, e.id, mac);
		if (mrt_buf_add(&g->lines, line, n) != 0)
			rc = mrt_err_set(err, MRT_ENOMEM, "too many audit events in one batch");
		memcpy(prev, mac, AUDIT_MAC_HEX);
	}
	return rc;
}

/* One batch in one durable transaction; the anchor lines after it. */
static int commit_batch(audit_group *g, struct req *batch, mrt_err *err)
{
	int rc = mrt_db_begin(g->db, err);
	if (rc)
		return rc;
	if ((rc = append_batch(g, batch, err)) != 0) {
		mrt_db_rollback(g->db);
		return mrt_err_prefix(err, "writing the audit trail");
	}
	if ((rc = mrt_db_commit(g->db, err)) != 0)
		return rc;
	anchor_write(g);
	return 0;
}

static double seconds_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *writer(void *arg)
{
	audit_group *g = arg;
	pthread_mutex_lock(&g->mu);
	for (;;) {
		while (!g->head && !g->stop)
			pthread_cond_wait(&g->work, &g->mu);
		if (!g->head)
			break;
		struct req *batch = g->head;
		g->head = g->tail = NULL;
		pthread_mutex_unlock(&g->mu);
		mrt_err err = {0};
		double t0 = seconds_now();
		int rc = commit_batch(g, batch, &err);
		double dt = seconds_now() - t0;
		int64_t n = 0;
		pthread_mutex_lock(&g->mu);
		for (struct req *r = batch, *next; r; r = next) {
			next = r->next; /* r may go away once done is seen */
			r->rc = rc;
			if (rc)
				*r->err = err;
			r->done = 1;
			n++;
		}
		if (rc == 0) {
			g->stats.events += n;
			g->stats.batches++;
			g->stats.commit_seconds += dt;
			if (n > g->stats.max_batch)
				g->stats.max_batch = n;
		}
		pthread_cond_broadcast(&g->done);
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

static int sink(void *ctx, const struct audit_event *e, mrt_err *err)
{
	audit_group *g = ctx;
	struct req r = {.e = e, .err = err};
	pthread_mutex_lock(&g->mu);
	if (g->stop) {
		pthread_mutex_unlock(&g->mu);
		return mrt_err_set(err, MRT_EINVAL, "the audit writer is closed");
	}
	if (g->tail)
		g->tail->next = &r;
	else
		g->head = &r;
	g->tail = &r;
	pthread_cond_signal(&g->work);
	while (!r.done)
		pthread_cond_wait(&g->done, &g->mu);
	pthread_mutex_unlock(&g->mu);
	return r.rc;
}

static int load_site(audit_group *g, const char *db_path, mrt_err *err)
{
	char key_path[PATH_MAX];
	int rc = site_key_path(key_path, sizeof key_path, db_path, mrt_db_id(g->db), err);
	if (!rc)
		rc = site_key_load(g->key, key_path, err);
	if (!rc)
		rc = site_anchor_path(g->anchor_path, sizeof g->anchor_path, db_path,
				      mrt_db_id(g->db), err);
	return rc;
}

int audit_group_open(audit_group **out, const char *db_path, mrt_err *err)
{
	*out = NULL;
	audit_group *g = calloc(1, sizeof *g);
	if (!g)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	g->anchor_fd = -1;
	mrt_buf_init(&g->lines, 64u << 20);
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->work, NULL);
	pthread_cond_init(&g->done, NULL);
	int rc = mrt_db_open(&g->db, db_path, 0, err);
	if (!rc)
		rc = load_site(g, db_path, err);
	if (!rc)
		rc = mrt_db_set_durable(g->db, err);
	if (!rc && pthread_create(&g->thread, NULL, writer, g) != 0)
		rc = mrt_err_set(err, MRT_ENOMEM, "cannot start the audit writer thread");
	if (rc) {
		audit_group_close(g);
		return rc;
	}
	g->started = 1;
	*out = g;
	return 0;
}

void audit_group_close(audit_group *g)
{
	if (!g)
		return;
	if (g->started) {
		pthread_mutex_lock(&g->mu);
		g->stop = 1;
		pthread_cond_signal(&g->work);
		pthread_mutex_unlock(&g->mu);
		pthread_join(g->thread, NULL);
	}
	mrt_db_close(g->db);
	if (g->anchor_fd >= 0)
		close(g->anchor_fd);
	mrt_buf_free(&g->lines);
	pthread_cond_destroy(&g->work);
	pthread_cond_destroy(&g->done);
	pthread_mutex_destroy(&g->mu);
	memset(g->key, 0, sizeof g->key);
	free(g);
}

void audit_group_attach(audit_group *g, mrt_session *s)
{
	session_set_audit_sink(s, sink, g);
}

void audit_group_detach(mrt_session *s)
{
	session_set_audit_sink(s, NULL, NULL);
}

void audit_group_get_stats(audit_group *g, struct audit_group_stats *out)
{
	pthread_mutex_lock(&g->mu);
	*out = g->stats;
	pthread_mutex_unlock(&g->mu);
}
