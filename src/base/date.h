/*
 * ISO-8601 calendar dates as day numbers (days since 1970-01-01), so dates
 * compare and subtract as integers. Only the proleptic Gregorian calendar,
 * years 0001-9999.
 */
#ifndef MRT_BASE_DATE_H
#define MRT_BASE_DATE_H

#include <stdint.h>

typedef int32_t mrt_day;

#define MRT_DATE_LEN 11 /* "YYYY-MM-DD" + NUL */

/* Parses exactly "YYYY-MM-DD" (a real calendar date). 0 or MRT_EPARSE. */
int mrt_date_parse(mrt_day *out, const char *s);
/* The leading "YYYY-MM-DD" of a date or date-time ("2026-05-01T08:00"). 0 or MRT_EPARSE. */
int mrt_date_parse_lead(mrt_day *out, const char *s);
mrt_day mrt_date_from_ymd(int y, int m, int d);
void mrt_date_to_ymd(mrt_day day, int *y, int *m, int *d);
/* Writes "YYYY-MM-DD" into out (MRT_DATE_LEN bytes). */
void mrt_date_format(char out[MRT_DATE_LEN], mrt_day day);
int mrt_date_valid_ymd(int y, int m, int d);
/* Whole years from birth to on (on >= birth): one less before this year's
 * birthday. A 29 February birthday in a common year falls on 1 March. */
int mrt_date_age(mrt_day birth, mrt_day on);
/* Today in local time ($MRT_TODAY=YYYY-MM-DD overrides, for tests). */
mrt_day mrt_date_today(void);
/* Current UTC time as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (28 bytes incl. NUL). */
void mrt_now_iso(char out[32]);

#endif
