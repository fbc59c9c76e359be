/*
 * HL7 v2 (2.1-2.9, "pipe and hat" encoding) messages without copying them:
 * hl7_parse() builds, in one pass, an index of every segment, field,
 * repetition and component as offsets into the caller's buffer; values are
 * read through accessors that decode escape sequences (\F\ \S\ \T\ \R\ \E\
 * \P\, \Xhh..\, \.br\ ...) into a caller's buffer. Sub-components are found
 * when read. The separators come from MSH-1/MSH-2, so any set works.
 *
 * Accepted around a message: a UTF-8 BOM, MLLP framing (0x0B ... 0x1C 0x0D),
 * segments ended by CR, LF or CRLF, mixed. Refused, with a message naming
 * the segment (number and ID), the field and what is wrong but never a
 * value: no MSH at the start, bad encoding characters, a bad segment ID,
 * a control byte, MSH-9/10/12 missing or malformed, and anything past the
 * caps below (so time and memory stay bounded for any input).
 *
 * hl7_split_next() cuts a file holding many messages (each starting at an
 * MSH segment, or MLLP frames; FHS/BHS/BTS/FTS batch segments are skipped).
 * hl7_ack()/hl7_ack_unparsed() build the acknowledgement of a message.
 */
#ifndef MRT_FORMATS_HL7V2_H
#define MRT_FORMATS_HL7V2_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "mrt/error.h"

#define HL7_MAX_MSG_BYTES (16u << 20) /* one message */
#define HL7_MAX_SEGMENTS 100000u      /* per message */
#define HL7_MAX_FIELDS 1000u          /* per segment */
#define HL7_MAX_REPS 10000u           /* per field */
#define HL7_MAX_COMPS 1000u           /* per repetition */
#define HL7_MAX_ITEMS (1u << 20)      /* components in a message */

/* HL7 table 0357 (message error condition codes) used in ERR segments. */
enum {
	HL7_ERR_SEGMENT_SEQUENCE = 100,
	HL7_ERR_REQUIRED_FIELD = 101,
	HL7_ERR_DATA_TYPE = 102,
	HL7_ERR_TABLE_VALUE = 103,
	HL7_ERR_MESSAGE_TYPE = 200,
	HL7_ERR_EVENT = 201,
	HL7_ERR_VERSION = 203,
	HL7_ERR_INTERNAL = 207,
};

struct hl7_seg {
	char id[4];         /* NUL-terminated segment ID */
	uint32_t off, len;  /* the segment without its terminator */
	uint32_t field0;    /* index of its first field in msg->fields */
	uint32_t nfields;   /* fields[field0 + n - 1] is field n (MSH-1 is the separator) */
};

struct hl7_field {
	uint32_t off, len;
	uint32_t rep0, nreps;
};

struct hl7_rep {
	uint32_t off, len;
	uint32_t comp0, ncomps;
};

struct hl7_span {
	uint32_t off, len;
};

/* Where a message was refused (seg_no 0 = the message as a whole). */
struct hl7_fail {
	unsigned seg_no;   /* 1-based segment number */
	char seg_id[4];    /* "" when the ID itself was bad */
	unsigned field;    /* 0 = not about one field */
	int code;          /* HL7 table 0357 */
};

typedef struct hl7_msg {
	const char *buf; /* the message (after BOM and MLLP framing) */
	size_t len;
	char fs, cs, rs, es, ss, ts; /* separators; ts (truncation) is 0 before v2.7 */
	struct hl7_seg *segs;
	struct hl7_field *fields;
	struct hl7_rep *reps;
	struct hl7_span *comps;
	uint32_t nsegs, nfields, nreps, ncomps;
	uint32_t capsegs, capfields, capreps, capcomps;
	int msh_ok; /* the MSH segment was indexed (also after a later failure) */
	int sentinel; /* buf[len] is a CR or LF (the message's own last terminator) */
	struct hl7_fail fail;
	char type[4], trigger[4], structure[8]; /* MSH-9.1/.2/.3 */
	char version[12];                         /* MSH-12.1 */
	char control_id[200];                     /* MSH-10 */
	unsigned char cls[256];                   /* byte classes of this message */
} hl7_msg;

