/*
 * Fuzz target for the HL7 v2 import (service/import_hl7 and hl7_*.c): each
 * input is one message applied to an in-memory site inside a transaction
 * that is then rolled back. Whatever the bytes, the import must answer
 * (never fail), with AA, AE or AR and an ACK; an AE or AR must leave no
 * patient, encounter or document behind, only its reject.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "service/import_hl7.h"

static mrt_session *s;

static void close_site(void)
{
	mrt_session_close(s);
}

static long long count(const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (sqlite3_prepare_v2(mrt_db_sqlite(mrt_session_db(s)), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mrt_err err = {0};
	if (!s) {
		struct mrt_session_opts o = {.db_path = ":memory:", .create = 1};
		if (mrt_session_open(&s, &o, &err) != 0)
			abort();
		atexit(close_site);
	}
	mrt_db *db = mrt_session_db(s);
	if (mrt_db_begin(db, &err) != 0)
		abort();
	struct hl7_apply_result r;
	int rc = import_hl7_apply(s, (const char *)data, size, "fuzz", &r, &err);
	if (rc != 0 || r.ack.len == 0)
		abort();
	if (strcmp(r.ack_code, "AA") != 0) {
		if (strcmp(r.ack_code, "AE") != 0 && strcmp(r.ack_code, "AR") != 0)
			abort();
		if (count(
			"SELECT (SELECT count(*) FROM patient) + (SELECT count(*) FROM encounter) +"
			" (SELECT count(*) FROM document)") != 0 ||
		    count("SELECT count(*) FROM reject") != 1)
			abort();
	}
	hl7_apply_result_free(&r);
	mrt_db_rollback(db);
	return 0;
}
