/*
 * Unit tests for the MLLP deframer and the listener's refusal ACKs: frames
 * found whole across any split of the stream, CR/LF between frames
 * allowed, a missing 0x0D after 0x1C tolerated, garbage outside a frame
 * and a frame over the cap reported where they start (and again after
 * compaction), compaction keeping an open frame; a refusal ACK addressed
 * from a readable MSH, and an AR even when nothing is readable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "formats/hl7v2.h"
#include "server/mllp.h"
#include "server/mllp_frame.h"

static const char two[] = "\x0bMSH|^~\\&|A|B|C|D|20260101||ADT^A01|X1|P|2.5\r\x1c\x0d"
			  "\r\n"
			  "\x0bMSH|^~\\&|A|B|C|D|20260101||ADT^A08|X2|P|2.5\r\x1c\x0d";

static void frames_whole_and_split(void **state)
{
	(void)state;
	size_t total = sizeof two - 1;
	/* Feed the stream in pieces of every size; the frames come out the same. */
	for (size_t step = 1; step <= total; step++) {
		struct mllp_deframer d;
		mllp_deframer_init(&d, 1024);
		size_t have = 0, off = 0, n = 0;
		int found = 0;
		while (have < total || found < 2) {
			int r = mllp_deframe_next(&d, two, have, &off, &n);
			if (r == MLLP_FRAME) {
				assert_int_equal(two[off], 'M');
				assert_int_equal(two[off + n], 0x1C);
				assert_non_null(strstr(two + off, found == 0 ? "X1" : "X2"));
				found++;
				continue;
			}
			assert_int_equal(r, MLLP_MORE);
			if (have == total)
				break;
			have = have + step > total ? total : have + step;
		}
		assert_int_equal(found, 2);
	}
}

static void missing_cr_after_eb(void **state)
{
	(void)state;
	static const char s[] = "\x0b"
				"MSH|a\x1c"
				"\x0b"
				"MSH|b\x1c";
	struct mllp_deframer d;
	mllp_deframer_init(&d, 1024);
	size_t off, n;
	assert_int_equal(mllp_deframe_next(&d, s, sizeof s - 1, &off, &n), MLLP_FRAME);
	assert_int_equal(n, 5);
	assert_int_equal(mllp_deframe_next(&d, s, sizeof s - 1, &off, &n), MLLP_FRAME);
	assert_memory_equal(s + off, "MSH|b", 5);
	assert_int_equal(mllp_deframe_next(&d, s, sizeof s - 1, &off, &n), MLLP_MORE);
}

static void garbage_outside(void **state)
{
	(void)state;
	static const char s[] = "\x0bMSH|a\x1c\x0d\r\nMSH|not framed\r";
	struct mllp_deframer d;
	mllp_deframer_init(&d, 1024);
	size_t off = 0, n = 0;
	assert_int_equal(mllp_deframe_next(&d, s, sizeof s - 1, &off, &n), MLLP_FRAME);
	assert_int_equal(mllp_deframe_next(&d, s, sizeof s - 1, &off, &n), MLLP_GARBAGE);
	assert_int_equal(off, 10);
	/* Reported again, at the same place once the frame before it is dropped. */
	size_t k = mllp_deframer_consumed(&d);
	assert_int_equal(k, 10);
	mllp_deframer_shift(&d, k);
	assert_int_equal(mllp_deframe_next(&d, s + k, sizeof s - 1 - k, &off, &n), MLLP_GARBAGE);
	assert_int_equal(off, 0);
}

static void oversize(void **state)
{
	(void)state;
	char s[200];
	memset(s, 'x', sizeof s);
	s[0] = 0x0B;
	struct mllp_deframer d;
	mllp_deframer_init(&d, 100);
	size_t off = 0, n = 0;
	/* Under the cap and no end yet: more. */
	assert_int_equal(mllp_deframe_next(&d, s, 90, &off, &n), MLLP_MORE);
	assert_int_equal(mllp_deframe_next(&d, s, 150, &off, &n), MLLP_OVERSIZE);
	assert_int_equal(off, 1);
	/* Exactly at the cap is fine. */
	s[101] = 0x1C;
	mllp_deframer_init(&d, 100);
	assert_int_equal(mllp_deframe_next(&d, s, 102, &off, &n), MLLP_FRAME);
	assert_int_equal(n, 100);
}

static void compaction_keeps_open_frame(void **state)
{
	(void)state;
	static const char s[] = "\x0b"
				"AAA\x1c\x0d"
				"\x0b"
				"BB";
	struct mllp_deframer d;
	mllp_deframer_init(&d, 100);
	size_t off = 0, n = 0;
	assert_int_equal(mllp_deframe_next(&d, s, sizeof s - 1, &off, &n), MLLP_FRAME);
	assert_int_equal(mllp_deframe_next(&d, s, sizeof s - 1, &off, &n), MLLP_MORE);
	size_t k = mllp_deframer_consumed(&d);
	assert_int_equal(k, 7); /* the open frame's bytes start after its 0x0B */
	char buf[16];
	memcpy(buf, s + k, sizeof s - 1 - k);
	memcpy(buf + (sizeof s - 1 - k), "C\x1c\x0d", 3);
	mllp_deframer_shift(&d, k);
	assert_int_equal(mllp_deframe_next(&d, buf, sizeof s - 1 - k + 3, &off, &n), MLLP_FRAME);
	assert_int_equal(off, 0);
	assert_int_equal(n, 3);
	assert_memory_equal(buf, "BBC", 3);
}

static void frame_put(void **state)
{
	(void)state;
	mrt_buf b = MRT_BUF_INIT(64);
	assert_int_equal(mllp_frame_put(&b, "MSH|x", 5), 0);
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.ptr, "\x0bMSH|x\x1c\x0d", 8);
	mrt_buf_free(&b);
}

static void refusal_acks(void **state)
{
	(void)state;
	static const char msg[] =
	    "MSH|^~\\&|SND|FAC|RCV|RF|20260101||ADT^A01^ADT_A01|CTL42|P|2.5\rPID|1";
	mrt_buf b = MRT_BUF_INIT(1u << 16);
	mrt_err err = {0};
	assert_int_equal(
	    mllp_refusal_ack(&b, msg, sizeof msg - 1, "AR", HL7_ERR_INTERNAL, "too big", &err), 0);
	assert_non_null(strstr(b.ptr, "MSA|AR|CTL42\r"));
	assert_non_null(strstr(b.ptr, "|SND|FAC|"));
	assert_non_null(strstr(b.ptr, "ERR|"));
	assert_non_null(strstr(b.ptr, "too big"));
	/* Nothing readable: still an AR with the reason. */
	assert_int_equal(mllp_refusal_ack(&b, "garbage\r", 8, "AR", HL7_ERR_SEGMENT_SEQUENCE,
					  "bytes outside an MLLP frame", &err),
			 0);
	assert_non_null(strstr(b.ptr, "MSA|AR|"));
	assert_non_null(strstr(b.ptr, "bytes outside an MLLP frame"));
	mrt_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(frames_whole_and_split),
	    cmocka_unit_test(missing_cr_after_eb),
	    cmocka_unit_test(garbage_outside),
	    cmocka_unit_test(oversize),
	    cmocka_unit_test(compaction_keeps_open_frame),
	    cmocka_unit_test(frame_put),
	    cmocka_unit_test(refusal_acks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
