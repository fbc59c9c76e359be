/*
 * Chart rows (chart_export.h) into FHIR R4 resources for the NDJSON
 * export: the inverse of the import's mapping (docs/fhir.md), built so
 * that importing what is written and exporting again gives the same
 * resources. Empty values are left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/hash.h"
#include "service/export_fhir_int.h"

#define V2_0203 "http://terminology.hl7.org/CodeSystem/v2-0203"
#define V3_ACT "http://terminology.hl7.org/CodeSystem/v3-ActCode"
#define V3_PART "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
#define NUBC_STATUS "https://www.nubc.org/CodeSystem/PatDischargeStatus"
#define US_CORE "http://hl7.org/fhir/us/core/StructureDefinition/"
#define DX_ROLE "http://terminology.hl7.org/CodeSystem/diagnosis-role"
#define FID_LEN 72 /* a FHIR id is at most 64 characters */

static const char *col(json_t *row, const char *k)
{
	const char *s = json_string_value(json_object_get(row, k));
	return s && *s ? s : NULL;
}

static void put(json_t *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_set_new(o, k, json_string(v));
}

static void put_new(json_t *o, const char *k, json_t *v)
{
	if (v)
		json_object_set_new(o, k, v);
}

static int id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-' || id[i] == '.'))
			return 0;
	return 1;
}

/* The source_ref when it is a valid id, else a UUID-shaped hash of the
 * kind and natural key. */
