/*
 * Release-file discovery: names to (system, version, kind), folder walks and
 * zip listings. Names are compared without case, separators and the year,
 * so CMS ("icd10cm_order_2026.txt") and CDC ("icd-10-cm-drug-2025.xml")
 * spellings both match. MCE definitions texts (system "mce") and POA-exempt
 * lists (system "poa") are recognised by their CMS names.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/str.h"
#include "codes/load.h"
#include "codes/release.h"
#include "formats/source.h"

static const struct {
	const char *stem; /* normalized name without the year */
	const char *system; /* NULL: from the context */
	enum codes_kind kind;
} names[] = {
	{ "icd10cmorder.txt", CODES_SYS_CM, CK_ORDER },
	{ "icd10cmcodes.txt", CODES_SYS_CM, CK_CODES },
	{ "icd10cmorderaddenda.txt", CODES_SYS_CM, CK_ORDER_ADDENDA },
	{ "icd10cmcodesaddenda.txt", CODES_SYS_CM, CK_CODES_ADDENDA },
	{ "icd10pcsorder.txt", CODES_SYS_PCS, CK_ORDER },
	{ "icd10pcscodes.txt", CODES_SYS_PCS, CK_CODES },
	{ "icd10pcsorderaddenda.txt", CODES_SYS_PCS, CK_ORDER_ADDENDA },
	{ "icd10pcscodesaddenda.txt", CODES_SYS_PCS, CK_CODES_ADDENDA },
	{ "orderaddenda.txt", NULL, CK_ORDER_ADDENDA },
	{ "codesaddenda.txt", NULL, CK_CODES_ADDENDA },
	{ "icd10pcstables.xml", CODES_SYS_PCS, CK_PCS_TABLES },
	{ "icd10pcsindex.xml", CODES_SYS_PCS, CK_PCS_INDEX },
	{ "icd10pcsdefinitions.xml", CODES_SYS_PCS, CK_DEFINITIONS },
	{ "icd10cmtabular.xml", CODES_SYS_CM, CK_TABULAR },
	{ "icd10cmindex.xml", CODES_SYS_CM, CK_INDEX },
	{ "icd10cmneoplasm.xml", CODES_SYS_CM, CK_NEOPLASM },
	{ "icd10cmdrug.xml", CODES_SYS_CM, CK_DRUG },
	{ "icd10cmeindex.xml", CODES_SYS_CM, CK_EINDEX },
};

static const char *const kind_names[CK__COUNT] = {
	"order", "tables", "tabular", "codes", "order_addenda", "codes_addenda",
	"index", "neoplasm", "drug", "eindex", "pcs_index", "definitions",
	"mce_definitions", "mce_derived", "poa_exempt", "poa_add", "poa_delete", "poa_revise",
};

const char *codes_kind_name(enum codes_kind k)
{
	return k < CK__COUNT ? kind_names[k] : "?";
}

/* Lower-cases name without separators, takes out the 4-digit year and
 * "april"; 0 or -1 when there is no year. */
static int normalize(const char *name, char *out, size_t n, int *year, int *april)
{
	char tmp[512];
	size_t k = 0;
	for (const char *p = name; *p && k + 1 < sizeof tmp; p++)
		if (*p != '-' && *p != '_' && *p != ' ')
			tmp[k++] = (char)tolower((unsigned char)*p);
	tmp[k] = '\0';
	char *ap = strstr(tmp, "april");
	*april = ap != NULL;
	if (ap)
		memmove(ap, ap + 5, strlen(ap + 5) + 1);
	*year = 0;
	size_t j = 0;
	for (size_t i = 0; tmp[i]; i++) {
		if (!*year && isdigit((unsigned char)tmp[i]) && (i == 0 || !isdigit((unsigned char)tmp[i - 1]))) {
			size_t d = 0;
			while (isdigit((unsigned char)tmp[i + d]))
				d++;
			if (d == 4 && (tmp[i] == '1' || tmp[i] == '2')) {
				*year = (tmp[i] - '0') * 1000 + (tmp[i + 1] - '0') * 100 + (tmp[i + 2] - '0') * 10 +
				        (tmp[i + 3] - '0');
				i += 3;
				continue;
			}
		}
		if (j + 1 < n)
			out[j++] = tmp[i];
	}
	out[j] = '\0';
	return *year ? 0 : -1;
}

/* "Definitions of Medicare Code Edits_v_43_1.txt" -> "43.1". */
static void mce_version(const char *name, char *out, size_t n)
{
	const char *v = NULL;
	for (const char *p = name; *p; p++)
		if ((*p == 'v' || *p == 'V') && (isdigit((unsigned char)p[1]) ||
		                                  (p[1] && !isalnum((unsigned char)p[1]) && isdigit((unsigned char)p[2]))))
			v = p + 1;
	int a = 0, b = 0, k = 0;
	while (v && *v && !isdigit((unsigned char)*v))
		v++;
	for (; v && isdigit((unsigned char)*v); v++)
		a = a * 10 + (*v - '0'), k = 1;
	while (v && *v && !isdigit((unsigned char)*v) && *v != '.')
		v++;
	if (v && *v == '.')
		v++;
	for (; v && isdigit((unsigned char)*v); v++)
		b = b * 10 + (*v - '0');
	if (k)
		snprintf(out, n, "%d.%d", a % 1000, b % 1000);
	else
		mrt_strlcpy(out, name, n);
}

