/*
 * FHIR R4 JSON (jansson) into typed structs, no database.
 *
 * The reader walks a path that is a Bundle (or a single resource) in a
 * .json file, Bulk-Data NDJSON (.ndjson, one resource a line, streamed with
 * a hard line-length cap; .ndjson.gz inflated as it streams), or a directory
 * of such files. Directory files are read in dependency order by the
 * resource type their name starts with (Practitioner, Patient, Encounter,
 * then the rest), and a Bundle's entries in the same order, so a reference
 * to a resource of the same input is resolved whatever order it came in.
 *
 * The mapper turns one resource (Patient, Encounter, Condition, Procedure,
 * Practitioner, DocumentReference) into a struct close to the chart's
 * inputs. Strings are borrowed from the resource or from the caller's
 * arena. A resource that cannot be mapped is FHIR_MAP_REJECT with a reason
 * naming the element (never its value); any other type is FHIR_MAP_SKIP.
 */
#ifndef MRT_FORMATS_FHIR_H
#define MRT_FORMATS_FHIR_H

#include <stddef.h>

#include <jansson.h>

#include "base/arena.h"
#include "mrt/error.h"

#define FHIR_MAX_LINE_DEFAULT (64u << 20)   /* NDJSON line cap */
#define FHIR_MAX_FILE_DEFAULT (1024u << 20) /* whole-JSON file cap */
#define FHIR_REJECT_KEEP (1u << 20)	    /* bytes of an over-long line kept */

/* ---- reading ------------------------------------------------------------ */

enum fhir_item_kind {
	FHIR_ITEM_RESOURCE = 1, /* resource is set */
	FHIR_ITEM_REJECT,	/* one line or entry that is not a resource */
	FHIR_ITEM_FILE_REJECT,	/* a whole file that cannot be read as its format */
};

struct fhir_item {
	enum fhir_item_kind kind;
	const char *file;    /* the file it came from */
	char position[64];   /* "line 12" (NDJSON), "entry 3" (Bundle), "file" */
	json_t *resource;    /* borrowed until the next call */
	char reason[256];    /* for rejects: why (no data values) */
	const void *content; /* for rejects: the bytes (borrowed) */
	size_t len;
};

struct fhir_opts {
	size_t max_line; /* 0: FHIR_MAX_LINE_DEFAULT */
	size_t max_file; /* 0: FHIR_MAX_FILE_DEFAULT */
};

typedef struct fhir_reader fhir_reader;

/* path: a file or a directory (its .json, .ndjson, .ndjson.gz, .json.gz
 * files, not recursive). MRT_ENOTFOUND when it does not exist. */
int fhir_reader_open(fhir_reader **out, const char *path, const struct fhir_opts *o, mrt_err *err);
/* Bytes in memory (not copied), as NDJSON when ndjson, else as one JSON
 * document; name is used in positions. For tests and the fuzzer. */
int fhir_reader_open_mem(fhir_reader **out, const char *name, const void *data, size_t len,
			 int ndjson, const struct fhir_opts *o, mrt_err *err);
/* 1 = an item, 0 = the end, < 0 = the program's own failure (I/O, memory). */
int fhir_reader_next(fhir_reader *r, struct fhir_item *it, mrt_err *err);
/* Resolves a reference in the Bundle being read: "urn:uuid:..." or any
 * fullUrl of an entry gives "Type/id" (borrowed); NULL when unknown. */
const char *fhir_reader_full_url(const fhir_reader *r, const char *ref);
/* Files opened so far and bytes read from them (for progress). */
size_t fhir_reader_files(const fhir_reader *r);
void fhir_reader_close(fhir_reader *r);

/* ---- mapping ------------------------------------------------------------ */

enum fhir_type {
	FHIR_PRACTITIONER,
	FHIR_PATIENT,
	FHIR_ENCOUNTER,
	FHIR_CONDITION,
	FHIR_PROCEDURE,
	FHIR_DOCUMENT,
	FHIR_NTYPES,
	FHIR_OTHER = FHIR_NTYPES,
};
/* "Patient" ...; rank of a type name for reading order (others last). */
const char *fhir_type_name(enum fhir_type t);
enum fhir_type fhir_type_of(const char *resource_type);

