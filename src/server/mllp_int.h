/*
 * Inside the MLLP listener (mllp.c: sockets and the poll loop; mllp_conn.c:
 * one connection's buffers, reads, writes and frames).
 */
#ifndef MRT_SERVER_MLLP_INT_H
#define MRT_SERVER_MLLP_INT_H

#include <signal.h>
#include <stdint.h>

#include "server/mllp.h"
#include "server/mllp_frame.h"

#define MLLP_READ_CHUNK 65536u
#define MLLP_OUT_CAP (1u << 20) /* unsent ACK bytes before reading stops */
#define MLLP_OUT_MAX (8u << 20) /* ... and before the connection is dropped */

struct mllp_conn {
	int fd;
	char peer[80]; /* "mllp:ADDR:PORT" (the channel of its messages) */
	char *in;      /* received bytes; frames are offsets into it */
	size_t in_len, in_cap, in_max;
	struct mllp_deframer df;
	mrt_buf out; /* framed ACKs not yet sent, from out_off */
	size_t out_off;
	size_t pending; /* its frames in the current group */
	int eof;	/* the peer closed its side */
	int closing;	/* refused: close once the ACKs are out */
	int dead;	/* a socket error: close now */
	int backlog;	/* frames (or a refusal) left for a later group */
};

struct mllp_pending {
	struct mllp_conn *c;
	size_t off, len;
};

struct mllp_server {
	mrt_session *s;
	struct mllp_opts o;
	int lfd;
	int wake[2]; /* self-pipe: mllp_server_stop writes a byte */
	volatile sig_atomic_t stop;
	char addr[96];
	int port;
	struct mllp_conn **conns;
	size_t nconns;
	struct mllp_pending *group;
	struct listen_item *items;
	size_t ngroup;
	double group_started;
	double accept_paused_until; /* out of file descriptors: retry later */
	struct listen_counts counts;
};

/* Seconds on a monotonic clock. */
double mllp_now(void);

struct mllp_conn *mllp_conn_new(int fd, const char *peer, size_t max_frame);
void mllp_conn_free(struct mllp_conn *c);
/* Reads what is there (up to the buffer's room); 0, or < 0 on a socket
 * error (c->dead set). Sets c->eof at the end of the stream. */
int mllp_conn_read(struct mllp_conn *c);
/* Sends what it can of c->out without blocking. */
void mllp_conn_flush(struct mllp_conn *c);
int mllp_conn_wants_read(const struct mllp_conn *c);
int mllp_conn_wants_write(const struct mllp_conn *c);
/* Moves the complete frames of c into the server's group (up to its cap);
 * a framing error queues an AR and marks c closing. */
void mllp_conn_harvest(struct mllp_server *srv, struct mllp_conn *c);
/* Drops the bytes of frames already applied. */
void mllp_conn_compact(struct mllp_conn *c);
/* Frames data as one MLLP message on c->out (c->dead when over the cap). */
void mllp_conn_queue(struct mllp_conn *c, const char *data, size_t len);

#endif