static void fid(char out[FID_LEN], const char *source_ref, const char *kind, const char *key)
{
	if (id_valid(source_ref)) {
		snprintf(out, FID_LEN, "%s", source_ref);
		return;
	}
	char buf[1024];
	unsigned char h[MRT_SHA256_LEN];
	char hex[MRT_SHA256_HEX];
	int n = snprintf(buf, sizeof buf, "%s|%s", kind, key ? key : "");
	mrt_sha256_buf(h, buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
	mrt_hex(hex, h, 16);
	snprintf(out, FID_LEN, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
		 hex + 20);
}

/* The id of a coding item: its source_ref, else its place (account and
 * sequence in the current coding). */
static void item_id(char id[FID_LEN], json_t *item, const char *account, const char *kind)
{
	char key[512];
	snprintf(key, sizeof key, "%s|%lld|%s|%s", account ? account : "",
		 (long long)json_integer_value(json_object_get(item, "seq")),
		 col(item, "system") ? col(item, "system") : "", col(item, "code"));
	fid(id, col(item, "source_ref"), kind, key);
}

static json_t *ref_to(const char *type, const char *id)
{
	return json_pack("{s:s++}", "reference", type, "/", id);
}

static json_t *patient_ref(json_t *row)
{
	char id[FID_LEN];
	fid(id, col(row, "patient_ref"), "patient", col(row, "patient_mrn"));
	return ref_to("Patient", id);
}

static json_t *encounter_ref(json_t *row)
{
	if (!col(row, "enc_account"))
		return NULL;
	char id[FID_LEN];
	fid(id, col(row, "enc_ref"), "encounter", col(row, "enc_account"));
	return ref_to("Encounter", id);
}

/* Practitioner?identifier=system|value, with the name as display. */
static json_t *provider_ref(json_t *row, const char *role)
{
	char k[40];
	snprintf(k, sizeof k, "%s_ident", role);
	const char *ident = col(row, k);
	if (!ident)
		return NULL;
	snprintf(k, sizeof k, "%s_system", role);
	const char *sys = col(row, k);
	snprintf(k, sizeof k, "%s_name", role);
	json_t *r = json_pack("{s:s+++}", "reference", "Practitioner?identifier=", sys ? sys : "",
			      sys ? "|" : "", ident);
	put(r, "display", col(row, k));
	return r;
}

static json_t *security(mrt_db *db, const char *type, json_t *row, mrt_err *err)
{
	json_t *labels = NULL, *out = NULL;
	if (chart_export_labels(db, type, json_integer_value(json_object_get(row, "id")), &labels,
				err) != 0)
		return NULL;
	size_t i;
	json_t *l;
	json_array_foreach(labels, i, l)
	{
		json_t *c = json_object();
		put(c, "system", col(l, "system"));
		put(c, "code", col(l, "code"));
		put(c, "display", col(l, "display"));
		if (!out)
			out = json_array();
		json_array_append_new(out, c);
	}
	json_decref(labels);
	return out ? json_pack("{s:o}", "security", out) : NULL;
}

static json_t *coding1(const char *system, const char *code, const char *display)
{
	json_t *c = json_object();
	put(c, "system", system);
	put(c, "code", code);
	put(c, "display", display);
	return json_pack("{s:[o]}", "coding", c);
}

/* ---- Patient ------------------------------------------------------------------------ */

static json_t *name_json(const char *use, json_t *row)
{
	json_t *n = json_object();
	put(n, "use", use);
	put(n, "family", col(row, "family"));
	json_t *given = json_array();
	if (col(row, "given"))
		json_array_append_new(given, json_string(col(row, "given")));
	if (col(row, "middle"))
		json_array_append_new(given, json_string(col(row, "middle")));
	put_new(n, "given", json_array_size(given) ? given : NULL);
	if (!json_array_size(given))
		json_decref(given);
	if (col(row, "prefix"))
		put_new(n, "prefix", json_pack("[s]", col(row, "prefix")));
	if (col(row, "suffix"))
		put_new(n, "suffix", json_pack("[s]", col(row, "suffix")));
	return n;
}

static int patient_lists(mrt_db *db, json_t *row, json_t *p, mrt_err *err)
{
	int64_t id = json_integer_value(json_object_get(row, "id"));
	json_t *ids = NULL, *names = NULL, *v;
	size_t i;
	if (chart_export_idents(db, id, &ids, err) || chart_export_names(db, id, &names, err)) {
		json_decref(ids);
		return err->code;
	}
	json_t *idents = json_array();
	json_array_foreach(ids, i, v)
	{
		json_t *x = json_object();
		put(x, "system", col(v, "system"));
		if (col(v, "type"))
			put_new(x, "type", coding1(V2_0203, col(v, "type"), NULL));
		put(x, "value", col(v, "value"));
		json_array_append_new(idents, x);
	}
	json_t *nm = json_array();
	if (col(row, "family") || col(row, "given"))
		json_array_append_new(nm, name_json("official", row));
	json_array_foreach(names, i, v) json_array_append_new(nm, name_json(col(v, "use"), v));
	json_decref(ids);
	json_decref(names);
	put_new(p, "identifier", idents);
	if (json_array_size(nm))
		put_new(p, "name", nm);
	else
		json_decref(nm);
	return 0;
}

static void patient_contact(json_t *row, json_t *p)
{
	static const char *const phones[][2] = {
	    {"phone_home", "home"},
	    {"phone_work", "work"},
	    {"phone_mobile", "mobile"},
	};
	json_t *tel = json_array();
	for (size_t i = 0; i < 3; i++)
		if (col(row, phones[i][0]))
			json_array_append_new(tel, json_pack("{s:s, s:s, s:s}", "system", "phone",
							     "value", col(row, phones[i][0]), "use",
							     phones[i][1]));
	if (json_array_size(tel))
		put_new(p, "telecom", tel);
	else
		json_decref(tel);
	json_t *a = json_object();
	if (col(row, "address_line"))
		put_new(a, "line", json_pack("[s]", col(row, "address_line")));
	put(a, "city", col(row, "city"));
	put(a, "state", col(row, "state"));
	put(a, "postalCode", col(row, "postal_code"));
	put(a, "country", col(row, "country"));
	if (json_object_size(a))
		put_new(p, "address", json_pack("[o]", a));
	else
		json_decref(a);
}

static json_t *us_core_ext(const char *what, const char *text)
{
	return json_pack("{s:s+, s:[{s:s, s:s}]}", "url", US_CORE, what, "extension", "url", "text",
			 "valueString", text);
}

static void patient_demo(json_t *row, json_t *p)
{
	static const char *const genders[][2] = {
	    {"F", "female"},
	    {"M", "male"},
	    {"O", "other"},
	    {"U", "unknown"},
	};
	for (size_t i = 0; col(row, "sex") && i < 4; i++)
		if (strcmp(col(row, "sex"), genders[i][0]) == 0)
			put(p, "gender", genders[i][1]);
	put(p, "birthDate", col(row, "birth_date"));
	if (col(row, "death_at"))
		put(p, "deceasedDateTime", col(row, "death_at"));
	else if (json_integer_value(json_object_get(row, "deceased")))
		put_new(p, "deceasedBoolean", json_true());
	if (col(row, "marital_status"))
		put_new(p, "maritalStatus",
			coding1("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus",
				col(row, "marital_status"), NULL));
	json_t *ext = json_array();
	if (col(row, "race"))
		json_array_append_new(ext, us_core_ext("us-core-race", col(row, "race")));
	if (col(row, "ethnicity"))
		json_array_append_new(ext, us_core_ext("us-core-ethnicity", col(row, "ethnicity")));
	if (json_array_size(ext))
		put_new(p, "extension", ext);
	else
		json_decref(ext);
	if (col(row, "language"))
		put_new(p, "communication",
			json_pack("[{s:o}]", "language",
				  coding1("urn:ietf:bcp:47", col(row, "language"), NULL)));
}

static json_t *build_patient(mrt_db *db, json_t *row, mrt_err *err)
{
	char id[FID_LEN];
	fid(id, col(row, "patient_ref"), "patient", col(row, "mrn"));
	json_t *p = json_pack("{s:s, s:s}", "resourceType", "Patient", "id", id);
	if (!p || patient_lists(db, row, p, err) != 0) {
		json_decref(p);
		return NULL;
	}
	patient_contact(row, p);
	patient_demo(row, p);
	put_new(p, "meta", security(db, "patient", row, err));
	return p;
}

/* ---- Encounter ------------------------------------------------------------------------ */

static const char *class_code(const char *klass)
{
	static const char *const m[][2] = {
	    {"inpatient", "IMP"},
	    {"outpatient", "AMB"},
	    {"emergency", "EMER"},
	    {"observation", "OBSENC"},
	};
	for (size_t i = 0; klass && i < 4; i++)
		if (strcmp(klass, m[i][0]) == 0)
			return m[i][1];
	return NULL;
}

static void participant(json_t *row, json_t *list, const char *role, const char *code)
{
	json_t *r = provider_ref(row, role);
	if (r)
		json_array_append_new(list,
				      json_pack("{s:[o], s:o}", "type",
						coding1(V3_PART, code, NULL), "individual", r));
}

static void hospitalization(json_t *row, json_t *e)
{
	json_t *h = json_object();
	if (col(row, "admit_source"))
		put_new(h, "admitSource", json_pack("{s:s}", "text", col(row, "admit_source")));
	json_t *dd = json_object();
	if (col(row, "discharge_status"))
		put_new(dd, "coding",
			json_pack("[{s:s, s:s}]", "system", NUBC_STATUS, "code",
				  col(row, "discharge_status")));
	put(dd, "text", col(row, "discharge_location"));
	if (json_object_size(dd))
		put_new(h, "dischargeDisposition", dd);
	else
		json_decref(dd);
	if (json_object_size(h))
		put_new(e, "hospitalization", h);
	else
		json_decref(h);
}

/* Encounter.diagnosis for the principal (rank 1) and admitting (use AD)
 * diagnoses of the current coding. */
static int enc_diagnoses(mrt_db *db, json_t *row, json_t *e, mrt_err *err)
{
	json_t *dx = NULL, *px = NULL, *out = json_array(), *v;
	size_t i;
	if (!out || chart_export_coding_items(db, json_integer_value(json_object_get(row, "id")),
					      &dx, &px, err) != 0) {
		json_decref(out);
		return err->code ? err->code : MRT_ENOMEM;
	}
	json_array_foreach(dx, i, v)
	{
		const char *kind = col(v, "kind");
		int principal = kind && strcmp(kind, "principal") == 0;
		if (!principal && !(kind && strcmp(kind, "admitting") == 0))
			continue;
		char id[FID_LEN];
		item_id(id, v, col(row, "account"), "condition");
		json_t *d = json_pack("{s:o, s:o}", "condition", ref_to("Condition", id), "use",
				      coding1(DX_ROLE, principal ? "DD" : "AD", NULL));
		if (d && principal)
			json_object_set_new(d, "rank", json_integer(1));
		json_array_append_new(out, d);
	}
	json_decref(dx);
	json_decref(px);
	if (json_array_size(out))
		put_new(e, "diagnosis", out);
	else
		json_decref(out);
	return 0;
}

static json_t *build_encounter(mrt_db *db, json_t *row, mrt_err *err)
{
	char id[FID_LEN];
	fid(id, col(row, "enc_ref"), "encounter", col(row, "account"));
	json_t *e =
	    json_pack("{s:s, s:s, s:[{s:s}], s:o}", "resourceType", "Encounter", "id", id,
		      "identifier", "value", col(row, "account"), "subject", patient_ref(row));
	if (!e)
		return NULL;
	put(e, "status", col(row, "status"));
	if (class_code(col(row, "class")))
		put_new(e, "class",
			json_pack("{s:s, s:s}", "system", V3_ACT, "code",
				  class_code(col(row, "class"))));
	json_t *period = json_object();
	put(period, "start", col(row, "admit_at"));
	put(period, "end", col(row, "discharge_at"));
	if (json_object_size(period))
		put_new(e, "period", period);
	else
		json_decref(period);
	json_t *parts = json_array();
	participant(row, parts, "attending", "ATND");
	participant(row, parts, "admitting", "ADM");
	if (json_array_size(parts))
		put_new(e, "participant", parts);
	else
		json_decref(parts);
	hospitalization(row, e);
	if (col(row, "facility"))
		put_new(e, "serviceProvider", json_pack("{s:s}", "display", col(row, "facility")));
	if (col(row, "service"))
		put_new(e, "serviceType", json_pack("{s:s}", "text", col(row, "service")));
	if (col(row, "reason"))
		put_new(e, "reasonCode", json_pack("[{s:s}]", "text", col(row, "reason")));
	put_new(e, "meta", security(db, "encounter", row, err));
	if (enc_diagnoses(db, row, e, err) != 0) {
		json_decref(e);
		return NULL;
	}
	return e;
}

/* ---- Condition, Procedure ---------------------------------------------------------------- */

static json_t *coded(json_t *row, const char *type, const char *kind, char *id)
{
	item_id(id, row, col(row, "enc_account"), kind);
	return json_pack("{s:s, s:s, s:o, s:o, s:o*}", "resourceType", type, "id", id, "code",
			 coding1(col(row, "system"), col(row, "code"), col(row, "display")),
			 "subject", patient_ref(row), "encounter", encounter_ref(row));
}

static json_t *build_condition(json_t *row)
{
	char id[FID_LEN];
	json_t *c = coded(row, "Condition", "condition", id);
	if (!c)
		return NULL;
	put_new(c, "category",
		json_pack("[o]", coding1("http://terminology.hl7.org/CodeSystem/condition-category",
					 "encounter-diagnosis", NULL)));
	put(c, "onsetDateTime", col(row, "onset"));
	return c;
}

static json_t *build_procedure(json_t *row)
{
	char id[FID_LEN];
	json_t *p = coded(row, "Procedure", "procedure", id);
	if (!p)
		return NULL;
	put(p, "status", "completed");
	put(p, "performedDateTime", col(row, "performed_at"));
	json_t *r = provider_ref(row, "surgeon");
	if (r)
		put_new(p, "performer", json_pack("[{s:o}]", "actor", r));
	return p;
}

/* ---- Practitioner, DocumentReference ------------------------------------------------------- */

static json_t *build_practitioner(json_t *row)
{
	char id[FID_LEN], key[512];
	snprintf(key, sizeof key, "%s|%s", col(row, "system") ? col(row, "system") : "",
		 col(row, "ident"));
	fid(id, NULL, "practitioner", key);
	json_t *ident = json_object();
	put(ident, "system", col(row, "system"));
	put(ident, "value", col(row, "ident"));
	json_t *p = json_pack("{s:s, s:s, s:[o]}", "resourceType", "Practitioner", "id", id,
			      "identifier", ident);
	json_t *n = json_object();
	put(n, "text", col(row, "name"));
	put(n, "family", col(row, "family"));
	if (col(row, "given"))
		put_new(n, "given", json_pack("[s]", col(row, "given")));
	if (json_object_size(n))
		put_new(p, "name", json_pack("[o]", n));
	else
		json_decref(n);
	if (col(row, "specialty"))
		put_new(p, "qualification",
			json_pack("[{s:{s:s}}]", "code", "text", col(row, "specialty")));
	return p;
}

static const char *doc_status(const char *s)
{
	static const char *const m[][2] = {
	    {"in-progress", "preliminary"},
	    {"signed", "final"},
	    {"amended", "amended"},
	    {"cancelled", "entered-in-error"},
	};
	for (size_t i = 0; s && i < 4; i++)
		if (strcmp(s, m[i][0]) == 0)
			return m[i][1];
	return NULL;
}

static json_t *attachment(json_t *row)
{
	json_t *a = json_object();
	put(a, "contentType", col(row, "content_type"));
	put(a, "url", col(row, "url"));
	const char *text = json_string_value(json_object_get(row, "text"));
	if (text && *text) {
		size_t n = strlen(text);
		size_t b64 = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
		char *buf = malloc(b64);
		if (buf) {
			sodium_bin2base64(buf, b64, (const unsigned char *)text, n,
					  sodium_base64_VARIANT_ORIGINAL);
			put(a, "data", buf);
			free(buf);
		}
	}
	return a;
}

static json_t *build_document(mrt_db *db, json_t *row, mrt_err *err)
{
	char id[FID_LEN];
	fid(id, col(row, "doc_ref"), "document", col(row, "doc_ref"));
	const char *st = col(row, "status");
	json_t *d = json_pack(
	    "{s:s, s:s, s:s, s:o, s:[{s:o}]}", "resourceType", "DocumentReference", "id", id,
	    "status", st && strcmp(st, "cancelled") == 0 ? "entered-in-error" : "current",
	    "subject", patient_ref(row), "content", "attachment", attachment(row));
	if (!d)
		return NULL;
	put(d, "docStatus", doc_status(st));
	if (col(row, "type"))
		put_new(d, "type", coding1(col(row, "type_system"), col(row, "type"), NULL));
	put(d, "description", col(row, "title"));
	put(d, "date", col(row, "written_at"));
	json_t *author = provider_ref(row, "author");
	if (author)
		put_new(d, "author", json_pack("[o]", author));
	json_t *enc = encounter_ref(row);
	if (enc)
		put_new(d, "context", json_pack("{s:[o]}", "encounter", enc));
	put_new(d, "meta", security(db, "document", row, err));
	return d;
}

json_t *xp_build(mrt_db *db, enum chart_export_kind kind, json_t *row, mrt_err *err)
{
	json_t *r = NULL;
	switch (kind) {
	case CHART_X_PATIENT:
		r = build_patient(db, row, err);
		break;
	case CHART_X_ENCOUNTER:
		r = build_encounter(db, row, err);
		break;
	case CHART_X_DIAGNOSIS:
		r = build_condition(row);
		break;
	case CHART_X_PROCEDURE:
		r = build_procedure(row);
		break;
	case CHART_X_PROVIDER:
		r = build_practitioner(row);
		break;
	case CHART_X_DOCUMENT:
		r = build_document(db, row, err);
		break;
	default:
		break;
	}
	if (!r && !err->code)
		mrt_err_set(err, MRT_ENOMEM, "export fhir: out of memory building a resource");
	return r;
}