void hl7_msg_init(hl7_msg *m);
void hl7_msg_free(hl7_msg *m);

/* Indexes buf[0..len) (borrowed: it must outlive every read of m). m can
 * be reused for message after message; its arrays are kept. On failure
 * returns MRT_EPARSE (or MRT_ENOMEM) and m->fail says where. */
int hl7_parse(hl7_msg *m, const char *buf, size_t len, mrt_err *err);

/* Index of the occ-th (1-based) segment with this ID, or -1. */
long hl7_seg_find(const hl7_msg *m, const char *id, unsigned occ);

/* Raw bytes of an item, escapes not decoded; rep, comp or sub 0 = the whole
 * of the level above. MRT_ENOTFOUND when the item is not in the message. */
int hl7_raw_at(const hl7_msg *m, size_t seg, unsigned field, unsigned rep, unsigned comp,
               unsigned sub, const char **p, size_t *n);

/* The value of an item with escape sequences decoded, into out (reset
 * first). All numbers are 1-based; occ counts segments with that ID.
 * Returns 0, MRT_ENOTFOUND (out empty) or MRT_ENOMEM (out's cap). MSH-1 and
 * MSH-2 are returned as they are. */
int hl7_get(const hl7_msg *m, const char *seg, unsigned occ, unsigned field, unsigned rep,
            unsigned comp, unsigned sub, mrt_buf *out);
int hl7_get_at(const hl7_msg *m, size_t seg, unsigned field, unsigned rep, unsigned comp,
               unsigned sub, mrt_buf *out);

/* Sub-component sub of the comp-th component of the message (m->comps
 * in order: what a walk over every value uses), decoded like hl7_get. */
int hl7_get_comp(const hl7_msg *m, size_t comp, unsigned sub, mrt_buf *out);

/* Terse path: SEG[(occ)]-field[[rep]][.comp[.sub]], e.g. "PID-3[2].4",
 * "OBX(2)-5.1", "MSH-9.2". Omitted parts are 1. A malformed path is
 * MRT_EINVAL with a message in err. */
int hl7_get_path(const hl7_msg *m, const char *path, mrt_buf *out, mrt_err *err);

/* Appends p[0..n) to out with m's escape sequences decoded. */
int hl7_decode(const hl7_msg *m, const char *p, size_t n, mrt_buf *out);

/* Cutting a stream into messages. */
typedef struct hl7_splitter {
	const char *buf;
	size_t len, pos;
} hl7_splitter;

void hl7_split_init(hl7_splitter *s, const char *buf, size_t len);
/* 1 and the next message's bytes (BOM and framing still on, for hl7_parse),
 * or 0 at the end. Bytes before the first MSH come out as a chunk of their
 * own, so that parsing them reports what they are. */
int hl7_split_next(hl7_splitter *s, const char **msg, size_t *len);

struct hl7_ack_opts {
	const char *code;       /* "AA", "AE", "AR" */
	const char *app;        /* MSH-3 of the ACK (our application) */
	const char *facility;   /* MSH-4 */
	const char *timestamp;  /* MSH-7, e.g. "20260101120000" */
	const char *control_id; /* MSH-10 of the ACK */
	/* The ERR segment, written when err_code != 0: location and reason. */
	const char *err_seg;
	unsigned err_seq, err_field;
	int err_code;           /* table 0357 */
	const char *err_text;   /* NULL = the table's text for err_code */
};

/* The ACK of a parsed message: MSH (sender and receiver swapped, ACK^<the
 * trigger>^ACK, the message's version), MSA (code, its MSH-10), and ERR
 * when o->err_code is set. */
int hl7_ack(mrt_buf *out, const hl7_msg *m, const struct hl7_ack_opts *o, mrt_err *err);

/* The ACK (AR unless o->code says otherwise) of a message hl7_parse()
 * refused: the location and reason come from m->fail, and MSH-10 and the
 * addresses from its MSH when that much could be read. */
int hl7_ack_unparsed(mrt_buf *out, const hl7_msg *m, const struct hl7_ack_opts *o, mrt_err *err);

/* Text of a table 0357 code. */
const char *hl7_err_text(int code);

#endif
