/*
 * The MLLP listener's sockets and poll loop; see mllp.h. One thread: it
 * reads every ready connection, gathers their complete frames into one
 * group, applies and commits the group durably (listen_svc), queues the
 * ACKs, sends what the sockets take, and polls again. Messages that arrive
 * while a group is being committed form the next group, so the number of
 * syncs per second stays flat as senders are added.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/str.h"
#include "formats/hl7v2.h"
#include "server/mllp_int.h"

#define STOP_DRAIN_S 3.0   /* reading what was already sent, at stop */
#define STOP_FLUSH_S 5.0   /* sending the last ACKs, at stop */
#define ACCEPT_PAUSE_S 0.1 /* after running out of file descriptors */
#define FD_RESERVE 16	   /* descriptors kept for the database and the audit anchor */

double mllp_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int listen_on(mllp_server *srv, mrt_err *err)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE},
			*res = NULL;
	int gai = getaddrinfo(srv->o.host, srv->o.port, &hints, &res);
	if (gai != 0)
		return mrt_err_set(err, MRT_EINVAL, "--mllp %s:%s: %s", srv->o.host, srv->o.port,
				   gai_strerror(gai));
	int one = 1, e = 0;
	for (struct addrinfo *a = res; a && srv->lfd < 0; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 1024) == 0)
			srv->lfd = fd;
		else {
			e = errno;
			close(fd);
		}
	}
	freeaddrinfo(res);
	if (srv->lfd < 0)
		return mrt_err_set(err, MRT_EIO, "--mllp %s:%s: cannot listen: %s", srv->o.host,
				   srv->o.port, strerror(e ? e : EADDRNOTAVAIL));
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char h[64] = "", p[16] = "";
	if (getsockname(srv->lfd, (struct sockaddr *)&ss, &sl) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, sl, h, sizeof h, p, sizeof p,
			NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
		int64_t port = 0;
		mrt_parse_i64(&port, p);
		srv->port = (int)port;
	}
	snprintf(srv->addr, sizeof srv->addr, "%s:%d", h[0] ? h : srv->o.host, srv->port);
	return 0;
}

static void nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* Connections beyond the open-file limit would leave the database without
 * a descriptor when it needs one: cap them below it. */
static void fit_fd_limit(mllp_server *srv)
{
	struct rlimit rl;
	int probe = dup(0);
	if (probe < 0 || getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) {
		if (probe >= 0)
			close(probe);
		return;
	}
	close(probe);
	long room = (long)rl.rlim_cur - probe - FD_RESERVE;
	if (room < srv->o.max_conns) {
		srv->o.max_conns = room < 1 ? 1 : (int)room;
		mrt_warn("mllp: open-file limit %ld: serving at most %d connections at once",
			 (long)rl.rlim_cur, srv->o.max_conns);
	}
}

static int setup(mllp_server *srv, const struct mllp_opts *o, mrt_err *err)
{
	srv->o = *o;
	if (srv->o.max_conns <= 0)
		srv->o.max_conns = MLLP_DEFAULT_MAX_CONNS;
	if (srv->o.max_frame == 0)
		srv->o.max_frame = MLLP_DEFAULT_MAX_FRAME;
	if (srv->o.max_batch == 0)
		srv->o.max_batch = MLLP_DEFAULT_MAX_BATCH;
	if (srv->o.batch_ms < 0)
		srv->o.batch_ms = 0;
	fit_fd_limit(srv);
	srv->conns = calloc((size_t)srv->o.max_conns, sizeof *srv->conns);
	srv->group = calloc(srv->o.max_batch, sizeof *srv->group);
	srv->items = calloc(srv->o.max_batch, sizeof *srv->items);
	if (!srv->conns || !srv->group || !srv->items)
		return mrt_err_set(err, MRT_ENOMEM, "mllp: out of memory");
	if (pipe(srv->wake) != 0)
		return mrt_err_set(err, MRT_EIO, "mllp: pipe: %s", strerror(errno));
	nonblocking(srv->wake[0]);
	nonblocking(srv->wake[1]);
	return 0;
}

