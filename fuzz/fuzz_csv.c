/*
 * Fuzz target for the CSV reader (formats/csv, gzsrc) and the typed table
 * readers over it: the same bytes are read as plain CSV, as ", " delimited
 * with small caps, and through the MIMIC-IV admissions and Synthea
 * encounters readers. Input starting with the gzip magic goes through the
 * inflater.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/mimic.h"
#include "formats/synthea.h"

static size_t sink;

static void plain(const uint8_t *data, size_t size, const struct csv_opts *o)
{
	mrt_err err = {0};
	mrt_src *s = NULL;
	csv_reader *r = NULL;
	if (mrt_src_open_mem(&s, "fuzz.csv", data, size, &err) != 0)
		return;
	if (csv_open(&r, s, 1, o, &err) != 0)
		return;
	sink += (size_t)csv_col(r, "subject_id") + csv_ncols(r);
	for (int rc = csv_next(r, &err); rc > 0; rc = csv_next(r, &err)) {
		for (size_t i = 0; i < csv_nfields(r); i++)
			sink += csv_field_len(r, i) + (size_t)csv_field(r, i)[0];
		sink += csv_lineno(r) + csv_recno(r);
	}
	csv_close(r);
}

static void tables(const uint8_t *data, size_t size)
{
	mrt_err err = {0};
	mrt_src *s = NULL;
	mimic_reader *m = NULL;
	if (mrt_src_open_mem(&s, "fuzz.csv", data, size, &err) == 0 &&
	    mimic_open_src(&m, MIMIC_ADMISSIONS, s, 1, &err) == 0) {
		struct mimic_admission a;
		for (int rc = mimic_read_admission(m, &a, &err); rc > 0;
		     rc = mimic_read_admission(m, &a, &err))
			sink += rc == 1 ? strlen(a.admission_type) + (size_t)a.admittime.sec : 1;
		mimic_close(m);
	}
	synthea_reader *y = NULL;
	if (mrt_src_open_mem(&s, "fuzz.csv", data, size, &err) == 0 &&
	    synthea_open_src(&y, SYNTHEA_ENCOUNTERS, s, 1, &err) == 0) {
		struct synthea_encounter e;
		for (int rc = synthea_read_encounter(y, &e, &err); rc > 0;
		     rc = synthea_read_encounter(y, &e, &err))
			sink += rc == 1 ? strlen(e.id) + (size_t)e.start.day : 1;
		synthea_close(y);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	plain(data, size, NULL);
	struct csv_opts o = {.delim = ',',
			     .trim_leading_space = 1,
			     .max_field = 64,
			     .max_record = 256,
			     .max_fields = 16};
	plain(data, size, &o);
	tables(data, size);
	return 0;
}
