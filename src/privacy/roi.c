/*
 * Release of information: the pure rules (see roi.h). No database, no
 * clock of its own: the caller passes today, so the unit tests can walk
 * every boundary.
 */
#include <ctype.h>
#include <string.h>

#include "base/str.h"
#include "mrt/error.h"
#include "privacy/access.h"
#include "privacy/roi.h"

const char *const roi_item_names[ROI_ITEM_COUNT] = {
	[ROI_ITEM_DEMOGRAPHICS] = "demographics", [ROI_ITEM_ENCOUNTERS] = "encounters",
	[ROI_ITEM_DIAGNOSES] = "diagnoses",       [ROI_ITEM_PROCEDURES] = "procedures",
	[ROI_ITEM_DOCUMENTS] = "documents",       [ROI_ITEM_LABELS] = "labels",
};

const char *roi_items_help(void)
{
	return "demographics, encounters, diagnoses, procedures, documents, labels";
}

static int item_of(const char *s, size_t n)
{
	for (int i = 0; i < ROI_ITEM_COUNT; i++)
		if (strlen(roi_item_names[i]) == n && strncmp(roi_item_names[i], s, n) == 0)
			return i;
	return -1;
}

int roi_items_parse(unsigned *out, const char *list, char *bad, size_t bad_size)
{
	*out = 0;
	if (bad_size)
		bad[0] = '\0';
	const char *p = list ? list : "";
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *start = p;
		while (*p && *p != ',')
			p++;
		size_t n = (size_t)(p - start);
		while (n && start[n - 1] == ' ')
			n--;
		if (!n)
			continue;
		int k = item_of(start, n);
		if (k < 0) {
			if (bad_size) {
				size_t m = n < bad_size - 1 ? n : bad_size - 1;
				memcpy(bad, start, m);
				bad[m] = '\0';
			}
			return MRT_EINVAL;
		}
		*out |= 1u << k;
	}
	return *out ? 0 : MRT_EINVAL;
}

void roi_items_format(char *out, size_t size, unsigned items)
{
	size_t used = 0;
	if (!size)
		return;
	out[0] = '\0';
	for (int i = 0; i < ROI_ITEM_COUNT; i++) {
		if (!(items & (1u << i)))
			continue;
		size_t n = strlen(roi_item_names[i]);
		if (used + n + 2 > size)
			break;
		if (used)
			out[used++] = ',';
		memcpy(out + used, roi_item_names[i], n + 1);
		used += n;
	}
}

const char *const roi_kinds[] = {
	"request",        "patient",          "treatment",         "payment",
	"operations",     "emergency",        "public-health",     "mandated",
	"registry",       "law-enforcement",  "health-oversight",  "judicial",
	"legal",          "research",         "incidental",        "limited-data-set",
	"national-security", "correctional",  NULL,
};

int roi_kind_valid(const char *kind)
{
	for (const char *const *k = roi_kinds; kind && *k; k++)
		if (strcmp(*k, kind) == 0)
			return 1;
	return 0;
}

const char *roi_kind_default(int purpose)
{
	switch (purpose) {
	case PURPOSE_TREATMENT: return "treatment";
	case PURPOSE_PAYMENT: return "payment";
	case PURPOSE_OPERATIONS: return "operations";
	case PURPOSE_PUBLIC_HEALTH: return "public-health";
	case PURPOSE_LEGAL: return "legal";
	case PURPOSE_RESEARCH: return "research";
	case PURPOSE_EMERGENCY: return "emergency";
	case PURPOSE_PATIENT_REQUEST: return "patient";
	default: return "request";
	}
}

int roi_purpose_needs_authorization(int purpose)
{
	switch (purpose) {
	case PURPOSE_TREATMENT:
	case PURPOSE_PAYMENT:
	case PURPOSE_OPERATIONS:
	case PURPOSE_PUBLIC_HEALTH:
	case PURPOSE_LEGAL:
	case PURPOSE_EMERGENCY:
	case PURPOSE_PATIENT_REQUEST:
		return 0;
	default:
		return 1;
	}
}