int mllp_server_open(mllp_server **out, mrt_session *s, const struct mllp_opts *o, mrt_err *err)
{
	*out = NULL;
	mllp_server *srv = calloc(1, sizeof *srv);
	if (!srv)
		return mrt_err_set(err, MRT_ENOMEM, "mllp: out of memory");
	srv->s = s;
	srv->lfd = -1;
	srv->wake[0] = srv->wake[1] = -1;
	int rc = setup(srv, o, err);
	if (rc == 0)
		rc = listen_on(srv, err);
	if (rc == 0)
		rc = listen_svc_start(s, srv->addr, err);
	if (rc) {
		srv->s = NULL; /* nothing started: no stop event */
		mllp_server_close(srv);
		return rc;
	}
	*out = srv;
	return 0;
}

const char *mllp_server_addr(const mllp_server *srv)
{
	return srv->addr;
}

int mllp_server_port(const mllp_server *srv)
{
	return srv->port;
}

void mllp_server_stop(mllp_server *srv)
{
	srv->stop = 1;
	ssize_t w = write(srv->wake[1], "x", 1);
	(void)w;
}

void mllp_server_counts(const mllp_server *srv, struct listen_counts *out)
{
	*out = srv->counts;
}

static void accept_all(mllp_server *srv)
{
	while (srv->nconns < (size_t)srv->o.max_conns) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int fd = accept(srv->lfd, (struct sockaddr *)&ss, &sl);
		if (fd < 0 &&
		    (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)) {
			/* The listening socket stays readable: do not spin on it. */
			mrt_warn("mllp: cannot accept a connection: %s; retrying", strerror(errno));
			srv->accept_paused_until = mllp_now() + ACCEPT_PAUSE_S;
		}
		if (fd < 0)
			return; /* EAGAIN, or an aborted connection: try again at the next poll */
		nonblocking(fd);
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		char h[64] = "?", p[16] = "?", peer[96];
		getnameinfo((struct sockaddr *)&ss, sl, h, sizeof h, p, sizeof p,
			    NI_NUMERICHOST | NI_NUMERICSERV);
		snprintf(peer, sizeof peer, "mllp:%s:%s", h, p);
		struct mllp_conn *c = mllp_conn_new(fd, peer, srv->o.max_frame);
		if (!c) {
			close(fd);
			return;
		}
		srv->conns[srv->nconns++] = c;
		srv->counts.connections++;
		mrt_info("mllp: connection from %s", peer + 5);
	}
}

/* The ACK for a message that could not be stored: AE, so the sender
 * sends it again. */
static void not_stored(struct mllp_conn *c, const struct listen_item *it)
{
	mrt_buf ack = MRT_BUF_INIT(1u << 20);
	mrt_err err = {0};
	if (mllp_refusal_ack(&ack, it->msg, it->len, "AE", HL7_ERR_INTERNAL,
			     "not stored (database failure); send the message again", &err) == 0)
		mllp_conn_queue(c, ack.ptr, ack.len);
	mrt_buf_free(&ack);
}

static void count(struct listen_counts *k, const struct listen_item *it)
{
	if (!it->stored)
		k->not_stored++;
	else if (it->res.duplicate)
		k->duplicates++;
	else if (strcmp(it->res.ack_code, "AA") == 0 || strcmp(it->res.ack_code, "CA") == 0)
		k->aa++;
	else if (strcmp(it->res.ack_code, "AE") == 0 || strcmp(it->res.ack_code, "CE") == 0)
		k->ae++;
	else
		k->ar++;
}

static void harvest_all(mllp_server *srv)
{
	for (size_t i = 0; i < srv->nconns; i++) {
		mllp_conn_compact(srv->conns[i]);
		mllp_conn_harvest(srv, srv->conns[i]);
	}
}

