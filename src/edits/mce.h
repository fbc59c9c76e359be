/*
 * The Medicare Code Editor: the CMS MCE 2.0 edits over one claim, each a
 * small pure function (one file per edit family, listed in one table in
 * mce_edits.c), over code lists loaded from the CMS "Definitions of
 * Medicare Code Edits" into dated releases (mce_tables.c). Names are the
 * CMS Java component's edit names; counts follow its rules (one entry per
 * code occurrence that carries an edit; principal-dx and claim edits at
 * most once).
 *
 * The hot path allocates nothing: tables and code sets are loaded once
 * and shared read-only; a result is a fixed array in the caller's memory.
 */
#ifndef MRT_EDITS_MCE_H
#define MRT_EDITS_MCE_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "codes/lookup.h"
#include "edits/claim.h"
#include "store/db.h"

/* Every edit CMS's component names, in the order of its enum. */
enum mce_edit {
	MCE_INVALID_CODE,
	MCE_E_CODE_AS_PDX,
	MCE_DUPLICATE_OF_PDX,
	MCE_AGE_CONFLICT,
	MCE_SEX_CONFLICT,
	MCE_MANIFESTATION_AS_PDX,
	MCE_NONSPECIFIC_PDX,
	MCE_QUESTIONABLE_ADMISSION,
	MCE_QUESTIONABLE_OBSTETRIC_ADMISSION,
	MCE_UNACCEPTABLE_PDX,
	MCE_REQUIRES_SDX,
	MCE_NONSPECIFIC_OR,
	MCE_NON_COVERED,
	MCE_OPEN_BIOPSY,
	MCE_BILATERAL,
	MCE_INVALID_AGE,
	MCE_INVALID_SEX,
	MCE_INVALID_DISCHARGE_STATUS,
	MCE_LIMITED_COVERAGE,
	MCE_WRONG_PROCEDURE_PERFORMED,
	MCE_INCONSISTENT_WITH_LENGTH_OF_STAY,
	MCE_UNSPECIFIED,
	MCE_INVALID_POA,
	MCE_INVALID_ADMIT_DX,
	MCE_TYPE_OF_AGE_CONFLICT,
	MCE_MEDICARE_IS_SECONDARY_PAYER,
	MCE_EDIT_COUNT
};

struct mce_edit_info {
	const char *name;    /* "INVALID_CODE" */
	const char *source;  /* the edit's number in the CMS definitions: "1", "8B", "9" */
	const char *message; /* one line for a coder */
	int active;          /* raised for ICD-10 claims today */
};
extern const struct mce_edit_info mce_edit_info[MCE_EDIT_COUNT];

/* The code lists of the definitions, as membership bits of one code. */
enum mce_list {
	ML_NEWBORN,          /* 4A: age 0 only */
	ML_PEDIATRIC,        /* 4B: 0-17 */
	ML_MATERNITY,        /* 4C: 9-64 */
	ML_ADULT,            /* 4D: 15-124 */
	ML_SEX_FEMALE,       /* 5 (deactivated 2024-10-01; kept for older releases) */
	ML_SEX_MALE,
	ML_MANIFESTATION,    /* 6 */
	ML_QUESTIONABLE,     /* 8A */
	ML_CESAREAN,         /* 8B.1 (procedure) */
	ML_VAGINAL,          /* 8B.2 (procedure) */
	ML_OUTCOME_DELIVERY, /* 8B.3 */
	ML_UNACCEPTABLE_PDX, /* 9 */
	ML_REQUIRES_SDX,     /* 9, the asterisked code */
	ML_NONCOV_A,         /* 11A (procedure) */
	ML_NONCOV_B_PROC,    /* 11B pancreas transplant (procedure) */
	ML_NONCOV_B_KIDNEY,  /* 11B kidney transplant (procedure) */
	ML_NONCOV_B_DX,      /* 11B diagnoses list */
	ML_NONCOV_D_PROC,    /* 11D (procedure) */
	ML_NONCOV_D_DX,      /* 11D diagnoses */
	ML_NONCOV_F,         /* 11F (procedure), age > 60 */
	ML_NONCOV_G_PROC,    /* 11G (procedure) */
	ML_NONCOV_G_DX,      /* 11G: Z302 */
	ML_LIMITED_A,        /* 17A (procedure) */
	ML_WRONG_PROCEDURE,  /* 18 */
	ML_LOS_VENT,         /* 19 (procedure) */
	ML_UNSPECIFIED,      /* 20 */
	ML_COUNT
};
#define ML_BIT(l) (UINT32_C(1) << (l))

