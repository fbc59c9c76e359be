/*
 * The chart: patients, providers, encounters, transfers, codings
 * (diagnoses and procedures), documents, record labels, links and rejects,
 * stored in the tables of migration 2 (src/store/schema_chart.c).
 *
 * This is the domain's load-and-save layer; it checks no access and writes
 * no audit event: the service layer calls it inside its own transaction
 * after mrt_session_require, and audits what it did.
 *
 * "Put" functions are idempotent upserts keyed by a natural key (MRN,
 * account, provider identifier, transfer reference, document reference):
 * putting the same thing twice changes nothing (*changed = 0). A put that
 * changes a patient or encounter first copies the old row, as JSON, to its
 * _history table and bumps its version; nothing is ever deleted.
 *
 * In the input structs a NULL string means "not given: keep what is
 * stored"; an empty string "" means "given as empty: clear it".
 */
#ifndef MRT_CHART_CHART_H
#define MRT_CHART_CHART_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"
#include "mrt/error.h"
#include "store/db.h"

/* Code systems are stored as URIs (FHIR's), so any system can be kept. */
#define CHART_SYS_ICD10CM "http://hl7.org/fhir/sid/icd-10-cm"
#define CHART_SYS_ICD10PCS "http://www.cms.gov/Medicare/Coding/ICD10"
#define CHART_SYS_ICD9CM "http://hl7.org/fhir/sid/icd-9-cm"
#define CHART_SYS_SNOMED "http://snomed.info/sct"

/* URI for a system name as HL7 v2 (table 0396: I10, I10P, I9C, I9CP, SCT,
 * SNM...), FHIR or a person writes it ("icd10cm", "ICD-10-CM", a URI...);
 * NULL when the name is unknown (callers then keep the name itself). */
const char *chart_system_uri(const char *name);
/* "icd10cm" / "icd10pcs" for those two URIs (the code-set systems that
 * releases are loaded for), NULL otherwise. */
const char *chart_system_release(const char *uri);

struct chart_cache;

/* Who and when for every write: one per import run or service call. */
struct chart_ctx {
	const char *source;   /* "mimic", "synthea", "fhir", "hl7", "coder", ... */
	int64_t user_id;      /* app_user id, 0 for none */
	char now[32];         /* ISO-8601 UTC timestamp of the run */
	struct chart_cache *cache; /* NULL, or see chart_ctx_use_cache */
};
void chart_ctx_init(struct chart_ctx *c, const char *source, int64_t user_id);
/* For bulk imports: codings are checked against in-memory indexes of the
 * releases (each built once, on first use, about 0.1 s and 25 MB a
 * release) instead of one query a code. Free with chart_ctx_release. */
int chart_ctx_use_cache(struct chart_ctx *c, mrt_err *err);
void chart_ctx_release(struct chart_ctx *c);

/* ---- patients ---------------------------------------------------------- */

struct chart_name {
	const char *use; /* official usual alias maiden old nickname temp */
	const char *family, *given, *middle, *prefix, *suffix;
};

struct chart_ident {
	const char *system; /* assigning authority or URI ("" when none) */
	const char *type;   /* HL7 table 0203: MR, SS, DL, PI, AN ... ("" when none) */
	const char *value;
};

struct chart_patient {
	const char *mrn;        /* required */
	const char *mrn_system; /* assigning authority of the MRN */
	/* The official (legal) name. */
	const char *family, *given, *middle, *prefix, *suffix;
	const char *birth_date; /* YYYY-MM-DD */
	const char *sex;        /* F M O U */
	const char *address_line, *city, *state, *postal_code, *country;
	const char *phone_home, *phone_work, *phone_mobile;
	const char *marital_status, *race, *ethnicity, *language;
	int deceased;           /* -1 not given, 0 alive, 1 dead */
	const char *death_at;   /* date or date-time */
	const char *source_ref; /* the sender's own id (FHIR id, Synthea UUID) */
	/* Other names (aliases, previous names) and identifiers; added when
	 * new, never removed by a put. */
	const struct chart_name *names;
	size_t n_names;
	const struct chart_ident *idents;
	size_t n_idents;
};
/* Inits every string to NULL (not given) and deceased to -1. */
void chart_patient_init(struct chart_patient *p);

int chart_patient_put(mrt_db *db, const struct chart_ctx *c, const struct chart_patient *p,
                      int64_t *id, int *changed, mrt_err *err);
/* MRT_ENOTFOUND when absent. */
int chart_patient_by_mrn(mrt_db *db, const char *mrn, int64_t *id, mrt_err *err);
/* By an active identifier (system may be NULL: any system). */
int chart_patient_by_ident(mrt_db *db, const char *system, const char *value, int64_t *id,
                           mrt_err *err);
int chart_patient_by_source_ref(mrt_db *db, const char *source, const char *ref, int64_t *id,
                                mrt_err *err);
/* Records the patient's age in a year (a source without birth dates:
 * MIMIC-IV's anchor_age in anchor_year); *changed when new or different. */
