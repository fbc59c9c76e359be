/*
 * A stored encounter and its current coding as the code editor's claim
 * (edits/claim.h): age in whole years at discharge from the birth date,
 * sex M/F/U from the administrative sex, the UB-04 patient discharge
 * status (as stored, or mapped from the discharge location an importer
 * kept), length of stay in days, the ICD-10-CM diagnoses (principal,
 * secondary, admitting) with POA and the ICD-10-PCS procedures with
 * their dates. Codes of other systems (ICD-9, SNOMED) are not edited and
 * are counted. Internal to the service layer (edits_run.c).
 */
#ifndef MRT_SERVICE_EDITS_CLAIM_H
#define MRT_SERVICE_EDITS_CLAIM_H

#include <stdint.h>

#include "base/date.h"
#include "edits/claim.h"
#include "store/db.h"

/* Age in whole years on day `on` (a birthday counts on its day; one born
 * on 29 February has it on 1 March in other years); -1 when either date
 * is 0 (unknown) or birth is after on. */
int edits_claim_age(mrt_day birth, mrt_day on);

/* The UB-04 status (2 characters) for what an importer stored: a status
 * of 1 or 2 digits as it is (zero-padded), else the discharge location
 * mapped (MIMIC-IV discharge_location text, FHIR discharge-disposition
 * codes); "" when nothing maps. */
const char *edits_claim_status(const char *stored, const char *location);

/* 'M', 'F', or 'U' (O, U, unknown or not recorded). */
char edits_claim_sex(const char *sex);

/* Days from the admission to the discharge date (0 the same day or when
 * the admission is unknown; never negative). */
int edits_claim_los(mrt_day admit, mrt_day discharge);

/* The first 10 characters of an ISO date or date-time as a day; 0 when
 * absent or not a date. */
mrt_day edits_claim_day(const char *iso);

/* What the chart holds for the claim's head, as stored strings (NULL:
 * not recorded). */
struct edits_claim_head {
	const char *account;
	const char *birth_date, *sex;
	const char *admit_at, *discharge_at;
	const char *discharge_status, *discharge_location;
	int anchor_age, anchor_year; /* the age in a year, when no birth date (anchor_year 0: none) */
};
void edits_claim_set_head(struct claim *c, const struct edits_claim_head *h);

/* What did not go on the claim. */
struct edits_claim_info {
	int64_t patient_id, coding_id;
	int other_system; /* codes of systems other than ICD-10-CM / -PCS */
	int over_sdx;	  /* secondary diagnoses past the 24 a claim holds */
	int over_proc;	  /* procedures past the 25 a claim holds */
};

/* Adds a diagnosis (kind principal, secondary or admitting; code dotted or
 * not, any case) or a procedure (date YYYY-MM-DD[...] or NULL); the first
 * principal is the principal, later ones secondary. */
void edits_claim_add_dx(struct claim *c, struct edits_claim_info *info, const char *kind,
			const char *code, const char *poa);
void edits_claim_add_px(struct claim *c, struct edits_claim_info *info, const char *code,
			const char *date);

/* The claim of an encounter's current coding (*info->coding_id = 0 when
 * it has none). MRT_ENOTFOUND when there is no such encounter. */
int edits_claim_load(mrt_db *db, int64_t encounter_id, struct claim *c,
		     struct edits_claim_info *info, mrt_err *err);

#endif
