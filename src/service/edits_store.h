/*
 * Keeping what an edit run finds (tables edit_run and edit_finding,
 * src/store/schema_edits.c) and routing it to the coder queue: per
 * encounter, the findings of this run are matched with the open ones by
 * (kind, rule, code, code2); a match stays open (last run, last coding and
 * occurrences updated), a new one is inserted, an open one not found again
 * is closed by this run. An encounter with open findings has one open
 * "coding-edit" work item for the coder role; when its last finding
 * closes, the run closes the item. Called inside the caller's transaction
 * (edits_run.c); writes no audit event of its own apart from the queue's.
 */
#ifndef MRT_SERVICE_EDITS_STORE_H
#define MRT_SERVICE_EDITS_STORE_H

#include <stdint.h>

#include <jansson.h>

#include "base/date.h"
#include "edits/claim.h"
#include "service/session.h"

#define EDITS_ITEM_KIND "coding-edit"
#define EDITS_ITEM_DUE_DAYS 7 /* a work item is due a week after the run that opens it */

/* One finding of this run on one encounter (codes undotted, "" when none). */
struct edits_found {
	const char *kind; /* "mce", "tabular" or "claim" (static strings) */
	const char *rule; /* MCE edit name, tabular rule name, claim rule */
	char code[CLAIM_CODE_MAX];
	char code2[CLAIM_CODE_MAX];
	int occurrences;
	const char *severity;	   /* "error", "warning", "info" */
	char message[240];	   /* never patient data beyond the codes */
	char source[24];	   /* MCE edit number or the tabular note's code */
	int64_t source_release_id; /* the note's code_release, 0 when none */
};

struct edits_tally {
	long new_, still_open, closed, items_opened, items_closed, items_kept_open;
};

struct edits_store_run {
	int64_t id;
	char now[32];
	char due[MRT_DATE_LEN];
	struct edits_tally t;
	json_t *by_rule; /* {"kind/rule": {kind, rule, new, still_open, closed, occurrences}} */
};

/* Inserts the run row (scope all|account|dates). */
int edits_store_begin(mrt_session *s, const char *scope, const char *account, const char *from,
		      const char *to, const char *release, struct edits_store_run *r, mrt_err *err);

struct edits_store_counts {
	long selected, edited, skipped_access, skipped_other;
};
/* Writes the counts and the end time to the run row. */
int edits_store_end(mrt_session *s, struct edits_store_run *r, const struct edits_store_counts *c,
		    mrt_err *err);
/* Frees what begin allocated (by_rule). */
void edits_store_free(struct edits_store_run *r);

/* Adds f to the list (n of max) or, when the same (kind, rule, code,
 * code2) is there, counts one more occurrence. */
void edits_found_add(struct edits_found *list, int *n, int max, const struct edits_found *f);

/* Reconciles the encounter's findings with f[0..n) and its work item. */
int edits_store_encounter(mrt_session *s, struct edits_store_run *r, int64_t encounter,
			  int64_t patient, int64_t coding, const char *mce_release,
			  const struct edits_found *f, int n, mrt_err *err);

#endif
