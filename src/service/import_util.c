/*
 * Import progress and counters; see import_util.h. The progress line is
 * redrawn in place with '\r' at most five times a second, so printing it
 * costs nothing next to the import; when stderr is not a terminal (a log
 * file, a test) nothing is written at all.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "service/import_util.h"

#define REDRAW_EVERY 0.2 /* seconds */

double import_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw(const struct import_progress *p, double now)
{
	double secs = now - p->started;
	if (p->total) {
		double pct = 100.0 * (double)p->done / (double)p->total;
		if (pct > 100.0)
			pct = 100.0;
		fprintf(stderr, "\r%s: %5.1f%% (%llu of %llu) %.0f s   ", p->what, pct,
			(unsigned long long)p->done, (unsigned long long)p->total, secs);
	} else {
		fprintf(stderr, "\r%s: %llu %.0f s   ", p->what, (unsigned long long)p->done, secs);
	}
	fflush(stderr);
}

void import_progress_start(struct import_progress *p, const char *what, uint64_t total)
{
	p->what = what ? what : "import";
	p->total = total;
	p->done = 0;
	p->started = import_now();
	p->last = p->started;
	p->tty = isatty(STDERR_FILENO);
}

void import_progress_add(struct import_progress *p, uint64_t n)
{
	p->done += n;
	if (!p->tty)
		return;
	double now = import_now();
	if (now - p->last < REDRAW_EVERY)
		return;
	p->last = now;
	draw(p, now);
}

void import_progress_end(struct import_progress *p)
{
	if (!p->tty)
		return;
	draw(p, import_now());
	fputc('\n', stderr);
	fflush(stderr);
}

json_t *import_count_json(const struct import_count *c)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I}", "read", (json_int_t)c->read, "created",
			 (json_int_t)c->created, "updated", (json_int_t)c->updated, "unchanged",
			 (json_int_t)c->unchanged, "rejected", (json_int_t)c->rejected);
}
