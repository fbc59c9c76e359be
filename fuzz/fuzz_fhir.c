/*
 * Fuzz target for the FHIR reader and mapper (formats/fhir): the same bytes
 * are read as one JSON document (a Bundle or a resource) and as NDJSON
 * with a small line cap, and every resource is mapped; every string of a
 * mapped struct is read so the sanitizers see a dangling one.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/fhir.h"

static size_t sink;

static void touch(const char *s)
{
	if (s)
		sink += strlen(s);
}

static void touch_ref(const struct fhir_ref *r)
{
	touch(r->type);
	touch(r->id);
	touch(r->system);
	touch(r->value);
	touch(r->display);
}

static void touch_codeable(const struct fhir_codeable *c)
{
	for (size_t i = 0; i < c->n; i++) {
		touch(c->coding[i].system);
		touch(c->coding[i].code);
		touch(c->coding[i].display);
	}
	if (c->n)
		touch(c->coding[c->preferred].code);
	touch(c->text);
}

static void touch_res(const struct fhir_res *r)
{
	touch(r->id);
	for (size_t i = 0; i < r->n_labels; i++)
		touch(r->labels[i].code);
	switch (r->type) {
	case FHIR_PATIENT:
		for (size_t i = 0; i < r->u.patient.n_idents; i++)
			touch(r->u.patient.idents[i].value);
		if (r->u.patient.n_idents)
			touch(r->u.patient.idents[r->u.patient.mrn].value);
		for (size_t i = 0; i < r->u.patient.n_names; i++)
			touch(r->u.patient.names[i].middle);
		if (r->u.patient.n_names)
			touch(r->u.patient.names[r->u.patient.official].family);
		touch(r->u.patient.address_line);
		touch(r->u.patient.birth_date);
		break;
	case FHIR_ENCOUNTER:
		touch(r->u.encounter.account);
		touch_ref(&r->u.encounter.subject);
		touch_ref(&r->u.encounter.attending);
		touch_ref(&r->u.encounter.admitting);
		break;
	case FHIR_CONDITION:
		touch_codeable(&r->u.condition.code);
		touch_ref(&r->u.condition.encounter);
		break;
	case FHIR_PROCEDURE:
		touch_codeable(&r->u.procedure.code);
		touch_ref(&r->u.procedure.performer);
		break;
	case FHIR_PRACTITIONER:
		touch(r->u.practitioner.given);
		break;
	case FHIR_DOCUMENT:
		touch(r->u.document.text);
		touch_ref(&r->u.document.encounter);
		break;
	default:
		break;
	}
}

static void run(const uint8_t *data, size_t size, int ndjson)
{
	mrt_err err = {0};
	fhir_reader *r = NULL;
	struct fhir_opts o = {.max_line = 4096, .max_file = 1 << 20};
	mrt_arena *a = mrt_arena_new(4096);
	if (!a || fhir_reader_open_mem(&r, "fuzz", data, size, ndjson, &o, &err) != 0) {
		mrt_arena_free(a);
		return;
	}
	struct fhir_item it;
	while (fhir_reader_next(r, &it, &err) == 1) {
		sink += it.len + strlen(it.position) + strlen(it.reason);
		if (it.kind != FHIR_ITEM_RESOURCE)
			continue;
		struct fhir_res res;
		char why[256];
		mrt_arena_reset(a);
		if (fhir_map(it.resource, r, a, &res, why, sizeof why) == FHIR_MAP_OK)
			touch_res(&res);
		else
			sink += strlen(why);
	}
	fhir_reader_close(r);
	mrt_arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, 0);
	run(data, size, 1);
	(void)fhir_date_check("2020-01-01");
	return 0;
}
