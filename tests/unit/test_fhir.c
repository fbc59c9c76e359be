/*
 * Unit tests for src/formats/fhir on small hand-made Bundles and NDJSON:
 * each mapping (Patient, Practitioner, Encounter, Condition, Procedure,
 * DocumentReference, meta.security), reference forms (urn:uuid fullUrls,
 * Type/id, absolute URLs, conditional), reading order of Bundle entries
 * and directory files, gzip NDJSON, and every bad input: not JSON, not a
 * resource, a wrong type, a missing id or subject, bad dates, unknown
 * references, bad attachments, an over-long line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "formats/fhir.h"

static fhir_reader *R;
static mrt_arena *A;
static struct fhir_item IT;
static char WHY[256];

static void open_mem(const char *text, int ndjson, size_t max_line)
{
	mrt_err err = {0};
	struct fhir_opts o = {.max_line = max_line};
	fhir_reader_close(R);
	R = NULL;
	assert_int_equal(fhir_reader_open_mem(&R, "t.json", text, strlen(text), ndjson, &o, &err),
			 0);
}

static int next(void)
{
	mrt_err err = {0};
	int rc = fhir_reader_next(R, &IT, &err);
	assert_true(rc >= 0);
	return rc;
}

/* Maps the next item, which must be a resource. */
static int map_next(struct fhir_res *res)
{
	assert_int_equal(next(), 1);
	assert_int_equal(IT.kind, FHIR_ITEM_RESOURCE);
	mrt_arena_reset(A);
	return fhir_map(IT.resource, R, A, res, WHY, sizeof WHY);
}

/* One resource given alone as a JSON document. */
static int map1(const char *json, struct fhir_res *res)
{
	open_mem(json, 0, 0);
	return map_next(res);
}

static int setup(void **state)
{
	(void)state;
	A = mrt_arena_new(4096);
	return A ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	fhir_reader_close(R);
	R = NULL;
	mrt_arena_free(A);
	return 0;
}

#define MR_TYPE                                                                                    \
	"{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"                        \
	"v2-0203\",\"code\":\"MR\"}]}"

static void test_patient(void **state)
{
	(void)state;
	struct fhir_res r;
	const char *p =
	    "{\"resourceType\":\"Patient\",\"id\":\"p1\","
	    "\"meta\":{\"security\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
	    "v3-Confidentiality\","
	    "\"code\":\"R\",\"display\":\"restricted\"}]},"
	    "\"identifier\":[{\"system\":\"urn:a\",\"value\":\"A-1\"},{\"value\":\"\"},"
	    "{\"system\":\"urn:hosp\",\"type\":" MR_TYPE ",\"value\":\"M-9\"}],"
	    "\"name\":[{\"use\":\"maiden\",\"family\":\"Old\",\"given\":[\"Ann\"]},"
	    "{\"use\":\"official\",\"family\":\"Smith\",\"given\":[\"Ann\",\"B\",\"C\"],\"prefix\":"
	    "[\"Ms.\"],"
	    "\"suffix\":[\"PhD\",\"Jr\"]},{\"use\":\"anonymous\",\"text\":\"X\"}],"
	    "\"telecom\":[{\"system\":\"email\",\"value\":\"e\"},{\"system\":\"phone\",\"value\":"
	    "\"555-1\","
	    "\"use\":\"mobile\"},{\"system\":\"phone\",\"value\":\"555-2\"}],"
	    "\"gender\":\"female\",\"birthDate\":\"1970-02-03\",\"deceasedDateTime\":\"2020-01-"
	    "02T03:04:05Z\","
	    "\"address\":[{\"line\":[\"1 Main St\",\"Apt 2\"],\"city\":\"Town\",\"state\":\"MA\","
	    "\"postalCode\":\"01000\",\"country\":\"US\"}],"
	    "\"maritalStatus\":{\"coding\":[{\"code\":\"M\"}]},"
	    "\"extension\":[{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/"
	    "us-core-race\","
	    "\"extension\":[{\"url\":\"ombCategory\",\"valueCoding\":{\"display\":\"White\"}}]},"
	    "{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity\","
	    "\"extension\":[{\"url\":\"text\",\"valueString\":\"Not Hispanic\"}]}],"
	    "\"communication\":[{\"language\":{\"coding\":[{\"code\":\"en-US\"}]}}]}";
	assert_int_equal(map1(p, &r), FHIR_MAP_OK);
	assert_int_equal(r.type, FHIR_PATIENT);
	assert_string_equal(r.id, "p1");
	const struct fhir_patient *x = &r.u.patient;
	assert_int_equal(x->n_idents, 2); /* the empty value is left out */
	assert_int_equal(x->mrn, 1);
	assert_string_equal(x->idents[1].value, "M-9");
	assert_string_equal(x->idents[1].type, "MR");
	assert_string_equal(x->idents[1].system, "urn:hosp");
	assert_string_equal(x->idents[0].type, "");
	assert_int_equal(x->n_names, 3);
	assert_int_equal(x->official, 1);
	assert_string_equal(x->names[1].given, "Ann");
	assert_string_equal(x->names[1].middle, "B C");
	assert_string_equal(x->names[1].prefix, "Ms.");
	assert_string_equal(x->names[1].suffix, "PhD Jr");
	assert_string_equal(x->names[0].use, "maiden");
	assert_string_equal(x->names[2].use, "alias");
	assert_string_equal(x->sex, "F");
	assert_string_equal(x->birth_date, "1970-02-03");
	assert_int_equal(x->deceased, 1);
	assert_string_equal(x->death_at, "2020-01-02T03:04:05Z");
	assert_string_equal(x->phone_mobile, "555-1");
	assert_string_equal(x->phone_home, "555-2");
	assert_null(x->phone_work);
	assert_string_equal(x->address_line, "1 Main St, Apt 2");
	assert_string_equal(x->postal_code, "01000");
	assert_string_equal(x->marital_status, "M");
	assert_string_equal(x->race, "White");
	assert_string_equal(x->ethnicity, "Not Hispanic");
	assert_string_equal(x->language, "en-US");
	assert_int_equal(r.n_labels, 1);
	assert_string_equal(r.labels[0].code, "R");
	assert_string_equal(r.labels[0].display, "restricted");
	assert_int_equal(next(), 0);
}

