/*
 * The packet of a disclosure: exactly the items the user chose from one
 * patient's chart, as readable text or as a FHIR R4 Bundle (collection),
 * headed by who it goes to and why. Psychotherapy notes are left out
 * unless the authorization covers them (164.508(a)(2)); a packet that
 * holds anything labelled 42CFRPart2 carries the 42 CFR 2.32 notice. The
 * bytes built here are the bytes stored (with their SHA-256) and written.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart.h"
#include "chart/chart_export.h"
#include "service/disclose_int.h"
#include "service/export_fhir_int.h"

#define PACKET_MAX (64u << 20)
#define MAX_ENCOUNTERS 4096
#define TEXT_HEAD "RELEASE OF INFORMATION\n\n"
#define BIT(l) (1u << (l))
#define HAS(r, item) (((r)->items & (1u << (item))) != 0)

static const char enc_sql[] =
	"SELECT id, account FROM encounter WHERE patient_id = ?1 AND (?2 = 0 OR id = ?2)"
	" ORDER BY admit_at, id";
static const char doc_sql[] =
	"SELECT d.id, d.encounter_id, d.doc_ref, d.type, d.title, d.status, d.written_at, d.text,"
	" (SELECT group_concat(l.code) FROM label l WHERE l.object_type = 'document'"
	"   AND l.object_id = d.id AND l.ended_at IS NULL) FROM document d"
	" WHERE d.patient_id = ?1 AND d.superseded_by IS NULL AND (?2 = 0 OR d.encounter_id = ?2)"
	" ORDER BY d.written_at, d.id";
static const char label_sql[] =
	"SELECT code FROM label WHERE patient_id = ?1 AND ended_at IS NULL"
	" AND ((object_type = 'patient' AND object_id = ?1)"
	"   OR (?2 AND object_type = 'encounter' AND (?3 = 0 OR object_id = ?3)))";

/* The label bits of a comma list of codes. */
static unsigned bits_of(const char *codes)
{
	unsigned out = 0;
	char one[64];
	while (codes && *codes) {
		size_t n = strcspn(codes, ",");
		if (n < sizeof one) {
			memcpy(one, codes, n);
			one[n] = '\0';
			out |= access_label_bit(one);
		}
		codes += n + (codes[n] == ',');
	}
	return out;
}

int disclose_packet_labels(mrt_db *db, const struct disclose_packet_req *r, unsigned *labels,
                           int *psy_notes, mrt_err *err)
{
	*labels = 0;
	*psy_notes = 0;
	mrt_stmt *st = mrt_db_stmt(db, label_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, r->patient_id);
	mrt_stmt_bind_int(st, 2, (r->items & ROI_ITEMS_ENCOUNTER) != 0);
	mrt_stmt_bind_int(st, 3, r->encounter_id);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1)
		*labels |= access_label_bit(mrt_stmt_text(st, 0));
	mrt_stmt_reset(st);
	if (rc < 0 || !HAS(r, ROI_ITEM_DOCUMENTS))
		return rc < 0 ? rc : 0;
	if (!(st = mrt_db_stmt(db, doc_sql, err)))
		return err->code;
	mrt_stmt_bind_int(st, 1, r->patient_id);
	mrt_stmt_bind_int(st, 2, r->encounter_id);
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		unsigned b = bits_of(mrt_stmt_text(st, 8));
		if (b & BIT(LABEL_PSYTHPN)) {
			(*psy_notes)++;
			if (!r->psychotherapy)
				continue;
		}
		*labels |= b;
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- text ---------------------------------------------------------------- */

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static void line(mrt_buf *b, const char *label, const char *value)
{
	if (value && *value)
		mrt_buf_addf(b, "%-22s %s\n", label, value);
}

static void text_header(mrt_buf *b, const struct disclose_packet_req *r, const char *mrn)
{
	char items[200];
	roi_items_format(items, sizeof items, r->items);
	mrt_buf_adds(b, TEXT_HEAD);
	line(b, "Disclosed at:", r->disclosed_at);
	line(b, "Recipient:", r->recipient);
	line(b, "Recipient address:", r->recipient_address);
	line(b, "Purpose:", r->purpose);
	line(b, "Legal basis:", r->legal_basis);
	line(b, "Items released:", items);
	line(b, "Patient record number:", mrn);
}

