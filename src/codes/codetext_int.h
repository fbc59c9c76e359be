/*
 * Internals shared by the code-text files (loaders, full-text index, notes,
 * search, index navigation).
 */
#ifndef MRT_CODES_CODETEXT_INT_H
#define MRT_CODES_CODETEXT_INT_H

#include <stdint.h>

#include "codes/codetext.h"

struct ct_release {
	int64_t id;
	char system[16];
	char version[16];
	char effective_from[16];
};

int ct_release_get(mrt_db *db, int64_t id, struct ct_release *out, mrt_err *err);
/* Checks a file's own <version> against the release (a "2025" file belongs
 * to "2025" and "2025-04"). */
int ct_check_version(const struct ct_release *r, const char *file, const char *version,
		     mrt_err *err);
/* The newest release of r's system effective no later than r (r itself
 * first) whose rows exist in the given source ("notes": code_note,
 * "index"/"neoplasm"/...: index_term of that kind, "pcs": PCS index);
 * *found = 0 when none. */
int ct_source_release(mrt_db *db, const struct ct_release *r, const char *source,
		      struct ct_release *out, int *found, mrt_err *err);
/* Folds text for keys and search: lower case, accents removed, runs of
 * other characters as one space. malloc'ed; NULL when out of memory. */
char *ct_fold(const char *s);
/* "E119" -> "E11.9" for ICD-10-CM (PCS codes have no dot). */
void ct_dotted(char *out, size_t cap, const char *system, const char *code);

#endif
