/*
 * The listener's group commit; see listen_svc.h. The per-message work
 * (mapping, savepoint, message_log, duplicate control ids, its audit
 * event) is import_hl7_apply's; this file owns the transaction around a
 * group of messages and what happens when it cannot be committed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "service/listen_svc.h"

static int audit(mrt_session *s, const char *addr, const char *detail, mrt_err *err)
{
	struct mrt_audit_rec r = {.action = "hl7.listen",
				  .object_type = "mllp_listener",
				  .object_id = addr,
				  .detail = detail};
	mrt_db *db = mrt_session_db(s);
	int rc = mrt_db_begin(db, err);
	if (rc == 0)
		rc = mrt_session_audit(s, &r, err);
	if (rc == 0)
		return mrt_db_commit(db, err);
	mrt_db_rollback(db);
	return rc;
}

int listen_svc_start(mrt_session *s, const char *addr, mrt_err *err)
{
	int rc = mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_HIM, "hl7.listen", err);
	if (rc == 0)
		rc = mrt_db_set_durable(mrt_session_db(s), err);
	if (rc == 0)
		rc = audit(s, addr, "start", err);
	return rc;
}

void listen_svc_item_free(struct listen_item *it)
{
	hl7_apply_result_free(&it->res);
	memset(&it->res, 0, sizeof it->res);
	it->stored = 0;
}

static void item_reset(struct listen_item *it)
{
	listen_svc_item_free(it);
	mrt_buf_init(&it->res.ack, 1u << 20);
}

/* All of items in one transaction: 0 and every item stored, or an error
 * with nothing stored. */
static int group(mrt_session *s, listen_apply_fn apply, struct listen_item *items, size_t n,
		 mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	int rc = mrt_db_begin(db, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		item_reset(&items[i]);
		rc = apply(s, items[i].msg, items[i].len, items[i].channel, &items[i].res, err);
	}
	if (rc == 0)
		rc = mrt_db_commit(db, err);
	else if (mrt_db_in_transaction(db))
		mrt_db_rollback(db);
	for (size_t i = 0; i < n; i++)
		items[i].stored = rc == 0;
	return rc;
}

int listen_svc_apply_batch(mrt_session *s, listen_apply_fn apply, struct listen_item *items,
			   size_t n, uint64_t *commits, mrt_err *err)
{
	if (!apply)
		apply = import_hl7_apply;
	if (n == 0)
		return 0;
	if (group(s, apply, items, n, err) == 0) {
		(*commits)++;
		return 0;
	}
	/* The group failed as a whole: find the messages that can be stored. */
	int last = 0;
	for (size_t i = 0; i < n; i++) {
		mrt_err one = {0};
		if (group(s, apply, &items[i], 1, &one) == 0) {
			(*commits)++;
			continue;
		}
		last = one.code;
		*err = one;
		listen_svc_item_free(&items[i]);
	}
	return last;
}

int listen_svc_stop(mrt_session *s, const char *addr, const struct listen_counts *c, mrt_err *err)
{
	char detail[256];
	snprintf(detail, sizeof detail,
		 "stop: %" PRIu64 " messages (%" PRIu64 " AA, %" PRIu64 " AE, %" PRIu64
		 " AR, %" PRIu64 " duplicates, %" PRIu64 " not stored) in %" PRIu64
		 " commits over %" PRIu64 " connections",
		 c->messages, c->aa, c->ae, c->ar, c->duplicates, c->not_stored, c->commits,
		 c->connections);
	return audit(s, addr, detail, err);
}
