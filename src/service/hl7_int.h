/*
 * Inside the HL7 v2 import: one message being mapped to the chart. The
 * mapping functions return 0 (applied), HM_DATA (a data error: x->fail
 * says where and why; the caller rolls the message back and answers AE)
 * or < 0 (the program's own failure, in err).
 */
#ifndef MRT_SERVICE_HL7_INT_H
#define MRT_SERVICE_HL7_INT_H

#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "chart/chart.h"
#include "formats/hl7v2.h"
#include "mrt/error.h"
#include "store/db.h"

#define HM_DATA 1

struct hm_fail {
	char seg[4];
	unsigned seq, field; /* segment number in the message (1-based), field */
	int code;	     /* HL7 table 0357 */
	char text[200];	     /* no patient data */
};

struct hl7_map {
	mrt_db *db;
	const struct chart_ctx *ctx;
	const hl7_msg *m;
	mrt_arena *a;
	mrt_buf tmp;
	const char *control_id;
	int64_t patient_id, encounter_id;
	int changed;		  /* something in the chart changed */
	int clear_discharge;	  /* A13: the encounter's discharge is undone */
	const char *discharge_at; /* A03: when PV1-45 is empty (the event time) */
	struct hm_fail fail;
};

/* The decoded value at seg/field/rep/comp/sub (sub 0: the whole
 * component, sub-components kept), copied into the arena: NULL when absent
 * or empty, "" for the HL7 null "" (clear the stored value). */
const char *hm_get(struct hl7_map *x, long seg, unsigned field, unsigned rep, unsigned comp,
		   unsigned sub);
/* Number of repetitions of a field (0 when absent or empty). */
unsigned hm_reps(struct hl7_map *x, long seg, unsigned field);
/* Records a data error at seg/field and returns HM_DATA. */
int hm_fail(struct hl7_map *x, long seg, unsigned field, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* After a chart call: rc as it is for the program's own failures
 * (database, memory), HM_DATA (with the chart's message) for the rest. */
int hm_chart(struct hl7_map *x, long seg, unsigned field, int rc, mrt_err *err);
/* HL7 DTM/TS at seg-field.comp to ISO 8601 (a date when date_only or when
 * only a date is given); NULL when absent; HM_DATA when malformed. */
int hm_time(struct hl7_map *x, long seg, unsigned field, unsigned rep, unsigned comp, int date_only,
	    const char **out);

/* PID segment pid to a chart patient (put); *id its id. */
int hm_patient(struct hl7_map *x, long pid, int64_t *id, mrt_err *err);
/* The MRN PID-3 gives (the MR repetition, else the first): NULL if none. */
const char *hm_mrn(struct hl7_map *x, long pid, const char **system);
/* A provider from an XCN at seg-field[rep] (0 when no id is given). */
int hm_provider(struct hl7_map *x, long seg, unsigned field, unsigned rep, int64_t *id,
		mrt_err *err);
/* PV1 (and IN1) to the patient's encounter; status NULL = as stored; klass
 * is the class when PV1-2 gives none. *id 0 when the message names no
 * account. */
int hm_encounter(struct hl7_map *x, const char *status, const char *klass, int64_t *id,
		 mrt_err *err);
/* ARV segments and confidentiality fields to labels. */
int hm_labels(struct hl7_map *x, mrt_err *err);
/* DG1 and PR1 segments to the encounter's coding. */
int hm_coding(struct hl7_map *x, mrt_err *err);

int hl7_map_adt(struct hl7_map *x, mrt_err *err);
int hl7_map_mdm(struct hl7_map *x, mrt_err *err);
/* 1 when the message type and event are ones this import applies. */
int hl7_map_supported(const hl7_msg *m);

#endif
