/*
 * The access decision (see access.h). The rules, in the order applied:
 *
 * 1. The role must allow the operation (access_ops[].roles). A mandated
 *    report may also be read by its author.
 * 2. For an operation on one patient's identifiable data, every
 *    sensitivity label on the patient or on what is read must be covered:
 *    by the user's grant of that label, by the privacy officer role (which
 *    covers all but psychotherapy notes), or - except for Part 2 records -
 *    by a treating relationship when the purpose is treatment or emergency
 *    treatment. A psychotherapy note is covered only for its author or by
 *    its own grant, a mandated report only for the privacy officer and its
 *    author: break-the-glass never opens those two (SEALED). Any other
 *    uncovered label hides the record (HIDDEN); on a read, a break-glass
 *    opens it, and the read is audited as such.
 * 3. For a disclosure, an agreed restriction that applies forbids it
 *    (RESTRICTED) unless the purpose is one the law requires or permits
 *    over it - public health, legal (164.512), emergency treatment - and
 *    then the override is recorded. Part 2 records and psychotherapy notes
 *    need an authorization (Part 2 consent) for each disclosure, except a
 *    Part 2 disclosure in a medical emergency.
 */
#include <stdio.h>
#include <string.h>

#include "privacy/access.h"
#include "privacy/roles.h"

#define READERS                                                                              \
	(ROLE_ADMIN_BIT | ROLE_HIM_BIT | ROLE_CODER_BIT | ROLE_REGISTRAR_BIT | ROLE_PRIVACY_BIT |  \
	 ROLE_PHYSICIAN_BIT)
#define ROI (ROLE_HIM_BIT | ROLE_PRIVACY_BIT)

const struct access_op_info access_ops[ACCESS_OP_COUNT] = {
	[ACCESS_PATIENT_READ] = { "patient.read", READERS, 1, 0,
	                          "read a patient's record (patient show, encounter show)" },
	[ACCESS_PATIENT_FIND] = { "patient.find", READERS, 1, 0,
	                          "find patients by name (a labelled match shows as restricted)" },
	[ACCESS_CHART_CODE] = { "chart.code", ROLE_CODER_BIT | ROLE_ADMIN_BIT, 1, 0,
	                        "code an encounter, set its coding status" },
	[ACCESS_CHART_IMPORT] = { "chart.import", ROLE_ADMIN_BIT | ROLE_HIM_BIT, 0, 0,
	                          "import charts (MIMIC, Synthea, FHIR, HL7, MLLP listener)" },
	[ACCESS_EXPORT_FHIR] = { "export.fhir", ROLE_ADMIN_BIT | ROLE_HIM_BIT, 0, 0,
	                         "identifiable bulk FHIR export" },
	[ACCESS_EXPORT_DEID] = { "export.deid",
	                         ROLE_ADMIN_BIT | ROLE_HIM_BIT | ROLE_PRIVACY_BIT | ROLE_RESEARCHER_BIT,
	                         0, 0, "de-identified (Safe Harbor) extract" },
	[ACCESS_EXPORT_LIMITED] = { "export.limited", ROLE_PRIVACY_BIT | ROLE_RESEARCHER_BIT, 0, 1,
	                            "limited data set under a data use agreement" },
	[ACCESS_LABEL_SET] = { "label.set", ROLE_PRIVACY_BIT, 0, 0,
	                       "add or remove a sensitivity label" },
	[ACCESS_PRIVACY_REVIEW] = { "privacy.review", ROLE_PRIVACY_BIT, 0, 0,
	                            "review break-the-glass uses and overdue reports" },
	[ACCESS_DISCLOSE] = { "disclose.new", ROI, 1, 1, "record a release of information" },
	[ACCESS_DISCLOSE_ACCOUNT] = { "disclose.accounting", ROI, 1, 0,
	                              "accounting of disclosures for a patient" },
	[ACCESS_PATIENT_REQUEST] = { "patient.request", ROI, 1, 0,
	                             "patient requests: restrictions, confidential communications, "
	                             "access, amendment, representatives, authorizations" },
	[ACCESS_MANDATED_NEW] = { "mandated.new", ROI | ROLE_PHYSICIAN_BIT, 0, 0,
	                          "file a mandated report" },
	[ACCESS_MANDATED_READ] = { "mandated.read", ROLE_PRIVACY_BIT, 1, 1,
	                           "read or submit a mandated report (privacy officer, its author)" },
	[ACCESS_RETENTION] = { "retention.manage", ROLE_PRIVACY_BIT | ROLE_HIM_BIT, 0, 0,
	                       "retention schedule and legal holds" },
	[ACCESS_AUDIT_READ] = { "audit.read", ROLE_PRIVACY_BIT | ROLE_AUDITOR_BIT | ROLE_ADMIN_BIT, 0,
	                        0, "read, report, export or verify the audit trail" },
	[ACCESS_USER_ADMIN] = { "user.admin", ROLE_ADMIN_BIT, 0, 0,
	                        "add, disable, enable, unlock, link users; grant and revoke roles" },
	[ACCESS_LABEL_GRANT] = { "user.label", ROLE_PRIVACY_BIT, 0, 0,
	                         "grant or revoke a sensitivity label to a user" },
};

