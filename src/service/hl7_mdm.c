/*
 * HL7 v2 MDM (T01-T11) to the chart: the TXA segment as a document with
 * its OBX text, status, author, signature time and confidentiality label.
 */
#include <string.h>

#include "chart/chart_export.h"
#include "service/hl7_int.h"

#define SYS_0272 "http://terminology.hl7.org/CodeSystem/v2-0272"
#define TEXT_MAX (8u << 20)

/* TXA-17 (table 0271) and TXA-19 (table 0273) to a document status. */
static const char *doc_status(const char *completion, const char *avail, const char *trigger)
{
	if (strcmp(trigger, "T11") == 0 || (avail && strcmp(avail, "CA") == 0))
		return "cancelled";
	if (completion && (strcmp(completion, "AU") == 0 || strcmp(completion, "LA") == 0))
		return "signed";
	return "in-progress";
}

static int is_text_type(const char *t)
{
	return t && (!strcmp(t, "TX") || !strcmp(t, "FT") || !strcmp(t, "ST") || !strcmp(t, "TXT"));
}

/* OBX-5 of every text OBX, repetitions and segments joined by newlines;
 * NULL when there is none. */
static int doc_text(struct hl7_map *x, const char **out)
{
	mrt_buf text = MRT_BUF_INIT(TEXT_MAX);
	int any = 0, rc = 0;
	for (unsigned occ = 1; rc == 0; occ++) {
		long obx = hl7_seg_find(x->m, "OBX", occ);
		if (obx < 0)
			break;
		if (!is_text_type(hm_get(x, obx, 2, 1, 1, 1)))
			continue;
		unsigned n = hm_reps(x, obx, 5);
		for (unsigned r = 1; r <= n && rc == 0; r++) {
			const char *v = hm_get(x, obx, 5, r, 0, 0);
			if (any)
				rc = mrt_buf_addc(&text, '\n');
			if (rc == 0 && v)
				rc = mrt_buf_adds(&text, v);
			any = 1;
		}
	}
	*out = NULL;
	if (rc == 0 && any)
		*out = mrt_arena_strndup(x->a, mrt_buf_str(&text), text.len);
	mrt_buf_free(&text);
	return rc;
}

static int doc_times(struct hl7_map *x, long txa, struct chart_document *d)
{
	int rc = hm_time(x, txa, 6, 1, 1, 0, &d->written_at);
	if (rc == 0 && !d->written_at)
		rc = hm_time(x, txa, 4, 1, 1, 0, &d->written_at);
	if (rc == 0)
		rc = hm_time(x, txa, 22, 1, 15, 0, &d->signed_at);
	return rc;
}

/* T09/T10 (replacement): the document TXA-13 names, when stored here,
 * becomes "amended" (a new version; its text and the rest kept). */
static int replaced_parent(struct hl7_map *x, long txa, const char *doc_ref, mrt_err *err)
{
	const char *t = x->m->trigger;
	const char *parent = hm_get(x, txa, 13, 1, 1, 1);
	if ((strcmp(t, "T09") != 0 && strcmp(t, "T10") != 0) || !parent || !*parent ||
	    strcmp(parent, doc_ref) == 0)
		return 0;
	int exists = 0;
	int rc = chart_export_doc_exists(x->db, parent, &exists, err);
	if (rc || !exists)
		return hm_chart(x, txa, 13, rc, err);
	struct chart_document d = {.doc_ref = parent, .status = "amended"};
	int64_t id = 0;
	int changed = 0;
	rc = chart_document_put(x->db, x->ctx, x->patient_id, &d, &id, &changed, err);
	if (rc == 0 && changed)
		x->changed = 1;
	return hm_chart(x, txa, 13, rc, err);
}

int hl7_map_mdm(struct hl7_map *x, mrt_err *err)
{
	long txa = hl7_seg_find(x->m, "TXA", 1);
	if (txa < 0)
		return hm_fail(x, -1, 0, HL7_ERR_SEGMENT_SEQUENCE, "TXA segment missing");
	struct chart_document d = {0};
	d.doc_ref = hm_get(x, txa, 12, 1, 1, 1);
	if (!d.doc_ref || !*d.doc_ref)
		return hm_fail(x, txa, 12, HL7_ERR_REQUIRED_FIELD,
			       "TXA-12: no unique document number");
	int rc = hm_patient(x, hl7_seg_find(x->m, "PID", 1), &x->patient_id, err);
	if (rc == 0)
		rc = hm_encounter(x, NULL, NULL, &x->encounter_id, err);
	if (rc == 0)
		rc = doc_times(x, txa, &d);
	if (rc == 0)
		rc = hm_provider(x, txa, 9, 1, &d.author_id, err);
	if (rc == 0 && !d.author_id)
		rc = hm_provider(x, txa, 5, 1, &d.author_id, err);
	if (rc)
		return rc;
	d.encounter_id = x->encounter_id;
	d.type = hm_get(x, txa, 2, 1, 1, 1);
	d.title = hm_get(x, txa, 2, 1, 2, 1);
	d.type_system = hm_get(x, txa, 2, 1, 3, 1);
	d.status =
	    doc_status(hm_get(x, txa, 17, 1, 1, 1), hm_get(x, txa, 19, 1, 1, 1), x->m->trigger);
	if (doc_text(x, &d.text) != 0)
		return hm_fail(x, txa, 0, HL7_ERR_DATA_TYPE, "OBX-5: document text over %u bytes",
			       TEXT_MAX);
	if (d.text)
		d.content_type = "text/plain";
	int64_t id = 0;
	int changed = 0;
	rc = chart_document_put(x->db, x->ctx, x->patient_id, &d, &id, &changed, err);
	if (rc == 0 && changed)
		x->changed = 1;
	if ((rc = hm_chart(x, txa, 12, rc, err)) != 0)
		return rc;
	if ((rc = replaced_parent(x, txa, d.doc_ref, err)) != 0)
		return rc;
	const char *conf = hm_get(x, txa, 18, 1, 1, 1);
	if (conf && *conf) {
		rc = chart_label_put(x->db, x->ctx, x->patient_id, "document", id, SYS_0272, conf,
				     NULL, &changed, err);
		if (rc == 0 && changed)
			x->changed = 1;
		rc = hm_chart(x, txa, 18, rc, err);
	}
	if (rc == 0)
		rc = hm_labels(x, err);
	return rc;
}