static void text_demographics(mrt_buf *b, json_t *p)
{
	char name[512], addr[768], phone[256];
	snprintf(name, sizeof name, "%s, %s %s", str(p, "family"), str(p, "given"), str(p, "middle"));
	snprintf(addr, sizeof addr, "%s, %s, %s %s %s", str(p, "address_line"), str(p, "city"),
	         str(p, "state"), str(p, "postal_code"), str(p, "country"));
	snprintf(phone, sizeof phone, "%s %s %s", str(p, "phone_home"), str(p, "phone_mobile"),
	         str(p, "phone_work"));
	mrt_buf_adds(b, "\n== Demographics ==\n");
	line(b, "Name:", name);
	line(b, "Birth date:", str(p, "birth_date"));
	line(b, "Sex:", str(p, "sex"));
	line(b, "Address:", addr);
	line(b, "Phone:", phone);
	line(b, "Date of death:", str(p, "death_at"));
}

static void text_codes(mrt_buf *b, json_t *list, const char *what, const char *date_key)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		mrt_buf_addf(b, "  %-10s %-8s %s", what, str(v, "code"), str(v, "display"));
		if (*str(v, date_key))
			mrt_buf_addf(b, " (%s)", str(v, date_key));
		mrt_buf_adds(b, "\n");
	}
}

static int text_documents(mrt_db *db, const struct disclose_packet_req *r, int64_t enc,
                          mrt_buf *b, struct disclose_packet *p, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, doc_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, r->patient_id);
	mrt_stmt_bind_int(st, 2, enc);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		int64_t doc_enc = mrt_stmt_is_null(st, 1) ? 0 : mrt_stmt_int(st, 1);
		if (enc ? doc_enc != enc : doc_enc != 0)
			continue; /* enc 0 here: the documents of no encounter */
		unsigned lb = bits_of(mrt_stmt_text(st, 8));
		if ((lb & BIT(LABEL_PSYTHPN)) && !r->psychotherapy) {
			p->withheld++;
			continue;
		}
		const char *title = mrt_stmt_text(st, 4), *type = mrt_stmt_text(st, 3);
		mrt_buf_addf(b, "  document   %s  %s  %s  %s\n", mrt_stmt_text(st, 2),
		             title ? title : (type ? type : ""),
		             mrt_stmt_is_null(st, 6) ? "" : mrt_stmt_text(st, 6), mrt_stmt_text(st, 5));
		if (!mrt_stmt_is_null(st, 7))
			mrt_buf_addf(b, "    %s\n", mrt_stmt_text(st, 7));
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int text_encounter(mrt_db *db, const struct disclose_packet_req *r, int64_t enc,
                          mrt_buf *b, struct disclose_packet *p, mrt_err *err)
{
	json_t *e = NULL;
	int rc = chart_encounter_json(db, enc, &e, err);
	if (rc)
		return rc;
	mrt_buf_addf(b, "\nEncounter %s  %s  %s to %s\n", str(e, "account"), str(e, "class"),
	             str(e, "admit_at"), str(e, "discharge_at"));
	if (HAS(r, ROI_ITEM_ENCOUNTERS)) {
		line(b, "  Attending:", str(e, "attending"));
		line(b, "  Discharge status:", str(e, "discharge_location"));
	}
	if (HAS(r, ROI_ITEM_DIAGNOSES))
		text_codes(b, json_object_get(e, "diagnoses"), "diagnosis", "poa");
	if (HAS(r, ROI_ITEM_PROCEDURES))
		text_codes(b, json_object_get(e, "procedures"), "procedure", "performed_at");
	json_decref(e);
	if (HAS(r, ROI_ITEM_DOCUMENTS))
		rc = text_documents(db, r, enc, b, p, err);
	return rc;
}

static int text_encounters(mrt_db *db, const struct disclose_packet_req *r, mrt_buf *b,
                           struct disclose_packet *p, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, enc_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, r->patient_id);
	mrt_stmt_bind_int(st, 2, r->encounter_id);
	int64_t ids[MAX_ENCOUNTERS];
	size_t n = 0;
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1 && n < MAX_ENCOUNTERS)
		ids[n++] = mrt_stmt_int(st, 0);
	mrt_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (rc == 1) /* never a silently shortened record */
		return mrt_err_set(err, MRT_EINVAL, "the patient has more than %d encounters: release "
		                   "them one at a time with --encounter", MAX_ENCOUNTERS);
	mrt_buf_adds(b, "\n== Encounters ==\n");
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = text_encounter(db, r, ids[i], b, p, err);
	if (rc == 0 && HAS(r, ROI_ITEM_DOCUMENTS) && !r->encounter_id)
		rc = text_documents(db, r, 0, b, p, err);
	return rc;
}

