/*
 * The restricted-ZIP3 list as dated data (see deid.h): parsing one file,
 * and choosing among the files of a directory the one in effect on the
 * extract's date, so a list from a newer census applies from its own date
 * and an extract made earlier can still be reproduced with the old one.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "privacy/deid.h"

#define ZIP3_FILE_MAX (1 << 20)

static int parse_comment(struct deid_zip3 *z, const char *line, size_t n, const char *name,
			 int lineno, mrt_err *err)
{
	static const char src[] = "# source:", eff[] = "# effective:";
	if (n >= sizeof src - 1 && memcmp(line, src, sizeof src - 1) == 0) {
		const char *v = line + sizeof src - 1;
		size_t vn = n - (sizeof src - 1);
		while (vn && *v == ' ') {
			v++;
			vn--;
		}
		if (vn >= sizeof z->source)
			vn = sizeof z->source - 1;
		memcpy(z->source, v, vn);
		z->source[vn] = '\0';
	} else if (n >= sizeof eff - 1 && memcmp(line, eff, sizeof eff - 1) == 0) {
		const char *v = line + sizeof eff - 1;
		size_t vn = n - (sizeof eff - 1);
		while (vn && *v == ' ') {
			v++;
			vn--;
		}
		char d[MRT_DATE_LEN];
		mrt_day day;
		if (vn != 10)
			return mrt_err_set(err, MRT_EPARSE, "%s:%d: effective: not a date (YYYY-MM-DD)",
					   name, lineno);
		memcpy(d, v, 10);
		d[10] = '\0';
		if (mrt_date_parse(&day, d) != 0)
			return mrt_err_set(err, MRT_EPARSE, "%s:%d: effective: not a date (YYYY-MM-DD)",
					   name, lineno);
		memcpy(z->effective, d, sizeof d);
	}
	return 0;
}

static int parse_line(struct deid_zip3 *z, const char *line, size_t n, int *header, const char *name,
		      int lineno, mrt_err *err)
{
	while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
		n--;
	if (n == 0)
		return 0;
	if (line[0] == '#')
		return parse_comment(z, line, n, name, lineno, err);
	size_t f = 0;
	while (f < n && line[f] != '\t')
		f++;
	if (!*header) {
		if (f != 4 || memcmp(line, "zip3", 4) != 0)
			return mrt_err_set(err, MRT_EPARSE, "%s:%d: the header line must start with zip3",
					   name, lineno);
		*header = 1;
		return 0;
	}
	if (f != 3 || line[0] < '0' || line[0] > '9' || line[1] < '0' || line[1] > '9' ||
	    line[2] < '0' || line[2] > '9')
		return mrt_err_set(err, MRT_EPARSE, "%s:%d: zip3: not three digits", name, lineno);
	int p = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	if (z->restricted[p])
		return mrt_err_set(err, MRT_EPARSE, "%s:%d: zip3: listed twice", name, lineno);
	z->restricted[p] = 1;
	z->count++;
	return 0;
}

int deid_zip3_parse(struct deid_zip3 *z, const char *text, size_t len, const char *name,
		    mrt_err *err)
{
	memset(z, 0, sizeof *z);
	int header = 0, lineno = 0;
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		lineno++;
		int rc = parse_line(z, text + i, e - i, &header, name, lineno, err);
		if (rc)
			return rc;
		i = e + 1;
	}
	if (!z->effective[0])
		return mrt_err_set(err, MRT_EPARSE, "%s: no '# effective: YYYY-MM-DD' line", name);
	if (!z->source[0])
		return mrt_err_set(err, MRT_EPARSE, "%s: no '# source: ...' line", name);
	if (!header)
		return mrt_err_set(err, MRT_EPARSE, "%s: no zip3 header line", name);
	return 0;
}

int deid_zip3_load(struct deid_zip3 *z, const char *path, mrt_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return mrt_err_set(err, MRT_ENOTFOUND, "%s: cannot open the ZIP3 list", path);
	char *buf = malloc(ZIP3_FILE_MAX);
	size_t n = buf ? fread(buf, 1, ZIP3_FILE_MAX, f) : 0;
	int bad = ferror(f);
	fclose(f);
	int rc;
	if (!buf)
		rc = mrt_err_set(err, MRT_ENOMEM, "%s: out of memory", path);
	else if (bad)
		rc = mrt_err_set(err, MRT_EIO, "%s: read failed", path);
	else if (n == ZIP3_FILE_MAX)
		rc = mrt_err_set(err, MRT_EPARSE, "%s: too large for a ZIP3 list", path);
	else
		rc = deid_zip3_parse(z, buf, n, path, err);
	free(buf);
	if (rc == 0)
		mrt_strlcpy(z->path, path, sizeof z->path);
	return rc;
}

static int is_list_name(const char *n)
{
	static const char pre[] = "restricted-zip3", suf[] = ".tsv";
	size_t len = strlen(n);
	return len >= sizeof pre - 1 + sizeof suf - 1 && memcmp(n, pre, sizeof pre - 1) == 0 &&
	       strcmp(n + len - (sizeof suf - 1), suf) == 0;
}

int deid_zip3_pick(struct deid_zip3 *z, const char *dir, const char *on, mrt_err *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return mrt_err_set(err, MRT_ENOTFOUND, "%s: no such directory (restricted ZIP3 lists)",
				   dir);
	struct deid_zip3 *cand = malloc(sizeof *cand);
	int rc = cand ? 0 : mrt_err_set(err, MRT_ENOMEM, "out of memory");
	int found = 0;
	const struct dirent *e;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (!is_list_name(e->d_name))
			continue;
		char path[1024];
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path)
			continue;
		rc = deid_zip3_load(cand, path, err);
		if (rc == 0 && strcmp(cand->effective, on) <= 0 &&
		    (!found || strcmp(cand->effective, z->effective) > 0)) {
			*z = *cand;
			found = 1;
		}
	}
	closedir(d);
	free(cand);
	if (rc == 0 && !found)
		rc = mrt_err_set(err, MRT_ENOTFOUND,
				 "%s: no restricted ZIP3 list in effect on %s (restricted-zip3*.tsv)",
				 dir, on);
	return rc;
}