/* MCE definitions, the derived FY2025 lists and the POA-exempt files. */
static int classify_mce_poa(const char *name, struct codes_file *f)
{
	char c[512];
	size_t k = 0;
	for (const char *p = name; *p && k + 1 < sizeof c; p++)
		if (*p != '-' && *p != '_' && *p != ' ')
			c[k++] = (char)tolower((unsigned char)*p);
	c[k] = '\0';
	if (strncmp(c, "definitionsofmedicarecodeedits", 30) == 0 && k > 4 && strcmp(c + k - 4, ".txt") == 0) {
		mrt_strlcpy(f->system, "mce", sizeof f->system);
		mce_version(name, f->version, sizeof f->version);
		f->kind = CK_MCE_DEFS;
		return 0;
	}
	if (strcmp(c, "mcefy2025differences.tsv") == 0) {
		mrt_strlcpy(f->system, "mce", sizeof f->system);
		mrt_strlcpy(f->version, "fy2025-derived", sizeof f->version);
		f->kind = CK_MCE_DERIVED;
		return 0;
	}
	static const struct { const char *stem; enum codes_kind kind; } poa[] = {
		{ "poaexemptcodes", CK_POA }, { "poaexemptaddcodes", CK_POA_ADD },
		{ "poaexemptdeletecodes", CK_POA_DELETE }, { "poaexemptrevisecodes", CK_POA_REVISE },
	};
	for (size_t i = 0; i < sizeof poa / sizeof poa[0]; i++) {
		size_t sl = strlen(poa[i].stem);
		if (strncmp(c, poa[i].stem, sl) != 0)
			continue;
		const char *y = c + sl;
		int fy = 0, nd = 0;
		if (strncmp(y, "fy", 2) == 0)
			y += 2;
		for (; isdigit((unsigned char)*y); y++, nd++)
			fy = fy * 10 + (*y - '0');
		if ((nd != 2 && nd != 4) || strcmp(y, ".txt") != 0)
			return MRT_ENOTFOUND;
		mrt_strlcpy(f->system, "poa", sizeof f->system);
		snprintf(f->version, sizeof f->version, "%d", nd == 2 ? 2000 + fy : fy);
		f->kind = poa[i].kind;
		return 0;
	}
	return MRT_ENOTFOUND;
}

int codes_classify(const char *name, const char *context, const char *system, struct codes_file *f)
{
	char norm[512];
	int year, april;
	if (classify_mce_poa(name, f) == 0)
		return 0;
	if (normalize(name, norm, sizeof norm, &year, &april) != 0)
		return MRT_ENOTFOUND;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(norm, names[i].stem) != 0)
			continue;
		const char *sys = names[i].system;
		if (!sys && system)
			sys = system;
		if (!sys && context) {
			char low[4096];
			size_t k = 0;
			for (; context[k] && k + 1 < sizeof low; k++)
				low[k] = (char)tolower((unsigned char)context[k]);
			low[k] = '\0';
			sys = strstr(low, "pcs") ? CODES_SYS_PCS : strstr(low, "cm") ? CODES_SYS_CM : NULL;
		}
		if (!sys)
			return MRT_ENOTFOUND;
		mrt_strlcpy(f->system, sys, sizeof f->system);
		snprintf(f->version, sizeof f->version, april ? "%04d-04" : "%04d", year % 10000);
		f->kind = names[i].kind;
		return 0;
	}
	return MRT_ENOTFOUND;
}

struct found {
	struct codes_file *v;
	size_t n, cap;
	const char *system;
};

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Adds f unless the same (system, version, kind) is there; a plain file
 * replaces a zip member. */
static int add_found(struct found *fd, const struct codes_file *f, mrt_err *err)
{
	for (size_t i = 0; i < fd->n; i++) {
		struct codes_file *g = &fd->v[i];
		if (g->kind == f->kind && strcmp(g->system, f->system) == 0 &&
		    strcmp(g->version, f->version) == 0) {
			if (g->in_zip && !f->in_zip)
				*g = *f;
			return 0;
		}
	}
	if (fd->n == fd->cap) {
		size_t cap = fd->cap ? fd->cap * 2 : 16;
		struct codes_file *p = realloc(fd->v, cap * sizeof *p);
		if (!p)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		fd->v = p;
		fd->cap = cap;
	}
	fd->v[fd->n++] = *f;
	return 0;
}

