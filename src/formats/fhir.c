/*
 * The FHIR reader (see fhir.h): files of a path in dependency order, a
 * Bundle's entries in the same order with its fullUrl map, NDJSON lines
 * streamed through gzsrc with a hard line cap. A file that cannot be read
 * as its format is one FILE_REJECT item carrying its bytes; a line or entry
 * that is not a resource is one REJECT item. Nothing here reads a value
 * into an error message.
 */
#include "formats/fhir.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "formats/gzsrc.h"
#include "formats/source.h"

#define CHUNK (64u << 10)
#define FILE_REJECT_KEEP (16u << 20)

struct fhir_reader {
	struct fhir_opts o;
	char **files; /* NULL-terminated, sorted */
	size_t n_files, next_file;
	const void *mem; /* for open_mem */
	size_t mem_len;
	int mem_ndjson;
	/* the file being read */
	const char *cur;
	int ndjson;
	mrt_src *src;
	gzsrc *gz;
	unsigned char *chunk;
	size_t chunk_pos, chunk_len;
	int eof;
	mrt_buf line;
	unsigned long lineno;
	int any_line; /* a line of this file parsed as JSON */
	json_t *doc;  /* a whole JSON file */
	json_t *urls; /* fullUrl -> "Type/id" */
	size_t *order;
	size_t n_order, next_entry;
	json_t *item; /* the current NDJSON resource */
	int single;   /* the JSON file is one resource, not a Bundle */
	mrt_buf keep; /* bytes of a rejected file or line */
};

static int is_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int is_ndjson_name(const char *name)
{
	return is_suffix(name, ".ndjson") || is_suffix(name, ".ndjson.gz");
}

static int is_input_name(const char *name)
{
	return name[0] != '.' &&
	       (is_ndjson_name(name) || is_suffix(name, ".json") || is_suffix(name, ".json.gz"));
}

/* Rank of a file by the resource type its base name starts with. */
static int name_rank(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char type[64];
	size_t n = strcspn(base, ".");
	if (n >= sizeof type)
		return FHIR_OTHER;
	memcpy(type, base, n);
	type[n] = '\0';
	return (int)fhir_type_of(type);
}

static int cmp_files(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = name_rank(x), ry = name_rank(y);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x, y);
}

static int add_file(fhir_reader *r, const char *dir, const char *name, mrt_err *err)
{
	char **grown = realloc(r->files, (r->n_files + 2) * sizeof *grown);
	if (!grown)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory listing %s", dir ? dir : name);
	r->files = grown;
	size_t len = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
	char *p = malloc(len);
	if (!p)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory listing %s", dir ? dir : name);
	if (dir)
		snprintf(p, len, "%s/%s", dir, name);
	else
		snprintf(p, len, "%s", name);
	r->files[r->n_files++] = p;
	r->files[r->n_files] = NULL;
	return 0;
}

static int list_dir(fhir_reader *r, const char *dir, mrt_err *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return mrt_err_set(err, MRT_EIO, "%s: cannot open the directory", dir);
	int rc = 0;
	for (struct dirent *e = readdir(d); e && rc == 0; e = readdir(d))
		if (is_input_name(e->d_name))
			rc = add_file(r, dir, e->d_name, err);
	closedir(d);
	if (rc == 0 && r->n_files)
		qsort(r->files, r->n_files, sizeof *r->files, cmp_files);
	return rc;
}

static void init_bufs(fhir_reader *r)
{
	size_t line_cap = r->o.max_line > FHIR_REJECT_KEEP ? r->o.max_line : FHIR_REJECT_KEEP;
	mrt_buf_init(&r->line, line_cap + 1);
	mrt_buf_init(&r->keep, r->o.max_file + 1);
}

static fhir_reader *reader_new(const struct fhir_opts *o)
{
	fhir_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	if (o)
		r->o = *o;
	if (!r->o.max_line)
		r->o.max_line = FHIR_MAX_LINE_DEFAULT;
	if (!r->o.max_file)
		r->o.max_file = FHIR_MAX_FILE_DEFAULT;
	init_bufs(r);
	r->chunk = malloc(CHUNK);
	if (!r->chunk) {
		free(r);
		return NULL;
	}
	return r;
}

