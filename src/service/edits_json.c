/*
 * The results of the code editor as the contract of `mrt edits check`
 * prints them: one JSON object per claim (edits_result_json) and, for
 * people, rows of a table with the codes, the edit and its message. Codes
 * and ids come from the input, so the table prints control characters as
 * visible escapes.
 */
#include <string.h>

#include "service/edits_svc_int.h"

static json_t *edit_json(const struct claim *c, const struct mce_hit *h)
{
	const struct mce_edit_info *in = &mce_edit_info[h->edit];
	json_t *o = json_pack("{s:s}", "edit", in->name);
	if (o && h->where != CLAIM_AT_CLAIM)
		json_object_set_new(o, "code", json_string(claim_code_at(c, h->where, h->pos)));
	if (o) {
		json_object_set_new(o, "message", json_string(in->message));
		json_object_set_new(o, "source", json_string(in->source));
	}
	return o;
}

/* The code-set release of an id in the context, NULL when unknown. */
static const struct codes_release *release_of(const struct edits_ctx *x, int64_t id)
{
	for (size_t i = 0; i < x->nrel; i++)
		if (x->rels[i].id == id)
			return &x->rels[i];
	return NULL;
}

static json_t *finding_json(const struct edits_ctx *x, const struct claim *c,
			    const struct tab_finding *f)
{
	const char *code = claim_code_at(c, f->where, f->pos);
	json_t *o = json_pack("{s:s, s:s, s:s}", "rule", tab_rule_info[f->rule].name, "severity",
			      tab_severity_name((enum tab_severity)f->severity), "code", code);
	if (!o)
		return NULL;
	if (f->where2 != CLAIM_AT_CLAIM)
		json_object_set_new(o, "code2", json_string(claim_code_at(c, f->where2, f->pos2)));
	json_object_set_new(o, "message", json_string(f->message));
	if (f->note_code[0])
		json_object_set_new(o, "note_code", json_string(f->note_code));
	const struct codes_release *r = f->note_release_id ? release_of(x, f->note_release_id) : NULL;
	if (r) /* the version, as `codes releases` names it */
		json_object_set_new(o, "note_release", json_string(r->version));
	return o;
}

static const char *note_of(const struct edits_ctx *x, const struct mce_result *mr)
{
	if (mr->status == MCE_STATUS_INVALID_DISCHARGE_DATE)
		return "discharge date after the last date the loaded MCE releases cover: no edits";
	if (x->m.forced)
		return "edited against the chosen MCE release and the code sets of its first day";
	if (mr->before_first)
		return "discharge date before the earliest loaded MCE release: edited with its "
		       "lists";
	if (mr->no_codeset)
		return "no code-set release covers the discharge date: codes not checked for "
		       "validity";
	return NULL;
}

json_t *edits_result_json(const struct edits_ctx *x, const struct claim *c,
			  const struct mce_result *mr, const struct tab_result *tr)
{
	json_t *edits = json_array(), *findings = json_array();
	json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "id", c->id, "status",
			      mce_status_name(mr->status), "edits", edits, "findings", findings);
	if (!o)
		return NULL;
	for (int i = 0; i < mr->n; i++)
		json_array_append_new(edits, edit_json(c, &mr->hit[i]));
	for (int i = 0; tr && i < tr->n; i++)
		json_array_append_new(findings, finding_json(x, c, &tr->f[i]));
	json_object_set_new(o, "release",
			    mr->rel ? json_string(mce_rel_version(mr->rel)) : json_null());
	if (mr->set) {
		json_object_set_new(o, "icd10cm", json_string(mr->set->cm_version));
		json_object_set_new(o, "icd10pcs", json_string(mr->set->pcs_version));
	}
	const char *note = note_of(x, mr);
	if (note)
		json_object_set_new(o, "note", json_string(note));
	if (mr->truncated || (tr && tr->truncated))
		json_object_set_new(o, "truncated", json_true());
	return o;
}

void edits_print_safe(FILE *out, const char *s, int width)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++) {
		if (*p < 0x20 || *p == 0x7f)
			n += fprintf(out, "\\x%02x", *p) - 1;
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			n += fprintf(out, "\\u%04x", *++p) - 1;
		else
			fputc(*p, out);
	}
	for (; n < width; n++)
		fputc(' ', out);
}

void edits_print_header(FILE *out)
{
	fprintf(out, "%-12s %-22s %-8s %-33s %s\n", "CLAIM", "STATUS", "CODE", "EDIT", "MESSAGE");
}

static void row(FILE *out, const struct claim *c, const char *status, const char *code,
		const char *edit, const char *msg)
{
	edits_print_safe(out, c->id, 12);
	fprintf(out, " %-22s ", status);
	edits_print_safe(out, code, 8);
	fprintf(out, " %-33s ", edit);
	edits_print_safe(out, msg, 0);
	fputc('\n', out);
}

void edits_print_rows(FILE *out, const struct edits_ctx *x, const struct claim *c,
		      const struct mce_result *mr, const struct tab_result *tr)
{
	const char *st = mce_status_name(mr->status);
	if (!mr->n && !(tr && tr->n))
		row(out, c, st, "", "-", "");
	for (int i = 0; i < mr->n; i++) {
		const struct mce_hit *h = &mr->hit[i];
		const struct mce_edit_info *in = &mce_edit_info[h->edit];
		row(out, c, st, claim_code_at(c, h->where, h->pos), in->name, in->message);
	}
	for (int i = 0; tr && i < tr->n; i++) {
		const struct tab_finding *f = &tr->f[i];
		row(out, c, st, claim_code_at(c, f->where, f->pos), tab_rule_info[f->rule].name,
		    f->message);
	}
	const char *note = note_of(x, mr);
	if (note)
		fprintf(out, "%12s note: %s%s%s\n", "", note, mr->rel ? ", MCE " : "",
			mr->rel ? mce_rel_version(mr->rel) : "");
}
