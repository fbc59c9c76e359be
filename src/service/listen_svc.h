/*
 * The HL7 v2 listener's use case: messages received over the network are
 * applied in groups, one durable transaction per group (group commit), so
 * that the face can acknowledge each message only after it is on disk.
 *
 * Access: admin or him_technician, checked once when the listener starts; a start and
 * a stop event frame the per-message "hl7.apply" events in the audit trail.
 */
#ifndef MRT_SERVICE_LISTEN_SVC_H
#define MRT_SERVICE_LISTEN_SVC_H

#include <stddef.h>
#include <stdint.h>

#include "mrt/error.h"
#include "service/import_hl7.h"
#include "service/session.h"

struct listen_item {
	const char *msg; /* one message (borrowed) */
	size_t len;
	const char *channel;	     /* "mllp:<peer address>" */
	struct hl7_apply_result res; /* valid when stored: res.ack is the ACK to send */
	int stored;		     /* 1: committed durably; 0: not stored (do not AA) */
};

/* The per-message step: import_hl7_apply, or (to measure the listener on
 * its own) a stand-in with the same contract. */
typedef int (*listen_apply_fn)(mrt_session *s, const char *msg, size_t len, const char *channel,
			       struct hl7_apply_result *res, mrt_err *err);

struct listen_counts {
	uint64_t messages, aa, ae, ar, duplicates, not_stored, commits, connections;
};

/* Checks access, makes the session's connection durable (each commit
 * synced before it returns) and records the start (addr: "HOST:PORT"). */
int listen_svc_start(mrt_session *s, const char *addr, mrt_err *err);

/* Applies items[0..n) (apply NULL: import_hl7_apply) in one transaction
 * and commits it. When the batch
 * cannot be committed (a database failure), each message is retried in a
 * transaction of its own; a message that still fails is left with
 * stored = 0 and its error is the one returned in err (the return value is
 * then that error, after every item was tried). *commits grows by the
 * transactions committed. Free each item's result with
 * listen_svc_item_free. */
int listen_svc_apply_batch(mrt_session *s, listen_apply_fn apply, struct listen_item *items,
			   size_t n, uint64_t *commits, mrt_err *err);
void listen_svc_item_free(struct listen_item *it);

/* Records the stop with the run's counts. */
int listen_svc_stop(mrt_session *s, const char *addr, const struct listen_counts *c, mrt_err *err);

#endif
