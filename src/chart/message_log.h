/*
 * The imported-message log (table message_log) and the few chart writes
 * HL7 v2 events need beyond chart.h: an account merge between encounters
 * (encounter_link) and an identifier change on a patient (A47), and the
 * link an unlink ends (A37).
 *
 * Like chart.h: no access checks, no audit; the caller's transaction.
 */
#ifndef MRT_CHART_MESSAGE_LOG_H
#define MRT_CHART_MESSAGE_LOG_H

#include <stdint.h>

#include "base/buf.h"
#include "chart/chart.h"
#include "mrt/error.h"
#include "store/db.h"

struct message_log_rec {
	int64_t patient_id; /* 0 = none */
	const char *sending_app, *sending_facility, *control_id;
	const char *message_type; /* e.g. "ADT^A01" */
	const char *channel, *sha256, *ack_code, *ack, *outcome;
	/* The message as received (Z-segments and all); NULL when it is kept
	 * in reject instead. */
	const void *content;
	size_t content_len;
};

/* 1 and the stored sha256 (hex), ACK code and ACK when (app, facility,
 * control id) is logged; 0 when not; < 0 on a database error. */
int message_log_find(mrt_db *db, const char *app, const char *facility, const char *control_id,
		     char sha256[65], char ack_code[3], mrt_buf *ack, mrt_err *err);
int message_log_put(mrt_db *db, const struct chart_ctx *c, const struct message_log_rec *r,
		    mrt_err *err);

/* An encounter_link of kind "account-merge": encounter_id absorbed
 * other_encounter_id (0 = the prior account is not known here). */
int chart_account_merge_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
			    int64_t encounter_id, int64_t other_encounter_id,
			    const char *source_ref, int *changed, mrt_err *err);

/* The prior account of an account merge: status "merged", merged_into
 * into_id (the old row kept in encounter_history). */
int chart_encounter_merged(mrt_db *db, const struct chart_ctx *c, int64_t encounter_id,
			   int64_t into_id, int *changed, mrt_err *err);

/* A47: the patient's active identifier old_value (system NULL: any) is
 * ended and replaced by new_value (same system and type unless given);
 * when old_value is the MRN the MRN becomes new_value (the old row kept in
 * patient_history). *changed = 0 when it was already done. MRT_ENOTFOUND
 * when the patient has no such identifier (and new_value is not there). */
int chart_ident_change(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
		       const char *system, const char *old_value, const char *new_value,
		       int *changed, mrt_err *err);

/* The encounter with a visit number (not an account): MRT_ENOTFOUND when
 * none, MRT_EAMBIG when several. */
int chart_encounter_by_visit(mrt_db *db, const char *visit_number, int64_t *id, int64_t *patient_id,
			     mrt_err *err);

/* The newest applied link of kind between two patients (either way),
 * for an unlink to end; MRT_ENOTFOUND when none. */
int chart_link_find(mrt_db *db, const char *kind, int64_t a, int64_t b, int64_t *id, mrt_err *err);

#endif