static void text_labels(mrt_buf *b, json_t *patient)
{
	mrt_buf_adds(b, "\n== Sensitivity labels ==\n");
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(patient, "labels"), i, l)
		mrt_buf_addf(b, "  %-10s %s\n", str(l, "object_type"), str(l, "code"));
}

static int build_text(mrt_db *db, const struct disclose_packet_req *r, struct disclose_packet *p,
                      mrt_err *err)
{
	json_t *pat = NULL;
	int rc = chart_patient_json(db, r->patient_id, &pat, err);
	if (rc)
		return rc;
	mrt_buf *b = &p->bytes;
	text_header(b, r, str(pat, "mrn"));
	if (HAS(r, ROI_ITEM_DEMOGRAPHICS))
		text_demographics(b, pat);
	if (r->items & ROI_ITEMS_ENCOUNTER)
		rc = text_encounters(db, r, b, p, err);
	if (rc == 0 && HAS(r, ROI_ITEM_LABELS))
		text_labels(b, pat);
	if (rc == 0 && p->withheld)
		mrt_buf_addf(b, "\n%d psychotherapy note(s) withheld: they need their own "
		             "authorization (45 CFR 164.508(a)(2)).\n", p->withheld);
	if (rc == 0 && p->part2)
		mrt_buf_addf(b, "\n== Notice ==\n%s\n", roi_part2_notice);
	json_decref(pat);
	/* An append past the cap empties the buffer and later appends start
	 * afresh: a packet that no longer opens with its header was cut. */
	if (rc == 0 && strncmp(mrt_buf_str(b), TEXT_HEAD, strlen(TEXT_HEAD)) != 0)
		rc = mrt_err_set(err, MRT_ENOMEM, "the disclosure packet is larger than %u MB: release "
		                 "fewer items or one encounter at a time", PACKET_MAX >> 20);
	return rc;
}

/* ---- FHIR ---------------------------------------------------------------- */

struct fhir_ctx {
	mrt_db *db;
	const struct disclose_packet_req *r;
	struct disclose_packet *p;
	const char *mrn, *account; /* account: the one encounter, or NULL */
	enum chart_export_kind kind;
	json_t *entries;
};

/* 1 when a row of c->kind belongs in the packet. */
static int fhir_wanted(struct fhir_ctx *c, json_t *row, mrt_err *err, int *rc)
{
	*rc = 0;
	if (c->kind == CHART_X_PATIENT)
		return json_integer_value(json_object_get(row, "id")) == c->r->patient_id;
	if (strcmp(str(row, "patient_mrn"), c->mrn) != 0)
		return 0;
	const char *acc = str(row, c->kind == CHART_X_ENCOUNTER ? "account" : "enc_account");
	if (c->account && strcmp(acc, c->account) != 0)
		return 0;
	if (c->kind != CHART_X_DOCUMENT || c->r->psychotherapy)
		return 1;
	json_t *labels = NULL;
	*rc = chart_export_labels(c->db, "document", json_integer_value(json_object_get(row, "id")),
	                          &labels, err);
	if (*rc)
		return 0;
	size_t i;
	json_t *l;
	int psy = 0;
	json_array_foreach(labels, i, l)
		psy |= access_label_bit(str(l, "code")) == BIT(LABEL_PSYTHPN);
	json_decref(labels);
	if (psy)
		c->p->withheld++;
	return !psy;
}

static int fhir_row(void *vctx, json_t *row, mrt_err *err)
{
	struct fhir_ctx *c = vctx;
	int rc;
	if (!fhir_wanted(c, row, err, &rc))
		return rc;
	json_t *res = xp_build(c->db, c->kind, row, err);
	if (!res)
		return err->code ? err->code : MRT_EINVAL;
	if (c->kind == CHART_X_PATIENT && !HAS(c->r, ROI_ITEM_DEMOGRAPHICS)) {
		json_t *keep = json_pack("{s:s,s:O}", "resourceType", "Patient", "id",
		                         json_object_get(res, "id"));
		json_t *ident = json_object_get(res, "identifier");
		if (ident)
			json_object_set(keep, "identifier", ident);
		json_decref(res);
		res = keep;
	}
	json_t *meta = json_object_get(res, "meta");
	if (meta && !HAS(c->r, ROI_ITEM_LABELS))
		json_object_del(meta, "security");
	json_array_append_new(c->entries, json_pack("{s:o}", "resource", res));
	return 0;
}

