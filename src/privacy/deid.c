/*
 * The pure Safe Harbor value rules (see deid.h): year of a date, age in
 * whole years with "90+" above 89, days between two dates, ZIP3.
 */
#include <stdint.h>
#include <string.h>

#include "base/date.h"
#include "privacy/deid.h"

void deid_year(char out[5], const char *s)
{
	mrt_day day;
	out[0] = '\0';
	if (mrt_date_parse_lead(&day, s) != 0)
		return;
	memcpy(out, s, 4);
	out[4] = '\0';
}

int deid_age(const char *birth, const char *at)
{
	mrt_day b, a;
	if (mrt_date_parse_lead(&b, birth) != 0 || mrt_date_parse_lead(&a, at) != 0 || a < b)
		return -1;
	return mrt_date_age(b, a);
}

void deid_age_text(char out[DEID_AGE_LEN], int age)
{
	out[0] = '\0';
	if (age < 0)
		return;
	if (age > DEID_AGE_MAX) {
		memcpy(out, "90+", 4);
		return;
	}
	/* 0..89: at most two digits */
	int n = 0;
	if (age >= 10)
		out[n++] = (char)('0' + age / 10);
	out[n++] = (char)('0' + age % 10);
	out[n] = '\0';
}

int deid_days(const char *from, const char *to)
{
	mrt_day f, t;
	if (mrt_date_parse_lead(&f, from) != 0 || mrt_date_parse_lead(&t, to) != 0 || t < f)
		return -1;
	return (int)(t - f);
}

/* Minutes since 1970 of "YYYY-MM-DDTHH:MM..." (negative before 1970);
 * -1 when s is not one. */
static int lead_minutes(int64_t *out, const char *s)
{
	mrt_day day;
	if (mrt_date_parse_lead(&day, s) != 0 || strlen(s) < 16 || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':')
		return -1;
	const char *t = s + 11;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (t[i] < '0' || t[i] > '9'))
			return -1;
	int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
	if (h > 23 || m > 59)
		return -1;
	*out = (int64_t)day * 1440 + h * 60 + m;
	return 0;
}

int deid_hours(const char *from, const char *to)
{
	int64_t f, t;
	if (lead_minutes(&f, from) != 0 || lead_minutes(&t, to) != 0 || t < f)
		return -1;
	return (int)((t - f) / 60);
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

void deid_zip3_of(char out[4], const struct deid_zip3 *z, const char *postal)
{
	out[0] = '\0';
	if (!postal)
		return;
	size_t n = strlen(postal);
	int us = (n == 5 && digits(postal, 5)) ||
		 (n == 9 && digits(postal, 9)) ||
		 (n == 10 && digits(postal, 5) && postal[5] == '-' && digits(postal + 6, 4));
	if (!us)
		return;
	int prefix = (postal[0] - '0') * 100 + (postal[1] - '0') * 10 + (postal[2] - '0');
	if (z && z->restricted[prefix]) {
		memcpy(out, "000", 4);
		return;
	}
	memcpy(out, postal, 3);
	out[3] = '\0';
}
