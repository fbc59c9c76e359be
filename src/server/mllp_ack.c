/*
 * The listener's own acknowledgements, for frames it refuses before the
 * service sees them (over the size cap, bytes outside a frame) and for
 * messages that could not be stored: the ACK is addressed from the
 * frame's first segment when that much is a readable MSH.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "formats/hl7v2.h"
#include "server/mllp.h"

#define FIRST_SEGMENT_MAX 65536u

static size_t first_segment(const char *b, size_t len)
{
	size_t n = len < FIRST_SEGMENT_MAX ? len : FIRST_SEGMENT_MAX;
	for (size_t i = 0; i < n; i++)
		if (b[i] == '\r' || b[i] == '\n')
			return i;
	return n;
}

int mllp_refusal_ack(mrt_buf *out, const char *bytes, size_t len, const char *code, int err_code,
		     const char *reason, mrt_err *err)
{
	static atomic_ulong seq;
	char ts[20], ctl[40];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y%m%d%H%M%S", &tm);
	snprintf(ctl, sizeof ctl, "MRTL%s%lu", ts, (unsigned long)atomic_fetch_add(&seq, 1) + 1);
	struct hl7_ack_opts o = {.code = code,
				 .app = "MRT",
				 .facility = "",
				 .timestamp = ts,
				 .control_id = ctl,
				 .err_seg = "MSH",
				 .err_seq = 1,
				 .err_code = err_code,
				 .err_text = reason};
	hl7_msg m;
	hl7_msg_init(&m);
	mrt_err perr = {0};
	int rc;
	if (hl7_parse(&m, bytes, first_segment(bytes, len), &perr) == 0) {
		rc = hl7_ack(out, &m, &o, err);
	} else {
		o.err_code = 0;
		rc = hl7_ack_unparsed(out, &m, &o, err);
	}
	hl7_msg_free(&m);
	return rc;
}