static json_t *fhir_security(void)
{
	return json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s}]", "system",
	                 "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code", "42CFRPart2",
	                 "display", "42 CFR Part2", "system",
	                 "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code", "NORDSCLCD",
	                 "display", "no redisclosure without consent directive");
}

static int fhir_account(mrt_db *db, int64_t enc, char *out, size_t size, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, "SELECT account FROM encounter WHERE id = ?", err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, enc);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1)
		snprintf(out, size, "%s", mrt_stmt_text(st, 0));
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int build_fhir(mrt_db *db, const struct disclose_packet_req *r, struct disclose_packet *p,
                      mrt_err *err)
{
	static const struct { int item; enum chart_export_kind kind; } parts[] = {
		{ -1, CHART_X_PATIENT },
		{ ROI_ITEM_ENCOUNTERS, CHART_X_ENCOUNTER },
		{ ROI_ITEM_DIAGNOSES, CHART_X_DIAGNOSIS },
		{ ROI_ITEM_PROCEDURES, CHART_X_PROCEDURE },
		{ ROI_ITEM_DOCUMENTS, CHART_X_DOCUMENT },
	};
	json_t *pat = NULL;
	char account[256] = "";
	int rc = chart_patient_json(db, r->patient_id, &pat, err);
	if (rc == 0 && r->encounter_id)
		rc = fhir_account(db, r->encounter_id, account, sizeof account, err);
	if (rc)
		return rc;
	struct fhir_ctx c = { .db = db, .r = r, .p = p, .mrn = str(pat, "mrn"),
	                      .account = account[0] ? account : NULL, .entries = json_array() };
	for (size_t i = 0; i < sizeof parts / sizeof parts[0] && rc == 0; i++) {
		if (parts[i].item >= 0 && !HAS(r, parts[i].item))
			continue;
		c.kind = parts[i].kind;
		rc = chart_export_rows(db, c.kind, NULL, fhir_row, &c, err);
	}
	json_t *bundle = NULL;
	if (rc == 0) {
		bundle = json_pack("{s:s,s:s,s:s,s:o}", "resourceType", "Bundle", "type", "collection",
		                   "timestamp", r->disclosed_at, "entry", c.entries);
		c.entries = NULL;
		json_t *ext = json_array();
		const char *const keys[] = { "recipient", "recipient-address", "purpose",
		                             "legal-basis" };
		const char *const vals[] = { r->recipient, r->recipient_address, r->purpose,
		                             r->legal_basis };
		for (size_t i = 0; i < 4; i++) {
			if (!vals[i])
				continue;
			char url[128];
			snprintf(url, sizeof url, "urn:mrt:disclosure:%s", keys[i]);
			json_array_append_new(ext, json_pack("{s:s,s:s}", "url", url, "valueString",
			                                     vals[i]));
		}
		if (p->part2) {
			json_array_append_new(ext, json_pack("{s:s,s:s}", "url",
			                                     "urn:mrt:disclosure:redisclosure-notice",
			                                     "valueString", roi_part2_notice));
			json_object_set_new(bundle, "meta", json_pack("{s:o}", "security", fhir_security()));
		}
		json_object_set_new(bundle, "extension", ext);
		char *text = json_dumps(bundle, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		if (!text || mrt_buf_adds(&p->bytes, text) != 0 || mrt_buf_addc(&p->bytes, '\n') != 0)
			rc = mrt_err_set(err, MRT_ENOMEM, "the disclosure packet is too large");
		free(text);
	}
	json_decref(bundle);
	json_decref(c.entries);
	json_decref(pat);
	return rc;
}

int disclose_packet_build(mrt_db *db, const struct disclose_packet_req *r,
                          struct disclose_packet *p, mrt_err *err)
{
	memset(p, 0, sizeof *p);
	mrt_buf_init(&p->bytes, PACKET_MAX);
	int psy = 0;
	int rc = disclose_packet_labels(db, r, &p->labels, &psy, err);
	if (rc)
		return rc;
	p->part2 = (p->labels & BIT(LABEL_PART2)) != 0;
	return r->fhir ? build_fhir(db, r, p, err) : build_text(db, r, p, err);
}

void disclose_packet_free(struct disclose_packet *p)
{
	if (p)
		mrt_buf_free(&p->bytes);
}