int roi_purpose_overrides_restriction(int purpose)
{
	return purpose == PURPOSE_PUBLIC_HEALTH || purpose == PURPOSE_LEGAL ||
	       purpose == PURPOSE_EMERGENCY;
}

int roi_accounting_exempt(int purpose, const char *kind, int64_t authorization_id)
{
	static const char *const exempt_kinds[] = {
		"treatment", "payment", "operations", "emergency", "patient", "incidental",
		"limited-data-set", "national-security", "correctional", NULL,
	};
	if (authorization_id)
		return 1; /* 164.528(a)(1)(iv) */
	if (purpose == PURPOSE_TREATMENT || purpose == PURPOSE_PAYMENT ||
	    purpose == PURPOSE_OPERATIONS || purpose == PURPOSE_EMERGENCY ||
	    purpose == PURPOSE_PATIENT_REQUEST)
		return 1; /* (a)(1)(i), (ii) */
	for (const char *const *k = exempt_kinds; kind && *k; k++)
		if (strcmp(*k, kind) == 0)
			return 1;
	return 0;
}

/* Next character of a recipient name with case folded and runs of blanks
 * made one space; leading and trailing blanks skipped. */
static int next_folded(const char **p)
{
	const char *s = *p;
	if (*s && isspace((unsigned char)*s)) {
		while (*s && isspace((unsigned char)*s))
			s++;
		*p = s;
		return *s ? ' ' : 0;
	}
	if (!*s)
		return 0;
	*p = s + 1;
	return tolower((unsigned char)*s);
}

