/*
 * Work queue internals shared by queue_svc.c and queue_list.c.
 */
#ifndef MRT_SERVICE_QUEUE_INT_H
#define MRT_SERVICE_QUEUE_INT_H

#include "service/queue_svc.h"

struct queue_item {
	int64_t id;
	int64_t patient_id;
	int64_t assigned_user;
	char assigned_role[32];
	char status[16];
};

int queue_load_item(mrt_session *s, int64_t id, struct queue_item *it, mrt_err *err);

#endif