int chart_patient_age_anchor_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id, int age,
                                 int year, int *changed, mrt_err *err);

/* ---- providers --------------------------------------------------------- */

struct chart_provider {
	const char *system; /* e.g. "http://hl7.org/fhir/sid/us-npi", "" */
	const char *ident;  /* required */
	const char *name, *family, *given, *specialty;
	const char *source_ref; /* the sender's own id (FHIR Practitioner id) */
};
int chart_provider_put(mrt_db *db, const struct chart_ctx *c, const struct chart_provider *p,
                       int64_t *id, int *changed, mrt_err *err);
int chart_provider_find(mrt_db *db, const char *system, const char *ident, int64_t *id,
                        mrt_err *err);
/* By the sender's own id; MRT_EAMBIG when several providers hold it. */
int chart_provider_by_source_ref(mrt_db *db, const char *ref, int64_t *id, mrt_err *err);

/* ---- encounters -------------------------------------------------------- */

struct chart_encounter {
	const char *account; /* required */
	const char *visit_number;
	const char *klass;   /* inpatient outpatient emergency observation */
	const char *status;  /* planned in-progress finished cancelled */
	const char *admit_at, *discharge_at; /* ISO date or date-time */
	const char *admit_type, *admit_source;
	const char *discharge_status;   /* UB-04 patient status, 2 digits */
	const char *discharge_location; /* as the sender wrote it */
	const char *service, *payer, *unit, *room, *bed, *facility, *reason;
	const char *source_ref;
	int64_t attending_id, admitting_id; /* provider ids, 0 = not given */
};
void chart_encounter_init(struct chart_encounter *e);

int chart_encounter_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                        const struct chart_encounter *e, int64_t *id, int *changed, mrt_err *err);
/* MRT_ENOTFOUND when absent; patient_id may be NULL. */
int chart_encounter_by_account(mrt_db *db, const char *account, int64_t *id, int64_t *patient_id,
                               mrt_err *err);
int chart_encounter_by_source_ref(mrt_db *db, const char *source, const char *ref, int64_t *id,
                                  int64_t *patient_id, mrt_err *err);
/* Admission and discharge date-times as stored ("" when not recorded). */
int chart_encounter_dates(mrt_db *db, int64_t encounter_id, char admit[32], char discharge[32],
                          mrt_err *err);
/* Moves an encounter (and every row of it) to another patient, recording
 * an encounter_link of kind "move". */
int chart_encounter_move(mrt_db *db, const struct chart_ctx *c, int64_t encounter_id,
                         int64_t to_patient_id, const char *source_ref, mrt_err *err);
/* Sets the coding status, with a history row; *changed = 0 when it was
 * already that. */
int chart_coding_status_set(mrt_db *db, const struct chart_ctx *c, int64_t encounter_id,
                            const char *status, int *changed, mrt_err *err);

struct chart_transfer {
	const char *source_ref; /* required: unique within the source */
	const char *event;      /* admit transfer discharge ED ... */
	const char *unit, *room, *bed, *in_at, *out_at;
};
/* encounter_id 0: a stay with no encounter (e.g. an ED visit never admitted). */
int chart_transfer_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                       int64_t encounter_id, const struct chart_transfer *t, int *changed,
                       mrt_err *err);
int chart_service_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                      int64_t encounter_id, const char *at, const char *prev_service,
                      const char *service, int *changed, mrt_err *err);
int chart_drg_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id, int64_t encounter_id,
                  const char *type, const char *code, const char *description, int severity,
                  int mortality, int *changed, mrt_err *err);

/* ---- coding ------------------------------------------------------------ */

struct chart_dx {
	const char *system; /* URI, or the sender's own name when unknown */
	const char *code;   /* as sent */
	const char *display, *poa;
	const char *kind;   /* principal secondary admitting (NULL: secondary) */
	const char *onset, *source_ref;
};

struct chart_px {
	const char *system, *code, *display, *performed_at, *source_ref;
	int64_t surgeon_id;
};

enum chart_mode {
	CHART_KEEP,    /* leave the current list as it is */
	CHART_REPLACE, /* the given list is the whole list */
	CHART_MERGE,   /* add the given items; an item with a source_ref replaces
	                  the current item with the same source_ref; an item with
	                  the same system, code and kind (procedures: date) as a
	                  current one replaces it, unless both carry different
	                  source_refs (then both are kept) */
};

struct chart_coding_change {
	enum chart_mode dx_mode, px_mode;
	const struct chart_dx *dx;
	size_t n_dx;
	const struct chart_px *px;
	size_t n_px;
};

/* Applies a change to an encounter's current coding. When the result
 * differs from the current coding, writes a new coding version (the old one
 * is kept, superseded) and its findings: each ICD-10-CM / ICD-10-PCS code
 * checked against the release in effect on the discharge date (invalid,
 * not billable, no release loaded for that date). Nothing is refused here.
 * *changed = 0 and *coding_id = the current coding when nothing differs. */
