/*
 * Code text use cases: search the code sets and navigate the alphabetic
 * index (any signed-in user). Each records its audit event before
 * returning what it read.
 */
#ifndef MRT_SERVICE_CODETEXT_SVC_H
#define MRT_SERVICE_CODETEXT_SVC_H

#include <jansson.h>

#include "service/session.h"

struct codetext_search_req {
	const char *text;
	const char *date;   /* YYYY-MM-DD, NULL = today */
	const char *system; /* NULL = every system */
	int limit;          /* 0 = 20 */
};

/* *out = ranked array of matches (see codetext_search in codes/codetext.h). */
int codetext_svc_search(mrt_session *s, const struct codetext_search_req *q, json_t **out,
			mrt_err *err);

struct codetext_index_req {
	const char *term;
	const char *date;   /* NULL = today */
	const char *system; /* NULL = icd10cm */
	const char *table;  /* index|eindex|neoplasm|drug|pcs, NULL = chosen from the term */
};

/* *out = the index entry; MRT_ENOTFOUND with *out = {suggestions} when the
 * main term is unknown. */
int codetext_svc_index(mrt_session *s, const struct codetext_index_req *q, json_t **out,
		       mrt_err *err);

#endif
