/*
 * mrt export deid: research extracts of the whole chart as CSV files.
 *
 * --method safe-harbor (HIPAA 164.514(b)(2)): the 18 identifiers removed
 * or generalised - no names, MRNs, account numbers, identifiers, contact
 * details, street or city; ZIP codes cut to three digits ("000" for the
 * restricted prefixes of the dated list in share/deid); every date cut to
 * its year; ages over 89 given as "90+" and the birth year of such a
 * patient dropped; free text (document text and titles, encounter reasons,
 * code titles) left out. Coded data stays.
 *
 * --method limited (164.514(e)): a limited data set under an active data
 * use agreement (dua_svc.h): dates, town or city, state, ZIP code and ages
 * kept; the 16 direct identifiers of 164.514(e)(2) removed. Patients whose
 * record may not be disclosed without an authorization (42 CFR Part 2) are
 * left out and counted.
 *
 * Either way every patient and encounter gets a surrogate id drawn at
 * random for this extract (libsodium randombytes), not derived from any
 * identifier; the mapping is never written. The files are streamed (rows
 * are read in patient order and written as they come), each to a temporary
 * name renamed into place after the commit; a manifest.json and README.txt
 * state the method, what each field became, the ZIP3 list, the counts and
 * the warning of 164.514(b)(2)(ii). The extract is recorded in table
 * deid_extract (linked to its agreement) with one audit event holding the
 * counts.
 *
 * Access: ACCESS_EXPORT_DEID / ACCESS_EXPORT_LIMITED (privacy/access.c).
 */
#ifndef MRT_SERVICE_EXPORT_DEID_H
#define MRT_SERVICE_EXPORT_DEID_H

#include <stdint.h>

#include <jansson.h>

#include "mrt/error.h"
#include "service/session.h"

enum export_deid_method { EXPORT_DEID_SAFE_HARBOR, EXPORT_DEID_LIMITED };

struct export_deid_opts {
	enum export_deid_method method;
	const char *out_dir;   /* created (0700) if missing */
	int64_t dua_id;        /* limited: the agreement */
	const char *zip3_file; /* a restricted-ZIP3 list to use, or NULL */
	const char *zip3_dir;  /* else the newest list in effect here */
};

/* *report: {"extract", "method", "out", "extract_date", "dua", "zip3_list":
 * {"file", "effective", "source", "prefixes"}, "files": {name: rows},
 * "patients_withheld"}. */
int export_deid(mrt_session *s, const struct export_deid_opts *o, json_t **report,
		mrt_err *err);

/* "safe-harbor" | "limited" -> method; -1 for anything else. */
int export_deid_method_parse(const char *name);

#endif
