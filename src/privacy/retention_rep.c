/*
 * Who is a personal representative on a given day (HIPAA 164.502(g)),
 * see retention.h:
 *
 * - a refusal on file stands: the entity may decline to treat someone as
 *   a representative when it reasonably believes the patient has been or
 *   may be subjected to abuse or neglect by them, or that it could
 *   endanger the patient ((g)(5));
 * - a representation ended, not yet begun or past its end date is not one;
 * - after death only an executor or administrator acts ((g)(4)); an
 *   executor acts only after death;
 * - a parent acts for an unemancipated minor ((g)(3)) only while the
 *   patient is under the age of majority and not for care the minor
 *   consented to alone where the law allows, care a court (or another
 *   law) authorised without the parent, or care the parent agreed to keep
 *   confidential between the minor and the provider ((g)(3)(i)(A)-(C));
 *   a parent of an adult needs to be appointed (guardian, power of
 *   attorney). With no birth date the patient cannot be shown a minor;
 * - a guardian, a healthcare power of attorney and other authority
 *   recorded act while the patient lives ((g)(2)).
 */
#include <string.h>

#include "privacy/retention.h"

const char *const rep_relation_names[REP_COUNT] = {
	[REP_PARENT] = "parent", [REP_GUARDIAN] = "guardian", [REP_POA] = "healthcare-poa",
	[REP_EXECUTOR] = "executor", [REP_OTHER] = "other",
};

const char *const rep_exception_names[REP_EXC_COUNT] = {
	[REP_EXC_NONE] = NULL, [REP_EXC_MINOR_CONSENTED] = "minor-consented",
	[REP_EXC_COURT] = "court-authorized", [REP_EXC_CONFIDENTIAL] = "confidentiality-agreed",
};

int rep_relation_parse(const char *name)
{
	for (int i = 0; name && i < REP_COUNT; i++)
		if (strcmp(rep_relation_names[i], name) == 0)
			return i;
	return -1;
}

int rep_exception_parse(const char *name)
{
	for (int i = 1; name && i < REP_EXC_COUNT; i++)
		if (strcmp(rep_exception_names[i], name) == 0)
			return i;
	return -1;
}

static int verdict(struct rep_verdict *v, int valid, const char *reason)
{
	v->valid = valid;
	v->reason = reason;
	return valid;
}

static int decide_parent(struct rep_verdict *v, const struct rep_facts *f)
{
	static const char *const exc[REP_EXC_COUNT] = {
		[REP_EXC_MINOR_CONSENTED] = "the minor consented to this care alone where the law allows "
		                            "(164.502(g)(3)(i)(A))",
		[REP_EXC_COURT] = "a court or another law authorised the care without the parent "
		                  "(164.502(g)(3)(i)(B))",
		[REP_EXC_CONFIDENTIAL] = "the parent agreed to confidentiality between the minor and the "
		                         "provider (164.502(g)(3)(i)(C))",
	};
	if (!f->has_birth)
		return verdict(v, 0, "the patient's birth date is unknown: a parent acts only for a minor");
	if (retention_age(f->birth, f->on) >= f->majority_age)
		return verdict(v, 0, "the patient is of age: a parent acts only for a minor (an adult "
		                     "needs a guardian or power of attorney)");
	if (f->exception != REP_EXC_NONE)
		return verdict(v, 0, exc[f->exception]);
	return verdict(v, 1, "parent of a minor (164.502(g)(3))");
}

static int decide(struct rep_verdict *v, const struct rep_facts *f)
{
	if (f->refused)
		return verdict(v, 0, "refused as a personal representative (164.502(g)(5))");
	if (f->ended)
		return verdict(v, 0, "the representation has ended");
	if (f->from && f->on < f->from)
		return verdict(v, 0, "the representation had not begun on that day");
	if (f->until && f->on > f->until)
		return verdict(v, 0, "the representation had expired on that day");
	int dead = f->deceased && (!f->death || f->on >= f->death);
	if (f->relation == REP_EXECUTOR)
		return dead ? verdict(v, 1, "executor or administrator of a deceased patient "
		                            "(164.502(g)(4))")
		            : verdict(v, 0, "an executor acts only after the patient's death "
		                            "(164.502(g)(4))");
	if (dead)
		return verdict(v, 0, "after death only an executor or administrator acts "
		                     "(164.502(g)(4))");
	if (f->relation == REP_PARENT)
		return decide_parent(v, f);
	return verdict(v, 1, f->relation == REP_GUARDIAN ? "legal guardian (164.502(g)(2))"
	              : f->relation == REP_POA    ? "healthcare power of attorney (164.502(g)(2))"
	                                          : "authority recorded (164.502(g)(2))");
}

void retention_rep_decide(struct rep_verdict *v, const struct rep_facts *f)
{
	(void)decide(v, f);
}
