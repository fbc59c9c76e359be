/*
 * Internals of the de-identified export (see export_deid.h): the output
 * files, the streaming pass over the chart (export_deid_rows.c) and the
 * files' writing, manifest and README (export_deid_out.c).
 */
#ifndef MRT_SERVICE_EXPORT_DEID_INT_H
#define MRT_SERVICE_EXPORT_DEID_INT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "base/date.h"
#include "privacy/deid.h"
#include "service/export_deid.h"

enum xd_file {
	XD_PATIENTS,
	XD_ENCOUNTERS,
	XD_DIAGNOSES,
	XD_PROCEDURES,
	XD_TRANSFERS,
	XD_SERVICES,
	XD_DRGS,
	XD_NFILES
};

struct xd_file_info {
	const char *name;       /* "patients.csv" */
	const char *header[2];  /* [0] safe harbor, [1] limited data set */
};
extern const struct xd_file_info xd_files[XD_NFILES];

#define XD_SURROGATE_LEN 25 /* 12 random bytes as hex + NUL */

struct xd_out {
	char tmp[4096], final[4096];
	FILE *f;
	int64_t rows;
};

struct xd {
	mrt_session *s;
	mrt_db *db;
	int limited;
	const struct deid_zip3 *zip3;   /* safe harbor */
	char today[MRT_DATE_LEN];       /* the extract's date */
	struct xd_out out[XD_NFILES];
	struct xd_out manifest, readme;
	int64_t withheld;               /* limited: patients left out (Part 2) */
	int64_t extract_id;
	/* the patient being written */
	char birth[MRT_DATE_LEN];
	int aged;                        /* birth year indicates an age over 89 */
	int keep;
	char psur[XD_SURROGATE_LEN];
};

/* Streams every patient with their rows into the open files. */
int xd_stream(struct xd *x, mrt_err *err);

/* Files: open each as a temporary (0600) in dir, close (flush, fsync),
 * rename into place, discard on failure. */
int xd_open(struct xd_out *o, const char *dir, const char *name, mrt_err *err);
int xd_close(struct xd_out *o, mrt_err *err);
int xd_rename(struct xd_out *o, mrt_err *err);
void xd_discard(struct xd_out *o);

/* One CSV row of n fields (NULL = empty), RFC 4180 quoting. */
int xd_row(struct xd_out *o, const char *const *v, int n, mrt_err *err);

/* The manifest object (method, fields, ZIP3 list, counts, warning) and the
 * README text made from it; both written to their open files. */
json_t *xd_manifest(const struct xd *x, const struct export_deid_opts *o);
int xd_write_docs(struct xd *x, const json_t *manifest, mrt_err *err);

#endif
