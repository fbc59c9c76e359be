/*
 * Shared by the physician query service files (pq_svc.c, pq_answer.c,
 * pq_list.c).
 */
#ifndef MRT_SERVICE_PQ_INT_H
#define MRT_SERVICE_PQ_INT_H

#include "service/chartqa_svc.h"
#include "store/db.h"

struct pq_target {
	int64_t enc, patient, provider, uid, coding;
};

/* One stored query. */
struct pq_row {
	int64_t id, enc, patient, asked_by, to_provider, to_user, coding_before;
	char status[16];
	char format[20];
	char asker[128];
};

int pq_load(mrt_session *s, int64_t id, struct pq_row *q, mrt_err *err);
/* The encounter's current coding id (0: none). */
int pq_current_coding(mrt_db *db, int64_t enc, int64_t *coding, mrt_err *err);
/* A work item about query for user (NULL/"": the physician role). */
int pq_item(mrt_session *s, const char *kind, int64_t query, int64_t patient, const char *user,
	    const char *title, mrt_err *err);

#endif
