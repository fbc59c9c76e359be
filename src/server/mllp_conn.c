/*
 * One MLLP connection: its receive buffer (grown up to the frame cap plus
 * one read), the frames found in it, and the ACK bytes waiting to be sent.
 * Nothing here blocks; the poll loop in mllp.c decides when to call what.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>

#include "base/log.h"
#include "base/str.h"
#include "formats/hl7v2.h"
#include "server/mllp_int.h"

#define IN_START 16384u

struct mllp_conn *mllp_conn_new(int fd, const char *peer, size_t max_frame)
{
	struct mllp_conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->fd = fd;
	mrt_strlcpy(c->peer, peer, sizeof c->peer);
	c->in_max = max_frame + MLLP_READ_CHUNK;
	mllp_deframer_init(&c->df, max_frame);
	mrt_buf_init(&c->out, MLLP_OUT_MAX);
	return c;
}

void mllp_conn_free(struct mllp_conn *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	if (c->in) {
		sodium_memzero(c->in, c->in_cap);
		free(c->in);
	}
	mrt_buf_free(&c->out);
	free(c);
}

static int grow(struct mllp_conn *c)
{
	if (c->in_len < c->in_cap)
		return 0;
	if (c->in_cap >= c->in_max)
		return -1;
	size_t cap = c->in_cap ? c->in_cap * 2 : IN_START;
	if (cap > c->in_max)
		cap = c->in_max;
	char *p = malloc(cap);
	if (!p)
		return -1;
	if (c->in) {
		memcpy(p, c->in, c->in_len);
		sodium_memzero(c->in, c->in_cap);
		free(c->in);
	}
	c->in = p;
	c->in_cap = cap;
	return 0;
}

int mllp_conn_read(struct mllp_conn *c)
{
	if (grow(c) != 0)
		return 0;
	for (;;) {
		ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, MSG_DONTWAIT);
		if (n > 0) {
			c->in_len += (size_t)n;
			return 1;
		}
		if (n == 0) {
			c->eof = 1;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		c->dead = 1;
		return -1;
	}
}

void mllp_conn_flush(struct mllp_conn *c)
{
	while (!c->dead && c->out_off < c->out.len) {
		ssize_t n = send(c->fd, c->out.ptr + c->out_off, c->out.len - c->out_off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			c->out_off += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			return;
		} else {
			c->dead = 1;
			return;
		}
	}
	if (c->out_off == c->out.len && c->out_off > 0) {
		mrt_buf_reset(&c->out);
		c->out_off = 0;
	}
}

int mllp_conn_wants_read(const struct mllp_conn *c)
{
	return !c->eof && !c->closing && !c->dead && c->in_len < c->in_max &&
	       c->out.len - c->out_off < MLLP_OUT_CAP;
}

int mllp_conn_wants_write(const struct mllp_conn *c)
{
	return !c->dead && c->out_off < c->out.len;
}

void mllp_conn_queue(struct mllp_conn *c, const char *data, size_t len)
{
	if (!c->dead && mllp_frame_put(&c->out, data, len) != 0) {
		mrt_warn("mllp: %s: ACKs not read by the sender passed the output cap; closing",
			 c->peer + 5);
		c->dead = 1;
	}
}

static void refuse(struct mllp_conn *c, int what, size_t off)
{
	char reason[160];
	int code = HL7_ERR_INTERNAL;
	if (what == MLLP_OVERSIZE) {
		snprintf(reason, sizeof reason,
			 "message larger than the listener's cap of %zu bytes", c->df.max_frame);
	} else {
		snprintf(reason, sizeof reason,
			 "bytes outside an MLLP frame (a frame starts with 0x0B)");
		code = HL7_ERR_SEGMENT_SEQUENCE;
	}
	mrt_warn("mllp: %s: %s; closing the connection", c->peer + 5, reason);
	mrt_buf ack = MRT_BUF_INIT(1u << 20);
	mrt_err err = {0};
	if (mllp_refusal_ack(&ack, c->in + off, c->in_len - off, "AR", code, reason, &err) == 0)
		mllp_conn_queue(c, ack.ptr, ack.len);
	mrt_buf_free(&ack);
	c->closing = 1;
}

void mllp_conn_harvest(struct mllp_server *srv, struct mllp_conn *c)
{
	c->backlog = 0;
	while (!c->closing && !c->dead) {
		if (srv->ngroup >= srv->o.max_batch) {
			c->backlog = 1;
			return;
		}
		size_t off = 0, n = 0;
		int r = mllp_deframe_next(&c->df, c->in, c->in_len, &off, &n);
		if (r == MLLP_MORE)
			return;
		if (r != MLLP_FRAME) {
			/* Refuse only once the frames before it are acknowledged. */
			if (c->pending == 0)
				refuse(c, r, off);
			else
				c->backlog = 1;
			return;
		}
		if (srv->ngroup == 0)
			srv->group_started = mllp_now();
		srv->group[srv->ngroup++] = (struct mllp_pending){c, off, n};
		c->pending++;
	}
}

void mllp_conn_compact(struct mllp_conn *c)
{
	if (c->pending)
		return;
	size_t k = mllp_deframer_consumed(&c->df);
	if (k == 0)
		return;
	memmove(c->in, c->in + k, c->in_len - k);
	sodium_memzero(c->in + c->in_len - k, k);
	c->in_len -= k;
	mllp_deframer_shift(&c->df, k);
}