/* Applies and commits the group, then queues and sends its ACKs. */
static void process_group(mllp_server *srv)
{
	size_t n = srv->ngroup;
	for (size_t i = 0; i < n; i++) {
		struct mllp_pending *g = &srv->group[i];
		srv->items[i].msg = g->c->in + g->off;
		srv->items[i].len = g->len;
		srv->items[i].channel = g->c->peer;
	}
	mrt_err err = {0};
	if (listen_svc_apply_batch(srv->s, srv->o.apply, srv->items, n, &srv->counts.commits,
				   &err) != 0)
		mrt_warn("mllp: messages not stored: %s", err.msg);
	for (size_t i = 0; i < n; i++) {
		struct listen_item *it = &srv->items[i];
		struct mllp_conn *c = srv->group[i].c;
		count(&srv->counts, it);
		if (it->stored)
			mllp_conn_queue(c, it->res.ack.ptr, it->res.ack.len);
		else
			not_stored(c, it);
		c->pending--;
		listen_svc_item_free(it);
	}
	srv->counts.messages += n;
	srv->ngroup = 0;
	for (size_t i = 0; i < srv->nconns; i++)
		mllp_conn_flush(srv->conns[i]);
	harvest_all(srv);
}

static int group_due(const mllp_server *srv)
{
	if (srv->ngroup == 0)
		return 0;
	return srv->o.batch_ms == 0 || srv->stop || srv->ngroup >= srv->o.max_batch ||
	       (mllp_now() - srv->group_started) * 1000.0 >= srv->o.batch_ms;
}

static int poll_timeout(const mllp_server *srv)
{
	if (srv->ngroup == 0)
		return srv->accept_paused_until > 0 ? (int)(ACCEPT_PAUSE_S * 1000) : -1;
	if (group_due(srv))
		return 0;
	double left = srv->o.batch_ms - (mllp_now() - srv->group_started) * 1000.0;
	return left < 1 ? 1 : (int)left;
}

static void reap(mllp_server *srv)
{
	for (size_t i = 0; i < srv->nconns;) {
		struct mllp_conn *c = srv->conns[i];
		int done = c->dead || ((c->eof || c->closing) && !mllp_conn_wants_write(c));
		if (c->pending || c->backlog || !done) {
			i++;
			continue;
		}
		if (c->df.in_frame && !c->dead)
			mrt_info("mllp: %s closed inside a frame; its partial message is dropped",
				 c->peer + 5);
		mrt_info("mllp: %s closed", c->peer + 5);
		mllp_conn_free(c);
		srv->conns[i] = srv->conns[--srv->nconns];
	}
}

static size_t poll_set(mllp_server *srv, struct pollfd *pfd, int accepting)
{
	pfd[0] = (struct pollfd){.fd = srv->wake[0], .events = POLLIN};
	if (srv->accept_paused_until > 0 && mllp_now() >= srv->accept_paused_until)
		srv->accept_paused_until = 0;
	int take =
	    accepting && srv->nconns < (size_t)srv->o.max_conns && srv->accept_paused_until == 0;
	pfd[1] = (struct pollfd){.fd = take ? srv->lfd : -1, .events = POLLIN};
	for (size_t i = 0; i < srv->nconns; i++) {
		struct mllp_conn *c = srv->conns[i];
		short ev = (short)((mllp_conn_wants_read(c) ? POLLIN : 0) |
				   (mllp_conn_wants_write(c) ? POLLOUT : 0));
		pfd[2 + i] = (struct pollfd){.fd = ev ? c->fd : -1, .events = ev};
	}
	return 2 + srv->nconns;
}

