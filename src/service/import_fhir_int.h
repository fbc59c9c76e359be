/*
 * Internals of the FHIR import shared by import_fhir.c (the run: reading,
 * rejects, counts, the per-encounter coding merge, the report) and
 * import_fhir_res.c (one mapped resource into the chart).
 */
#ifndef MRT_SERVICE_IMPORT_FHIR_INT_H
#define MRT_SERVICE_IMPORT_FHIR_INT_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "chart/chart.h"
#include "formats/fhir.h"
#include "service/session.h"

enum { C_READ, C_CREATED, C_UPDATED, C_UNCHANGED, C_REJECTED, C_SKIPPED, C_N };

/* A condition or procedure waiting for its encounter's coding merge. */
struct imp_pend {
	int64_t enc, pat, surgeon;
	int is_px;
	size_t order;
	const char *system, *code, *display, *when, *ref;
	const char *kind; /* from Encounter.diagnosis, NULL when not given */
};

/* A resource whose reference was not found yet, tried again at the end. */
struct imp_defer {
	json_t *res;
	char *file;
	char position[64];
};

struct imp {
	mrt_session *s;
	mrt_db *db;
	struct chart_ctx c;
	fhir_reader *r;
	mrt_arena *a;	/* per resource */
	mrt_arena *run; /* strings of pending codings */
	json_t *ids;	/* "Type/id" -> [row id, patient id] */
	json_t *kinds;	/* Condition id -> kind given by its Encounter.diagnosis */
	struct imp_pend *pend;
	size_t n_pend, cap_pend;
	long cnt[FHIR_NTYPES][C_N];
	json_t *skipped, *reasons, *rejects;
	long files, file_rejects, unreadable, from_refs, labels, resources;
	char why[256];	/* reason of the current reject */
	int unresolved; /* the current reject is an unresolvable reference */
	int deferring;	/* such rejects of NDJSON lines are tried again later */
	int retrying;	/* trying deferred resources: no Bundle to resolve in */
	struct imp_defer *defer;
	size_t n_defer, cap_defer;
};

/* Each: 0 = stored (count set in *counted), FHIR_MAP_REJECT = a reject
 * (m->why set), FHIR_MAP_SKIP = skipped (reason counted), < 0 = failure. */
int imp_apply(struct imp *m, const struct fhir_res *res, mrt_err *err);
/* Counts a skip reason. */
int imp_skip_reason(struct imp *m, const char *reason, mrt_err *err);
int imp_why(struct imp *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
