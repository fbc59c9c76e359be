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
 * "K80.00-K80.19" is K8000-K8019), which as keys is one interval; at56 != 0
 * adds "with fifth or sixth character at56". */
struct tab_range {
	uint64_t klo, khi; /* the codes it names are the keys klo..khi (tab_key) */
	char lo[8], hi[8];
	uint8_t lolen, hilen;
	char at56;
};

struct tab_note {
	uint64_t okey;	     /* owner, packed */
	uint16_t rel;	     /* index into tabular_tables.rel */
	uint8_t kind;	     /* enum tab_kind */
	uint8_t open;	     /* its list is optional ("such as", "if applicable", several items) */
	uint8_t chapter;     /* written at a chapter */
	char owner[8];	     /* undotted code; "" for a section or chapter note */
	char glo[4], ghi[4]; /* the categories of a section or chapter note */
	uint32_t group;	     /* the notes of one kind written at one owner (one list) share it */
	uint32_t text;	     /* offset into tabular_tables.text */
	uint32_t head;	     /* the list's "...:" line, or UINT32_MAX */
	uint32_t r0;	     /* first range in tabular_tables.range */
	uint16_t nr;
};

/* The notes written at one section or chapter: gnote[first, first + n).
 * Sections nest (V00-V99 holds V00-V09): kmax is the highest hi of this
 * owner and those before it of the same release and level, so that a
 * search can stop going back. */
struct tab_owner {
	uint16_t rel;
	uint8_t chapter;
	char lo[4], hi[4];
	uint64_t klo, khi, kmax; /* lo, hi and maxhi packed (tab_key) */
	uint32_t first, n;
};

/* Where the notes of one code of one release are: note[first, first + n);
 * k is the code's key with the release index in its low byte (a code has
 * at most 7 characters). */
struct tab_at {
	uint64_t k;
	uint32_t first, n;
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
	uint64_t *codes; /* keys, sorted */
};

struct tabular_tables {
	struct tab_rel *rel;
	size_t nrel;
	struct tab_note *note; /* code notes, by (rel, owner, kind, seq) */
	size_t nnote;
	struct tab_at *at; /* by k */
	size_t nat;
	uint32_t *hash; /* open addressing over at: index + 1, 0 when empty */
	size_t hmask;
	struct tab_note *gnote; /* section and chapter notes, by (rel, chapters first, range) */
	size_t ngnote;
	struct tab_owner *owner; /* their owners, in the same order */
	size_t nowner;
	struct tab_range *range;
	size_t nrange;
	struct tab_sev *sev; /* by (rel, owner) */
	size_t nsev;
	char *text;
	size_t ntext;
	struct tab_poa *poa; /* by fiscal year */
	size_t npoa;
};

/* The category (first three characters) of a key. */
#define TAB_CAT(key) ((key) & ~0ull << 40)

/* One diagnosis of the claim, in sequence (principal first). */
struct tab_dx {
	uint64_t key;		     /* the code packed */
	const struct codes_entry *e; /* the code in the claim's code set, or NULL */
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
	uint8_t ord[1 + CLAIM_MAX_SDX];	  /* indexes of d by key */
	uint32_t pair[1 + CLAIM_MAX_SDX]; /* Excludes1 pairs already reported (bit j of i) */
	int nfired;
	uint32_t fired[32]; /* use-additional lists already reported */
	struct tab_result *out;
};

/* Notes written at exactly the code whose key is key, in release rel:
 * note[*first, *first + n). */
size_t tab_notes_at(const tabular_tables *t, int rel, uint64_t key, size_t *first);
/* The chapters (chapter = 1) or sections (0) that hold the category of key in
 * release rel, innermost first, into out (at most max); returns how many. */
int tab_blocks(const tabular_tables *t, int rel, int chapter, uint64_t key,
	       const struct tab_owner **out, int max);
/* The 7th characters in force for code (nearest category above it that
 * the code set cm also has), or NULL. */
const struct tab_sev *tab_sev_for(const tabular_tables *t, int rel, const codes_lookup *cm,
				  const char *code);
/* A code of up to 8 characters as a number that sorts as the text does
 * (big-endian, zero-padded), so that prefix tests are a mask and compare. */
static inline uint64_t tab_key(const char *code)
{
	uint64_t k = 0;
	for (int i = 0; i < 8; i++)
		k = k << 8 | (uint8_t)(code[0] ? *code++ : 0);
	return k;
}
int tab_range_match(const struct tab_range *r, uint64_t key, const char *code);
/* Reads the POA-exempt lists into t (none when the table is absent). */
int tab_poa_load(mrt_db *db, tabular_tables *t, mrt_err *err);
/* Parses the code references of a note's text into ranges; returns how many. */
int tab_parse_ranges(const char *text, struct tab_range *out, int max);
/* Room for the longest code a claim keeps, with its dot. */
#define TAB_DOT_MAX (CLAIM_CODE_MAX + 2)
/* "E119" -> "E11.9"; a range ("A00-B99") as it is */
void tab_dot(char out[TAB_DOT_MAX], const char *code);
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
