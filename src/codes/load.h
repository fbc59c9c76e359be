/*
 * Loading code-set releases from the publishers' files: discovery (which
 * release and which kind of file each path is, plain or inside a CMS zip)
 * and the load itself (codes from the order file - or, without one, from
 * the PCS tables XML or the CM tabular XML - then the cross-checks against
 * the codes file, the addenda and the PCS tables, then the notes and
 * indexes through codetext). Idempotent by SHA-256 per file.
 */
#ifndef MRT_CODES_LOAD_H
#define MRT_CODES_LOAD_H

#include <stddef.h>

#include <jansson.h>

#include "store/db.h"

enum codes_kind {
	CK_ORDER,
	CK_PCS_TABLES,
	CK_TABULAR,
	CK_CODES,
	CK_ORDER_ADDENDA,
	CK_CODES_ADDENDA,
	CK_INDEX,
	CK_NEOPLASM,
	CK_DRUG,
	CK_EINDEX,
	CK_PCS_INDEX,
	CK_DEFINITIONS,
	CK_MCE_DEFS,     /* system "mce": a Definitions of Medicare Code Edits text */
	CK_MCE_DERIVED,  /* system "mce": share/mce/mce-fy2025-differences.tsv */
	CK_POA,          /* system "poa": a POA-exempt list (version = fiscal year) */
	CK_POA_ADD,
	CK_POA_DELETE,
	CK_POA_REVISE,
	CK__COUNT
};

const char *codes_kind_name(enum codes_kind k);

struct codes_file {
	char system[16];
	char version[16];
	enum codes_kind kind;
	int in_zip;
	char spec[4096]; /* "path" or "archive.zip#member" */
	char name[512];  /* what is recorded: "file" or "archive.zip#member" (no folders) */
};

/* Classifies one file name (no folders): 0 and system/version/kind set, or
 * MRT_ENOTFOUND. context (the path, may be NULL) and system (may be NULL)
 * settle names that do not say their system (PCS "order_addenda_2026.txt"). */
int codes_classify(const char *name, const char *context, const char *system, struct codes_file *f);

/* Finds the release files under paths (files, zips or folders). A path
 * named directly that is not a release file is an error; in folders,
 * other files are skipped. A plain file wins over the same zip member.
 * *out is malloc'ed (free()). */
int codes_discover(const char *const *paths, size_t n, const char *system, struct codes_file **out,
                   size_t *nout, mrt_err *err);

struct codes_load_opts {
	int replace;      /* replace a release loaded from other files */
	const char *user; /* recorded as loaded_by */
};

/* Loads the files, grouped by release, inside the caller's transaction.
 * *report is a JSON array with one object per release: {system, version,
 * action: loaded|added|unchanged|replaced, codes, billable, files: [...]}. */
int codes_load_files(mrt_db *db, const struct codes_file *files, size_t n,
                     const struct codes_load_opts *o, json_t **report, mrt_err *err);

/* MCE definitions and derived lists (system "mce") and POA-exempt lists
 * (system "poa"): each a release of its own, in the caller's transaction,
 * idempotent by SHA-256. Report objects as codes_load_files' ("codes" =
 * list memberships or exempt codes). load_mce.c, load_poa.c. */
int mce_load_files(mrt_db *db, const struct codes_file *files, size_t n,
                   const struct codes_load_opts *o, json_t *report, mrt_err *err);
/* The derived lists TSV of one period (load_mce_derived.c). */
int mce_derived_load(mrt_db *db, const struct codes_file *f, const struct codes_load_opts *o,
                     json_t *report, mrt_err *err);
int poa_load_files(mrt_db *db, const struct codes_file *files, size_t n,
                   const struct codes_load_opts *o, json_t *report, mrt_err *err);

#endif
