/*
 * The audit chain, as pure functions over in-memory events: the canonical
 * serialisation of an event, its MAC, streaming verification of a chain,
 * and the anchor file's lines. No database and no files here; the service
 * layer (service/session.c, service/audit_svc.c) loads and stores.
 *
 * Each event's MAC = HMAC-SHA-256(key, canonical(event) || prev_mac), where
 * canonical() covers every stored field including the row id, in a fixed
 * order, each field length-prefixed (so no two events serialise alike).
 * prev_mac is the MAC of the event before (AUDIT_GENESIS for the first), so
 * altering, deleting, inserting or reordering rows breaks the chain at the
 * first row touched. Deleting the last rows leaves a shorter chain that is
 * still well formed; the anchor (id and MAC of every committed event,
 * appended to a file outside the database) catches that.
 */
#ifndef MRT_PRIVACY_AUDIT_H
#define MRT_PRIVACY_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/hash.h"
#include "mrt/error.h"

#define AUDIT_MAC_HEX MRT_SHA256_HEX /* 64 hex digits + NUL */

/* prev_mac of the first event. */
extern const char AUDIT_GENESIS[AUDIT_MAC_HEX];

struct audit_event {
	int64_t id;
	const char *at;           /* ISO-8601 UTC */
	const char *actor;        /* who is at the keyboard */
	const char *on_behalf_of; /* user whose rights apply when an admin acts as another; or NULL */
	const char *role;
	const char *action;
	const char *object_type;
	const char *object_id;
	int64_t patient_id;       /* 0 = none (stored as NULL) */
	const char *purpose;
	const char *outcome;      /* allow | deny | break-glass */
	const char *detail;
	const char *prev_mac;     /* hex */
	const char *mac;          /* hex (ignored by audit_mac) */
};

/* Appends the canonical serialisation of e (all fields but prev_mac and
 * mac) to out. */
int audit_canonical(mrt_buf *out, const struct audit_event *e);

/* Computes e's MAC (over canonical(e) and e->prev_mac) as hex. */
int audit_mac(char out[AUDIT_MAC_HEX], const unsigned char key[MRT_HMAC_KEY_LEN],
              const struct audit_event *e);

/* The seal of a sealed export (service/audit_export.c): an HMAC over the
 * export's identity and its trailer, so that neither the rows (covered by
 * body_sha256 and the chain) nor the trailer can be changed without the
 * key. Fields are length-prefixed like canonical(). */
struct audit_seal_fields {
	const char *db_id;
	const char *before;      /* YYYY-MM-DD */
	int64_t count, first_id, last_id;
	const char *last_mac;    /* hex; AUDIT_GENESIS when no row */
	const char *body_sha256; /* hex digest of every byte before the trailer line */
};
int audit_seal(char out[AUDIT_MAC_HEX], const unsigned char key[MRT_HMAC_KEY_LEN],
               const struct audit_seal_fields *f);

/* Streaming verification: feed the events in id order. */
struct audit_verifier {
	unsigned char key[MRT_HMAC_KEY_LEN];
	int64_t count;        /* events accepted so far */
	int64_t last_id;      /* id of the last accepted event (0 = none) */
	char head[AUDIT_MAC_HEX]; /* MAC of the last accepted event (GENESIS at start) */
	int64_t broken_id;    /* first broken row, when a call failed */
	mrt_buf scratch;
};

void audit_verify_begin(struct audit_verifier *v, const unsigned char key[MRT_HMAC_KEY_LEN]);
/* 0 when e continues the chain; MRT_ETAMPER (broken_id set, err naming the
 * row and what is wrong) otherwise. */
int audit_verify_next(struct audit_verifier *v, const struct audit_event *e, mrt_err *err);
void audit_verify_end(struct audit_verifier *v);

/* One anchor line: "<id> <mac-hex>\n". */
struct audit_anchor {
	int64_t id;
	char mac[AUDIT_MAC_HEX];
};

/* Formats an anchor line into out (size >= AUDIT_ANCHOR_LINE); returns its length. */
#define AUDIT_ANCHOR_LINE 96
size_t audit_anchor_format(char *out, size_t size, int64_t id, const char *mac);
/* Parses one line (without or with its newline); 0 or MRT_EPARSE. */
int audit_anchor_parse(struct audit_anchor *out, const char *line, size_t len);

/* The anchor's entries sorted by id, matched against the events as they
 * stream past (in id order). */
struct audit_anchor_set {
	struct audit_anchor *v;
	size_t n, cap;
	size_t next; /* first entry not yet matched */
};

int audit_anchor_set_add(struct audit_anchor_set *s, const struct audit_anchor *a);
void audit_anchor_set_sort(struct audit_anchor_set *s);
/* Checks the anchored entries with e's id (and that none was skipped: an
 * anchored id below e->id that never streamed past was deleted). */
int audit_anchor_set_match(struct audit_anchor_set *s, const struct audit_event *e, mrt_err *err,
                           int64_t *broken_id);
/* After the last event: any anchored id left was truncated away. */
int audit_anchor_set_finish(struct audit_anchor_set *s, mrt_err *err, int64_t *broken_id);
void audit_anchor_set_free(struct audit_anchor_set *s);

#endif
