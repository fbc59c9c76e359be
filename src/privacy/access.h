/*
 * The access decision: one pure function over who asks (roles, label
 * grants, relation to the patient), what they ask to do (a service
 * operation, for a purpose of use) and what the record carries (its
 * sensitivity labels, an agreed restriction that applies). The service
 * layer gathers those facts from the database (service/access_svc.c) and
 * writes the audit event; this file only decides, so the access-matrix
 * test and docs/access-matrix.md are generated from the very table the
 * product enforces.
 */
#ifndef MRT_PRIVACY_ACCESS_H
#define MRT_PRIVACY_ACCESS_H

#include <stddef.h>

/* Service operations. Each is named "<area>.<verb>" in the audit trail
 * and the matrix; access_ops[] gives each its roles and whether it
 * touches one patient's identifiable data (then labels and restrictions
 * apply). */
enum access_op {
	ACCESS_PATIENT_READ,     /* patient show, encounter show */
	ACCESS_PATIENT_FIND,     /* patient find (lists names and birth dates) */
	ACCESS_CHART_CODE,       /* encounter code, encounter status */
	ACCESS_CHART_IMPORT,     /* import mimic|synthea|fhir|hl7, listen */
	ACCESS_EXPORT_FHIR,      /* identifiable bulk export */
	ACCESS_EXPORT_DEID,      /* de-identified (Safe Harbor) extract */
	ACCESS_EXPORT_LIMITED,   /* limited data set under a data use agreement */
	ACCESS_LABEL_SET,        /* label add / remove */
	ACCESS_PRIVACY_REVIEW,   /* break-glass review queue */
	ACCESS_DISCLOSE,         /* record a release of information */
	ACCESS_DISCLOSE_ACCOUNT, /* accounting of disclosures */
	ACCESS_PATIENT_REQUEST,  /* restrictions, confidential communications,
	                            access and amendment requests, personal
	                            representatives, authorizations */
	ACCESS_MANDATED_NEW,     /* file a mandated report */
	ACCESS_MANDATED_READ,    /* read or submit one (privacy officer, author) */
	ACCESS_RETENTION,        /* retention schedule, legal holds */
	ACCESS_AUDIT_READ,       /* audit log, report, export, verify */
	ACCESS_USER_ADMIN,       /* user add, disable, grant, revoke */
	ACCESS_LABEL_GRANT,      /* grant or revoke a sensitivity label to a user */
	ACCESS_OP_COUNT
};

/* Sensitivity labels (HL7 ActInformationSensitivityPolicy codes, plus the
 * privacy-law and note-type codes that carry their own rule). */
enum access_label {
	LABEL_BH,      /* behavioral health */
	LABEL_ETH,     /* substance use */
	LABEL_HIV,
	LABEL_STD,
	LABEL_SEX,     /* sexuality and reproductive health */
	LABEL_SDV,     /* sexual and domestic violence */
	LABEL_GDIS,    /* genetic disease */
	LABEL_CEL,     /* celebrity */
	LABEL_EMP,     /* employee */
	LABEL_PART2,   /* 42CFRPart2: from a Part 2 program */
	LABEL_PSYTHPN, /* psychotherapy note */
	LABEL_MANDATED,/* a mandated report (readable by privacy officer, author) */
	LABEL_COUNT
};

struct access_label_info {
	const char *code;    /* as stored in label.code, e.g. "BH", "42CFRPart2" */
	const char *display;
};
extern const struct access_label_info access_labels[LABEL_COUNT];

/* The bit of a label code (case-sensitive as HL7 spells it; "PART2" is
 * accepted for 42CFRPart2), or 0 when it is not a sensitivity label. */
unsigned access_label_bit(const char *code);
/* The bit of a stored label (label.system, label.code): HL7 v3 ActCode
 * codes (and labels without a system) as above; HL7 v2 table 0717 access
 * restriction values HIV, PSY (-> BH), STD; a VIP indicator (table 0099)
 * other than N -> CEL. Other systems (confidentiality R/V, PD1
 * protection) carry no sensitivity policy: 0. */
unsigned access_label_bit_sys(const char *system, const char *code);
#define ACCESS_ACTCODE_SYSTEM "http://terminology.hl7.org/CodeSystem/v3-ActCode"
/* Writes the codes of a label set, comma-separated. */
void access_label_format(char *out, size_t size, unsigned labels);

/* Purposes of use. */
enum access_purpose {
	PURPOSE_TREATMENT,
	PURPOSE_PAYMENT,
	PURPOSE_OPERATIONS,
	PURPOSE_PUBLIC_HEALTH,
	PURPOSE_LEGAL,       /* required by law (HIPAA 164.512) */
	PURPOSE_RESEARCH,
	PURPOSE_EMERGENCY,   /* emergency treatment */
	PURPOSE_PATIENT_REQUEST, /* the patient's own request (164.524) */
	PURPOSE_COUNT
};
extern const char *const access_purpose_names[PURPOSE_COUNT];
/* -1 when name is not a purpose of use ('-' and '_' are the same:
 * public-health = public_health). */
int access_purpose_parse(const char *name);

struct access_op_info {
	const char *name;   /* audit action family, e.g. "patient.read" */
	unsigned roles;     /* privacy/roles.h bits that may perform it */
	int per_patient;    /* 1: one patient's identifiable data (labels apply) */
	int disclosure;     /* 1: data leaves the organisation (restrictions apply) */
	const char *what;   /* for the matrix */
};
extern const struct access_op_info access_ops[ACCESS_OP_COUNT];

/* Who asks. */
struct access_subject {
	unsigned roles;        /* role bits */
	unsigned label_grants; /* label bits granted to the user */
	int treating;          /* a physician user linked to a provider who is
	                          attending, admitting, surgeon or author on one
	                          of the patient's encounters */
	int author;            /* the user made the object (mandated report) */
	int glass;             /* an unexpired break-glass of this user on this
	                          patient, or a reason stated now */
};

/* What is asked for. */
struct access_object {
	unsigned labels;       /* labels of the patient and of what is read */
	int restricted;        /* an agreed patient restriction applies */
	int authorized;        /* an authorization (or Part 2 consent) on file
	                          covers it */
};

enum access_result {
	ACCESS_ALLOW,
	ACCESS_DENY,          /* the role does not allow the operation */
	ACCESS_HIDDEN,        /* labelled: the record exists but is hidden;
	                         break-glass may open it */
	ACCESS_SEALED,        /* labelled so that break-glass cannot open it
	                         (psychotherapy note, mandated report) */
	ACCESS_RESTRICTED,    /* an agreed restriction forbids this disclosure */
	ACCESS_UNAUTHORIZED   /* needs an authorization or Part 2 consent */
};

struct access_decision {
	enum access_result result;
	int glass;             /* allowed only through break-glass */
	int override;          /* allowed despite a restriction (law, emergency):
	                          to be recorded */
	unsigned hidden;       /* the labels that decided a HIDDEN/SEALED */
	const char *reason;    /* one line, no patient data */
};

void access_decide(struct access_decision *d, enum access_op op, int purpose,
                   const struct access_subject *who, const struct access_object *obj);

/* "allow" | "deny" | "break-glass": the audit outcome of a decision. */
const char *access_outcome(const struct access_decision *d);

#endif
