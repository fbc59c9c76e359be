/*
 * `codes show`: one code with its headers, children, chapter and notes
 * (see show.h). The chapter ranges are those of the ICD-10-CM tabular list.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "codes/codetext.h"
#include "codes/show.h"

static const struct {
	const char *from, *to, *num, *title;
} cm_chapters[] = {
	{ "A00", "B99", "1", "Certain infectious and parasitic diseases" },
	{ "C00", "D49", "2", "Neoplasms" },
	{ "D50", "D89", "3", "Diseases of the blood and blood-forming organs and certain disorders involving the immune mechanism" },
	{ "E00", "E89", "4", "Endocrine, nutritional and metabolic diseases" },
	{ "F01", "F99", "5", "Mental, Behavioral and Neurodevelopmental disorders" },
	{ "G00", "G99", "6", "Diseases of the nervous system" },
	{ "H00", "H59", "7", "Diseases of the eye and adnexa" },
	{ "H60", "H95", "8", "Diseases of the ear and mastoid process" },
	{ "I00", "I99", "9", "Diseases of the circulatory system" },
	{ "J00", "J99", "10", "Diseases of the respiratory system" },
	{ "K00", "K95", "11", "Diseases of the digestive system" },
	{ "L00", "L99", "12", "Diseases of the skin and subcutaneous tissue" },
	{ "M00", "M99", "13", "Diseases of the musculoskeletal system and connective tissue" },
	{ "N00", "N99", "14", "Diseases of the genitourinary system" },
	{ "O00", "O9A", "15", "Pregnancy, childbirth and the puerperium" },
	{ "P00", "P96", "16", "Certain conditions originating in the perinatal period" },
	{ "Q00", "QA0", "17", "Congenital malformations, deformations and chromosomal abnormalities" },
	{ "R00", "R99", "18", "Symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified" },
	{ "S00", "T88", "19", "Injury, poisoning and certain other consequences of external causes" },
	{ "V00", "Y99", "20", "External causes of morbidity" },
	{ "Z00", "Z99", "21", "Factors influencing health status and contact with health services" },
	{ "U00", "U85", "22", "Codes for special purposes" },
};

static const char *const pcs_sections[] = {
	"Medical and Surgical", "Obstetrics", "Placement", "Administration", "Measurement and Monitoring",
	"Extracorporeal or Systemic Assistance and Performance", "Extracorporeal or Systemic Therapies",
	"Osteopathic", "Other Procedures", "Chiropractic", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	"Imaging", "Nuclear Medicine", "Radiation Therapy", "Physical Rehabilitation and Diagnostic Audiology",
	"Mental Health", "Substance Abuse Treatment", "New Technology",
};

int codes_normalize(const char *in, char out[8])
{
	size_t n = 0;
	for (const char *p = in; *p; p++) {
		if (*p == '.' || *p == ' ')
			continue;
		if (!isalnum((unsigned char)*p) || n >= 7)
			return MRT_EINVAL;
		out[n++] = (char)toupper((unsigned char)*p);
	}
	out[n] = '\0';
	return n >= 3 ? 0 : MRT_EINVAL;
}

void codes_dotted(const char *system, const char *code, char out[16])
{
	if (strcmp(system, CODES_SYS_CM) == 0 && strlen(code) > 3)
		snprintf(out, 16, "%.3s.%s", code, code + 3);
	else
		snprintf(out, 16, "%s", code);
}

json_t *codes_chapter_json(const char *system, const char *code)
{
	if (strcmp(system, CODES_SYS_PCS) == 0) {
		const char *map = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
		const char *p = strchr(map, code[0]);
		size_t i = p ? (size_t)(p - map) : 99;
		/* The table above goes 0-9 then B (imaging) ... X (new technology). */
		static const char letters[] = "BCDFGHX";
		const char *title = NULL;
		if (i < 10)
			title = pcs_sections[i];
		else if (strchr(letters, code[0]) && code[0])
			title = pcs_sections[17 + (strchr(letters, code[0]) - letters)];
		if (!title)
			return NULL;
		char num[2] = { code[0], 0 };
		return json_pack("{s:s, s:s, s:s}", "number", num, "title", title, "kind", "section");
	}
	char c3[4];
	snprintf(c3, sizeof c3, "%.3s", code);
	size_t nch = sizeof cm_chapters / sizeof cm_chapters[0], hit = nch;
	for (size_t i = 0; i < nch && hit == nch; i++)
		if (strcmp(c3, cm_chapters[i].from) >= 0 && strcmp(c3, cm_chapters[i].to) <= 0)
			hit = i;
	/* A category beyond the ranges known here (a new year's): its letter's chapter. */
	for (size_t i = 0; i < nch && hit == nch; i++)
		if (c3[0] >= cm_chapters[i].from[0] && c3[0] <= cm_chapters[i].to[0])
			hit = i;
	if (hit == nch)
		return NULL;
	char range[16];
	snprintf(range, sizeof range, "%s-%s", cm_chapters[hit].from, cm_chapters[hit].to);
	return json_pack("{s:s, s:s, s:s, s:s}", "number", cm_chapters[hit].num, "title",
	                 cm_chapters[hit].title, "range", range, "kind", "chapter");
}