static void test_patient_minimal(void **state)
{
	(void)state;
	struct fhir_res r;
	assert_int_equal(
	    map1("{\"resourceType\":\"Patient\",\"id\":\"a.b-C\",\"deceasedBoolean\":false,"
		 "\"identifier\":[{\"value\":\"V1\"},{\"value\":\"V2\"}]}",
		 &r),
	    FHIR_MAP_OK);
	assert_int_equal(r.u.patient.n_idents, 2);
	assert_int_equal(r.u.patient.mrn, 0); /* no MR: the first */
	assert_int_equal(r.u.patient.deceased, 0);
	assert_null(r.u.patient.sex);
	assert_int_equal(map1("{\"resourceType\":\"Patient\",\"id\":\"x\"}", &r), FHIR_MAP_OK);
	assert_int_equal(r.u.patient.n_idents, 0);
	assert_int_equal(r.u.patient.deceased, -1);
}

static void test_patient_bad(void **state)
{
	(void)state;
	struct fhir_res r;
	static const struct {
		const char *json, *why;
	} bad[] = {
	    {"{\"resourceType\":\"Patient\"}", "Patient.id is missing"},
	    {"{\"resourceType\":\"Patient\",\"id\":\"a b\"}", "Patient.id is not a valid id"},
	    {"{\"resourceType\":\"Patient\",\"id\":\"x\",\"gender\":\"f\"}", "Patient.gender"},
	    {"{\"resourceType\":\"Patient\",\"id\":\"x\",\"gender\":1}", "Patient.gender is not a"},
	    {"{\"resourceType\":\"Patient\",\"id\":\"x\",\"birthDate\":\"1970-02-30\"}",
	     "Patient.birthDate is not a valid date"},
	    {"{\"resourceType\":\"Patient\",\"id\":\"x\",\"deceasedDateTime\":\"yesterday\"}",
	     "Patient.deceasedDateTime is not a valid date"},
	    {"{\"resourceType\":\"Patient\",\"id\":\"x\",\"deceasedBoolean\":\"yes\"}",
	     "deceasedBoolean is not a boolean"},
	    {"{\"resourceType\":\"Patient\",\"id\":\"x\",\"name\":\"Ada Smith\"}",
	     "Patient.name is not a list of HumanName"},
	    {"{\"resourceType\":\"Patient\",\"id\":\"x\",\"name\":[{\"family\":\"A\"},\"B\"]}",
	     "Patient.name[1] is not a HumanName"},
	    {"{\"resourceType\":\"Patient\",\"id\":\"x\",\"meta\":{\"security\":[{\"system\":\"s\"}"
	     "]}}",
	     "meta.security[0] has no code"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(map1(bad[i].json, &r), FHIR_MAP_REJECT);
		if (!strstr(WHY, bad[i].why))
			fail_msg("case %zu: reason '%s'", i, WHY);
	}
}

static void test_dates(void **state)
{
	(void)state;
	static const char *const good[] = {
	    "2020",
	    "2020-02",
	    "2020-02-29",
	    "2020-02-29T23:59:59Z",
	    "2020-01-01T00:00:00.123-04:00",
	    "2014-07-10T00:43:38+14:00",
	    "2137-09-02T17:05:00", /* local time, no zone */
	};
	static const char *const bad[] = {
	    "",
	    "20",
	    "2020-13",
	    "2019-02-29",
	    "2020-1-01",
	    "2020-01-01T25:00:00Z",
	    "2020-01-01T10:00Z",
	    "2020-01-01T10:00",
	    "2020-01-01T10:00:00+1:00",
	    "2020-01-01x",
	    "0000",
	    "2020-01-01T10:00:00.Z",
	    "abcd",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (fhir_date_check(good[i]) != 0)
			fail_msg("good date %s refused", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (fhir_date_check(bad[i]) == 0)
			fail_msg("bad date '%s' accepted", bad[i]);
	assert_int_equal(fhir_date_check(NULL), MRT_EPARSE);
}

/* A Bundle whose entries come in the wrong order and refer by urn:uuid. */
static const char BUNDLE[] =
    "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
    "{\"fullUrl\":\"urn:uuid:c1\",\"resource\":{\"resourceType\":\"Condition\",\"id\":\"c1\","
    "\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"44054006\","
    "\"display\":\"Diabetes\"},{\"system\":\"http://hl7.org/fhir/sid/"
    "icd-10-cm\",\"code\":\"E11.9\"}],"
    "\"text\":\"DM2\"},\"category\":[{\"coding\":[{\"code\":\"encounter-diagnosis\"}]}],"
    "\"subject\":{\"reference\":\"urn:uuid:p1\"},\"encounter\":{\"reference\":\"urn:uuid:e1\"},"
    "\"onsetDateTime\":\"2020-01-01T10:00:00Z\"}},"
    "{\"fullUrl\":\"urn:uuid:o1\",\"resource\":{\"resourceType\":\"Observation\",\"id\":\"o1\"}},"
    "{\"fullUrl\":\"urn:uuid:e1\",\"resource\":{\"resourceType\":\"Encounter\",\"id\":\"e1\","
    "\"identifier\":[{\"value\":\"ACC-1\"}],\"status\":\"finished\",\"class\":{\"code\":\"IMP\"},"
    "\"period\":{\"start\":\"2020-01-01T09:00:00Z\",\"end\":\"2020-01-05\"},"
    "\"hospitalization\":{\"admitSource\":{\"coding\":[{\"code\":\"emd\"}]},"
    "\"dischargeDisposition\":"
    "{\"coding\":[{\"system\":\"https://www.nubc.org/CodeSystem/"
    "PatDischargeStatus\",\"code\":\"01\"}],"
    "\"text\":\"Home\"}},\"serviceProvider\":{\"display\":\"General\"},"
    "\"participant\":[{\"type\":[{\"coding\":[{\"code\":\"ADM\"}]}],\"individual\":"
    "{\"reference\":\"Practitioner?identifier=http://hl7.org/fhir/sid/"
    "us-npi|123\",\"display\":\"Dr A\"}},"
    "{\"type\":[{\"coding\":[{\"code\":\"ATND\"}]}],\"individual\":{\"reference\":\"urn:uuid:d1\"}}"
    ","
    "{\"individual\":{\"reference\":\"RelatedPerson/r1\"}}],"
    "\"reasonCode\":[{\"coding\":[{\"display\":\"Chest pain\"}]}],"
    "\"diagnosis\":[{\"condition\":{\"reference\":\"urn:uuid:c1\"},\"rank\":1},"
    "{\"condition\":{\"reference\":\"Condition/c9\"},\"use\":{\"coding\":[{\"code\":\"AD\"}]}},"
    "{\"condition\":{\"reference\":\"Condition/c8\"},\"rank\":2}],"
    "\"subject\":{\"reference\":\"urn:uuid:p1\"}}},"
    "{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient/zz\"}},"
    "{\"fullUrl\":\"urn:uuid:d1\",\"resource\":{\"resourceType\":\"Practitioner\",\"id\":\"d1\","
    "\"identifier\":[{\"system\":\"urn:x\",\"value\":\"X1\"},{\"system\":\"http://hl7.org/fhir/sid/"
    "us-npi\","
    "\"value\":\"999\"}],\"name\":[{\"family\":\"Who\",\"given\":[\"Doc\",\"T\"]}],"
    "\"qualification\":[{\"code\":{\"coding\":[{\"display\":\"Cardiology\"}]}}]}},"
    "{\"fullUrl\":\"urn:uuid:p1\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p1\"}}]}";

static void test_bundle(void **state)
{
	(void)state;
	struct fhir_res r;
	open_mem(BUNDLE, 0, 0);
	/* Practitioner, Patient, Encounter, Condition, then the rest. */
	assert_int_equal(map_next(&r), FHIR_MAP_OK);
	assert_int_equal(r.type, FHIR_PRACTITIONER);
	assert_string_equal(IT.position, "entry 4");
	assert_string_equal(r.u.practitioner.system, "http://hl7.org/fhir/sid/us-npi");
	assert_string_equal(r.u.practitioner.ident, "999");
	assert_string_equal(r.u.practitioner.family, "Who");
	assert_string_equal(r.u.practitioner.given, "Doc T");
	assert_string_equal(r.u.practitioner.specialty, "Cardiology");
	assert_int_equal(map_next(&r), FHIR_MAP_OK);
	assert_int_equal(r.type, FHIR_PATIENT);
	assert_int_equal(map_next(&r), FHIR_MAP_OK);
	assert_int_equal(r.type, FHIR_ENCOUNTER);
	const struct fhir_encounter *e = &r.u.encounter;
	assert_string_equal(e->account, "ACC-1");
	assert_string_equal(e->klass, "inpatient");
	assert_string_equal(e->status, "finished");
	assert_string_equal(e->start, "2020-01-01T09:00:00Z");
	assert_string_equal(e->end, "2020-01-05");
	assert_string_equal(e->admit_source, "emd");
	assert_string_equal(e->discharge_status, "01");
	assert_string_equal(e->discharge_location, "Home");
	assert_string_equal(e->facility, "General");
	assert_string_equal(e->reason, "Chest pain");
	assert_string_equal(e->subject.type, "Patient");
	assert_string_equal(e->subject.id, "p1");
	assert_string_equal(e->attending.type, "Practitioner");
	assert_string_equal(e->attending.id, "d1");
	assert_null(e->admitting.id);
	assert_string_equal(e->admitting.system, "http://hl7.org/fhir/sid/us-npi");
	assert_string_equal(e->admitting.value, "123");
	assert_string_equal(e->admitting.display, "Dr A");
	assert_int_equal(e->n_dx, 2); /* rank 2 with no use gives no role */
	assert_string_equal(e->dx[0].condition.id, "c1");
	assert_string_equal(e->dx[0].kind, "principal");
	assert_string_equal(e->dx[1].condition.id, "c9");
	assert_string_equal(e->dx[1].kind, "admitting");
	assert_int_equal(map_next(&r), FHIR_MAP_OK);
	assert_int_equal(r.type, FHIR_CONDITION);
	const struct fhir_condition *c = &r.u.condition;
	assert_int_equal(c->code.n, 2);
	assert_int_equal(c->code.preferred, 1); /* the ICD-10-CM coding */
	assert_string_equal(c->code.coding[0].code, "44054006");
	assert_string_equal(c->code.coding[0].display, "Diabetes");
	assert_string_equal(c->code.text, "DM2");
	assert_string_equal(c->category, "encounter-diagnosis");
	assert_string_equal(c->onset, "2020-01-01T10:00:00Z");
	assert_string_equal(c->encounter.id, "e1");
	assert_string_equal(c->subject.id, "p1");
	assert_int_equal(map_next(&r), FHIR_MAP_SKIP);
	assert_int_equal(r.type, FHIR_OTHER);
	/* The DELETE entry has no resource. */
	assert_int_equal(next(), 1);
	assert_int_equal(IT.kind, FHIR_ITEM_REJECT);
	assert_string_equal(IT.position, "entry 3");
	assert_string_equal(IT.reason, "Bundle entry with no resource");
	assert_true(IT.len > 0 && strstr(IT.content, "DELETE"));
	assert_int_equal(next(), 0);
	assert_string_equal(fhir_reader_full_url(R, "urn:uuid:e1"), "Encounter/e1");
	assert_null(fhir_reader_full_url(R, "urn:uuid:nope"));
}

static void test_encounter_classes(void **state)
{
	(void)state;
	static const char *const cls[][2] = {
	    {"IMP", "inpatient"},  {"ACUTE", "inpatient"}, {"NONAC", "inpatient"},
	    {"AMB", "outpatient"}, {"EMER", "emergency"},  {"OBSENC", "observation"},
	    {"HH", NULL},
	};
	for (size_t i = 0; i < sizeof cls / sizeof cls[0]; i++) {
		char json[300];
		struct fhir_res r;
		snprintf(json, sizeof json,
			 "{\"resourceType\":\"Encounter\",\"id\":\"e\",\"status\":"
			 "\"arrived\",\"class\":{\"code\":\"%s\"},\"subject\":{\"reference\":"
			 "\"http://x.org/fhir/Patient/p9/_history/2\"}}",
			 cls[i][0]);
		assert_int_equal(map1(json, &r), FHIR_MAP_OK);
		if (cls[i][1])
			assert_string_equal(r.u.encounter.klass, cls[i][1]);
		else
			assert_null(r.u.encounter.klass);
		assert_string_equal(r.u.encounter.status, "in-progress");
		assert_string_equal(r.u.encounter.subject.id, "p9");
		assert_null(r.u.encounter.account);
	}
}

static void test_references_bad(void **state)
{
	(void)state;
	struct fhir_res r;
	static const struct {
		const char *json, *why;
	} bad[] = {
	    {"{\"resourceType\":\"Encounter\",\"id\":\"e\"}", "Encounter.subject is missing"},
	    {"{\"resourceType\":\"Encounter\",\"id\":\"e\",\"subject\":{\"reference\":\"urn:uuid:"
	     "zz\"}}",
	     "Encounter.subject: unresolvable reference (no Bundle entry"},
	    {"{\"resourceType\":\"Encounter\",\"id\":\"e\",\"subject\":{\"reference\":\"Group/"
	     "g\"}}",
	     "Encounter.subject refers to a Group, not a Patient"},
	    {"{\"resourceType\":\"Encounter\",\"id\":\"e\",\"subject\":{\"reference\":\"#"
	     "contained\"}}",
	     "Encounter.subject: unresolvable reference"},
	    {"{\"resourceType\":\"Encounter\",\"id\":\"e\",\"subject\":{\"reference\":\"Patient?"
	     "name=x\"}}",
	     "Encounter.subject: unresolvable reference"},
	    {"{\"resourceType\":\"Encounter\",\"id\":\"e\",\"status\":\"done\",\"subject\":"
	     "{\"reference\":\"Patient/p\"}}",
	     "Encounter.status is not an R4"},
	    {"{\"resourceType\":\"Encounter\",\"id\":\"e\",\"period\":{\"start\":\"2020-02-30\"},"
	     "\"subject\":{\"reference\":\"Patient/p\"}}",
	     "Encounter.period.start is not a valid date"},
	    {"{\"resourceType\":\"Condition\",\"id\":\"c\",\"subject\":{\"reference\":\"Patient/"
	     "p\"}}",
	     "Condition.code has no coding with a code"},
	    {"{\"resourceType\":\"Condition\",\"id\":\"c\",\"code\":{\"coding\":[{\"system\":\"s\","
	     "\"code\":\"1\"}]}}",
	     "Condition.subject is missing"},
	    {"{\"resourceType\":\"Condition\",\"id\":\"c\",\"code\":{\"coding\":[{\"code\":\"1\"}]}"
	     ","
	     "\"subject\":{\"reference\":\"Patient/p\"}}",
	     "Condition.code has no coding with a system"},
	    {"{\"resourceType\":\"Condition\",\"id\":\"c\",\"code\":{\"coding\":[{\"system\":\"s\","
	     "\"code\":\"1\"}]},\"subject\":{\"reference\":\"Patient/p\"},\"encounter\":"
	     "{\"reference\":\"Patient/p\"}}",
	     "Condition.encounter refers to a Patient, not a Encounter"},
	    {"{\"resourceType\":\"Procedure\",\"id\":\"x\",\"code\":{\"coding\":[{\"system\":\"s\","
	     "\"code\":\"1\"}]},\"subject\":{\"reference\":\"Patient/p\"},\"performedDateTime\":"
	     "\"2020-01-01T10:00\"}",
	     "Procedure.performed is not a valid date"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(map1(bad[i].json, &r), FHIR_MAP_REJECT);
		if (!strstr(WHY, bad[i].why))
			fail_msg("case %zu: reason '%s'", i, WHY);
	}
}

static void test_procedure(void **state)
{
	(void)state;
	struct fhir_res r;
	assert_int_equal(
	    map1("{\"resourceType\":\"Procedure\",\"id\":\"x1\",\"status\":\"completed\","
		 "\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":"
		 "\"430193006\"}]},\"subject\":{\"reference\":\"Patient/p\"},"
		 "\"encounter\":{\"reference\":\"Encounter/e\"},\"performedPeriod\":"
		 "{\"start\":\"2017-07-13T00:43:38-04:00\"},\"performer\":[{\"actor\":"
		 "{\"reference\":\"Practitioner/d7\"}}]}",
		 &r),
	    FHIR_MAP_OK);
	const struct fhir_procedure *p = &r.u.procedure;
	assert_string_equal(p->code.coding[0].system, "http://snomed.info/sct");
	assert_string_equal(p->performed_at, "2017-07-13T00:43:38-04:00");
	assert_string_equal(p->performer.id, "d7");
	assert_string_equal(p->encounter.id, "e");
	assert_string_equal(p->status, "completed");
	/* An Organization performer is not a provider: left out, not a reject. */
	assert_int_equal(map1("{\"resourceType\":\"Procedure\",\"id\":\"x2\",\"code\":{\"coding\":"
			      "[{\"code\":\"1\"},{\"system\":\"urn:s\",\"code\":\"2\"}]},"
			      "\"subject\":{\"reference\":\"Patient/p\"},"
			      "\"performer\":[{\"actor\":{\"reference\":\"Organization/o\"}}]}",
			      &r),
			 FHIR_MAP_OK);
	assert_null(r.u.procedure.performer.type);
	assert_string_equal(r.u.procedure.code.coding[0].system, "");
	assert_int_equal(r.u.procedure.code.preferred, 1); /* the first coding with a system */
}

static void test_document(void **state)
{
	(void)state;
	struct fhir_res r;
	/* "Hello, note" in base64, split over lines. */
	assert_int_equal(
	    map1("{\"resourceType\":\"DocumentReference\",\"id\":\"d1\",\"status\":"
		 "\"current\",\"docStatus\":\"amended\",\"type\":{\"coding\":[{\"system\":"
		 "\"http://loinc.org\",\"code\":\"34117-2\"}],\"text\":\"H&P\"},"
		 "\"subject\":{\"reference\":\"Patient/"
		 "p\"},\"date\":\"2014-07-10T00:43:38.126-04:00\","
		 "\"author\":[{\"reference\":\"Practitioner/d\"}],\"content\":[{\"attachment\":"
		 "{\"contentType\":\"text/plain\",\"data\":\"SGVsbG8s\\nIG5vdGU=\"}}],"
		 "\"context\":{\"encounter\":[{\"reference\":\"Encounter/e\"}]}}",
		 &r),
	    FHIR_MAP_OK);
	const struct fhir_document *d = &r.u.document;
	assert_string_equal(d->text, "Hello, note");
	assert_string_equal(d->status, "amended");
	assert_string_equal(d->type, "34117-2");
	assert_string_equal(d->type_system, "http://loinc.org");
	assert_string_equal(d->title, "H&P");
	assert_string_equal(d->written_at, "2014-07-10T00:43:38.126-04:00");
	assert_string_equal(d->encounter.id, "e");
	assert_string_equal(d->author.id, "d");
	assert_string_equal(d->content_type, "text/plain");
	static const struct {
		const char *status, *doc_status, *want;
	} st[] = {
	    {"superseded", NULL, "signed"},	     {"current", NULL, "signed"},
	    {"entered-in-error", NULL, "cancelled"}, {"current", "preliminary", "in-progress"},
	    {"current", "final", "signed"},
	};
	for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
		char json[400];
		snprintf(
		    json, sizeof json,
		    "{\"resourceType\":\"DocumentReference\",\"id\":\"d\","
		    "\"status\":\"%s\"%s%s%s,\"subject\":{\"reference\":\"Patient/p\"},\"content\":"
		    "[{\"attachment\":{\"url\":\"http://x/1\"}}]}",
		    st[i].status, st[i].doc_status ? ",\"docStatus\":\"" : "",
		    st[i].doc_status ? st[i].doc_status : "", st[i].doc_status ? "\"" : "");
		assert_int_equal(map1(json, &r), FHIR_MAP_OK);
		assert_string_equal(r.u.document.status, st[i].want);
		assert_string_equal(r.u.document.url, "http://x/1");
		assert_null(r.u.document.text);
	}
}

static void test_document_bad(void **state)
{
	(void)state;
	struct fhir_res r;
	static const struct {
		const char *att, *why;
	} bad[] = {
	    {"{\"data\":\"!!!notbase64\"}", "attachment.data is not base64"},
	    {"{\"data\":\"/w==\"}", "attachment.data is not UTF-8 text"}, /* 0xFF */
	    {"{\"data\":\"YQBi\"}", "attachment.data is not UTF-8 text"}, /* "a\0b" */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char json[300];
		snprintf(
		    json, sizeof json,
		    "{\"resourceType\":\"DocumentReference\",\"id\":\"d\","
		    "\"status\":\"current\",\"subject\":{\"reference\":\"Patient/p\"},\"content\":"
		    "[{\"attachment\":%s}]}",
		    bad[i].att);
		assert_int_equal(map1(json, &r), FHIR_MAP_REJECT);
		if (!strstr(WHY, bad[i].why))
			fail_msg("case %zu: reason '%s'", i, WHY);
	}
	assert_int_equal(
	    map1("{\"resourceType\":\"DocumentReference\",\"id\":\"d\",\"status\":\"x\","
		 "\"subject\":{\"reference\":\"Patient/p\"},\"content\":[{\"attachment\":{}}]}",
		 &r),
	    FHIR_MAP_REJECT);
	assert_non_null(strstr(WHY, "DocumentReference.status is missing or not an R4 code"));
	assert_int_equal(
	    map1("{\"resourceType\":\"DocumentReference\",\"id\":\"d\",\"status\":\"current\","
		 "\"subject\":{\"reference\":\"Patient/p\"}}",
		 &r),
	    FHIR_MAP_REJECT);
	assert_non_null(strstr(WHY, "content.attachment is missing"));
}

static void test_not_json(void **state)
{
	(void)state;
	open_mem("this is { not JSON", 0, 0);
	assert_int_equal(next(), 1);
	assert_int_equal(IT.kind, FHIR_ITEM_FILE_REJECT);
	assert_string_equal(IT.position, "file");
	assert_non_null(strstr(IT.reason, "not JSON (line 1"));
	assert_int_equal(IT.len, strlen("this is { not JSON"));
	assert_memory_equal(IT.content, "this is { not JSON", IT.len);
	assert_int_equal(next(), 0);
	/* JSON but not a resource. */
	open_mem("[1,2,3]", 0, 0);
	assert_int_equal(next(), 1);
	assert_int_equal(IT.kind, FHIR_ITEM_FILE_REJECT);
	assert_non_null(strstr(IT.reason, "no resourceType"));
	assert_int_equal(next(), 0);
	/* A resourceType that is not a string is not a resource. */
	open_mem("{\"resourceType\":5}", 0, 0);
	assert_int_equal(next(), 1);
	assert_int_equal(IT.kind, FHIR_ITEM_FILE_REJECT);
	/* NDJSON whose first line is not JSON: the whole file. */
	open_mem("garbage\n{\"resourceType\":\"Patient\",\"id\":\"p\"}\n", 1, 0);
	assert_int_equal(next(), 1);
	assert_int_equal(IT.kind, FHIR_ITEM_FILE_REJECT);
	assert_non_null(strstr(IT.reason, "not NDJSON (line 1"));
	assert_int_equal(IT.len, strlen("garbage\n{\"resourceType\":\"Patient\",\"id\":\"p\"}\n"));
	assert_int_equal(next(), 0);
}

static void test_ndjson(void **state)
{
	(void)state;
	struct fhir_res r;
	const char *text = "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\r\n"
			   "\n"
			   "   \n"
			   "{\"resourceType\":\"Patient\",\"id\":\"p2\"\n"
			   "[1]\n"
			   "{\"resourceType\":\"Observation\",\"id\":\"o\"}\n"
			   "{\"resourceType\":\"Patient\",\"id\":\"p3\",\"padding\":\""
			   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n"
			   "{\"resourceType\":\"Patient\",\"id\":\"p4\"}";
	open_mem(text, 1, 60);
	assert_int_equal(map_next(&r), FHIR_MAP_OK);
	assert_string_equal(r.id, "p1");
	assert_string_equal(IT.position, "line 1");
	assert_int_equal(next(), 1);
	assert_int_equal(IT.kind, FHIR_ITEM_REJECT);
	assert_string_equal(IT.position, "line 4");
	assert_non_null(strstr(IT.reason, "not JSON"));
	assert_int_equal(next(), 1);
	assert_int_equal(IT.kind, FHIR_ITEM_REJECT);
	assert_string_equal(IT.position, "line 5");
	assert_string_equal(IT.reason, "not a FHIR resource (no resourceType)");
	assert_int_equal(map_next(&r), FHIR_MAP_SKIP);
	assert_int_equal(next(), 1); /* over the 60-byte cap */
	assert_int_equal(IT.kind, FHIR_ITEM_REJECT);
	assert_string_equal(IT.position, "line 7");
	assert_string_equal(IT.reason, "line longer than 60 bytes");
	assert_true(IT.len > 60);
	assert_int_equal(map_next(&r), FHIR_MAP_OK); /* no final newline */
	assert_string_equal(r.id, "p4");
	assert_string_equal(IT.position, "line 8");
	assert_int_equal(next(), 0);
}

static void test_huge_line(void **state)
{
	(void)state;
	size_t n = (size_t)3 << 20;
	char *big = malloc(n + 64);
	assert_non_null(big);
	memset(big, 'x', n);
	static const char tail[] = "\n{\"resourceType\":\"Patient\",\"id\":\"after\"}\n";
	memcpy(big + n, tail, sizeof tail - 1);
	mrt_err err = {0};
	struct fhir_opts o = {.max_line = 1 << 20};
	fhir_reader_close(R);
	assert_int_equal(
	    fhir_reader_open_mem(&R, "big.ndjson", big, n + sizeof tail - 1, 1, &o, &err), 0);
	assert_int_equal(next(), 1);
	/* The first line is not JSON and too long: the whole file is refused
	 * only when its first line fails; here the cap is hit first. */
	assert_int_equal(IT.kind, FHIR_ITEM_REJECT);
	assert_string_equal(IT.reason, "line longer than 1048576 bytes");
	assert_int_equal(IT.len, FHIR_REJECT_KEEP);
	struct fhir_res r;
	assert_int_equal(map_next(&r), FHIR_MAP_OK);
	assert_string_equal(r.id, "after");
	assert_int_equal(next(), 0);
	fhir_reader_close(R);
	R = NULL;
	free(big);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_directory(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_fhir_XXXXXX", path[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/Condition.ndjson", dir);
	write_file(path, "{\"resourceType\":\"Condition\",\"id\":\"c\"}\n");
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	write_file(path, "not read\n");
	snprintf(path, sizeof path, "%s/Patient.000.ndjson.gz", dir);
	gzFile gz = gzopen(path, "wb");
	assert_non_null(gz);
	gzputs(gz, "{\"resourceType\":\"Patient\",\"id\":\"pz\"}\n");
	gzclose(gz);
	snprintf(path, sizeof path, "%s/Encounter.ndjson.gz", dir);
	write_file(path, "\x1f\x8b\x08\x01garbage that is not deflate");
	mrt_err err = {0};
	fhir_reader_close(R);
	assert_int_equal(fhir_reader_open(&R, dir, NULL, &err), 0);
	struct fhir_res r;
	assert_int_equal(map_next(&r), FHIR_MAP_OK); /* Patient first, inflated */
	assert_string_equal(r.id, "pz");
	assert_non_null(strstr(IT.file, "Patient.000.ndjson.gz"));
	assert_int_equal(next(), 1); /* the damaged gzip file */
	assert_int_equal(IT.kind, FHIR_ITEM_FILE_REJECT);
	assert_non_null(strstr(IT.file, "Encounter.ndjson.gz"));
	assert_non_null(strstr(IT.reason, "damaged compressed stream"));
	assert_int_equal(IT.len, 31);
	assert_int_equal(map_next(&r), FHIR_MAP_REJECT); /* Condition, no code */
	assert_int_equal(next(), 0);
	assert_int_equal(fhir_reader_files(R), 3);
	fhir_reader_close(R);
	R = NULL;
	assert_int_equal(fhir_reader_open(&R, "/nonexistent/fhir", NULL, &err), MRT_ENOTFOUND);
	static const char *const names[] = {"Condition.ndjson", "notes.txt",
					    "Patient.000.ndjson.gz", "Encounter.ndjson.gz"};
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_patient),	   cmocka_unit_test(test_patient_minimal),
	    cmocka_unit_test(test_patient_bad),	   cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_bundle),	   cmocka_unit_test(test_encounter_classes),
	    cmocka_unit_test(test_references_bad), cmocka_unit_test(test_procedure),
	    cmocka_unit_test(test_document),	   cmocka_unit_test(test_document_bad),
	    cmocka_unit_test(test_not_json),	   cmocka_unit_test(test_ndjson),
	    cmocka_unit_test(test_huge_line),	   cmocka_unit_test(test_directory),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
