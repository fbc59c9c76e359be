/*
 * Fuzz target for the HL7 v2 parser (formats/hl7v2): the bytes are cut
 * into messages by the splitter, each message is parsed, every component
 * and sub-component is read through the escape-decoding accessor, a few
 * terse paths are asked for, and an ACK is built for the message, accepted
 * or refused.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/hl7v2.h"

static size_t sink;

static void read_all(const hl7_msg *m, mrt_buf *v)
{
	for (uint32_t s = 0; s < m->nsegs; s++)
		for (unsigned f = 1; f <= m->segs[s].nfields; f++)
			for (unsigned r = 1;; r++) {
				if (hl7_get_at(m, s, f, r, 1, 1, v) == MRT_ENOTFOUND)
					break;
				for (unsigned c = 1; hl7_get_at(m, s, f, r, c, 1, v) != MRT_ENOTFOUND; c++)
					for (unsigned k = 1; k <= 3; k++)
						if (hl7_get_at(m, s, f, r, c, k, v) == 0)
							sink += v->len;
			}
	static const char *paths[] = { "MSH-9.2", "PID-3[2].4", "OBX(2)-5.1.1", "MSH-2", "ZZZ-1" };
	mrt_err err = { 0 };
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
		if (hl7_get_path(m, paths[i], v, &err) == 0)
			sink += v->len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hl7_msg m;
	hl7_splitter sp;
	const char *p = NULL;
	size_t n = 0;
	mrt_buf v = MRT_BUF_INIT(1 << 20);
	mrt_buf ack = MRT_BUF_INIT(1 << 16);
	struct hl7_ack_opts o = { .code = "AA", .app = "MRT", .control_id = "1", .timestamp = "2026" };
	hl7_msg_init(&m);
	hl7_split_init(&sp, (const char *)data, size);
	for (int k = 0; k < 64 && hl7_split_next(&sp, &p, &n); k++) {
		mrt_err err = { 0 };
		if (hl7_parse(&m, p, n, &err) == 0) {
			read_all(&m, &v);
			hl7_ack(&ack, &m, &o, &err);
		} else {
			hl7_ack_unparsed(&ack, &m, &o, &err);
		}
		sink += ack.len;
	}
	/* The whole input as one message too. */
	mrt_err err = { 0 };
	if (hl7_parse(&m, (const char *)data, size, &err) == 0)
		read_all(&m, &v);
	hl7_msg_free(&m);
	mrt_buf_free(&v);
	mrt_buf_free(&ack);
	return 0;
}
