/*
 * One MCE definitions text gathered in memory: its list memberships, its
 * discharge statuses and its chapter-2 changes, checked against each other,
 * and the previous version's lists rebuilt from chapter 2. Shared by the
 * loader (src/codes/load_mce.c) and the in-memory table builder for tests.
 */
#ifndef MRT_EDITS_MCE_DATA_H
#define MRT_EDITS_MCE_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "formats/mce_defs.h"

struct mce_member {
	char code[8];
	uint8_t list; /* enum mce_list */
	int8_t added; /* changes only: 1 added, 0 removed */
	unsigned long lineno;
};

struct mce_status_row {
	char status[3];
	int has_from, has_to;
	mrt_day from, to;
	char title[128];
};

struct mce_data {
	struct mce_defs_head head;
	mrt_day from, to;     /* the dates the text's version covers */
	struct mce_member *m; /* sorted by (list, code), no duplicates */
	size_t nm, capm;
	struct mce_member *chg; /* chapter 2, in file order */
	size_t nchg, capchg;
	struct mce_status_row *st;
	size_t nst, capst;
};

/* Reads a definitions text; checks that every code chapter 2 says was
 * added is on its list and every code it says was removed is not. */
int mce_data_read(struct mce_data *d, mrt_src *src, mrt_err *err);
/* The previous version's lists (this version's, with chapter 2 undone):
 * *out malloc'ed, sorted. Its dates: the fiscal year's start to the day
 * before d->from; *ok = 0 when the text is a fiscal year's first version
 * (x.0: the previous one belongs to another year and is not rebuilt). */
int mce_data_previous(const struct mce_data *d, struct mce_member **out, size_t *nout,
		      char *version, size_t vlen, mrt_day *from, mrt_day *to, int *ok,
		      mrt_err *err);
void mce_data_free(struct mce_data *d);

/* Sorts members by (list, code) and drops duplicates. */
void mce_members_sort(struct mce_member *m, size_t *n);

#endif
