/*
 * The MLLP listener: HL7 v2 messages over TCP, many connections served by
 * one poll() loop in one thread, which is also the single writer of the
 * session's database. Complete frames from every connection are gathered
 * into a group, applied and committed durably in one transaction
 * (listen_svc), and only then is each message's ACK sent: AA, AE with an
 * ERR segment, AR for a message that cannot be read, the stored ACK for a
 * control id seen before. A frame over the size cap or bytes outside any
 * frame get an AR and the connection is closed. mllp_server_stop (from a
 * signal handler or another thread) stops accepting; what was received is
 * committed and acknowledged before mllp_server_run returns.
 */
#ifndef MRT_SERVER_MLLP_H
#define MRT_SERVER_MLLP_H

#include <stddef.h>

#include "mrt/error.h"
#include "service/listen_svc.h"
#include "service/session.h"

#define MLLP_DEFAULT_MAX_CONNS 256
#define MLLP_DEFAULT_MAX_FRAME (1u << 20)
#define MLLP_DEFAULT_MAX_BATCH 1024

struct mllp_opts {
	const char *host;      /* a numeric address or a name, e.g. "127.0.0.1" */
	const char *port;      /* "0" = any free port (see mllp_server_addr) */
	int max_conns;	       /* 0 = MLLP_DEFAULT_MAX_CONNS */
	int batch_ms;	       /* wait up to this long for more messages before committing */
	size_t max_frame;      /* 0 = MLLP_DEFAULT_MAX_FRAME */
	size_t max_batch;      /* messages per transaction; 0 = MLLP_DEFAULT_MAX_BATCH */
	listen_apply_fn apply; /* NULL = import_hl7_apply (others: benchmarks) */
};

typedef struct mllp_server mllp_server;

/* Checks access (listen_svc_start), binds and listens. */
int mllp_server_open(mllp_server **out, mrt_session *s, const struct mllp_opts *o, mrt_err *err);
/* "HOST:PORT" as bound (the real port when "0" was asked for). */
const char *mllp_server_addr(const mllp_server *srv);
int mllp_server_port(const mllp_server *srv);
/* Serves until mllp_server_stop; 0 after a clean stop. */
int mllp_server_run(mllp_server *srv, mrt_err *err);
/* Async-signal-safe; callable from any thread. */
void mllp_server_stop(mllp_server *srv);
void mllp_server_counts(const mllp_server *srv, struct listen_counts *out);
/* Records the stop (listen_svc_stop) and frees everything. NULL is fine. */
void mllp_server_close(mllp_server *srv);

/* The AR for a frame the listener refuses before applying it (over the
 * size cap, bytes outside a frame): addressed from the frame's MSH when
 * its first segment can be read. reason names no value. */
int mllp_refusal_ack(mrt_buf *out, const char *bytes, size_t len, const char *code, int err_code,
		     const char *reason, mrt_err *err);

#endif
