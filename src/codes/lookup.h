/*
 * The in-memory code index of one release, for the hot paths (coding,
 * edits): a compact open-addressing hash from the code (packed into 64
 * bits) to its billable flag, titles and parent. Built once from the
 * database, then read-only and safe to share between threads.
 */
#ifndef MRT_CODES_LOOKUP_H
#define MRT_CODES_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

typedef struct codes_lookup codes_lookup;

struct codes_entry {
	uint64_t key;        /* the code, packed */
	uint32_t short_off;  /* into the title blob */
	uint32_t long_off;
	uint32_t parent;     /* entry index, or UINT32_MAX */
	uint8_t billable;
};

int codes_lookup_load(mrt_db *db, int64_t release_id, codes_lookup **out, mrt_err *err);
/* Builds an index from arrays (tests, benchmarks): codes[i] with billable[i]
 * and one title each; parents are found by the longest shorter code. */
int codes_lookup_build(codes_lookup **out, const char *const *codes, const int *billable,
                       const char *const *titles, size_t n, mrt_err *err);
void codes_lookup_free(codes_lookup *l);

/* Exact, undotted, upper-case code; NULL when absent. */
const struct codes_entry *codes_lookup_find(const codes_lookup *l, const char *code);
size_t codes_lookup_count(const codes_lookup *l);
/* Bytes held by the index. */
size_t codes_lookup_bytes(const codes_lookup *l);

const char *codes_lookup_short_title(const codes_lookup *l, const struct codes_entry *e);
const char *codes_lookup_long_title(const codes_lookup *l, const struct codes_entry *e);
const struct codes_entry *codes_lookup_parent(const codes_lookup *l, const struct codes_entry *e);
/* Writes the code of e into out (8 bytes). */
void codes_lookup_code(const struct codes_entry *e, char out[8]);

#endif
