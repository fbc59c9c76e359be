/*
 * MIMIC-IV import: the code titles of d_icd_diagnoses and d_icd_procedures
 * (when present), kept in memory - only for the codes the rows use - so
 * that each diagnosis and procedure is stored with its display text. These are the published ICD
 * titles, not patient data. A row that lacks a column is skipped and counted; a file that cannot be
 * read stops the import like any other.
 */
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "formats/csv.h"
#include "service/import_mimic_int.h"

static void title_key(char *key, size_t size, int px, int version, const char *code)
{
	snprintf(key, size, "%c%d|%s", px ? 'p' : 'd', version, code);
}

static int keep_title(struct mimic_run *r, int px, const char *version, const char *code,
		      const char *title, mrt_err *err)
{
	int v;
	char key[32];
	r->titles_read++;
	if (mrt_parse_int(&v, version) != 0 || (v != 9 && v != 10) || !*code || strlen(code) > 8 ||
	    !*title) {
		r->titles_skipped++;
		return 0;
	}
	title_key(key, sizeof key, px, v, code);
	if (!import_map_get(r->codes_used, key, NULL, NULL) ||
	    import_map_get(r->title_map, key, NULL, NULL))
		return 0; /* not wanted, or a repeat (the first title stays) */
	if (r->ntitles == r->cap_titles) {
		size_t cap = r->cap_titles ? r->cap_titles * 2 : 1024;
		char **t = realloc(r->titles, cap * sizeof *t);
		if (!t)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		r->titles = t;
		r->cap_titles = cap;
	}
	char *copy = mrt_strndup(title, strlen(title));
	if (!copy)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	r->titles[r->ntitles] = copy;
	if (import_map_put(r->title_map, key, (int64_t)r->ntitles, 0) != 0)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	r->ntitles++;
	return 0;
}

static int read_titles(struct mimic_run *r, csv_reader *c, int px, mrt_err *err)
{
	int code = csv_require(c, "icd_code", err), ver, title;
	if (code < 0 || (ver = csv_require(c, "icd_version", err)) < 0 ||
	    (title = csv_require(c, "long_title", err)) < 0)
		return MRT_EPARSE;
	for (;;) {
		mrt_err rerr = {0};
		int k = csv_next(c, &rerr);
		if (k == 0)
			return 0;
		if (k < 0) {
			r->b.fail_line = csv_lineno(c);
			*err = rerr;
			return k;
		}
		if (k == CSV_REJECT) {
			r->titles_read++;
			r->titles_skipped++;
			continue;
		}
		int rc = keep_title(r, px, csv_field(c, (size_t)ver), csv_field(c, (size_t)code),
				    csv_field(c, (size_t)title), err);
		if (rc)
			return rc;
	}
}

static int load_file(struct mimic_run *r, const char *name, int px, mrt_err *err)
{
	char file[64];
	snprintf(file, sizeof file, "%s.csv.gz", name);
	int rc = import_path(r->b.path, r->b.dir, file, err);
	if (rc)
		return rc;
	if (!import_file_exists(r->b.path))
		r->b.path[strlen(r->b.path) - 3] = '\0';
	if (!import_file_exists(r->b.path))
		return json_array_append_new(r->absent, json_string(name)) ? MRT_ENOMEM : 0;
	csv_reader *c = NULL;
	rc = csv_open_path(&c, r->b.path, NULL, err);
	if (rc == 0)
		rc = read_titles(r, c, px, err);
	if (rc && rc != MRT_ENOMEM) {
		r->b.file_failed = 1;
		if (!r->b.fail_line)
			r->b.fail_line = 1;
	}
	csv_close(c);
	return rc;
}

int mimic_code_used(struct mimic_run *r, int px, int version, const char *code, mrt_err *err)
{
	char key[32];
	title_key(key, sizeof key, px, version, code);
	if (import_map_get(r->codes_used, key, NULL, NULL))
		return 0;
	return import_map_put(r->codes_used, key, 0, 0)
		   ? mrt_err_set(err, MRT_ENOMEM, "out of memory")
		   : 0;
}

int mimic_load_titles(struct mimic_run *r, mrt_err *err)
{
	int rc = load_file(r, "d_icd_diagnoses", 0, err);
	return rc ? rc : load_file(r, "d_icd_procedures", 1, err);
}

const char *mimic_title(const struct mimic_run *r, int px, int version, const char *code)
{
	char key[32];
	int64_t i;
	title_key(key, sizeof key, px, version, code);
	return import_map_get(r->title_map, key, &i, NULL) ? r->titles[i] : NULL;
}

void mimic_titles_free(struct mimic_run *r)
{
	for (size_t i = 0; i < r->ntitles; i++)
		free(r->titles[i]);
	free(r->titles);
	import_map_free(r->title_map);
	import_map_free(r->codes_used);
}
