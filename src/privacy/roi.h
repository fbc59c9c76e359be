/*
 * Release of information: the pure rules, with no database. What items a
 * disclosure may name (minimum necessary: the user names them, there is
 * no default), which disclosures need an authorization (45 CFR 164.508),
 * which are left out of the accounting of disclosures (164.528(a)(1)),
 * the required core elements of an authorization (164.508(c)) and when
 * one is valid, how a patient's restriction (164.522(a)) matches a
 * disclosure, and the clocks: six years of accounting, 60 days to answer
 * a request plus one 30-day extension, 30 days for an oral suspension.
 * The service layer (service/disclose_svc.c, service/consent_svc.c)
 * gathers the facts and records the outcome.
 */
#ifndef MRT_PRIVACY_ROI_H
#define MRT_PRIVACY_ROI_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"

/* The items of a chart a disclosure may release. */
enum roi_item {
	ROI_ITEM_DEMOGRAPHICS, /* name, birth date, sex, address, phone */
	ROI_ITEM_ENCOUNTERS,   /* account, class, admission and discharge */
	ROI_ITEM_DIAGNOSES,
	ROI_ITEM_PROCEDURES,
	ROI_ITEM_DOCUMENTS,
	ROI_ITEM_LABELS,       /* the record's sensitivity labels */
	ROI_ITEM_COUNT
};
extern const char *const roi_item_names[ROI_ITEM_COUNT];
#define ROI_ITEMS_ALL ((1u << ROI_ITEM_COUNT) - 1u)
/* Items that belong to an encounter (a restriction on one encounter
 * matches a disclosure only when it releases one of these). */
#define ROI_ITEMS_ENCOUNTER                                                                  \
	((1u << ROI_ITEM_ENCOUNTERS) | (1u << ROI_ITEM_DIAGNOSES) | (1u << ROI_ITEM_PROCEDURES) | \
	 (1u << ROI_ITEM_DOCUMENTS))

/* Parses a comma list of item names into bits. Returns 0, or MRT_EINVAL
 * with the first unknown name copied into bad (empty list: MRT_EINVAL
 * and bad = ""). */
int roi_items_parse(unsigned *out, const char *list, char *bad, size_t bad_size);
/* Writes the names of a set, comma-separated, in the table's order. */
void roi_items_format(char *out, size_t size, unsigned items);
/* "demographics, encounters, ..." for error messages. */
const char *roi_items_help(void);

/* Kinds of disclosure (what the accounting shows besides the purpose). */
extern const char *const roi_kinds[];
int roi_kind_valid(const char *kind);
/* The kind a purpose (privacy/access.h enum) implies when none is given. */
const char *roi_kind_default(int purpose);

/* 1 when a disclosure for this purpose needs an authorization on file
 * (anything but treatment, payment, operations, public health, required
 * by law, emergency treatment and the patient's own request). Part 2
 * records and psychotherapy notes need one whatever the purpose (see
 * privacy/access.c). */
int roi_purpose_needs_authorization(int purpose);
/* 1 when the purpose may override an agreed restriction (164.512 and
 * emergency treatment, 164.522(a)(1)(iii)-(v)). */
int roi_purpose_overrides_restriction(int purpose);
/* 1 when a disclosure is left out of the accounting (164.528(a)(1)):
 * treatment, payment, operations, to the patient, per authorization,
 * incidental, limited data set, national security, correctional. */
int roi_accounting_exempt(int purpose, const char *kind, int64_t authorization_id);

/* Recipients are compared ignoring case and runs of blanks. */
int roi_recipient_match(const char *a, const char *b);

/* ---- authorizations (164.508(c), 42 CFR 2.31) ---------------------- */

struct roi_auth_form {
	const char *items;          /* description of the information */
	const char *discloser;      /* who may disclose */
	const char *recipient;
	const char *purpose;        /* purpose name */
	const char *expires;        /* a date YYYY-MM-DD or an event */
	const char *signed_by;
	const char *signed_on;      /* YYYY-MM-DD */
	const char *representative; /* when a representative signed: their authority */
	int by_representative;
	int statements_ack;         /* the right-to-revoke, no-conditioning and
	                               redisclosure statements are on the form */
};
#define ROI_AUTH_MISSING_MAX 10
/* The required elements missing or wrong, as short names (a findings
 * list, not an error); returns how many (0: complete). today checks that
 * the form is not signed in the future and expires after it is signed. */
size_t roi_auth_missing(const struct roi_auth_form *f, mrt_day today,
                        const char *missing[ROI_AUTH_MISSING_MAX]);

/* An authorization as stored, for validity and coverage. */
struct roi_auth {
	const char *recipient;
	unsigned items;
	const char *expires_on;  /* YYYY-MM-DD or NULL (an event) */
	const char *expires_event;
	const char *revoked_at;  /* NULL when in force */
	int part2, psychotherapy;
};
enum roi_auth_state { ROI_AUTH_VALID, ROI_AUTH_EXPIRED, ROI_AUTH_REVOKED };
enum roi_auth_state roi_auth_state(const struct roi_auth *a, mrt_day today);
/* NULL when the authorization covers the disclosure (recipient and every
 * item, Part 2 consent and psychotherapy notes when needed), else why not. */
const char *roi_auth_covers(const struct roi_auth *a, const char *recipient, unsigned items,
                            int need_part2, int need_psychotherapy);

/* ---- restrictions (164.522(a)) --------------------------------------- */

struct roi_restriction {
	const char *kind;      /* health-plan-self-pay | other | confidential-communication */
	const char *status;    /* requested | agreed | denied */
	const char *recipient;
	unsigned items;        /* 0: every item */
	int64_t encounter_id;  /* 0: every encounter */
};
/* 1 when an agreed restriction forbids a disclosure to recipient of items
 * (encounter_id 0: all the patient's encounters). */
int roi_restriction_matches(const struct roi_restriction *r, const char *recipient,
                            unsigned items, int64_t encounter_id);
/* NULL when kind and status go together, else why not. */
const char *roi_restriction_status_check(const char *kind, const char *status);

/* ---- clocks ------------------------------------------------------------ */

#define ROI_ACCOUNTING_YEARS 6
#define ROI_ACCOUNTING_DAYS 60
#define ROI_EXTENSION_DAYS 30
#define ROI_ORAL_SUSPENSION_DAYS 30
/* The same day six years earlier (29 February -> 28 February). */
mrt_day roi_accounting_start(mrt_day today);

/* The 42 CFR 2.32 notice that goes with every Part 2 disclosure. */
extern const char roi_part2_notice[];

#endif
