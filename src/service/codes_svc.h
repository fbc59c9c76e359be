/*
 * Code-set use cases: load releases (administrators), list releases, show a
 * code, compare two releases (any signed-in user). Each checks the session's
 * role and writes its audit event in the same transaction as its work.
 */
#ifndef MRT_SERVICE_CODES_SVC_H
#define MRT_SERVICE_CODES_SVC_H

#include <stddef.h>

#include <jansson.h>

#include "service/session.h"

struct codes_svc_load_req {
	const char *const *paths; /* files, zips, "zip#member" or folders */
	size_t npaths;
	const char *system;       /* for names that do not say their system */
	int replace;
};

/* Loads everything found under paths in one transaction; *report = array
 * of releases (see codes/load.h). Nothing changes on error. */
int codes_svc_load(mrt_session *s, const struct codes_svc_load_req *req, json_t **report,
                   mrt_err *err);

/* Array of {system, version, effective_from, effective_to, codes, billable}. */
int codes_svc_releases(mrt_session *s, json_t **out, mrt_err *err);

struct codes_show_req {
	const char *code;
	const char *date;   /* YYYY-MM-DD, NULL = today */
	const char *system; /* NULL = every system */
};

/* The code in the release in effect on the date. MRT_ENOTFOUND: *out =
 * {code, date, found_in:[releases that have it]}; MRT_EAMBIG: *out =
 * {code, date, matches:[...]} (several systems: ask for --system). */
int codes_svc_show(mrt_session *s, const struct codes_show_req *q, json_t **out, mrt_err *err);

int codes_svc_diff(mrt_session *s, const char *system, const char *va, const char *vb, int all,
                   json_t **out, mrt_err *err);

#endif