int chart_coding_apply(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                       int64_t encounter_id, const struct chart_coding_change *ch,
                       int64_t *coding_id, int *changed, mrt_err *err);

/* Validity of one code on a day, for the coder's own entry and findings. */
enum chart_code_status {
	CHART_CODE_OK,
	CHART_CODE_NO_RELEASE,   /* no release of the system in effect that day */
	CHART_CODE_INVALID,      /* not in the release */
	CHART_CODE_NOT_BILLABLE, /* a header: has children */
	CHART_CODE_MALFORMED,    /* cannot be a code at all */
};
struct chart_code_check {
	enum chart_code_status status;
	char code[8];       /* normalised */
	char release[16];   /* version of the release used ("" when none) */
	int64_t release_id;
	char title[256];    /* long title when found */
};
/* system_release: "icd10cm" or "icd10pcs". */
int chart_code_check(mrt_db *db, const char *system_release, const char *code, mrt_day day,
                     struct chart_code_check *out, mrt_err *err);
/* The billable codes under a header in a release (at most max), as a JSON
 * array of {code, title}. */
int chart_code_children(mrt_db *db, int64_t release_id, const char *code, size_t max,
                        json_t **out, mrt_err *err);

/* ---- documents, labels ------------------------------------------------- */

struct chart_document {
	const char *doc_ref; /* required: the sender's unique document id */
	int64_t encounter_id; /* 0 = none */
	const char *type, *type_system, *title;
	const char *status; /* in-progress signed amended cancelled */
	const char *written_at, *signed_at, *content_type, *text, *url;
	int64_t author_id;
};
/* A new doc_ref is version 1; a changed one is a new version that
 * supersedes the current (which keeps its row). */
int chart_document_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                       const struct chart_document *d, int64_t *id, int *changed, mrt_err *err);

/* A privacy officer's label (label.c): the object (patient by MRN,
 * encounter by account, document by doc_ref, its newest version), then
 * the label put with reason, or ended (ended_at, ended_by, end_reason).
 * A label ended earlier and set again is active again. *changed = 0
 * when there was nothing to do. */
int chart_label_object(mrt_db *db, const char *object_type, const char *ref, int64_t *object_id,
                       int64_t *patient_id, mrt_err *err);
int chart_label_set(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                    const char *object_type, int64_t object_id, const char *system,
                    const char *code, const char *reason, int *changed, mrt_err *err);
int chart_label_end(mrt_db *db, const struct chart_ctx *c, const char *object_type,
                    int64_t object_id, const char *system, const char *code, const char *reason,
                    int *changed, mrt_err *err);
/* Every label on the patient and their encounters and documents, ended
 * ones too: [{object_type, object, system, code, display, source,
 * created_at, reason, ended_at, end_reason}]. */
int chart_labels_json(mrt_db *db, int64_t patient_id, json_t **out, mrt_err *err);
/* A sensitivity or confidentiality label (FHIR meta.security, HL7
 * confidentiality fields) on a patient, an encounter or a document. */
int chart_label_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                    const char *object_type, int64_t object_id, const char *system,
                    const char *code, const char *display, int *changed, mrt_err *err);

/* ---- links ------------------------------------------------------------- */

struct chart_link {
	int64_t patient_id;       /* required */
	int64_t other_patient_id; /* 0 when the other record is not known here */
	const char *other_identifier;
	const char *kind;   /* merge link unlink identifier-change */
	const char *status; /* pending applied ended undone */
	const char *source_ref, *snapshot;
	int64_t ends;       /* the link row this one ends (unlink), 0 = none */
};
int chart_link_put(mrt_db *db, const struct chart_ctx *c, const struct chart_link *l, int64_t *id,
                   mrt_err *err);

/* ---- rejects ----------------------------------------------------------- */

/* Keeps what could not be read, whole, with where and why. The same reject
 * (kind, source, position, content) twice is kept once. */
int chart_reject_put(mrt_db *db, const struct chart_ctx *c, const char *kind, const char *source,
                     const char *position, const char *reason, const void *content, size_t len,
                     int *changed, mrt_err *err);

/* ---- reading ----------------------------------------------------------- */

/* The patient with names, identifiers, labels, links and encounters
 * (account, class, dates, coding status). */
int chart_patient_json(mrt_db *db, int64_t patient_id, json_t **out, mrt_err *err);
/* The encounter with patient summary, providers, current coding with
 * diagnoses, procedures and findings, coding history, transfers, services,
 * DRGs, documents and labels. */
int chart_encounter_json(mrt_db *db, int64_t encounter_id, json_t **out, mrt_err *err);
/* Patients whose any name matches every word of name (prefix, any case),
 * born on birth_date when given; an array of summaries each with "mrn". */
int chart_patient_find(mrt_db *db, const char *name, const char *birth_date, size_t limit,
                       json_t **out, mrt_err *err);
int chart_rejects_json(mrt_db *db, const char *kind, size_t limit, json_t **out, mrt_err *err);

#endif