static const char sql_one[] =
	"SELECT code, billable, short_title, long_title, parent FROM code"
	" WHERE release_id = ? AND code = ?";

int codes_exists(mrt_db *db, const struct codes_release *r, const char *code, mrt_err *err)
{
	mrt_stmt *s = mrt_db_stmt(db, sql_one, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, r->id);
	mrt_stmt_bind_text(s, 2, code);
	int rc = mrt_stmt_step(s, err);
	mrt_stmt_reset(s);
	return rc;
}

static json_t *row_json(mrt_stmt *s, const char *system)
{
	char dotted[16];
	codes_dotted(system, mrt_stmt_text(s, 0), dotted);
	return json_pack("{s:s, s:s, s:b, s:s, s:s}", "code", mrt_stmt_text(s, 0), "code_dotted", dotted,
	                 "billable", (int)mrt_stmt_int(s, 1), "short_title", mrt_stmt_text(s, 2),
	                 "long_title", mrt_stmt_text(s, 3));
}

/* The header chain above code, nearest first. */
static int parents_json(mrt_db *db, const struct codes_release *r, const char *first, json_t *arr,
                        mrt_err *err)
{
	char cur[8];
	snprintf(cur, sizeof cur, "%s", first ? first : "");
	for (int depth = 0; cur[0] && depth < 8; depth++) {
		mrt_stmt *s = mrt_db_stmt(db, sql_one, err);
		if (!s)
			return MRT_EDB;
		mrt_stmt_bind_int(s, 1, r->id);
		mrt_stmt_bind_text(s, 2, cur);
		int rc = mrt_stmt_step(s, err);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		json_array_append_new(arr, row_json(s, r->system));
		const char *p = mrt_stmt_text(s, 4);
		snprintf(cur, sizeof cur, "%s", p ? p : "");
		mrt_stmt_reset(s);
	}
	return 0;
}

/* Billable codes under a header (code prefix range). */
static int children_json(mrt_db *db, const struct codes_release *r, const char *code, json_t *arr,
                         mrt_err *err)
{
	static const char sql[] =
		"SELECT code, billable, short_title, long_title FROM code WHERE release_id = ?"
		" AND code > ? AND code < ? AND billable = 1 ORDER BY code";
	char hi[16];
	snprintf(hi, sizeof hi, "%s~", code);
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, r->id);
	mrt_stmt_bind_text(s, 2, code);
	mrt_stmt_bind_text(s, 3, hi);
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1)
		json_array_append_new(arr, row_json(s, r->system));
	mrt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

int codes_show_json(mrt_db *db, const struct codes_release *r, const char *code, json_t **out,
                    mrt_err *err)
{
	*out = NULL;
	mrt_stmt *s = mrt_db_stmt(db, sql_one, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, r->id);
	mrt_stmt_bind_text(s, 2, code);
	int rc = mrt_stmt_step(s, err);
	if (rc <= 0)
		return rc < 0 ? rc : MRT_ENOTFOUND;
	json_t *o = row_json(s, r->system);
	char parent[8];
	snprintf(parent, sizeof parent, "%s", mrt_stmt_text(s, 4) ? mrt_stmt_text(s, 4) : "");
	int billable = (int)mrt_stmt_int(s, 1);
	mrt_stmt_reset(s);
	json_t *chapter = codes_chapter_json(r->system, code);
	json_object_set_new(o, "system", json_string(r->system));
	json_object_set_new(o, "version", json_string(r->version));
	json_object_set_new(o, "effective_from", json_string(r->effective_from));
	json_object_set_new(o, "effective_to", json_string(r->effective_to));
	json_object_set_new(o, "chapter", chapter ? chapter : json_null());
	json_t *parents = json_array(), *notes = NULL;
	json_object_set_new(o, "parents", parents);
	rc = parents_json(db, r, parent, parents, err);
	if (rc == 0 && !billable) {
		json_t *children = json_array();
		json_object_set_new(o, "children", children);
		rc = children_json(db, r, code, children, err);
	}
	if (rc == 0)
		rc = codetext_notes_json(db, r->id, code, &notes, err);
	if (rc == 0)
		json_object_set_new(o, "notes", notes ? notes : json_object());
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int codes_where_json(mrt_db *db, const char *code, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT r.system, r.version, r.effective_from, r.effective_to, c.billable"
		" FROM code c JOIN code_release r ON r.id = c.release_id WHERE c.code = ?"
		" ORDER BY r.system, r.effective_from";
	*out = json_array();
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_text(s, 1, code);
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1)
		json_array_append_new(*out, json_pack("{s:s, s:s, s:s, s:s, s:b}", "system", mrt_stmt_text(s, 0),
		                                      "version", mrt_stmt_text(s, 1), "effective_from",
		                                      mrt_stmt_text(s, 2), "effective_to", mrt_stmt_text(s, 3),
		                                      "billable", (int)mrt_stmt_int(s, 4)));
	mrt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}
