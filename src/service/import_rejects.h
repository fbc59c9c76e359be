/*
 * `mrt import rejects`: what the imports could not read (rows, messages,
 * whole files), with where and why. The list shows no content; one
 * reject's content is patient data the user asks for, so it needs admin,
 * him or privacy and is audited.
 */
#ifndef MRT_SERVICE_IMPORT_REJECTS_H
#define MRT_SERVICE_IMPORT_REJECTS_H

#include <jansson.h>

#include "chart/reject_read.h"
#include "service/session.h"

/* Array of {id, kind, source, position, reason, first_seen, size, sha256},
 * oldest first; kind NULL = every kind; limit 0 = no limit. Access: admin,
 * him or privacy. */
int import_rejects_list(mrt_session *s, const char *kind, size_t limit, json_t **out, mrt_err *err);
/* One reject with its content (free with chart_reject_free); audited
 * ("reject.show"). MRT_ENOTFOUND when there is none with that id. */
int import_rejects_show(mrt_session *s, int64_t id, struct chart_reject **out, mrt_err *err);

#endif
