/*
 * Synthea CSV table readers; see synthea.h. Columns are resolved by name
 * when the file opens; ids are checked to be UUIDs, dates and date-times
 * parsed, and the first bad field rejects the row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/synthea.h"

#define MAXCOLS 20

struct table_spec {
	const char *file;
	const char *cols[MAXCOLS];
	unsigned char opt[MAXCOLS];
	int ncols;
};

static const struct table_spec specs[SYNTHEA_NTABLES] = {
    [SYNTHEA_PATIENTS] = {"patients",
			  {"Id", "BIRTHDATE", "DEATHDATE", "SSN", "PREFIX", "FIRST", "LAST",
			   "SUFFIX", "MAIDEN", "MARITAL", "RACE", "ETHNICITY", "GENDER", "ADDRESS",
			   "CITY", "STATE", "COUNTY", "ZIP"},
			  {0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1},
			  18},
    [SYNTHEA_ENCOUNTERS] = {"encounters",
			    {"Id", "START", "STOP", "PATIENT", "ORGANIZATION", "PROVIDER", "PAYER",
			     "ENCOUNTERCLASS", "CODE", "DESCRIPTION", "REASONCODE",
			     "REASONDESCRIPTION"},
			    {0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1},
			    12},
    [SYNTHEA_CONDITIONS] = {"conditions",
			    {"START", "STOP", "PATIENT", "ENCOUNTER", "CODE", "DESCRIPTION"},
			    {0},
			    6},
    [SYNTHEA_PROCEDURES] = {"procedures",
			    {"DATE", "START", "PATIENT", "ENCOUNTER", "CODE", "DESCRIPTION",
			     "REASONCODE", "REASONDESCRIPTION"},
			    {1, 1, 0, 0, 0, 0, 1, 1},
			    8},
    [SYNTHEA_PROVIDERS] = {"providers",
			   {"Id", "ORGANIZATION", "NAME", "GENDER", "SPECIALITY"},
			   {0, 1, 0, 1, 1},
			   5},
    [SYNTHEA_ORGANIZATIONS] = {"organizations",
			       {"Id", "NAME", "ADDRESS", "CITY", "STATE", "ZIP", "PHONE"},
			       {0, 0, 1, 1, 1, 1, 1},
			       7},
    [SYNTHEA_PAYERS] = {"payers", {"Id", "NAME"}, {0}, 2},
};

struct synthea_reader {
	enum synthea_table t;
	csv_reader *csv;
	int idx[MAXCOLS];
};

const char *synthea_table_file(enum synthea_table t)
{
	static const char *const files[SYNTHEA_NTABLES] = {
	    "patients.csv",  "encounters.csv",	  "conditions.csv", "procedures.csv",
	    "providers.csv", "organizations.csv", "payers.csv",
	};
	return (unsigned)t < SYNTHEA_NTABLES ? files[t] : "";
}

int synthea_open_src(synthea_reader **out, enum synthea_table t, mrt_src *src, int own_src,
		     mrt_err *err)
{
	*out = NULL;
	synthea_reader *s = (unsigned)t < SYNTHEA_NTABLES ? calloc(1, sizeof *s) : NULL;
	if (!s) {
		if (own_src)
			mrt_src_close(src);
		if ((unsigned)t >= SYNTHEA_NTABLES)
			return mrt_err_set(err, MRT_EINVAL, "unknown Synthea table");
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	s->t = t;
	int rc = csv_open(&s->csv, src, own_src, NULL, err);
	if (rc == 0)
		rc = csvrow_columns(s->csv, specs[t].cols, specs[t].opt, s->idx, specs[t].ncols,
				    err);
	if (rc == 0 && t == SYNTHEA_PROCEDURES && s->idx[0] < 0 && s->idx[1] < 0)
		rc = mrt_err_set(err, MRT_EPARSE, "%s: the header has no column 'DATE' or 'START'",
				 csv_name(s->csv));
	if (rc < 0) {
		synthea_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int synthea_open(synthea_reader **out, enum synthea_table t, const char *dir, mrt_err *err)
{
	char path[4096];
	*out = NULL;
	if ((unsigned)t >= SYNTHEA_NTABLES)
		return mrt_err_set(err, MRT_EINVAL, "unknown Synthea table");
	int k = snprintf(path, sizeof path, "%s/%s.csv", dir, specs[t].file);
	if (k < 0 || (size_t)k + 4 >= sizeof path)
		return mrt_err_set(err, MRT_EINVAL, "path too long");
	if (access(path, F_OK) != 0)
		memcpy(path + k, ".gz", 4);
	mrt_src *src = NULL;
	int rc = mrt_src_open(&src, path, err);
	if (rc < 0)
		return rc;
	return synthea_open_src(out, t, src, 1, err);
}

void synthea_close(synthea_reader *s)
{
	if (!s)
		return;
	csv_close(s->csv);
	free(s);
}

csv_reader *synthea_csv(synthea_reader *s)
{
	return s->csv;
}

static int next(synthea_reader *s, enum synthea_table t, struct csvrow *c, mrt_err *err)
{
	if (s->t != t)
		return mrt_err_set(err, MRT_EINVAL, "%s: wrong reader for this table",
				   csv_name(s->csv));
	c->r = s->csv;
	c->err = err;
	c->bad = 0;
	return csv_next(s->csv, err);
}

static int finish(struct csvrow *c)
{
	return c->bad ? CSV_REJECT : 1;
}

/* A Synthea id: a UUID, 8-4-4-4-12 hex digits. */
static const char *uuid(struct csvrow *c, int col, int required)
{
	const char *s = csvrow_str(c, col, required);
	if (!*s)
		return s;
	int ok = strlen(s) == 36;
	for (int i = 0; ok && i < 36; i++) {
		char ch = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23)
			ok = ch == '-';
		else
			ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
			     (ch >= 'A' && ch <= 'F');
	}
	if (!ok)
		csvrow_fail(c, col, "not a UUID");
	return s;
}