int roi_recipient_match(const char *a, const char *b)
{
	if (!a || !b)
		return 0;
	while (*a && isspace((unsigned char)*a))
		a++;
	while (*b && isspace((unsigned char)*b))
		b++;
	for (;;) {
		int x = next_folded(&a), y = next_folded(&b);
		if (x != y)
			return 0;
		if (!x)
			return 1;
	}
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

size_t roi_auth_missing(const struct roi_auth_form *f, mrt_day today,
                        const char *missing[ROI_AUTH_MISSING_MAX])
{
	size_t n = 0;
	unsigned items = 0;
	char bad[32];
	if (blank(f->items) || roi_items_parse(&items, f->items, bad, sizeof bad) != 0)
		missing[n++] = "description of the information (--items)";
	if (blank(f->discloser))
		missing[n++] = "who may disclose (--discloser)";
	if (blank(f->recipient))
		missing[n++] = "recipient (--recipient)";
	if (blank(f->purpose) || access_purpose_parse(f->purpose) < 0)
		missing[n++] = "purpose (--purpose)";
	if (blank(f->signed_by))
		missing[n++] = "signature (--signed-by)";
	mrt_day signed_on = 0, exp = 0;
	if (blank(f->signed_on) || mrt_date_parse(&signed_on, f->signed_on) != 0 ||
	    signed_on > today)
		missing[n++] = "date signed, not in the future (--signed-on)";
	if (blank(f->expires))
		missing[n++] = "expiration date or event (--expires)";
	else if (mrt_date_parse(&exp, f->expires) == 0 && signed_on && exp <= signed_on)
		missing[n++] = "expiration after the date signed (--expires)";
	if (f->by_representative && blank(f->representative))
		missing[n++] = "the representative's authority (--representative)";
	if (!f->statements_ack)
		missing[n++] = "right-to-revoke, conditioning and redisclosure statements "
		               "(--statements-acknowledged)";
	return n;
}

enum roi_auth_state roi_auth_state(const struct roi_auth *a, mrt_day today)
{
	if (a->revoked_at)
		return ROI_AUTH_REVOKED;
	mrt_day exp;
	if (a->expires_on && mrt_date_parse(&exp, a->expires_on) == 0 && exp < today)
		return ROI_AUTH_EXPIRED;
	return ROI_AUTH_VALID;
}

const char *roi_auth_covers(const struct roi_auth *a, const char *recipient, unsigned items,
                            int need_part2, int need_psychotherapy)
{
	if (!roi_recipient_match(a->recipient, recipient))
		return "it names another recipient";
	if (items & ~a->items)
		return "it does not cover every item released";
	if (need_part2 && !a->part2)
		return "it is not a 42 CFR Part 2 consent";
	if (need_psychotherapy && !a->psychotherapy)
		return "it does not cover psychotherapy notes";
	return NULL;
}

int roi_restriction_matches(const struct roi_restriction *r, const char *recipient,
                            unsigned items, int64_t encounter_id)
{
	if (!r->status || strcmp(r->status, "agreed") != 0)
		return 0;
	if (!r->kind || strcmp(r->kind, "confidential-communication") == 0)
		return 0;
	if (!roi_recipient_match(r->recipient, recipient))
		return 0;
	if (r->items && !(r->items & items))
		return 0;
	if (r->encounter_id) {
		if (!(items & ROI_ITEMS_ENCOUNTER))
			return 0;
		if (encounter_id && encounter_id != r->encounter_id)
			return 0;
	}
	return 1;
}

const char *roi_restriction_status_check(const char *kind, const char *status)
{
	static const char *const kinds[] = { "health-plan-self-pay", "other",
		                             "confidential-communication", NULL };
	static const char *const statuses[] = { "requested", "agreed", "denied", NULL };
	int k = 0, st = 0;
	for (const char *const *p = kinds; kind && *p; p++)
		k |= strcmp(*p, kind) == 0;
	for (const char *const *p = statuses; status && *p; p++)
		st |= strcmp(*p, status) == 0;
	if (!k)
		return "kind must be health-plan-self-pay, other or confidential-communication";
	if (!st)
		return "status must be requested, agreed or denied";
	/* 164.522(a)(1)(vi): a restriction to a health plan on care paid in
	 * full out of pocket must be agreed to. */
	if (strcmp(kind, "health-plan-self-pay") == 0 && strcmp(status, "denied") == 0)
		return "a health-plan self-pay restriction may not be denied (45 CFR "
		       "164.522(a)(1)(vi))";
	/* 164.522(b)(1)(i): reasonable requests for confidential
	 * communications must be accommodated. */
	if (strcmp(kind, "confidential-communication") == 0 && strcmp(status, "denied") == 0)
		return "a reasonable confidential-communication request may not be denied (45 CFR "
		       "164.522(b)(1)(i))";
	return NULL;
}

mrt_day roi_accounting_start(mrt_day today)
{
	int y, m, d;
	mrt_date_to_ymd(today, &y, &m, &d);
	y -= ROI_ACCOUNTING_YEARS;
	if (m == 2 && d == 29 && !mrt_date_valid_ymd(y, m, d))
		d = 28;
	return mrt_date_from_ymd(y, m, d);
}

const char roi_part2_notice[] =
	"42 CFR part 2 notice (42 CFR 2.32): This record which has been disclosed to you is "
	"protected by federal confidentiality rules (42 CFR part 2). These rules prohibit you from "
	"using or disclosing this record, or testimony that describes the information contained in "
	"this record, in any civil, criminal, administrative, or legislative proceedings against the "
	"patient, unless authorized by the consent of the patient, except as provided at 42 CFR "
	"2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, "
	"the federal rules prohibit you from making any other use or disclosure of this record "
	"unless at least one of the following applies: (A) Further use or disclosure is expressly "
	"permitted by the written consent of the individual whose information is being disclosed in "
	"this record or as otherwise permitted by 42 CFR part 2. (B) You are a covered entity or "
	"business associate and have received the record for treatment, payment, or health care "
	"operations, or (C) You have received the record from a covered entity or business "
	"associate as permitted by 45 CFR part 164, subparts A and E. A general authorization for "
	"the release of medical or other information is NOT sufficient to meet the required "
	"elements of written consent to further use or redisclose the record (see 42 CFR 2.31).";
