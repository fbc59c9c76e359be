/*
 * One reject with its content (the row, message or file kept whole when it
 * could not be read), for `mrt import rejects --show ID`. The list without
 * content is chart_rejects_json in chart.h.
 */
#ifndef MRT_CHART_REJECT_READ_H
#define MRT_CHART_REJECT_READ_H

#include <stddef.h>
#include <stdint.h>

#include "mrt/error.h"
#include "store/db.h"

struct chart_reject {
	int64_t id;
	char *kind, *source, *position, *reason, *sha256, *first_seen;
	unsigned char *content; /* may hold patient data: zeroed when freed */
	size_t len;
};

/* MRT_ENOTFOUND when there is no reject with that id. */
int chart_reject_get(mrt_db *db, int64_t id, struct chart_reject **out, mrt_err *err);
void chart_reject_free(struct chart_reject *r);

#endif
