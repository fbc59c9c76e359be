/*
 * Code-set releases: (system, version, effective from, effective to).
 * version is the fiscal year ("2026") or an April update ("2026-04").
 * Fiscal year YYYY runs (YYYY-1)-10-01 .. YYYY-09-30; when an April update of
 * the same year exists, the October release ends on 03-31 and the April one
 * runs 04-01 .. 09-30. An encounter is coded against the release in effect
 * on its discharge date.
 */
#ifndef MRT_CODES_RELEASE_H
#define MRT_CODES_RELEASE_H

#include <stdint.h>

#include "base/date.h"
#include "store/db.h"

#define CODES_SYS_CM "icd10cm"
#define CODES_SYS_PCS "icd10pcs"

struct codes_release {
	int64_t id;
	char system[16];
	char version[16];
	char effective_from[MRT_DATE_LEN];
	char effective_to[MRT_DATE_LEN];
	int64_t codes;    /* every row, headers included */
	int64_t billable; /* valid for reporting */
};

/* 1 when s is "icd10cm" or "icd10pcs". */
int codes_system_valid(const char *s);
/* Parses "YYYY" (*april = 0) or "YYYY-04" (*april = 1). 0 or MRT_EINVAL. */
int codes_version_parse(const char *version, int *fy, int *april);
/* The effective dates of a version; has_april says whether the same fiscal
 * year has an April update (which cuts the October release short). */
int codes_release_dates(const char *version, int has_april, mrt_day *from, mrt_day *to);

/* Finds (system, version); MRT_ENOTFOUND when absent. Counts filled. */
int codes_release_find(mrt_db *db, const char *system, const char *version,
                       struct codes_release *out, mrt_err *err);
/* The release of system in effect on day; MRT_ENOTFOUND when none. */
int codes_release_on(mrt_db *db, const char *system, mrt_day day, struct codes_release *out,
                     mrt_err *err);
/* The same without the counts (cheap: for checking codes one by one):
 * the release's id and version; MRT_ENOTFOUND when none. */
int codes_release_id_on(mrt_db *db, const char *system, mrt_day day, int64_t *id,
                        char version[16], mrt_err *err);
/* The newest release of system that started on or before day (for a day
 * past the last loaded release); MRT_ENOTFOUND when none. */
int codes_release_newest_by(mrt_db *db, const char *system, mrt_day day, struct codes_release *out,
                            mrt_err *err);
/* Creates the release when missing (and re-dates the other release of the
 * same fiscal year); *created says whether it was new. */
int codes_release_ensure(mrt_db *db, const char *system, const char *version, const char *user,
                         int64_t *id, int *created, mrt_err *err);
/* Every release, ordered by system then effective date; *out is malloc'ed
 * (free()), *n its length. */
int codes_release_list(mrt_db *db, struct codes_release **out, size_t *n, mrt_err *err);

#endif
