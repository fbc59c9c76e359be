/*
 * Mandated reports, the pure rules (see mandated.h). The due dates below
 * are built-in starting points, not law: statutes differ by state and
 * disease, so a site sets its own per kind and jurisdiction (`mrt mandated
 * due-set`), and the filer sets --due whenever a case asks for something
 * else.
 */
#include <string.h>

#include "privacy/mandated.h"

const struct mandated_kind_info mandated_kinds[MANDATED_KIND_COUNT] = {
	[MANDATED_CHILD_ABUSE] = { "child-abuse", "suspected child abuse or neglect", "public_health",
	                           "164.512(b)(1)(ii)", 2, 0, 0,
	                           "written follow-up 48 hours after filing" },
	[MANDATED_ELDER_ABUSE] = { "elder-abuse", "suspected elder or dependent-adult abuse",
	                           "public_health", "164.512(c)", 2, 0, 0,
	                           "written follow-up 48 hours after filing" },
	[MANDATED_DOMESTIC_VIOLENCE] = { "domestic-violence", "domestic violence", "public_health",
	                                 "164.512(c)", 2, 0, 0,
	                                 "written report 2 days after filing" },
	[MANDATED_DISEASE] = { "reportable-disease", "reportable disease", "public_health",
	                       "164.512(b)(1)(i)", 7, 0, 0,
	                       "7 days after filing (the jurisdiction's list may say sooner)" },
	[MANDATED_WOUND] = { "wound", "gunshot or stab wound", "legal", "164.512(f)(1)(i)", 1, 0, 0,
	                     "the next day (most statutes say immediately)" },
	[MANDATED_CANCER_REGISTRY] = { "cancer-registry", "cancer registry abstract", "public_health",
	                               "164.512(b)(1)(i)", 0, 6, 1,
	                               "6 months after diagnosis (the encounter's date)" },
};

int mandated_kind_parse(const char *name)
{
	for (int i = 0; name && i < MANDATED_KIND_COUNT; i++)
		if (strcmp(mandated_kinds[i].name, name) == 0)
			return i;
	return -1;
}

static int month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

mrt_day mandated_add_months(mrt_day day, int months)
{
	int y, m, d;
	mrt_date_to_ymd(day, &y, &m, &d);
	int total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	return mrt_date_from_ymd(y, m, d);
}

mrt_day mandated_due(enum mandated_kind kind, const struct mandated_due_rule *r, mrt_day filed,
                     mrt_day diagnosis)
{
	const struct mandated_kind_info *k = &mandated_kinds[kind];
	struct mandated_due_rule built_in = { k->due_days, k->due_months };
	if (!r)
		r = &built_in;
	mrt_day start = k->from_diagnosis && diagnosis ? diagnosis : filed;
	return mandated_add_months(start, r->months) + r->days;
}

mrt_day mandated_default_due(enum mandated_kind kind, mrt_day filed, mrt_day diagnosis)
{
	return mandated_due(kind, NULL, filed, diagnosis);
}

const char *mandated_check_informed(const char *informed, const char *reason)
{
	int has_reason = reason && *reason;
	if (!informed)
		return has_reason ? "--withheld-reason goes with --patient-informed withheld" : NULL;
	if (strcmp(informed, "withheld") == 0)
		return has_reason ? NULL
		                  : "--patient-informed withheld needs --withheld-reason (164.512(c)(2): "
		                    "informing would place the patient at risk of serious harm, or would "
		                    "inform a representative believed responsible)";
	if (strcmp(informed, "yes") != 0 && strcmp(informed, "no") != 0)
		return "--patient-informed must be yes, no or withheld";
	return has_reason ? "--withheld-reason goes with --patient-informed withheld" : NULL;
}

int mandated_status_next(const char *from, const char *to)
{
	return (strcmp(from, "draft") == 0 && strcmp(to, "submitted") == 0) ||
	       (strcmp(from, "submitted") == 0 && strcmp(to, "acknowledged") == 0);
}

int mandated_overdue(const char *status, mrt_day due, mrt_day today)
{
	return strcmp(status, "draft") == 0 && due < today;
}