/* A reference: "Type/id" (also from a Bundle's fullUrl or an absolute URL
 * ending in Type/id), or a conditional "Type?identifier=system|value". */
struct fhir_ref {
	const char *type;   /* NULL when the reference is absent */
	const char *id;	    /* for Type/id */
	const char *system; /* for a conditional reference ("" when none) */
	const char *value;
	const char *display;
};

struct fhir_coding {
	const char *system, *code, *display;
};

struct fhir_codeable {
	const struct fhir_coding *coding;
	size_t n;
	size_t preferred; /* index of the ICD-10-CM coding, else 0 */
	const char *text;
};

struct fhir_ident {
	const char *system, *type, *value; /* "" when absent */
};

struct fhir_name {
	const char *use, *family, *given, *middle, *prefix, *suffix, *text;
};

struct fhir_label { /* meta.security */
	const char *system, *code, *display;
};

struct fhir_patient {
	const struct fhir_ident *idents;
	size_t n_idents;
	size_t mrn; /* index of the MR identifier, else 0; n_idents 0: none */
	const struct fhir_name *names;
	size_t n_names;
	size_t official; /* index of the official (else first usual, else first) name */
	const char *sex; /* F M O U, NULL when absent */
	const char *birth_date;
	int deceased; /* -1 absent, 0, 1 */
	const char *death_at;
	const char *address_line, *city, *state, *postal_code, *country;
	const char *phone_home, *phone_work, *phone_mobile;
	const char *marital_status, *race, *ethnicity, *language;
};

/* Encounter.diagnosis: the role of one of its conditions. */
struct fhir_enc_dx {
	struct fhir_ref condition;
	const char *kind; /* "principal" (rank 1), "admitting" (use AD), else NULL */
};

struct fhir_encounter {
	const char *account; /* the first identifier's value, NULL when none */
	const char *klass;   /* inpatient outpatient emergency observation, NULL */
	const char *status;  /* planned in-progress finished cancelled, NULL */
	const char *start, *end;
	const char *admit_source, *discharge_status, *discharge_location;
	const char *facility, *reason, *service;
	struct fhir_ref subject, attending, admitting;
	const struct fhir_enc_dx *dx;
	size_t n_dx;
};

struct fhir_condition {
	struct fhir_codeable code;
	const char *category, *onset;
	struct fhir_ref subject, encounter;
};

struct fhir_procedure {
	struct fhir_codeable code;
	const char *performed_at, *status;
	struct fhir_ref subject, encounter, performer;
};

struct fhir_practitioner {
	const char *system, *ident; /* the NPI identifier, else the first */
	const char *name, *family, *given, *specialty;
};

struct fhir_document {
	const char *type, *type_system, *title;
	const char *status; /* in-progress signed amended cancelled */
	const char *written_at, *content_type, *url;
	const char *text; /* attachment.data decoded (UTF-8 text), NULL when none */
	struct fhir_ref subject, encounter, author;
};

struct fhir_res {
	enum fhir_type type;
	const char *id;
	const struct fhir_label *labels;
	size_t n_labels;
	union {
		struct fhir_patient patient;
		struct fhir_encounter encounter;
		struct fhir_condition condition;
		struct fhir_procedure procedure;
		struct fhir_practitioner practitioner;
		struct fhir_document document;
	} u;
};

enum { FHIR_MAP_OK = 0, FHIR_MAP_SKIP = 1, FHIR_MAP_REJECT = 2 };

/* Maps one resource. r (may be NULL) resolves Bundle fullUrls. Returns
 * FHIR_MAP_OK, FHIR_MAP_SKIP (another type: out->type = FHIR_OTHER) or
 * FHIR_MAP_REJECT (reason set); < 0 only when the arena fails. */
int fhir_map(const json_t *res, const fhir_reader *r, mrt_arena *a, struct fhir_res *out,
	     char *reason, size_t reason_size);

/* Checks a FHIR date or dateTime ("YYYY", "YYYY-MM", "YYYY-MM-DD", or a
 * date-time with seconds and a zone): 0 or MRT_EPARSE. */
int fhir_date_check(const char *s);

#endif
