/*
 * The ICD-10-CM tabular rules the MCE leaves out, as findings over one
 * claim: Excludes1 pairs coded together, "code first" notes whose
 * underlying condition is missing or sequenced after, "use additional
 * code" notes not followed, a 7th character missing or not allowed, a
 * placeholder X missing, a non-billable header (with its billable codes
 * to choose from), the external-cause rules of the Official Guidelines
 * (I.C.20), and POA missing where required or given where exempt (the CMS
 * POA-exempt lists, and POA values that are none of Y, N, U, W, 1 or
 * blank). Each finding names the tabular note it comes from and that
 * note's release.
 *
 * Tables are loaded once from the database (notes of the Tabular List,
 * POA-exempt lists) and shared read-only; checking allocates nothing.
 */
#ifndef MRT_EDITS_TABULAR_H
#define MRT_EDITS_TABULAR_H

#include <stddef.h>
#include <stdint.h>

#include "codes/lookup.h"
#include "edits/claim.h"
#include "store/db.h"

enum tab_rule {
	TAB_EXCLUDES1,
	TAB_CODE_FIRST,
	TAB_USE_ADDITIONAL,
	TAB_SEVENTH_CHAR,
	TAB_PLACEHOLDER_X,
	TAB_HEADER,
	TAB_EXTERNAL_CAUSE_REPEATED, /* Y92, Y93 or Y99 more than once */
	TAB_EXTERNAL_CAUSE_ALONE,    /* no A00-T88 / Z00-Z99 condition it explains */
	TAB_POA_MISSING,
	TAB_POA_EXEMPT,
	TAB_POA_INVALID, /* a POA value other than Y, N, U, W, 1 or blank */
	TAB_RULE_COUNT
};

enum tab_severity { TAB_INFO, TAB_WARNING, TAB_ERROR };

struct tab_rule_info {
	const char *name; /* "excludes1", "code-first", ... (stored and printed) */
	enum tab_severity severity;
};
extern const struct tab_rule_info tab_rule_info[TAB_RULE_COUNT];
const char *tab_severity_name(enum tab_severity s);

struct tab_finding {
	uint8_t rule;		 /* enum tab_rule */
	uint8_t severity;	 /* enum tab_severity (use-additional: warning or info) */
	uint8_t where, pos;	 /* the code the finding is about (enum claim_where);
				  * CLAIM_AT_CLAIM for the claim as a whole (no POA at all) */
	uint8_t where2, pos2;	 /* the other code of a pair; where2 = CLAIM_AT_CLAIM when none */
	char note_code[8];	 /* where the note is written: a code, or a section or
				  * chapter range "V00-V99" ("" when the rule is a guideline's) */
	int64_t note_release_id; /* the release of that note (0 when none) */
	char message[240]; /* one line for a coder: codes and the note's words, no patient data */
};

#define TAB_MAX_FINDINGS 128

struct tab_result {
	int n;
	int truncated;
	struct tab_finding f[TAB_MAX_FINDINGS];
};

typedef struct tabular_tables tabular_tables;

/* Reads the notes of every ICD-10-CM release with a Tabular List and the
 * POA-exempt lists (none when their table is absent). */
int tabular_tables_load(mrt_db *db, tabular_tables **out, mrt_err *err);
void tabular_tables_free(tabular_tables *t);

/* Checks one claim; cm is the ICD-10-CM code set in effect on its
 * discharge date (NULL: the code-set rules are skipped). The notes are
 * those of the newest release with Tabular List notes that starts on or
 * before the discharge date (the earliest one for an earlier date); the
 * POA-exempt list is that of the discharge date's fiscal year (the
 * nearest loaded year outside them). Pure. */
void tabular_check(const tabular_tables *t, const codes_lookup *cm, const struct claim *c,
		   struct tab_result *out);

#endif
