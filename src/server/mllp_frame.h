/*
 * MLLP framing over a byte stream: each message travels as 0x0B <message>
 * 0x1C 0x0D. The deframer walks a connection's receive buffer and hands
 * out complete frames as offsets into it, with a hard cap on the size of
 * one frame; bytes outside a frame other than CR/LF and a frame over the
 * cap are reported, never buffered without bound.
 */
#ifndef MRT_SERVER_MLLP_FRAME_H
#define MRT_SERVER_MLLP_FRAME_H

#include <stddef.h>

#include "base/buf.h"

#define MLLP_SB 0x0B /* start block */
#define MLLP_EB 0x1C /* end block, followed by 0x0D */
#define MLLP_CR 0x0D

enum {
	MLLP_MORE = 0,	   /* no complete frame in the buffer yet */
	MLLP_FRAME = 1,	   /* *off, *len: the message between 0x0B and 0x1C */
	MLLP_GARBAGE = -1, /* a byte outside a frame that is not CR or LF */
	MLLP_OVERSIZE = -2 /* a frame longer than the cap */
};

struct mllp_deframer {
	size_t max_frame; /* cap on one message's bytes */
	size_t scan;	  /* next byte to look at */
	size_t start;	  /* first byte of the open frame's message */
	int in_frame;
};

void mllp_deframer_init(struct mllp_deframer *d, size_t max_frame);
/* The next complete frame of buf[0..len) at or after the scan position.
 * After MLLP_GARBAGE / MLLP_OVERSIZE, *off is where the problem starts. */
int mllp_deframe_next(struct mllp_deframer *d, const char *buf, size_t len, size_t *off, size_t *n);
/* Bytes at the front of the buffer no longer needed (before the open
 * frame, or everything scanned); after the caller drops them, call
 * mllp_deframer_shift with the same count. */
size_t mllp_deframer_consumed(const struct mllp_deframer *d);
void mllp_deframer_shift(struct mllp_deframer *d, size_t dropped);

/* Appends 0x0B msg 0x1C 0x0D to out. */
int mllp_frame_put(mrt_buf *out, const char *msg, size_t len);

#endif
