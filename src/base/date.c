/*
 * ISO dates as day numbers (Howard Hinnant's days_from_civil algorithm).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "base/date.h"
#include "mrt/error.h"

mrt_day mrt_date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (mrt_day)(era * 146097 + (int)doe - 719468);
}

void mrt_date_to_ymd(mrt_day z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

int mrt_date_valid_ymd(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int max = mdays[m - 1] + (m == 2 && leap);
	return d <= max;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int mrt_date_parse(mrt_day *out, const char *s)
{
	int y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return MRT_EPARSE;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return MRT_EPARSE;
	if (!mrt_date_valid_ymd(y, m, d))
		return MRT_EPARSE;
	*out = mrt_date_from_ymd(y, m, d);
	return 0;
}

int mrt_date_parse_lead(mrt_day *out, const char *s)
{
	char d[MRT_DATE_LEN];
	if (!s || strlen(s) < 10)
		return MRT_EPARSE;
	memcpy(d, s, 10);
	d[10] = '\0';
	return mrt_date_parse(out, d);
}

void mrt_date_format(char out[MRT_DATE_LEN], mrt_day day)
{
	int y, m, d;
	mrt_date_to_ymd(day, &y, &m, &d);
	snprintf(out, MRT_DATE_LEN, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	         (unsigned)d % 100u);
}

int mrt_date_age(mrt_day birth, mrt_day on)
{
	int by, bm, bd, y, m, d;
	mrt_date_to_ymd(birth, &by, &bm, &bd);
	mrt_date_to_ymd(on, &y, &m, &d);
	int age = y - by;
	/* Not yet had this year's birthday: (2,28) < (2,29) holds, (3,1)
	 * does not. */
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

mrt_day mrt_date_today(void)
{
	mrt_day day;
	const char *fixed = getenv("MRT_TODAY");
	if (fixed && mrt_date_parse(&day, fixed) == 0)
		return day;
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return mrt_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void mrt_now_iso(char out[32])
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	time_t secs = tv.tv_sec;
	gmtime_r(&secs, &tm);
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u.%06luZ", (unsigned)(tm.tm_year + 1900) % 10000u,
	         (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
	         (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u,
	         (unsigned long)tv.tv_usec % 1000000ul);
}
