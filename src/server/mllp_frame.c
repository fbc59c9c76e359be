/*
 * MLLP deframing and framing; see mllp_frame.h. Lenient where senders
 * differ in harmless ways (CR or LF between frames, a missing 0x0D after
 * 0x1C), strict where a stream could make memory grow.
 */
#include <string.h>

#include "server/mllp_frame.h"

void mllp_deframer_init(struct mllp_deframer *d, size_t max_frame)
{
	memset(d, 0, sizeof *d);
	d->max_frame = max_frame;
}

static int outside(struct mllp_deframer *d, const char *buf, size_t len, size_t *off)
{
	while (d->scan < len) {
		unsigned char c = (unsigned char)buf[d->scan];
		if (c == MLLP_SB) {
			d->scan++;
			d->start = d->scan;
			d->in_frame = 1;
			return MLLP_FRAME;
		}
		if (c != '\r' && c != '\n') {
			*off = d->scan;
			return MLLP_GARBAGE;
		}
		d->scan++;
	}
	return MLLP_MORE;
}

int mllp_deframe_next(struct mllp_deframer *d, const char *buf, size_t len, size_t *off, size_t *n)
{
	for (;;) {
		if (!d->in_frame) {
			int rc = outside(d, buf, len, off);
			if (rc != MLLP_FRAME)
				return rc;
		}
		const char *e =
		    d->scan < len ? memchr(buf + d->scan, MLLP_EB, len - d->scan) : NULL;
		size_t end = e ? (size_t)(e - buf) : len;
		if (end - d->start > d->max_frame) {
			*off = d->start;
			return MLLP_OVERSIZE;
		}
		if (!e) {
			d->scan = len;
			return MLLP_MORE;
		}
		*off = d->start;
		*n = end - d->start;
		d->scan = end + 1;
		d->in_frame = 0;
		if (d->scan < len && buf[d->scan] == MLLP_CR)
			d->scan++;
		return MLLP_FRAME;
	}
}

size_t mllp_deframer_consumed(const struct mllp_deframer *d)
{
	return d->in_frame ? d->start : d->scan;
}

void mllp_deframer_shift(struct mllp_deframer *d, size_t dropped)
{
	d->scan -= dropped;
	d->start = d->start >= dropped ? d->start - dropped : 0;
}

int mllp_frame_put(mrt_buf *out, const char *msg, size_t len)
{
	int rc = mrt_buf_addc(out, MLLP_SB);
	if (rc == 0)
		rc = mrt_buf_add(out, msg, len);
	if (rc == 0)
		rc = mrt_buf_addc(out, MLLP_EB);
	if (rc == 0)
		rc = mrt_buf_addc(out, MLLP_CR);
	return rc;
}