static int is_zip(const char *p)
{
	size_t n = strlen(p);
	return n > 4 && mrt_strcaseeq(p + n - 4, ".zip");
}

/* Adds the members of a zip that are release files; *count = how many. */
static int scan_zip(struct found *fd, const char *path, int *count, mrt_err *err)
{
	char **list = NULL;
	int rc = mrt_src_zip_list(&list, path, err);
	if (rc)
		return rc;
	*count = 0;
	for (char **m = list; *m && rc == 0; m++) {
		struct codes_file f;
		memset(&f, 0, sizeof f);
		if (codes_classify(base_name(*m), path, fd->system, &f) != 0)
			continue;
		f.in_zip = 1;
		snprintf(f.spec, sizeof f.spec, "%s#%s", path, *m);
		snprintf(f.name, sizeof f.name, "%s#%s", base_name(path), *m);
		rc = add_found(fd, &f, err);
		(*count)++;
	}
	mrt_src_free_list(list);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int scan_path(struct found *fd, const char *path, int explicit, int depth, mrt_err *err);

static int scan_dir(struct found *fd, const char *path, int depth, mrt_err *err)
{
	DIR *d = opendir(path);
	if (!d)
		return mrt_err_set(err, MRT_EIO, "%s: cannot read folder", path);
	char **list = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && rc == 0) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **p = realloc(list, cap * sizeof *p);
			if (!p) {
				rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
				break;
			}
			list = p;
		}
		char child[4096];
		snprintf(child, sizeof child, "%s/%s", path, e->d_name);
		list[n] = mrt_strndup(child, strlen(child));
		if (!list[n])
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
		else
			n++;
	}
	closedir(d);
	if (rc == 0 && n)
		qsort(list, n, sizeof *list, cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0)
			rc = scan_path(fd, list[i], 0, depth + 1, err);
		free(list[i]);
	}
	free(list);
	return rc;
}

static int scan_path(struct found *fd, const char *path, int explicit, int depth, mrt_err *err)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return explicit ? mrt_err_set(err, MRT_ENOTFOUND, "%s: no such file or folder", path) : 0;
	if (S_ISDIR(st.st_mode))
		return depth > 6 ? 0 : scan_dir(fd, path, depth, err);
	if (!S_ISREG(st.st_mode))
		return 0;
	if (is_zip(path)) {
		int count = 0;
		int rc = scan_zip(fd, path, &count, err);
		if (rc && !explicit)
			return 0; /* an unreadable zip in a folder is not ours to judge */
		if (rc == 0 && count == 0 && explicit)
			return mrt_err_set(err, MRT_ENOTFOUND,
			                   "%s: the archive holds no ICD-10-CM/PCS release file (expected a "
			                   "member such as icd10cm_order_YYYY.txt or icd10pcs_order_YYYY.txt)",
			                   path);
		return rc;
	}
	struct codes_file f;
	memset(&f, 0, sizeof f);
	if (codes_classify(base_name(path), path, fd->system, &f) != 0)
		return explicit ? mrt_err_set(err, MRT_EINVAL,
		                              "%s: not a release file this loader knows (names such as "
		                              "icd10cm_order_2026.txt, icd10pcs_tables_2026.xml; use "
		                              "--system when the name does not say it)", path)
		                : 0;
	mrt_strlcpy(f.spec, path, sizeof f.spec);
	mrt_strlcpy(f.name, base_name(path), sizeof f.name);
	return add_found(fd, &f, err);
}

int codes_discover(const char *const *paths, size_t n, const char *system, struct codes_file **out,
                   size_t *nout, mrt_err *err)
{
	struct found fd = { .system = system };
	*out = NULL;
	*nout = 0;
	for (size_t i = 0; i < n; i++) {
		int rc;
		const char *p = paths[i];
		if (strstr(p, ".zip#") || strstr(p, ".ZIP#")) {
			struct codes_file f;
			memset(&f, 0, sizeof f);
			const char *member = strchr(strstr(p, ".zip#") ? strstr(p, ".zip#") : strstr(p, ".ZIP#"), '#') + 1;
			if (codes_classify(base_name(member), p, system, &f) != 0) {
				free(fd.v);
				return mrt_err_set(err, MRT_EINVAL, "%s: not a release file this loader knows", p);
			}
			f.in_zip = 1;
			mrt_strlcpy(f.spec, p, sizeof f.spec);
			mrt_strlcpy(f.name, base_name(p), sizeof f.name);
			rc = add_found(&fd, &f, err);
		} else {
			rc = scan_path(&fd, p, 1, 0, err);
		}
		if (rc) {
			free(fd.v);
			return rc;
		}
	}
	if (fd.n == 0) {
		free(fd.v);
		return mrt_err_set(err, MRT_ENOTFOUND, "no ICD-10-CM/PCS release files found in %s%s",
		                   n ? paths[0] : "(nothing)", n > 1 ? " and the other paths" : "");
	}
	*out = fd.v;
	*nout = fd.n;
	return 0;
}
