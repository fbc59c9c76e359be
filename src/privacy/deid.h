/*
 * The de-identification rules, as pure functions: what a value becomes in a
 * Safe Harbor extract (HIPAA 45 CFR 164.514(b)(2)) - dates cut to their
 * year, ages over 89 pooled as "90+", ZIP codes cut to their first three
 * digits with the sparsely populated prefixes replaced by "000" - and the
 * restricted-ZIP3 list, which is dated data (share/deid/restricted-zip3*.tsv)
 * so a newer census can replace it without a code change. The service
 * (service/export_deid.c) applies them; nothing here touches the database.
 */
#ifndef MRT_PRIVACY_DEID_H
#define MRT_PRIVACY_DEID_H

#include <stddef.h>

#include "mrt/error.h"

/* Ages above this are reported only as "90+" (164.514(b)(2)(i)(C)). */
#define DEID_AGE_MAX 89
#define DEID_AGE_LEN 8 /* "90+", or up to 3 digits, + NUL */

/* The year of an ISO date or timestamp ("YYYY-MM-DD...") as "YYYY" into
 * out (5 bytes); "" when s is NULL or does not start with a real date. */
void deid_year(char out[5], const char *s);

/* Whole years from birth to at (both "YYYY-MM-DD..."), or -1 when either
 * is not a date or at is before birth. Someone born on 29 February has a
 * birthday on 1 March in common years (the day after 28 February). */
int deid_age(const char *birth, const char *at);

/* age as text: "" when < 0 (unknown), "90+" when over DEID_AGE_MAX. */
void deid_age_text(char out[DEID_AGE_LEN], int age);

/* Whole days from one date to another (both "YYYY-MM-DD..."): length of
 * stay, an interval, not a date element. -1 when either is not a date or
 * to is before from. */
int deid_days(const char *from, const char *to);
/* Whole hours between two timestamps ("YYYY-MM-DDTHH:MM..." or with a
 * space for the T), -1 when either has no time or to is before from. */
int deid_hours(const char *from, const char *to);

/* The restricted three-digit ZIP prefixes: those whose geographic unit
 * (all ZIP codes sharing the prefix) holds 20,000 people or fewer by the
 * current census, per 164.514(b)(2)(i)(B). */
struct deid_zip3 {
	unsigned char restricted[1000]; /* 1 = prefix must become "000" */
	int count;
	char effective[11];             /* "YYYY-MM-DD" from the file header */
	char source[256];               /* the header's "source:" line */
	char path[1024];                /* the file it came from */
};

/* Parses a list: '#' comment lines, among them "# source: ..." and
 * "# effective: YYYY-MM-DD" (both required), one header line "zip3", then
 * one three-digit prefix per line (a tab and more columns may follow).
 * name is used in errors (file:line). */
int deid_zip3_parse(struct deid_zip3 *z, const char *text, size_t len, const char *name,
		    mrt_err *err);
/* Reads and parses one file. */
int deid_zip3_load(struct deid_zip3 *z, const char *path, mrt_err *err);
/* Loads, among the files restricted-zip3*.tsv in dir, the one with the
 * newest effective date on or before on ("YYYY-MM-DD"). */
int deid_zip3_pick(struct deid_zip3 *z, const char *dir, const char *on, mrt_err *err);

/* The ZIP3 of a postal code into out (4 bytes): the first three digits of
 * a US ZIP code (5 digits, optionally followed by "-dddd" or "dddd"),
 * "000" for a restricted prefix, "" for anything else (missing, short,
 * not digits, foreign): a code that cannot be generalised is dropped. */
void deid_zip3_of(char out[4], const struct deid_zip3 *z, const char *postal);

#endif
