/*
 * Comparing two codings of one encounter (a coding audit): the coder's, as
 * audited, against a reviewer's blind coding, which is taken as the
 * reference. Pure: no database, no allocation.
 *
 * Principal diagnosis: the same code or not. All diagnoses (principal and
 * secondary, as sets of distinct codes): how many both coded, precision
 * (share of the coder's codes the reviewer also coded), recall (share of
 * the reviewer's codes the coder also coded) and Jaccard (both / either);
 * a code both coded with a different POA indicator is a POA difference.
 * Procedures the same way. The disagreements are listed: a code only the
 * reviewer coded is "missing", one only the coder coded is "extra", and a
 * missing and an extra code of the same category (first three characters)
 * are paired as "different" (e.g. I10 coded where I11.0 belongs).
 */
#ifndef MRT_CHART_CODING_COMPARE_H
#define MRT_CHART_CODING_COMPARE_H

#include <stdint.h>

#define CC_CODE_MAX 8 /* an undotted ICD-10 code and its NUL */
#define CC_MAX_DX 64
#define CC_MAX_PX 64
#define CC_MAX_DIFF 160

struct cc_dx {
	char code[CC_CODE_MAX]; /* undotted, upper-case; "" when absent */
	char poa[4];		/* "Y", "N", "U", "W", "1" or "" */
};

struct cc_coding {
	struct cc_dx pdx;
	int nsdx;
	struct cc_dx sdx[CC_MAX_DX];
	int npx;
	char px[CC_MAX_PX][CC_CODE_MAX];
};

enum cc_diff_kind {
	CC_DIFF_PDX,	   /* the principal diagnoses differ */
	CC_DIFF_MISSING,   /* the reviewer coded it, the coder did not */
	CC_DIFF_EXTRA,	   /* the coder coded it, the reviewer did not */
	CC_DIFF_DIFFERENT, /* the same category coded to different codes */
	CC_DIFF_POA,	   /* both coded it, with different POA indicators */
};
const char *cc_diff_kind_name(enum cc_diff_kind k);

struct cc_diff {
	uint8_t kind;			    /* enum cc_diff_kind */
	uint8_t px;			    /* 1 for a procedure */
	char coder[CC_CODE_MAX];	    /* the coder's code ("" for missing) */
	char reviewer[CC_CODE_MAX];	    /* the reviewer's code ("" for extra) */
	char coder_poa[4], reviewer_poa[4]; /* for CC_DIFF_POA */
};

struct cc_result {
	int pdx_agree;
	int dx_coder, dx_reviewer, dx_both; /* distinct codes */
	int poa_diff;
	int px_coder, px_reviewer, px_both;
	int ndiff;
	int truncated; /* more disagreements than CC_MAX_DIFF */
	struct cc_diff diff[CC_MAX_DIFF];
};

void cc_compare(const struct cc_coding *coder, const struct cc_coding *reviewer,
		struct cc_result *out);
/* Every diagnosis set equal (with POA) and every procedure equal. */
int cc_dx_agree(const struct cc_result *r);
int cc_px_agree(const struct cc_result *r);

/* Sums over the audited items of one coder (or all). */
struct cc_tally {
	long items;
	long pdx_agree;
	long dx_coder, dx_reviewer, dx_both, dx_items_agree, poa_diff;
	long px_coder, px_reviewer, px_both, px_items_agree;
	long edits_items, edits_items_agree; /* items whose two claims were edited */
	long edits_coder, edits_reviewer;    /* MCE edits raised, in all */
};
void cc_tally_add(struct cc_tally *t, const struct cc_result *r);
/* The MCE edits of one item: how many each version raised and whether
 * the two lists are the same. */
void cc_tally_edits(struct cc_tally *t, int coder_edits, int reviewer_edits, int same);

/* num / den, or -1 when den is 0 (nothing to measure). */
double cc_ratio(long num, long den);
/* both / (a + b - both), or -1 when both sets are empty. */
double cc_jaccard(long both, long a, long b);

#endif