const struct access_label_info access_labels[LABEL_COUNT] = {
	[LABEL_BH] = { "BH", "behavioral health" },
	[LABEL_ETH] = { "ETH", "substance use" },
	[LABEL_HIV] = { "HIV", "HIV/AIDS" },
	[LABEL_STD] = { "STD", "sexually transmitted disease" },
	[LABEL_SEX] = { "SEX", "sexuality and reproductive health" },
	[LABEL_SDV] = { "SDV", "sexual and domestic violence" },
	[LABEL_GDIS] = { "GDIS", "genetic disease" },
	[LABEL_CEL] = { "CEL", "celebrity" },
	[LABEL_EMP] = { "EMP", "employee" },
	[LABEL_PART2] = { "42CFRPart2", "42 CFR Part 2 program record" },
	[LABEL_PSYTHPN] = { "PSYTHPN", "psychotherapy note" },
	[LABEL_MANDATED] = { "MANDATED", "mandated report" },
};

const char *const access_purpose_names[PURPOSE_COUNT] = {
	[PURPOSE_TREATMENT] = "treatment",     [PURPOSE_PAYMENT] = "payment",
	[PURPOSE_OPERATIONS] = "operations",   [PURPOSE_PUBLIC_HEALTH] = "public_health",
	[PURPOSE_LEGAL] = "legal",             [PURPOSE_RESEARCH] = "research",
	[PURPOSE_EMERGENCY] = "emergency",     [PURPOSE_PATIENT_REQUEST] = "patient_request",
};

#define BIT(l) (1u << (l))
#define SEALED_LABELS (BIT(LABEL_PSYTHPN) | BIT(LABEL_MANDATED))

unsigned access_label_bit(const char *code)
{
	if (!code)
		return 0;
	if (strcmp(code, "PART2") == 0)
		return BIT(LABEL_PART2);
	for (int i = 0; i < LABEL_COUNT; i++)
		if (strcmp(access_labels[i].code, code) == 0)
			return BIT(i);
	return 0;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && strcmp(s + n - m, tail) == 0;
}

unsigned access_label_bit_sys(const char *system, const char *code)
{
	if (!code || !*code)
		return 0;
	if (!system || !*system || ends_with(system, "v3-ActCode") ||
	    strcmp(system, "urn:oid:2.16.840.1.113883.5.4") == 0)
		return access_label_bit(code);
	if (ends_with(system, "v2-0717")) {
		if (strcmp(code, "HIV") == 0)
			return BIT(LABEL_HIV);
		if (strcmp(code, "PSY") == 0)
			return BIT(LABEL_BH);
		if (strcmp(code, "STD") == 0)
			return BIT(LABEL_STD);
		return 0;
	}
	if (ends_with(system, "v2-0099"))
		return strcmp(code, "N") != 0 ? BIT(LABEL_CEL) : 0;
	return 0;
}

void access_label_format(char *out, size_t size, unsigned labels)
{
	size_t used = 0;
	if (size == 0)
		return;
	out[0] = '\0';
	for (int i = 0; i < LABEL_COUNT; i++) {
		if (!(labels & BIT(i)))
			continue;
		size_t n = strlen(access_labels[i].code);
		if (used + n + 2 > size)
			break;
		if (used)
			out[used++] = ',';
		memcpy(out + used, access_labels[i].code, n);
		used += n;
		out[used] = '\0';
	}
}

