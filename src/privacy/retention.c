/*
 * Request clocks and the retention period (see retention.h). The
 * retention defaults themselves live in the database (table
 * retention_class), set by the site; this file only computes with them.
 */
#include <stddef.h>

#include "privacy/retention.h"

mrt_day retention_add_years(mrt_day day, int years)
{
	int y, m, d;
	mrt_date_to_ymd(day, &y, &m, &d);
	y += years;
	if (m == 2 && d == 29 && !mrt_date_valid_ymd(y, m, d))
		d = 28;
	return mrt_date_from_ymd(y, m, d);
}

int retention_age(mrt_day birth, mrt_day on)
{
	return mrt_date_age(birth, on);
}

mrt_day retention_request_due(enum request_kind kind, mrt_day received, int extended)
{
	int days = kind == REQUEST_ACCESS ? REQUEST_ACCESS_DAYS : REQUEST_AMENDMENT_DAYS;
	return received + days + (extended ? REQUEST_EXTENSION_DAYS : 0);
}

const char *retention_request_may_extend(int already_extended, const char *reason,
                                         mrt_day due, mrt_day today)
{
	if (already_extended)
		return "the request was extended already: the rule allows one 30-day extension";
	if (!reason || !*reason)
		return "an extension needs the written reason given to the patient (--reason)";
	if (today > due)
		return "the deadline has passed: an extension must be given within the first period";
	return NULL;
}

void retention_until(struct retention_result *r, const struct retention_rule *adult,
                     const struct retention_rule *minor, const struct retention_facts *f)
{
	r->known = f->last_discharge != 0;
	r->minor = 0;
	r->age_assumed = !f->has_birth;
	r->until = 0;
	if (!r->known)
		return;
	if (f->has_birth && retention_age(f->birth, f->last_discharge) < f->majority_age)
		r->minor = 1;
	const struct retention_rule *rule = r->minor ? minor : adult;
	r->until = retention_add_years(f->last_discharge, rule->years_after_discharge);
	if (r->minor) {
		mrt_day grown = retention_add_years(f->birth, f->majority_age + rule->years_after_majority);
		if (grown > r->until)
			r->until = grown;
	}
}
