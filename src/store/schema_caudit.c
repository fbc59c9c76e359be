/*
 * Schema, coding quality part: coding audit samples, the reviewer's blind
 * coding of each sampled encounter, and their comparison.
 *
 * A sample (coding_audit) is drawn from the encounters one coder coded
 * (final or billed) in a period: how many were asked for and drawn, how
 * many were eligible, and the seed of the draw (given, or random and kept)
 * so that the same draw can be made again. Each item audits one coding
 * version (the coder's, as it stood when drawn); the reviewer's own coding
 * of the same encounter is kept on the item (codes as JSON arrays of
 * {code, poa} and of codes), with who coded it and when. Comparisons are
 * recomputed from the two codings when a report is read.
 */
#include "store/migrate.h"

const char mrt_schema_caudit_v4[] =
	"CREATE TABLE coding_audit ("
	"  id INTEGER PRIMARY KEY,"
	"  coder_id INTEGER NOT NULL REFERENCES app_user(id),"
	"  reviewer_id INTEGER REFERENCES app_user(id),"
	"  period_from TEXT,"
	"  period_to TEXT,"
	"  n_requested INTEGER NOT NULL CHECK (n_requested > 0),"
	"  n_eligible INTEGER NOT NULL,"
	"  n_drawn INTEGER NOT NULL,"
	"  seed TEXT NOT NULL,"
	"  seed_given INTEGER NOT NULL CHECK (seed_given IN (0,1)),"
	"  drawn_by INTEGER NOT NULL REFERENCES app_user(id),"
	"  drawn_at TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done'))"
	") STRICT;"
	"CREATE INDEX coding_audit_coder ON coding_audit(coder_id);"
	"CREATE TABLE coding_audit_item ("
	"  id INTEGER PRIMARY KEY,"
	"  audit_id INTEGER NOT NULL REFERENCES coding_audit(id),"
	"  seq INTEGER NOT NULL,"
	"  patient_id INTEGER NOT NULL REFERENCES patient(id),"
	"  encounter_id INTEGER NOT NULL REFERENCES encounter(id),"
	"  coding_id INTEGER NOT NULL REFERENCES coding(id),"
	"  work_item_id INTEGER REFERENCES work_item(id),"
	"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','coded')),"
	"  pdx TEXT,"
	"  pdx_poa TEXT,"
	"  sdx TEXT CHECK (sdx IS NULL OR json_valid(sdx)),"
	"  pcs TEXT CHECK (pcs IS NULL OR json_valid(pcs)),"
	"  cm_release TEXT,"
	"  pcs_release TEXT,"
	"  coded_by INTEGER REFERENCES app_user(id),"
	"  coded_at TEXT,"
	"  UNIQUE (audit_id, seq),"
	"  UNIQUE (audit_id, encounter_id)"
	") STRICT;"
	"CREATE INDEX coding_audit_item_encounter ON coding_audit_item(encounter_id);";
