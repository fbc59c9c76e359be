/*
 * One code as coders see it: titles, billable flag, chapter (CM) or section
 * (PCS), the chain of headers above it, its billable children when it is a
 * header, and its notes (through codetext).
 */
#ifndef MRT_CODES_SHOW_H
#define MRT_CODES_SHOW_H

#include <jansson.h>

#include "codes/release.h"
#include "store/db.h"

/* Normalizes a code as typed (dots and blanks removed, upper case) into
 * out (8 bytes); MRT_EINVAL when it cannot be a code. */
int codes_normalize(const char *in, char out[8]);
/* "E11.A" style for CM (dot after 3 characters), the code itself for PCS. */
void codes_dotted(const char *system, const char *code, char out[16]);

/* The chapter of a CM code from the official chapter ranges, or the section
 * of a PCS code: a new {number, title, range} object, or NULL. */
json_t *codes_chapter_json(const char *system, const char *code);

/* 1 when code exists in release r. */
int codes_exists(mrt_db *db, const struct codes_release *r, const char *code, mrt_err *err);
/* The show object of code in release r; MRT_ENOTFOUND when absent. */
int codes_show_json(mrt_db *db, const struct codes_release *r, const char *code, json_t **out,
                    mrt_err *err);
/* The releases (any system) that have code: a new array of {system,
 * version, effective_from, effective_to}. */
int codes_where_json(mrt_db *db, const char *code, json_t **out, mrt_err *err);

#endif
