/*
 * The code editor's use cases: loading what the edits need (code sets,
 * MCE releases, tabular notes and POA-exempt lists) once, checking claims
 * from a file (`mrt edits check`), and editing stored encounters with the
 * findings kept and routed to the coder queue (`mrt edits run`).
 */
#ifndef MRT_SERVICE_EDITS_SVC_H
#define MRT_SERVICE_EDITS_SVC_H

#include <stdio.h>

#include <jansson.h>

#include "edits/claim.h"
#include "edits/mce.h"
#include "edits/tabular.h"
#include "service/session.h"

/* Everything the edits read, in memory and read-only once loaded. */
struct edits_ctx;

/* release: an MCE version ("43.1") every claim is edited against (research
 * data with shifted dates), or NULL for the release of each discharge date. */
int edits_ctx_load(mrt_db *db, const char *release, struct edits_ctx **out, mrt_err *err);
void edits_ctx_free(struct edits_ctx *x);
const struct mce_ctx *edits_ctx_mce(const struct edits_ctx *x);
const tabular_tables *edits_ctx_tabular(const struct edits_ctx *x);

/* MCE and tabular rules over one claim. */
void edits_ctx_check(const struct edits_ctx *x, const struct claim *c, struct mce_result *mr,
                     struct tab_result *tr);

/* The contract object of one claim: {"id", "status", "edits": [{"edit",
 * "code"?, "message", "source"}], "findings": [{"rule", "severity", "code",
 * "code2"?, "message", "note_code"?, "note_release"?}], "release"...}. */
json_t *edits_result_json(const struct edits_ctx *x, const struct claim *c,
                          const struct mce_result *mr, const struct tab_result *tr);

struct edits_check_opts {
	const char *path;    /* JSONL claims, "-" for standard input */
	const char *release; /* see edits_ctx_load */
	int as_json;
	FILE *out;
};

/* `mrt edits check`: one line (JSON object or table rows) per claim, in
 * input order; a malformed line gets an error object and the run goes on.
 * *nclaims, *nerrors counted. */
int edits_svc_check_file(mrt_session *s, const struct edits_check_opts *o, long *nclaims,
                         long *nerrors, mrt_err *err);

struct edits_run_opts {
	const char *account;  /* one encounter, or NULL */
	const char *from, *to; /* discharge dates, inclusive; NULL = open */
	const char *release;
};

/* `mrt edits run`: edits stored encounters; stores each finding in a run,
 * closes the ones fixed since, never duplicates an open one, and opens a
 * coder work item per encounter with open findings. *summary: counts. */
int edits_svc_run(mrt_session *s, const struct edits_run_opts *o, json_t **summary, mrt_err *err);

#endif