/* The stable name of a list in the database ("4A", "11B-kidney", ...). */
const char *mce_list_name(enum mce_list l);
int mce_list_parse(const char *name, enum mce_list *out);

/* Every loaded MCE release (the lists of each definitions version, with
 * the dates it covers), in memory. */
typedef struct mce_tables mce_tables;
typedef struct mce_rel mce_rel;

int mce_tables_load(mrt_db *db, mce_tables **out, mrt_err *err);
/* For tests and tools: the tables of a definitions text in memory (name is
 * used in error messages): its version, and the previous one rebuilt from
 * its chapter 2 when the text is not a fiscal year's first version. */
int mce_tables_from_text(mce_tables **out, const char *name, const void *text, size_t len,
                         mrt_err *err);
void mce_tables_free(mce_tables *t);
/* The release in effect on day. Before the earliest one: the earliest,
 * with *before_first = 1. After the last day any release covers: NULL. In
 * a gap between releases: the one before the gap. */
const mce_rel *mce_tables_on(const mce_tables *t, mrt_day day, int *before_first);
/* A release by version ("43.1"); NULL when not loaded. */
const mce_rel *mce_tables_find(const mce_tables *t, const char *version);
size_t mce_tables_count(const mce_tables *t);
const mce_rel *mce_tables_at(const mce_tables *t, size_t i);

const char *mce_rel_version(const mce_rel *r);
mrt_day mce_rel_from(const mce_rel *r);
mrt_day mce_rel_to(const mce_rel *r);
/* The lists a code (undotted, upper-case) is on: ML_BIT()s, 0 when none. */
uint32_t mce_rel_lists(const mce_rel *r, const char *code);
/* Whether a UB-04 discharge status (2 characters) is valid on day. */
int mce_rel_status_valid(const mce_rel *r, const char *status, mrt_day day);

/* The code sets an edit needs: ICD-10-CM and ICD-10-PCS releases by date. */
struct mce_codeset {
	mrt_day from, to;
	const codes_lookup *cm;  /* NULL when no CM release covers the dates */
	const codes_lookup *pcs;
	int64_t cm_release_id, pcs_release_id;
	char cm_version[16], pcs_version[16];
};

struct mce_ctx {
	const mce_tables *tables;
	const struct mce_codeset *sets; /* ordered by date */
	size_t nsets;
	const mce_rel *forced;          /* --release: every claim against this one */
};

enum mce_status { MCE_STATUS_NONE, MCE_STATUS_PREPAYMENT, MCE_STATUS_INVALID_DISCHARGE_DATE };
const char *mce_status_name(enum mce_status s);

struct mce_hit {
	uint8_t edit;  /* enum mce_edit */
	uint8_t where; /* enum claim_where */
	uint8_t pos;
};

#define MCE_MAX_HITS 256

struct mce_result {
	enum mce_status status;
	int before_first;            /* edited with the earliest release's lists */
	int no_codeset;              /* no code set covers the date: codes not checked */
	const mce_rel *rel;          /* NULL for INVALID_DISCHARGE_DATE */
	const struct mce_codeset *set;
	int n;
	int truncated;
	struct mce_hit hit[MCE_MAX_HITS];
};

/* Edits one claim. Pure: reads only ctx and c. */
void mce_check(const struct mce_ctx *ctx, const struct claim *c, struct mce_result *out);

#endif
