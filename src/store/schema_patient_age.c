/*
 * Schema, patient age anchor part: a patient's age in a given year, for
 * sources that publish no birth date (MIMIC-IV gives anchor_age in
 * anchor_year). The claim builder derives an age at discharge from it
 * when the birth date is unknown.
 */
#include "store/migrate.h"

const char mrt_schema_patient_age_v4[] =
	"CREATE TABLE patient_age_anchor ("
	"  patient_id INTEGER PRIMARY KEY REFERENCES patient(id),"
	"  age INTEGER NOT NULL CHECK (age BETWEEN 0 AND 150),"
	"  year INTEGER NOT NULL CHECK (year BETWEEN 1 AND 9999),"
	"  source TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	") STRICT;";