/* A SNOMED CT (or other numeric) code: digits only. */
static const char *code(struct csvrow *c, int col, int required)
{
	const char *s = csvrow_str(c, col, required);
	if (*s && strspn(s, "0123456789") != strlen(s))
		csvrow_fail(c, col, "code is not numeric");
	return s;
}

int synthea_read_patient(synthea_reader *s, struct synthea_patient *p, mrt_err *err)
{
	struct csvrow c;
	int rc = next(s, SYNTHEA_PATIENTS, &c, err);
	if (rc != 1)
		return rc;
	memset(p, 0, sizeof *p);
	const int *x = s->idx;
	p->id = uuid(&c, x[0], 1);
	csvrow_date(&c, x[1], 1, &p->birthdate);
	p->has_deathdate = csvrow_date(&c, x[2], 0, &p->deathdate) > 0;
	if (p->has_deathdate && p->deathdate < p->birthdate)
		csvrow_fail(&c, x[2], "death date before birth date");
	const char **str[] = {&p->ssn,	  &p->prefix,  &p->first, &p->last,	&p->suffix,
			      &p->maiden, &p->marital, &p->race,  &p->ethnicity};
	for (int i = 0; i < 9; i++)
		*str[i] = csvrow_str(&c, x[3 + i], i == 2 || i == 3);
	const char *g = csvrow_str(&c, x[12], 1);
	if (*g && (strlen(g) != 1 || (g[0] != 'F' && g[0] != 'M')))
		csvrow_fail(&c, x[12], "gender is not F or M");
	p->gender = g[0];
	const char **addr[] = {&p->address, &p->city, &p->state, &p->county, &p->zip};
	for (int i = 0; i < 5; i++)
		*addr[i] = csvrow_str(&c, x[13 + i], 0);
	return finish(&c);
}

