/*
 * Helpers every importer shares: a progress line on stderr for long
 * imports (only when stderr is a terminal, and never with patient data:
 * it shows what is being read and how far), and the per-table counters an
 * import report is made of.
 */
#ifndef MRT_SERVICE_IMPORT_UTIL_H
#define MRT_SERVICE_IMPORT_UTIL_H

#include <stdint.h>

#include <jansson.h>

/* Progress of a long import on stderr, only when stderr is a TTY (never patient data). */
struct import_progress {
	const char *what;
	uint64_t total, done;
	double started, last;
	int tty;
};

void import_progress_start(struct import_progress *p, const char *what,
			   uint64_t total /* 0 unknown */);
void import_progress_add(struct import_progress *p, uint64_t n); /* redraws at most ~5 times/s */
void import_progress_end(struct import_progress *p);

/* Per-table counters for import reports: read, created, updated, unchanged, rejected. */
struct import_count {
	int64_t read, created, updated, unchanged, rejected;
};

/* {"read":N,"created":N,"updated":N,"unchanged":N,"rejected":N}; NULL when out of memory. */
json_t *import_count_json(const struct import_count *c);

/* Seconds on a monotonic clock (for progress and timings). */
double import_now(void);

#endif
