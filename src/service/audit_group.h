/*
 * Group commit of audit events, for many concurrent readers in one
 * process (a server; bench/bench_audit_read.c). Each reader keeps its own
 * session and read connection; an attached session's audit events are
 * handed to one writer thread, which appends every event waiting at that
 * moment to the chain in one transaction on its own connection with
 * synchronous=FULL, appends their anchor lines after the commit, and wakes
 * the waiters. mrt_session_audit returns only when the event is durable,
 * so a reader that audits before returning data never returns data whose
 * access record could be lost; readers arriving while a batch commits
 * share the next one.
 *
 * The writer reads the chain's head inside each batch's transaction, so
 * other processes (or unattached sessions) appending meanwhile stay
 * chained correctly.
 */
#ifndef MRT_SERVICE_AUDIT_GROUP_H
#define MRT_SERVICE_AUDIT_GROUP_H

#include <stdint.h>

#include "mrt/error.h"
#include "service/session.h"

typedef struct audit_group audit_group;

struct audit_group_stats {
	int64_t events;
	int64_t batches;       /* transactions committed */
	int64_t max_batch;     /* most events in one transaction */
	double commit_seconds; /* wall time the writer spent committing batches */
};

/* Opens the writer's connection to the database at db_path (which must be
 * a site: its audit key and anchor are found as for a session) and starts
 * the writer thread. */
int audit_group_open(audit_group **out, const char *db_path, mrt_err *err);
/* Stops the writer after the events already handed over; closes. */
void audit_group_close(audit_group *g);
/* Sends s's audit events through g from now on (g must outlive s, or
 * audit_group_detach(s) first). */
void audit_group_attach(audit_group *g, mrt_session *s);
void audit_group_detach(mrt_session *s);
void audit_group_get_stats(audit_group *g, struct audit_group_stats *out);

#endif