static void serve_ready(mllp_server *srv, const struct pollfd *pfd, size_t np)
{
	if (pfd[0].revents) {
		char b[64];
		while (read(srv->wake[0], b, sizeof b) > 0)
			;
	}
	for (size_t i = 2; i < np; i++) {
		struct mllp_conn *c = srv->conns[i - 2];
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (mllp_conn_wants_read(c))
				mllp_conn_read(c);
			mllp_conn_harvest(srv, c);
		}
		if (pfd[i].revents & POLLOUT)
			mllp_conn_flush(c);
	}
	if (pfd[1].revents)
		accept_all(srv);
}

/* At stop: what the senders had sent when the stop came (the bytes in
 * the sockets now) is read, committed and acknowledged; a message sent
 * after that, or a frame still incomplete, is not (its sender resends it). */
static void drain(mllp_server *srv)
{
	double until = mllp_now() + STOP_DRAIN_S;
	for (size_t i = 0; i < srv->nconns; i++) {
		struct mllp_conn *c = srv->conns[i];
		for (;;) {
			while (mllp_conn_wants_read(c) && mllp_conn_read(c) > 0)
				;
			mllp_conn_harvest(srv, c);
			/* Commit now only to make room for more of this socket's bytes. */
			if (srv->ngroup == 0 || mllp_conn_wants_read(c) || mllp_now() > until)
				break;
			process_group(srv);
		}
	}
	while (srv->ngroup > 0)
		process_group(srv);
}

static void flush_all(mllp_server *srv, struct pollfd *pfd)
{
	double until = mllp_now() + STOP_FLUSH_S;
	for (;;) {
		reap(srv);
		size_t np = poll_set(srv, pfd, 0);
		int any = 0;
		for (size_t i = 2; i < np; i++) {
			pfd[i].events &= POLLOUT;
			if (!pfd[i].events)
				pfd[i].fd = -1;
			any |= pfd[i].fd >= 0;
		}
		double left = until - mllp_now();
		if (!any || left <= 0)
			return;
		if (poll(pfd + 2, np - 2, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			return;
		for (size_t i = 2; i < np; i++)
			if (pfd[i].revents)
				mllp_conn_flush(srv->conns[i - 2]);
	}
}

int mllp_server_run(mllp_server *srv, mrt_err *err)
{
	struct pollfd *pfd = calloc((size_t)srv->o.max_conns + 2, sizeof *pfd);
	if (!pfd)
		return mrt_err_set(err, MRT_ENOMEM, "mllp: out of memory");
	int rc = 0;
	while (!srv->stop) {
		size_t np = poll_set(srv, pfd, 1);
		int r = poll(pfd, np, poll_timeout(srv));
		if (r < 0 && errno != EINTR) {
			rc = mrt_err_set(err, MRT_EIO, "mllp: poll: %s", strerror(errno));
			break;
		}
		if (r > 0)
			serve_ready(srv, pfd, np);
		if (group_due(srv))
			process_group(srv);
		for (size_t i = 0; i < srv->nconns; i++)
			if (mllp_conn_wants_write(srv->conns[i]))
				mllp_conn_flush(srv->conns[i]);
		reap(srv);
	}
	close(srv->lfd);
	srv->lfd = -1;
	drain(srv);
	flush_all(srv, pfd);
	free(pfd);
	return rc;
}

void mllp_server_close(mllp_server *srv)
{
	if (!srv)
		return;
	if (srv->s) {
		mrt_err err = {0};
		if (listen_svc_stop(srv->s, srv->addr, &srv->counts, &err) != 0)
			mrt_warn("mllp: recording the stop: %s", err.msg);
	}
	for (size_t i = 0; i < srv->nconns; i++)
		mllp_conn_free(srv->conns[i]);
	for (size_t i = 0; srv->items && i < srv->o.max_batch; i++)
		listen_svc_item_free(&srv->items[i]);
	if (srv->lfd >= 0)
		close(srv->lfd);
	if (srv->wake[0] >= 0)
		close(srv->wake[0]);
	if (srv->wake[1] >= 0)
		close(srv->wake[1]);
	free(srv->conns);
	free(srv->group);
	free(srv->items);
	free(srv);
}
