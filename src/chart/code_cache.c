/*
 * The code-index cache of a bulk import (chart_ctx_use_cache): the
 * in-memory index (src/codes/lookup) of each release a run checks codes
 * against, built on first use and freed with the run.
 */
#include <stdlib.h>

#include "chart/chart_int.h"
#include "codes/lookup.h"

#define CACHE_MAX 8

struct chart_cache {
	int64_t release_id[CACHE_MAX];
	codes_lookup *index[CACHE_MAX];
	int n;
};

int chart_ctx_use_cache(struct chart_ctx *c, mrt_err *err)
{
	if (c->cache)
		return 0;
	c->cache = calloc(1, sizeof *c->cache);
	return c->cache ? 0 : mrt_err_set(err, MRT_ENOMEM, "out of memory");
}

void chart_ctx_release(struct chart_ctx *c)
{
	if (!c->cache)
		return;
	for (int i = 0; i < c->cache->n; i++)
		codes_lookup_free(c->cache->index[i]);
	free(c->cache);
	c->cache = NULL;
}

int chart_cache_status(mrt_db *db, struct chart_cache *cache, struct chart_code_check *r,
                       mrt_err *err)
{
	codes_lookup *l = NULL;
	for (int i = 0; i < cache->n && !l; i++)
		if (cache->release_id[i] == r->release_id)
			l = cache->index[i];
	if (!l) {
		if (cache->n == CACHE_MAX) {
			codes_lookup_free(cache->index[0]);
			for (int i = 1; i < CACHE_MAX; i++) {
				cache->index[i - 1] = cache->index[i];
				cache->release_id[i - 1] = cache->release_id[i];
			}
			cache->n--;
		}
		int rc = codes_lookup_load(db, r->release_id, &l, err);
		if (rc)
			return rc;
		cache->index[cache->n] = l;
		cache->release_id[cache->n++] = r->release_id;
	}
	const struct codes_entry *e = codes_lookup_find(l, r->code);
	r->status = !e ? CHART_CODE_INVALID : e->billable ? CHART_CODE_OK : CHART_CODE_NOT_BILLABLE;
	return 0;
}