int fhir_reader_open(fhir_reader **out, const char *path, const struct fhir_opts *o, mrt_err *err)
{
	*out = NULL;
	struct stat st;
	if (stat(path, &st) != 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "%s: no such file or directory", path);
	fhir_reader *r = reader_new(o);
	if (!r)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory opening %s", path);
	int rc = S_ISDIR(st.st_mode) ? list_dir(r, path, err) : add_file(r, NULL, path, err);
	if (rc) {
		fhir_reader_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int fhir_reader_open_mem(fhir_reader **out, const char *name, const void *data, size_t len,
			 int ndjson, const struct fhir_opts *o, mrt_err *err)
{
	*out = NULL;
	fhir_reader *r = reader_new(o);
	if (!r)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory opening %s", name);
	r->mem = data;
	r->mem_len = len;
	r->mem_ndjson = ndjson;
	int rc = add_file(r, NULL, name, err);
	if (rc) {
		fhir_reader_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

static void close_file(fhir_reader *r)
{
	gzsrc_close(r->gz);
	r->gz = NULL;
	mrt_src_close(r->src);
	r->src = NULL;
	json_decref(r->doc);
	r->doc = NULL;
	json_decref(r->urls);
	r->urls = NULL;
	json_decref(r->item);
	r->item = NULL;
	free(r->order);
	r->order = NULL;
	r->n_order = r->next_entry = 0;
	r->single = 0;
	r->chunk_pos = r->chunk_len = 0;
	r->eof = 0;
	r->lineno = 0;
	r->any_line = 0;
	r->cur = NULL;
	mrt_buf_free(&r->line);
	mrt_buf_free(&r->keep);
}

void fhir_reader_close(fhir_reader *r)
{
	if (!r)
		return;
	close_file(r);
	for (size_t i = 0; i < r->n_files; i++)
		free(r->files[i]);
	free(r->files);
	free(r->chunk);
	free(r);
}

size_t fhir_reader_files(const fhir_reader *r)
{
	return r->next_file;
}

const char *fhir_reader_full_url(const fhir_reader *r, const char *ref)
{
	if (!r || !r->urls || !ref)
		return NULL;
	return json_string_value(json_object_get(r->urls, ref));
}

static int open_src(fhir_reader *r, mrt_err *err)
{
	int rc = r->mem ? mrt_src_open_mem(&r->src, r->cur, r->mem, r->mem_len, err)
			: mrt_src_open(&r->src, r->cur, err);
	if (rc)
		return rc;
	return gzsrc_open(&r->gz, r->src, err);
}

/* Fills the chunk; 1 = bytes, 0 = end, < 0 = the stream is damaged. */
static int fill(fhir_reader *r, mrt_err *err)
{
	if (r->eof)
		return 0;
	ssize_t n = gzsrc_read(r->gz, r->chunk, CHUNK, err);
	if (n < 0)
		return (int)n;
	if (n == 0) {
		r->eof = 1;
		return 0;
	}
	r->chunk_pos = 0;
	r->chunk_len = (size_t)n;
	return 1;
}

static void set_file_reject(fhir_reader *r, struct fhir_item *it, const char *reason)
{
	it->kind = FHIR_ITEM_FILE_REJECT;
	snprintf(it->position, sizeof it->position, "file");
	snprintf(it->reason, sizeof it->reason, "%s", reason);
	it->content = mrt_buf_str(&r->keep);
	it->len = r->keep.len;
}

/* The raw bytes of the current file (at most FILE_REJECT_KEEP) into keep. */
static int keep_raw(fhir_reader *r, mrt_err *err)
{
	mrt_src *src = NULL;
	mrt_buf_free(&r->keep);
	mrt_buf_init(&r->keep, FILE_REJECT_KEEP + 1);
	int rc = r->mem ? mrt_src_open_mem(&src, r->cur, r->mem, r->mem_len, err)
			: mrt_src_open(&src, r->cur, err);
	if (rc)
		return rc;
	for (;;) {
		size_t room = FILE_REJECT_KEEP - r->keep.len;
		if (room == 0)
			break;
		ssize_t n = mrt_src_read(src, r->chunk, room < CHUNK ? room : CHUNK, err);
		if (n < 0) {
			rc = (int)n;
			break;
		}
		if (n == 0)
			break;
		if (mrt_buf_add(&r->keep, r->chunk, (size_t)n) != 0) {
			rc = mrt_err_set(err, MRT_ENOMEM, "%s: out of memory keeping the file",
					 r->cur);
			break;
		}
	}
	mrt_src_close(src);
	r->chunk_pos = r->chunk_len = 0;
	return rc;
}

/* ---- one whole JSON document ---------------------------------------------- */

struct entry_rank {
	int rank;
	size_t index;
};

static int cmp_entries(const void *a, const void *b)
{
	const struct entry_rank *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Entry indexes sorted by the rank of their resource's type (stable). */
static int sort_entries(fhir_reader *r, json_t *entries, size_t n, mrt_err *err)
{
	struct entry_rank *er = malloc((n ? n : 1) * sizeof *er);
	if (!er)
		return mrt_err_set(err, MRT_ENOMEM, "%s: out of memory indexing the Bundle",
				   r->cur);
	for (size_t i = 0; i < n; i++) {
		json_t *res = json_object_get(json_array_get(entries, i), "resource");
		const char *t = json_string_value(json_object_get(res, "resourceType"));
		er[i].rank = t ? (int)fhir_type_of(t) : FHIR_OTHER;
		er[i].index = i;
	}
	qsort(er, n, sizeof *er, cmp_entries);
	for (size_t i = 0; i < n; i++)
		r->order[i] = er[i].index;
	free(er);
	return 0;
}

/* The fullUrl map and the reading order of a Bundle's entries. */
static int index_bundle(fhir_reader *r, mrt_err *err)
{
	json_t *entries = json_object_get(r->doc, "entry");
	size_t n = json_is_array(entries) ? json_array_size(entries) : 0;
	r->urls = json_object();
	r->order = malloc((n ? n : 1) * sizeof *r->order);
	if (!r->urls || !r->order)
		return mrt_err_set(err, MRT_ENOMEM, "%s: out of memory indexing the Bundle",
				   r->cur);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(entries, i);
		json_t *res = json_object_get(e, "resource");
		const char *url = json_string_value(json_object_get(e, "fullUrl"));
		const char *type = json_string_value(json_object_get(res, "resourceType"));
		const char *id = json_string_value(json_object_get(res, "id"));
		r->order[i] = i;
		if (!url || !type || !id)
			continue;
		json_t *v = json_sprintf("%s/%s", type, id);
		if (!v || json_object_set_new(r->urls, url, v) != 0)
			return mrt_err_set(err, MRT_ENOMEM, "%s: out of memory indexing the Bundle",
					   r->cur);
	}
	r->n_order = n;
	return sort_entries(r, entries, n, err);
}

/* Reads the whole file into keep; 1 read, 0 = a file reject was set. */
static int slurp(fhir_reader *r, struct fhir_item *it, mrt_err *err)
{
	for (;;) {
		mrt_err gzerr = {0};
		int rc = fill(r, &gzerr);
		if (rc == 0)
			return 1;
		if (rc < 0) {
			if (gzerr.code == MRT_ENOMEM || keep_raw(r, err) != 0)
				return gzerr.code == MRT_ENOMEM
					   ? mrt_err_set(err, gzerr.code, "%s", gzerr.msg)
					   : err->code;
			set_file_reject(r, it,
					"the file cannot be read (damaged compressed stream)");
			return 0;
		}
		if (r->keep.len + r->chunk_len > r->o.max_file) {
			if (keep_raw(r, err) != 0)
				return err->code;
			char why[96];
			snprintf(why, sizeof why, "file larger than %zu bytes", r->o.max_file);
			set_file_reject(r, it, why);
			return 0;
		}
		if (mrt_buf_add(&r->keep, r->chunk, r->chunk_len) != 0)
			return mrt_err_set(err, MRT_ENOMEM, "%s: out of memory reading the file",
					   r->cur);
	}
}

/* Opens a .json file: 1 = ready to hand out entries, 0 = it is a file
 * reject (it set), < 0 = failure. */
static int open_json(fhir_reader *r, struct fhir_item *it, mrt_err *err)
{
	int rc = slurp(r, it, err);
	if (rc <= 0)
		return rc;
	json_error_t je;
	r->doc = json_loadb(mrt_buf_str(&r->keep), r->keep.len, 0, &je);
	if (!r->doc) {
		char why[128];
		snprintf(why, sizeof why, "not JSON (line %d, column %d)", je.line, je.column);
		set_file_reject(r, it, why);
		return 0;
	}
	const char *type = json_string_value(json_object_get(r->doc, "resourceType"));
	if (!json_is_object(r->doc) || !type) {
		set_file_reject(r, it, "not a FHIR resource or Bundle (no resourceType)");
		return 0;
	}
	mrt_buf_free(&r->keep);
	if (strcmp(type, "Bundle") == 0)
		return index_bundle(r, err) == 0 ? 1 : err->code;
	r->n_order = 1; /* a single resource: entry 0 is the document */
	r->single = 1;
	r->order = calloc(1, sizeof *r->order);
	return r->order ? 1 : mrt_err_set(err, MRT_ENOMEM, "%s: out of memory", r->cur);
}

/* 1 = an entry handed out, 0 = none left. */
static int next_entry(fhir_reader *r, struct fhir_item *it)
{
	if (r->next_entry >= r->n_order)
		return 0;
	size_t i = r->order[r->next_entry++];
	json_t *entries = json_object_get(r->doc, "entry");
	if (r->single) {
		it->kind = FHIR_ITEM_RESOURCE;
		it->resource = r->doc;
		snprintf(it->position, sizeof it->position, "resource");
		return 1;
	}
	snprintf(it->position, sizeof it->position, "entry %zu", i);
	json_t *res = json_object_get(json_array_get(entries, i), "resource");
	if (!json_is_object(res) || !json_is_string(json_object_get(res, "resourceType"))) {
		it->kind = FHIR_ITEM_REJECT;
		snprintf(it->reason, sizeof it->reason, "Bundle entry with no resource");
		char *dump = json_dumps(json_array_get(entries, i), JSON_COMPACT | JSON_ENCODE_ANY);
		mrt_buf_reset(&r->keep);
		if (dump && mrt_buf_adds(&r->keep, dump) != 0)
			mrt_buf_init(&r->keep, r->o.max_file + 1);
		free(dump);
		it->content = mrt_buf_str(&r->keep);
		it->len = r->keep.len;
		return 1;
	}
	it->kind = FHIR_ITEM_RESOURCE;
	it->resource = res;
	return 1;
}

/* ---- NDJSON ---------------------------------------------------------------- */

/* Reads one line into r->line; *over = 1 when it was longer than the cap
 * (only its head is kept). 1 = a line, 0 = the end, < 0 = damaged stream. */
static int read_line(fhir_reader *r, int *over, mrt_err *err)
{
	mrt_buf_reset(&r->line);
	*over = 0;
	int got = 0;
	for (;;) {
		if (r->chunk_pos >= r->chunk_len) {
			int rc = fill(r, err);
			if (rc < 0)
				return rc;
			if (rc == 0)
				return got;
		}
		got = 1;
		const unsigned char *p = r->chunk + r->chunk_pos;
		size_t avail = r->chunk_len - r->chunk_pos;
		const unsigned char *nl = memchr(p, '\n', avail);
		size_t take = nl ? (size_t)(nl - p) : avail;
		r->chunk_pos += take + (nl ? 1 : 0);
		if (r->line.len + take > r->o.max_line) {
			*over = 1;
			size_t room =
			    r->line.len < FHIR_REJECT_KEEP ? FHIR_REJECT_KEEP - r->line.len : 0;
			take = take < room ? take : room;
		}
		if (take && mrt_buf_add(&r->line, p, take) != 0)
			return mrt_err_set(err, MRT_ENOMEM, "%s: line %lu: out of memory", r->cur,
					   r->lineno + 1);
		if (nl)
			return 1;
	}
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static void line_reject(fhir_reader *r, struct fhir_item *it, const char *why)
{
	it->kind = FHIR_ITEM_REJECT;
	snprintf(it->position, sizeof it->position, "line %lu", r->lineno);
	snprintf(it->reason, sizeof it->reason, "%s", why);
	it->content = mrt_buf_str(&r->line);
	it->len = r->line.len;
}

/* 1 = an item, 0 = the file is done. */
static int next_line(fhir_reader *r, struct fhir_item *it, mrt_err *err)
{
	json_decref(r->item);
	r->item = NULL;
	for (;;) {
		int over = 0;
		mrt_err gzerr = {0};
		int rc = read_line(r, &over, &gzerr);
		if (rc < 0) {
			if (gzerr.code == MRT_ENOMEM)
				return mrt_err_set(err, gzerr.code, "%s", gzerr.msg);
			if (keep_raw(r, err) != 0)
				return err->code;
			set_file_reject(r, it,
					"the file cannot be read (damaged compressed stream)");
			r->eof = 1;
			return 1;
		}
		if (rc == 0)
			return 0;
		r->lineno++;
		if (over) {
			char why[96];
			snprintf(why, sizeof why, "line longer than %zu bytes", r->o.max_line);
			line_reject(r, it, why);
			return 1;
		}
		if (blank(mrt_buf_str(&r->line), r->line.len))
			continue;
		json_error_t je;
		r->item = json_loadb(mrt_buf_str(&r->line), r->line.len, 0, &je);
		if (!r->item && !r->any_line) {
			if (keep_raw(r, err) != 0)
				return err->code;
			char why[96];
			snprintf(why, sizeof why, "not NDJSON (line %lu is not JSON)", r->lineno);
			set_file_reject(r, it, why);
			r->eof = 1;
			r->chunk_pos = r->chunk_len = 0;
			return 1;
		}
		if (!r->item) {
			char why[96];
			snprintf(why, sizeof why, "not JSON (column %d)", je.column);
			line_reject(r, it, why);
			return 1;
		}
		r->any_line = 1;
		if (!json_is_object(r->item) ||
		    !json_is_string(json_object_get(r->item, "resourceType"))) {
			line_reject(r, it, "not a FHIR resource (no resourceType)");
			return 1;
		}
		it->kind = FHIR_ITEM_RESOURCE;
		it->resource = r->item;
		snprintf(it->position, sizeof it->position, "line %lu", r->lineno);
		return 1;
	}
}

/* ---- files ----------------------------------------------------------------- */

static int start_file(fhir_reader *r, struct fhir_item *it, mrt_err *err)
{
	close_file(r);
	r->cur = r->files[r->next_file++];
	r->ndjson = r->mem ? r->mem_ndjson : is_ndjson_name(r->cur);
	init_bufs(r);
	mrt_err oe = {0};
	if (open_src(r, &oe) != 0) {
		if (oe.code == MRT_ENOMEM)
			return mrt_err_set(err, oe.code, "%s", oe.msg);
		return mrt_err_set(err, MRT_EIO, "%s: cannot open the file", r->cur);
	}
	if (r->ndjson)
		return 1;
	return open_json(r, it, err);
}

int fhir_reader_next(fhir_reader *r, struct fhir_item *it, mrt_err *err)
{
	for (;;) {
		memset(it, 0, sizeof *it);
		if (r->cur) {
			it->file = r->cur;
			int rc = r->ndjson ? next_line(r, it, err) : next_entry(r, it);
			if (rc != 0)
				return rc;
			r->cur = NULL;
		}
		if (r->next_file >= r->n_files)
			return 0;
		int rc = start_file(r, it, err);
		if (rc < 0)
			return rc;
		it->file = r->cur;
		if (rc == 0) { /* the whole file is a reject */
			r->n_order = r->next_entry = 0;
			return 1;
		}
	}
}
