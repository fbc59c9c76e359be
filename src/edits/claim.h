/*
 * One claim as the code editor sees it: the fields of an inpatient claim
 * that the CMS Medicare Code Editor and the tabular rules read, in fixed
 * arrays (no allocation), so that millions of claims can be edited from
 * memory. Codes are kept undotted and upper-case as read; a code that is
 * not a valid ICD-10 code is kept as given (the INVALID_CODE edit names it).
 *
 * Limits follow the 837I: a principal diagnosis, an admitting diagnosis,
 * 24 other diagnoses and 25 procedures. A claim with more is refused by
 * its reader (an error for that claim, never a silent cut).
 */
#ifndef MRT_EDITS_CLAIM_H
#define MRT_EDITS_CLAIM_H

#include <stdint.h>

#include "base/date.h"

#define CLAIM_ID_MAX 64
#define CLAIM_CODE_MAX 16 /* longest code kept, with its NUL; a longer one is refused */
#define CLAIM_MAX_SDX 24
#define CLAIM_MAX_PROC 25

struct claim_dx {
	char code[CLAIM_CODE_MAX]; /* undotted, upper-case; "" when absent */
	char poa[4];               /* as given ("Y", "N", "U", "W", "1", "", or anything else) */
};

struct claim_proc {
	char code[CLAIM_CODE_MAX];
	mrt_day date; /* 0 when not given */
};

struct claim {
	char id[CLAIM_ID_MAX];
	mrt_day discharge;  /* 0 when absent */
	mrt_day admit;      /* 0 when absent */
	int age;            /* years; may be out of range (INVALID_AGE) */
	char sex;           /* 'M', 'F', 'U'; anything else is an invalid sex */
	char status[3];     /* UB-04 patient discharge status, 2 characters */
	int los;            /* days */
	int has_admit_dx;
	struct claim_dx pdx;
	struct claim_dx admit_dx;
	int nsdx;
	struct claim_dx sdx[CLAIM_MAX_SDX];
	int nproc;
	struct claim_proc proc[CLAIM_MAX_PROC];
};

/* Where a code sits on a claim; pos is 0-based within sdx and proc. */
enum claim_where { CLAIM_AT_CLAIM, CLAIM_AT_PDX, CLAIM_AT_SDX, CLAIM_AT_PROC, CLAIM_AT_ADMIT };

/* The code at (where, pos), or "" for CLAIM_AT_CLAIM. */
const char *claim_code_at(const struct claim *c, int where, int pos);

#endif
