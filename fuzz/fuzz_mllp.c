/*
 * Fuzz target for the listener's byte handling (server/mllp_frame,
 * mllp_refusal_ack): the input is a stream fed to the deframer in pieces
 * (sizes taken from the first byte) with a small frame cap, the buffer
 * compacted the way a connection compacts it; every frame must lie inside
 * the bytes received and hold no end-block byte, and every frame or refused
 * stretch gets an ACK built.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/hl7v2.h"
#include "server/mllp.h"
#include "server/mllp_frame.h"

#define CAP 512

static void ack(const char *p, size_t n, const char *code)
{
	mrt_buf b = MRT_BUF_INIT(1u << 16);
	mrt_err err = {0};
	mllp_refusal_ack(&b, p, n, code, HL7_ERR_INTERNAL, "fuzz", &err);
	mrt_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t step = 1 + data[0] % 64;
	const char *in = (const char *)data + 1;
	size_t total = size - 1, fed = 0;
	char *buf = malloc(total + 1);
	size_t len = 0;
	struct mllp_deframer d;
	mllp_deframer_init(&d, CAP);
	while (buf && fed < total) {
		size_t k = total - fed < step ? total - fed : step;
		memcpy(buf + len, in + fed, k);
		len += k;
		fed += k;
		size_t off = 0, n = 0;
		int r;
		while ((r = mllp_deframe_next(&d, buf, len, &off, &n)) == MLLP_FRAME) {
			if (off + n > len || n > CAP || memchr(buf + off, MLLP_EB, n))
				abort();
			ack(buf + off, n, "AA");
		}
		if (r != MLLP_MORE) {
			ack(buf + off, len - off, "AR");
			break; /* the listener closes the connection */
		}
		size_t c = mllp_deframer_consumed(&d);
		if (c > len)
			abort();
		memmove(buf, buf + c, len - c);
		len -= c;
		mllp_deframer_shift(&d, c);
	}
	free(buf);
	return 0;
}