const char *synthea_encounter_class(const char *cls)
{
	static const char *const map[][2] = {
	    {"inpatient", "inpatient"},	  {"emergency", "emergency"}, {"ambulatory", "outpatient"},
	    {"outpatient", "outpatient"}, {"wellness", "outpatient"}, {"urgentcare", "outpatient"},
	    {"home", "outpatient"},	  {"virtual", "outpatient"},  {"hospice", "inpatient"},
	    {"snf", "inpatient"},
	};
	for (size_t i = 0; cls && i < sizeof map / sizeof *map; i++)
		if (strcmp(cls, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

int synthea_read_encounter(synthea_reader *s, struct synthea_encounter *e, mrt_err *err)
{
	struct csvrow c;
	int rc = next(s, SYNTHEA_ENCOUNTERS, &c, err);
	if (rc != 1)
		return rc;
	memset(e, 0, sizeof *e);
	const int *x = s->idx;
	e->id = uuid(&c, x[0], 1);
	csvrow_time(&c, x[1], 1, &e->start);
	e->has_stop = csvrow_time(&c, x[2], 0, &e->stop) > 0;
	e->patient = uuid(&c, x[3], 1);
	e->organization = uuid(&c, x[4], 0);
	e->provider = uuid(&c, x[5], 0);
	e->payer = uuid(&c, x[6], 0);
	e->encounterclass = csvrow_str(&c, x[7], 1);
	e->mrt_class = synthea_encounter_class(e->encounterclass);
	e->code = code(&c, x[8], 1);
	e->description = csvrow_str(&c, x[9], 0);
	e->reasoncode = code(&c, x[10], 0);
	e->reasondescription = csvrow_str(&c, x[11], 0);
	return finish(&c);
}

int synthea_read_condition(synthea_reader *s, struct synthea_condition *d, mrt_err *err)
{
	struct csvrow c;
	int rc = next(s, SYNTHEA_CONDITIONS, &c, err);
	if (rc != 1)
		return rc;
	memset(d, 0, sizeof *d);
	const int *x = s->idx;
	csvrow_date(&c, x[0], 1, &d->start);
	d->has_stop = csvrow_date(&c, x[1], 0, &d->stop) > 0;
	d->patient = uuid(&c, x[2], 1);
	d->encounter = uuid(&c, x[3], 1);
	d->code = code(&c, x[4], 1);
	d->description = csvrow_str(&c, x[5], 0);
	return finish(&c);
}

int synthea_read_procedure(synthea_reader *s, struct synthea_procedure *p, mrt_err *err)
{
	struct csvrow c;
	int rc = next(s, SYNTHEA_PROCEDURES, &c, err);
	if (rc != 1)
		return rc;
	memset(p, 0, sizeof *p);
	const int *x = s->idx;
	csvrow_time(&c, x[0] >= 0 ? x[0] : x[1], 1, &p->date);
	p->patient = uuid(&c, x[2], 1);
	p->encounter = uuid(&c, x[3], 1);
	p->code = code(&c, x[4], 1);
	p->description = csvrow_str(&c, x[5], 0);
	p->reasoncode = code(&c, x[6], 0);
	p->reasondescription = csvrow_str(&c, x[7], 0);
	return finish(&c);
}

int synthea_read_provider(synthea_reader *s, struct synthea_provider *p, mrt_err *err)
{
	struct csvrow c;
	int rc = next(s, SYNTHEA_PROVIDERS, &c, err);
	if (rc != 1)
		return rc;
	const int *x = s->idx;
	p->id = uuid(&c, x[0], 1);
	p->organization = uuid(&c, x[1], 0);
	p->name = csvrow_str(&c, x[2], 1);
	p->gender = csvrow_str(&c, x[3], 0);
	p->speciality = csvrow_str(&c, x[4], 0);
	return finish(&c);
}

int synthea_read_organization(synthea_reader *s, struct synthea_organization *o, mrt_err *err)
{
	struct csvrow c;
	int rc = next(s, SYNTHEA_ORGANIZATIONS, &c, err);
	if (rc != 1)
		return rc;
	const int *x = s->idx;
	o->id = uuid(&c, x[0], 1);
	o->name = csvrow_str(&c, x[1], 1);
	const char **f[] = {&o->address, &o->city, &o->state, &o->zip, &o->phone};
	for (int i = 0; i < 5; i++)
		*f[i] = csvrow_str(&c, x[2 + i], 0);
	return finish(&c);
}

int synthea_read_payer(synthea_reader *s, struct synthea_payer *p, mrt_err *err)
{
	struct csvrow c;
	int rc = next(s, SYNTHEA_PAYERS, &c, err);
	if (rc != 1)
		return rc;
	p->id = uuid(&c, s->idx[0], 1);
	p->name = csvrow_str(&c, s->idx[1], 1);
	return finish(&c);
}
