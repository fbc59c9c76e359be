/*
 * Inside the tabular rules (tabular.h): the tables as loaded (notes with
 * the code ranges they name, 7th-character definitions, POA-exempt lists)
 * and the helpers the rule families share. One file per family:
 * tabular_tables.c loads, tabular_notes.c (Excludes1, code first, use
 * additional), tabular_struct.c (7th character, placeholder X, header),
 * tabular_ecode.c (I.C.20), tabular_poa.c; tabular.c runs them in order.
 */
#ifndef MRT_EDITS_TABULAR_INT_H
#define MRT_EDITS_TABULAR_INT_H

#include "edits/tabular.h"

enum tab_kind { TK_EXCLUDES1, TK_CODE_FIRST, TK_USE_ADDITIONAL, TK_COUNT };

/* A code or range a note names: codes whose first len(lo) characters are
 * >= lo and whose first len(hi) characters are <= hi ("E10" is E10-E10,
 * "K80.00-K80.19" is K8000-K8019); at56 != 0 adds "with fifth or sixth
 * character at56". */
struct tab_range {
	char lo[8], hi[8];
	uint8_t lolen, hilen;
	char at56;
};

struct tab_note {
	uint16_t rel;	     /* index into tabular_tables.rel */
	uint8_t kind;	     /* enum tab_kind */
	uint8_t open;	     /* its list is not exhaustive ("such as", "if applicable") */
	char owner[8];	     /* undotted code; "" for a section or chapter note */
	char glo[4], ghi[4]; /* the categories of a section or chapter note */
	uint32_t group;	     /* notes of one list (a "...:" line and its items) share it */
	uint32_t text;	     /* offset into tabular_tables.text */
	uint32_t head;	     /* the list's "...:" line, or UINT32_MAX */
	uint32_t r0;	     /* first range in tabular_tables.range */
	uint16_t nr;
};

struct tab_sev {
	uint16_t rel;
	char owner[8];
	char chars[40]; /* the 7th characters the owner allows */
};

struct tab_rel {
	int64_t id;
	char version[16];
	mrt_day from, to;
};

struct tab_poa {
	int fy;
	mrt_day from, to;
	size_t n;
	char (*codes)[8]; /* sorted */
};

struct tabular_tables {
	struct tab_rel *rel;
	size_t nrel;
	struct tab_note *note; /* code notes, by (rel, owner, kind, seq) */
	size_t nnote;
	struct tab_note *gnote; /* section and chapter notes */
	size_t ngnote;
	struct tab_range *range;
	size_t nrange;
	struct tab_sev *sev; /* by (rel, owner) */
	size_t nsev;
	char *text;
	size_t ntext;
	struct tab_poa *poa; /* by fiscal year */
	size_t npoa;
};

/* One diagnosis of the claim, in sequence (principal first). */
struct tab_dx {
	uint8_t where, pos;
	const char *code;
	const char *poa;
};

struct tab_claim {
	const tabular_tables *t;
	const codes_lookup *cm;
	const struct claim *c;
	int rel; /* index of the notes release, -1 when none */
	int n;
	struct tab_dx d[1 + CLAIM_MAX_SDX];
	uint32_t pair[1 + CLAIM_MAX_SDX]; /* Excludes1 pairs already reported (bit j of i) */
	int nfired;
	uint32_t fired[32]; /* use-additional lists already reported */
	struct tab_result *out;
};

/* Notes written at exactly owner in release rel: [*first, *first + n). */
size_t tab_notes_at(const tabular_tables *t, int rel, const char *owner, size_t *first);
/* The 7th characters in force for code (nearest category above it that
 * the code set cm also has), or NULL. */
const struct tab_sev *tab_sev_for(const tabular_tables *t, int rel, const codes_lookup *cm,
				  const char *code);
int tab_range_match(const struct tab_range *r, const char *code);
int tab_note_match(const tabular_tables *t, const struct tab_note *n, const char *code);
/* Reads the POA-exempt lists into t (none when the table is absent). */
int tab_poa_load(mrt_db *db, tabular_tables *t, mrt_err *err);
/* Parses the code references of a note's text into ranges; returns how many. */
int tab_parse_ranges(const char *text, struct tab_range *out, int max);
/* "E119" -> "E11.9"; a range ("A00-B99") as it is */
void tab_dot(char out[12], const char *code);
/* Adds a finding and returns it (NULL, and the result marked truncated,
 * when it is full). */
struct tab_finding *tab_add(struct tab_claim *x, int rule, const struct tab_dx *a,
			    const struct tab_dx *b, const char *note_code, int64_t release_id,
			    const char *fmt, ...) __attribute__((format(printf, 7, 8)));

void tab_check_struct(struct tab_claim *x);
void tab_check_notes(struct tab_claim *x);
void tab_check_ecode(struct tab_claim *x);
void tab_check_poa(struct tab_claim *x);

#endif
