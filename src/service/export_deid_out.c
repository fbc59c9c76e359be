/*
 * The files of a de-identified extract (see export_deid.h): the CSV
 * columns of each file for either method, temporary files renamed into
 * place after the commit, RFC 4180 rows, and the manifest.json and
 * README.txt that say what was done to each field.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "service/export_deid_int.h"

const struct xd_file_info xd_files[XD_NFILES] = {
    [XD_PATIENTS] = {"patients.csv",
		     {"patient,sex,birth_year,age,deceased,death_year,race,ethnicity,"
		      "marital_status,language,state,zip3,country",
		      "patient,sex,birth_date,age,deceased,death_date,race,ethnicity,"
		      "marital_status,language,city,state,zip,country"}},
    [XD_ENCOUNTERS] = {"encounters.csv",
		       {"encounter,patient,class,status,admit_year,discharge_year,los_days,"
			"age_at_admit,admit_type,admit_source,discharge_status,discharge_location,"
			"service,payer",
			"encounter,patient,class,status,admit_at,discharge_at,los_days,"
			"age_at_admit,admit_type,admit_source,discharge_status,discharge_location,"
			"service,payer"}},
    [XD_DIAGNOSES] = {"diagnoses.csv",
		      {"encounter,patient,seq,kind,system,code,poa,onset_year",
		       "encounter,patient,seq,kind,system,code,poa,onset"}},
    [XD_PROCEDURES] = {"procedures.csv",
		       {"encounter,patient,seq,system,code,performed_year",
			"encounter,patient,seq,system,code,performed_at"}},
    [XD_TRANSFERS] = {"transfers.csv",
		      {"encounter,patient,event,careunit,in_year,out_year,hours",
		       "encounter,patient,event,careunit,in_at,out_at,hours"}},
    [XD_SERVICES] = {"services.csv",
		     {"encounter,patient,year,prev_service,service",
		      "encounter,patient,at,prev_service,service"}},
    [XD_DRGS] = {"drgs.csv",
		 {"encounter,patient,drg_type,drg_code,severity,mortality",
		  "encounter,patient,drg_type,drg_code,severity,mortality"}},
};

int xd_open(struct xd_out *o, const char *dir, const char *name, mrt_err *err)
{
	o->rows = 0;
	if ((size_t)snprintf(o->final, sizeof o->final, "%s/%s", dir, name) >= sizeof o->final ||
	    (size_t)snprintf(o->tmp, sizeof o->tmp, "%s/.%s.XXXXXX", dir, name) >= sizeof o->tmp) {
		o->tmp[0] = '\0';
		return mrt_err_set(err, MRT_EINVAL, "--out: the path is too long");
	}
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		o->tmp[0] = '\0';
		return mrt_err_set(err, MRT_EIO, "%s: cannot create a file there", dir);
	}
	if (fchmod(fd, 0600) != 0 || (o->f = fdopen(fd, "w")) == NULL) {
		close(fd);
		return mrt_err_set(err, MRT_EIO, "%s: cannot open a file there", dir);
	}
	setvbuf(o->f, NULL, _IOFBF, 1 << 16);
	return 0;
}

int xd_close(struct xd_out *o, mrt_err *err)
{
	if (!o->f)
		return 0;
	int bad = fflush(o->f) != 0 || fsync(fileno(o->f)) != 0;
	bad |= fclose(o->f) != 0;
	o->f = NULL;
	return bad ? mrt_err_set(err, MRT_EIO, "%s: write failed", o->tmp) : 0;
}

int xd_rename(struct xd_out *o, mrt_err *err)
{
	if (rename(o->tmp, o->final) != 0)
		return mrt_err_set(err, MRT_EIO, "%s: cannot put the file in place", o->final);
	o->tmp[0] = '\0';
	return 0;
}

void xd_discard(struct xd_out *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp[0])
		unlink(o->tmp);
	o->tmp[0] = '\0';
}

static int field(FILE *f, const char *v)
{
	if (!v || !*v)
		return 0;
	if (!strpbrk(v, ",\"\r\n"))
		return fputs(v, f) < 0 ? -1 : 0;
	if (fputc('"', f) == EOF)
		return -1;
	for (const char *p = v; *p; p++)
		if ((*p == '"' && fputc('"', f) == EOF) || fputc(*p, f) == EOF)
			return -1;
	return fputc('"', f) == EOF ? -1 : 0;
}

int xd_row(struct xd_out *o, const char *const *v, int n, mrt_err *err)
{
	int bad = 0;
	for (int i = 0; i < n && !bad; i++)
		bad = (i && fputc(',', o->f) == EOF) || field(o->f, v[i]) != 0;
	if (bad || fputc('\n', o->f) == EOF)
		return mrt_err_set(err, MRT_EIO, "%s: write failed", o->tmp);
	o->rows++;
	return 0;
}

/* What happened to each source field, for the manifest and the README. */
struct rule {
	const char *field, *sh, *lds;
};