int access_purpose_parse(const char *name)
{
	for (int i = 0; name && i < PURPOSE_COUNT; i++) {
		const char *a = access_purpose_names[i], *b = name;
		while (*a && (*a == *b || (*a == '_' && *b == '-')))
			a++, b++;
		if (!*a && !*b)
			return i;
	}
	return -1;
}

static void set(struct access_decision *d, enum access_result r, const char *reason)
{
	d->result = r;
	d->reason = reason;
}

/* The labels of obj that who may not see (rule 2). */
static unsigned uncovered(int purpose, const struct access_subject *who,
                          const struct access_object *obj)
{
	unsigned left = obj->labels & ~who->label_grants;
	if (who->author)
		left &= ~SEALED_LABELS;
	if (who->roles & ROLE_PRIVACY_BIT)
		left &= BIT(LABEL_PSYTHPN);
	if (who->treating && (purpose == PURPOSE_TREATMENT || purpose == PURPOSE_EMERGENCY))
		left &= SEALED_LABELS | BIT(LABEL_PART2);
	return left;
}

static void decide_labels(struct access_decision *d, enum access_op op, int purpose,
                          const struct access_subject *who, const struct access_object *obj)
{
	unsigned left = uncovered(purpose, who, obj);
	if (!left)
		return;
	d->hidden = left;
	if (left & SEALED_LABELS) {
		set(d, ACCESS_SEALED, left & BIT(LABEL_MANDATED)
		                          ? "a mandated report: only the privacy officer and its author"
		                          : "a psychotherapy note: only its author or its own grant");
		return;
	}
	if (op == ACCESS_PATIENT_READ && who->glass) {
		d->glass = 1;
		return;
	}
	set(d, ACCESS_HIDDEN, op == ACCESS_PATIENT_READ
	                          ? "restricted record: a grant of its label, or break-the-glass "
	                            "with a reason, is needed"
	                          : "restricted record: a grant of its label is needed");
}

static void decide_disclosure(struct access_decision *d, int purpose,
                              const struct access_object *obj)
{
	int by_law = purpose == PURPOSE_PUBLIC_HEALTH || purpose == PURPOSE_LEGAL ||
	             purpose == PURPOSE_EMERGENCY;
	if (obj->restricted) {
		if (!by_law) {
			set(d, ACCESS_RESTRICTED, "the patient's agreed restriction forbids this disclosure");
			return;
		}
		d->override = 1;
	}
	if ((obj->labels & BIT(LABEL_PSYTHPN)) && !obj->authorized) {
		set(d, ACCESS_UNAUTHORIZED, "psychotherapy notes need their own authorization");
		return;
	}
	if ((obj->labels & BIT(LABEL_PART2)) && !obj->authorized && purpose != PURPOSE_EMERGENCY)
		set(d, ACCESS_UNAUTHORIZED, "a 42 CFR Part 2 record needs the patient's Part 2 consent "
		                            "for this disclosure");
}

void access_decide(struct access_decision *d, enum access_op op, int purpose,
                   const struct access_subject *who, const struct access_object *obj)
{
	memset(d, 0, sizeof *d);
	set(d, ACCESS_ALLOW, NULL);
	if ((unsigned)op >= ACCESS_OP_COUNT) {
		set(d, ACCESS_DENY, "unknown operation");
		return;
	}
	const struct access_op_info *o = &access_ops[op];
	int author_may = op == ACCESS_MANDATED_READ && who->author;
	if (!(who->roles & o->roles) && !author_may) {
		set(d, ACCESS_DENY, "the user's roles do not allow this operation");
		return;
	}
	if (o->per_patient)
		decide_labels(d, op, purpose, who, obj);
	if (d->result == ACCESS_ALLOW && o->disclosure)
		decide_disclosure(d, purpose, obj);
}

const char *access_outcome(const struct access_decision *d)
{
	if (d->result != ACCESS_ALLOW)
		return "deny";
	return d->glass ? "break-glass" : "allow";
}
