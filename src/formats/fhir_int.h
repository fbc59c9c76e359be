/*
 * Internals shared by the FHIR mapper's files: the mapping state and the
 * small element readers (fhir_map.c), the per-type mappers (fhir_res.c).
 */
#ifndef MRT_FORMATS_FHIR_INT_H
#define MRT_FORMATS_FHIR_INT_H

#include <stdarg.h>

#include "formats/fhir.h"

struct fm {
	mrt_arena *a;
	const fhir_reader *r;
	const char *type; /* resourceType, for reasons */
	char *reason;
	size_t reason_size;
	int rejected, nomem;
};

const char *fm_str(const json_t *o, const char *key);
int fm_opt_str(struct fm *m, const json_t *o, const char *key, const char **out);
int fm_reject(struct fm *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int fm_date(struct fm *m, const char *s, const char *path, const char **out);
const char *fm_join(struct fm *m, const json_t *arr, size_t from, const char *sep);
char *fm_strndup(struct fm *m, const char *s, size_t n);
int fm_codeable(struct fm *m, const json_t *cc, struct fhir_codeable *out);
const char *fm_cc_code(const json_t *cc);
int fm_ref(struct fm *m, const json_t *o, const char *path, const char *want, int required,
	   struct fhir_ref *out);

int fm_practitioner(struct fm *m, const json_t *res, struct fhir_res *out);
int fm_patient(struct fm *m, const json_t *res, struct fhir_res *out);
int fm_encounter(struct fm *m, const json_t *res, struct fhir_res *out);
int fm_condition(struct fm *m, const json_t *res, struct fhir_res *out);
int fm_procedure(struct fm *m, const json_t *res, struct fhir_res *out);
int fm_document(struct fm *m, const json_t *res, struct fhir_res *out);

#endif