static const struct rule rules[] = {
    {"names (family, given, middle, prefix, suffix, other names)", "removed", "removed"},
    {"MRN, account and visit numbers, patient identifiers (SSN, driver's licence, "
     "passport, health plan ids)",
     "removed; random surrogate ids per patient and per encounter, new for each extract, "
     "mapping not kept",
     "removed; random surrogate ids per patient and per encounter, new for each extract, "
     "mapping not kept"},
    {"street address", "removed", "removed"},
    {"city", "removed", "kept"},
    {"state, country", "kept", "kept"},
    {"ZIP code", "first three digits (zip3); 000 for the restricted prefixes; dropped when "
		 "not a 5- or 9-digit US ZIP",
     "kept"},
    {"telephone numbers (home, work, mobile), fax, e-mail", "removed", "removed"},
    {"birth date", "year only; removed when the patient is, or would be, over 89 on the "
		   "extract date, the death date or the last encounter",
     "kept"},
    {"age", "whole years; over 89 as 90+; for a patient whose birth year is removed, ages "
	    "of 89 and under are removed too",
     "whole years"},
    {"death, admission, discharge, transfer, service, onset and procedure dates",
     "year only", "kept"},
    {"length of stay (days), transfer duration (hours)", "kept (intervals, not dates)",
     "kept"},
    {"providers (attending, admitting, surgeon, author)", "removed", "removed"},
    {"facility, unit, room and bed of the encounter", "removed", "removed"},
    {"free text: document text and titles, encounter reason, code and DRG titles, URLs",
     "removed (documents are not exported)", "removed (documents are not exported)"},
    {"coded data: sex, race, ethnicity, marital status, language, class, status, admission "
     "type and source, discharge status and location, service, payer, care unit, ICD codes, "
     "POA, DRG, severity, mortality",
     "kept", "kept"},
};

static json_t *counts_of(const struct xd *x)
{
	json_t *f = json_object();
	for (int i = 0; f && i < XD_NFILES; i++)
		json_object_set_new(f, xd_files[i].name, json_integer(x->out[i].rows));
	return f;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

json_t *xd_manifest(const struct xd *x, const struct export_deid_opts *o)
{
	json_t *fields = json_array();
	for (size_t i = 0; fields && i < sizeof rules / sizeof rules[0]; i++)
		json_array_append_new(fields, json_pack("{s:s, s:s}", "field", rules[i].field,
							"treatment",
							x->limited ? rules[i].lds : rules[i].sh));
	json_t *zip = NULL;
	if (!x->limited)
		zip = json_pack("{s:s, s:s, s:s, s:i}", "file", base_name(x->zip3->path), "effective",
				x->zip3->effective, "source", x->zip3->source, "prefixes",
				x->zip3->count);
	const char *warn =
	    x->limited
		? "A limited data set is protected health information. The recipient may use or "
		  "disclose it only as the data use agreement permits, must safeguard it, report any "
		  "use it does not permit, bind its agents to the same terms, and must not identify "
		  "or contact the individuals (45 CFR 164.514(e)(4))."
		: "Safe Harbor (45 CFR 164.514(b)(2)) also requires that the covered entity have no "
		  "actual knowledge that the information left could be used, alone or with other "
		  "information, to identify an individual (164.514(b)(2)(ii)). Review rare "
		  "combinations (unusual codes, small groups) before release.";
	json_t *m = json_pack(
	    "{s:I, s:s, s:s, s:s, s:o*, s:o*, s:o, s:o, s:I, s:s, s:s}", "extract",
	    (json_int_t)x->extract_id, "method", x->limited ? "limited" : "safe-harbor",
	    "legal_basis", x->limited ? "45 CFR 164.514(e)" : "45 CFR 164.514(b)(2)",
	    "extract_date", x->today, "dua",
	    x->limited ? json_integer(o->dua_id) : NULL, "zip3_list", zip, "fields", fields,
	    "files", counts_of(x), "patients_withheld", (json_int_t)x->withheld, "surrogate_ids",
	    "random per extract (libsodium randombytes), not derived from any identifier; the "
	    "mapping is not kept",
	    "warning", warn);
	return m;
}

static int readme(FILE *f, const json_t *m)
{
	int limited = strcmp(json_string_value(json_object_get(m, "method")), "limited") == 0;
	fprintf(f, "mrt de-identified extract %lld, made %s\n\n",
		(long long)json_integer_value(json_object_get(m, "extract")),
		json_string_value(json_object_get(m, "extract_date")));
	if (limited)
		fprintf(f, "Method: limited data set (45 CFR 164.514(e)) under data use agreement "
			   "%lld.\n",
			(long long)json_integer_value(json_object_get(m, "dua")));
	else
		fprintf(f, "Method: Safe Harbor (45 CFR 164.514(b)(2)).\n");
	json_t *z = json_object_get(m, "zip3_list");
	if (z)
		fprintf(f, "Restricted ZIP3 list: %s, effective %s (%lld prefixes), source: %s\n",
			json_string_value(json_object_get(z, "file")),
			json_string_value(json_object_get(z, "effective")),
			(long long)json_integer_value(json_object_get(z, "prefixes")),
			json_string_value(json_object_get(z, "source")));
	fprintf(f, "\nFields:\n");
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(m, "fields"), i, v)
	    fprintf(f, "- %s: %s\n", json_string_value(json_object_get(v, "field")),
		    json_string_value(json_object_get(v, "treatment")));
	fprintf(f, "\nSurrogate ids: %s.\n\nFiles (rows):\n",
		json_string_value(json_object_get(m, "surrogate_ids")));
	const char *k;
	json_object_foreach(json_object_get(m, "files"), k, v)
	    fprintf(f, "- %s: %lld\n", k, (long long)json_integer_value(v));
	if (limited)
		fprintf(f, "Patients withheld by the access rules (e.g. 42 CFR Part 2 without consent): %lld\n",
			(long long)json_integer_value(json_object_get(m, "patients_withheld")));
	fprintf(f, "\nWARNING: %s\n", json_string_value(json_object_get(m, "warning")));
	return ferror(f) ? -1 : 0;
}

int xd_write_docs(struct xd *x, const json_t *manifest, mrt_err *err)
{
	if (json_dumpf(manifest, x->manifest.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', x->manifest.f) == EOF)
		return mrt_err_set(err, MRT_EIO, "%s: write failed", x->manifest.tmp);
	if (readme(x->readme.f, manifest) != 0)
		return mrt_err_set(err, MRT_EIO, "%s: write failed", x->readme.tmp);
	return 0;
}
