/*
 * HL7 v2 messages into the chart (see import_hl7.h): parse, recognise a
 * resent message by its control id, map ADT/BAR/MDM events inside a
 * savepoint, and log every message with the ACK it got. The mapping
 * itself is in hl7_*.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/str.h"
#include "chart/message_log.h"
#include "service/hl7_int.h"
#include "service/import_hl7.h"
#include "service/import_util.h"

#define ACK_MAX (256u << 10)
#define FILE_MAX ((size_t)1 << 30)
#define SP_MSG "hl7_message"
#define SP_MAP "hl7_mapping"

/* What one message came to, for the file report. */
struct apply_out {
	char event[16]; /* "ADT^A01", or "unparsed" */
	int changed;
};

/* State kept from message to message of a batch. */
struct hl7_state {
	struct chart_ctx ctx;
	hl7_msg m;
	mrt_arena *a;
	mrt_buf tmp;
};

static int state_init(struct hl7_state *st, mrt_session *s, mrt_err *err)
{
	memset(st, 0, sizeof *st);
	chart_ctx_init(&st->ctx, "hl7", mrt_session_user_id(s));
	hl7_msg_init(&st->m);
	mrt_buf_init(&st->tmp, HL7_MAX_MSG_BYTES);
	st->a = mrt_arena_new(64 << 10);
	return st->a ? 0 : mrt_err_set(err, MRT_ENOMEM, "out of memory");
}

static void state_free(struct hl7_state *st)
{
	chart_ctx_release(&st->ctx);
	hl7_msg_free(&st->m);
	mrt_buf_free(&st->tmp);
	mrt_arena_free(st->a);
}

/* SHA-256 of the message as HL7 sees it: no BOM or MLLP framing, every
 * segment ended by one CR (so a resend over another channel matches). */
static void msg_sha(const char *p, size_t n, char hex[MRT_SHA256_HEX])
{
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3, n -= 3;
	if (n && p[0] == 0x0B)
		p++, n--;
	const char *fe = memchr(p, 0x1C, n);
	if (fe)
		n = (size_t)(fe - p);
	mrt_sha256 h;
	mrt_sha256_begin(&h);
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && p[j] != '\r' && p[j] != '\n')
			j++;
		if (j > i) {
			mrt_sha256_update(&h, p + i, j - i);
			mrt_sha256_update(&h, "\r", 1);
		}
		i = j;
		while (i < n && (p[i] == '\r' || p[i] == '\n'))
			i++;
	}
	unsigned char sum[MRT_SHA256_LEN];
	mrt_sha256_end(&h, sum);
	mrt_hex(hex, sum, sizeof sum);
}

/* Raw MSH-f (whole field) of a message whose MSH was indexed. */
static const char *msh_raw(struct hl7_state *st, unsigned f)
{
	const char *p = NULL;
	size_t n = 0;
	if (!st->m.msh_ok || hl7_raw_at(&st->m, 0, f, 0, 0, 0, &p, &n) != 0)
		return "";
	return mrt_arena_strndup(st->a, p, n);
}

/* One message: its bytes, where it came from and what identifies it. */
struct msg_ctx {
	const char *msg;
	size_t len;
	const char *channel;
	char sha[MRT_SHA256_HEX];
	const char *app, *fac, *cid; /* "" when unknown */
	char type[24];		     /* "ADT^A01" */
};

/* A reject's source and position from the channel: "file:P#N" is file P,
 * "message N"; "mllp:ADDR:PORT" is "mllp:ADDR" and the control id; anything
 * else is the channel and the control id. */
static void reject_where(const struct msg_ctx *mc, char *src, size_t ssz, char *pos, size_t psz)
{
	const char *hash = strrchr(mc->channel, '#');
	if (strncmp(mc->channel, "file:", 5) == 0 && hash) {
		size_t n = (size_t)(hash - mc->channel) - 5;
		snprintf(src, ssz, "%.*s", (int)(n < ssz ? n : ssz - 1), mc->channel + 5);
		snprintf(pos, psz, "message %s", hash + 1);
		return;
	}
	mrt_strlcpy(src, mc->channel, ssz);
	/* "mllp:ADDR:PORT": the sender's address, not the connection's port, so
	 * that a resend on a new connection is the same reject. */
	char *port = strncmp(src, "mllp:", 5) == 0 ? strrchr(src + 5, ':') : NULL;
	if (port)
		*port = '\0';
	if (*mc->cid)
		snprintf(pos, psz, "control id %s", mc->cid);
	else
		mrt_strlcpy(pos, "message", psz);
}

static int make_ack(struct hl7_state *st, const struct msg_ctx *mc, const char *code,
		    const struct hm_fail *f, int parsed, mrt_buf *out, mrt_err *err)
{
	char ts[16], cid[48];
	size_t k = 0;
	for (const char *p = st->ctx.now; *p && k < 14; p++)
		if (*p >= '0' && *p <= '9')
			ts[k++] = *p;
	ts[k] = '\0';
	snprintf(cid, sizeof cid, "ACK%.40s", mc->cid);
	struct hl7_ack_opts o = {
	    .code = code, .app = "MRT", .facility = "", .timestamp = ts, .control_id = cid};
	if (f) {
		o.err_seg = f->seg;
		o.err_seq = f->seq;
		o.err_field = f->field;
		o.err_code = f->code ? f->code : HL7_ERR_INTERNAL;
		o.err_text = f->text;
	}
	return parsed ? hl7_ack(out, &st->m, &o, err) : hl7_ack_unparsed(out, &st->m, &o, err);
}

/* Rejects (when asked), logs (when asked) and audits one message's outcome. */
static int record(mrt_session *s, struct hl7_state *st, const struct msg_ctx *mc,
		  const struct hl7_apply_result *res, int64_t patient_id, const char *outcome,
		  int reject, int log, mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	int rc = 0, changed = 0;
	if (reject) {
		char src[1024], pos[256];
		reject_where(mc, src, sizeof src, pos, sizeof pos);
		rc = chart_reject_put(db, &st->ctx, "hl7", src, pos, res->reason, mc->msg, mc->len,
				      &changed, err);
	}
	if (rc == 0 && log) {
		struct message_log_rec r = {.patient_id = patient_id,
					    .sending_app = mc->app,
					    .sending_facility = mc->fac,
					    .control_id = mc->cid,
					    .message_type = mc->type[0] ? mc->type : NULL,
					    .channel = mc->channel,
					    .sha256 = mc->sha,
					    .ack_code = res->ack_code,
					    .ack = mrt_buf_str(&res->ack),
					    .outcome = outcome};
		/* An applied message is kept as it came (Z-segments included);
		 * a refused one is kept in reject. */
		if (!reject) {
			r.content = mc->msg;
			r.content_len = mc->len;
		}
		rc = message_log_put(db, &st->ctx, &r, err);
	}
	if (rc)
		return rc;
	char detail[96];
	snprintf(detail, sizeof detail, "%s %s %s", mc->type[0] ? mc->type : "unparsed",
		 res->ack_code, outcome);
	struct mrt_audit_rec a = {.action = "hl7.apply",
				  .object_type = "hl7_message",
				  .object_id = *mc->cid ? mc->cid : NULL,
				  .patient_id = patient_id,
				  .detail = detail};
	return mrt_session_audit(s, &a, err);
}

/* AR: the message is not applied, kept in reject, logged when it can be. */
static int refuse(mrt_session *s, struct hl7_state *st, const struct msg_ctx *mc, int parsed,
		  const struct hm_fail *f, const char *reason, int log,
		  struct hl7_apply_result *res, mrt_err *err)
{
	mrt_strlcpy(res->ack_code, "AR", sizeof res->ack_code);
	mrt_strlcpy(res->reason, reason, sizeof res->reason);
	int rc = make_ack(st, mc, "AR", f, parsed, &res->ack, err);
	if (rc == 0)
		rc = record(s, st, mc, res, 0, parsed ? "unsupported" : "unparsable", 1,
			    log && *mc->cid, err);
	return rc;
}

static void fail_reason(const struct hm_fail *f, char *out, size_t size)
{
	size_t n = strlen(f->seg);
	if (!n || strncmp(f->text, f->seg, n) == 0)
		mrt_strlcpy(out, f->text, size);
	else if (f->field)
		snprintf(out, size, "%s-%u: %s", f->seg, f->field, f->text);
	else
		snprintf(out, size, "%s: %s", f->seg, f->text);
}

/* Maps a supported message inside its own savepoint: AA, or AE with
 * nothing of it left behind. */
static int map_message(mrt_session *s, struct hl7_state *st, const struct msg_ctx *mc,
		       struct hl7_apply_result *res, struct apply_out *out, mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	struct hl7_map x = {
	    .db = db, .ctx = &st->ctx, .m = &st->m, .a = st->a, .control_id = mc->cid};
	mrt_buf_init(&x.tmp, HL7_MAX_MSG_BYTES);
	mrt_err merr = {0};
	int rc = mrt_db_savepoint(db, SP_MAP, err);
	if (rc)
		goto done;
	rc = strcmp(st->m.type, "MDM") == 0 ? hl7_map_mdm(&x, &merr) : hl7_map_adt(&x, &merr);
	if (rc < 0) {
		mrt_db_rollback_to(db, SP_MAP, NULL);
		*err = merr;
		goto done;
	}
	if (rc == HM_DATA) {
		if ((rc = mrt_db_rollback_to(db, SP_MAP, err)) != 0)
			goto done;
		mrt_strlcpy(res->ack_code, "AE", sizeof res->ack_code);
		fail_reason(&x.fail, res->reason, sizeof res->reason);
		rc = make_ack(st, mc, "AE", &x.fail, 1, &res->ack, err);
		if (rc == 0)
			rc = record(s, st, mc, res, 0, "error", 1, 1, err);
		goto done;
	}
	if ((rc = mrt_db_release(db, SP_MAP, err)) != 0)
		goto done;
	mrt_strlcpy(res->ack_code, "AA", sizeof res->ack_code);
	out->changed = x.changed;
	rc = make_ack(st, mc, "AA", NULL, 1, &res->ack, err);
	if (rc == 0)
		rc = record(s, st, mc, res, x.patient_id, x.changed ? "applied" : "unchanged", 0, 1,
			    err);
done:
	mrt_buf_free(&x.tmp);
	return rc;
}

/* Order: a resend (same control id, same content) gets its stored ACK;
 * then an unreadable or unsupported message is refused; then a control id
 * reused for other content is refused; the rest is mapped. */
static int route(mrt_session *s, struct hl7_state *st, struct msg_ctx *mc, int parsed,
		 const mrt_err *perr, struct hl7_apply_result *res, struct apply_out *out,
		 mrt_err *err)
{
	int reused = 0;
	if (*mc->cid) {
		char sha[MRT_SHA256_HEX] = "", code[3] = "";
		int found = message_log_find(mrt_session_db(s), mc->app, mc->fac, mc->cid, sha,
					     code, &res->ack, err);
		if (found < 0)
			return found;
		if (found && strcmp(sha, mc->sha) == 0) {
			mrt_strlcpy(res->ack_code, code, sizeof res->ack_code);
			res->duplicate = 1;
			return record(s, st, mc, res, 0, "duplicate", 0, 0, err);
		}
		mrt_buf_reset(&res->ack);
		reused = found;
	}
	if (!parsed)
		return refuse(s, st, mc, 0, NULL, perr->msg, !reused, res, err);
	if (!hl7_map_supported(&st->m)) {
		int known = !strcmp(st->m.type, "ADT") || !strcmp(st->m.type, "MDM") ||
			    !strcmp(st->m.type, "BAR");
		struct hm_fail f = {"MSH", 1, 9, known ? HL7_ERR_EVENT : HL7_ERR_MESSAGE_TYPE, ""};
		mrt_strlcpy(f.text, hl7_err_text(f.code), sizeof f.text);
		char reason[96];
		snprintf(reason, sizeof reason, "MSH-9: %s %s",
			 known ? "unsupported event" : "unsupported message type", mc->type);
		return refuse(s, st, mc, 1, &f, reason, !reused, res, err);
	}
	if (reused) {
		struct hm_fail f = {"MSH", 1, 10, HL7_ERR_INTERNAL,
				    "control id already used by a different message"};
		return refuse(s, st, mc, 1, &f,
			      "MSH-10: control id already used by a different "
			      "message from this sender",
			      0, res, err);
	}
	return map_message(s, st, mc, res, out, err);
}

static int apply_one(mrt_session *s, struct hl7_state *st, const char *msg, size_t len,
		     const char *channel, struct hl7_apply_result *res, struct apply_out *out,
		     mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	memset(out, 0, sizeof *out);
	mrt_arena_reset(st->a);
	struct msg_ctx mc = {.msg = msg, .len = len, .channel = channel};
	msg_sha(msg, len, mc.sha);
	mrt_err perr = {0};
	int parsed = hl7_parse(&st->m, msg, len, &perr) == 0;
	mc.app = msh_raw(st, 3);
	mc.fac = msh_raw(st, 4);
	mc.cid = st->m.msh_ok ? mrt_arena_strdup(st->a, st->m.control_id) : "";
	if (!mc.app || !mc.fac || !mc.cid)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	if (st->m.msh_ok && st->m.type[0])
		snprintf(mc.type, sizeof mc.type, "%s^%s", st->m.type, st->m.trigger);
	mrt_strlcpy(out->event, mc.type[0] ? mc.type : "unparsed", sizeof out->event);
	int rc = mrt_db_savepoint(db, SP_MSG, err);
	if (rc)
		return rc;
	rc = route(s, st, &mc, parsed, &perr, res, out, err);
	if (rc < 0) {
		mrt_db_rollback_to(db, SP_MSG, NULL);
		return rc;
	}
	return mrt_db_release(db, SP_MSG, err);
}

void hl7_apply_result_free(struct hl7_apply_result *r)
{
	if (r)
		mrt_buf_free(&r->ack);
}

static void result_init(struct hl7_apply_result *res)
{
	memset(res, 0, sizeof *res);
	mrt_buf_init(&res->ack, ACK_MAX);
}

int import_hl7_apply(mrt_session *s, const char *msg, size_t len, const char *channel,
		     struct hl7_apply_result *res, mrt_err *err)
{
	result_init(res);
	int rc = mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_HIM, "hl7.apply", err);
	if (rc)
		return rc;
	mrt_db *db = mrt_session_db(s);
	struct hl7_state st;
	if ((rc = state_init(&st, s, err)) != 0)
		goto done;
	int own = !mrt_db_in_transaction(db);
	if (own && (rc = mrt_db_begin(db, err)) != 0)
		goto done;
	struct apply_out out;
	rc = apply_one(s, &st, msg, len, channel ? channel : "", res, &out, err);
	if (own) {
		if (rc == 0)
			rc = mrt_db_commit(db, err);
		else
			mrt_db_rollback(db);
	}
done:
	state_free(&st);
	return rc;
}

/* ---- files ------------------------------------------------------------- */

#define PROBLEMS_MAX 1000

struct hl7_counts {
	int64_t messages, aa, ae, ar, duplicate, applied, unchanged;
};

static json_t *counts_json(const struct hl7_counts *c)
{
	return json_pack("{sIsIsIsIsIsIsI}", "messages", (json_int_t)c->messages, "aa",
			 (json_int_t)c->aa, "ae", (json_int_t)c->ae, "ar", (json_int_t)c->ar,
			 "duplicate", (json_int_t)c->duplicate, "applied", (json_int_t)c->applied,
			 "unchanged", (json_int_t)c->unchanged);
}

static int bump(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_object_set_new(obj, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

static int count(struct hl7_counts *c, json_t *by_event, const struct hl7_apply_result *res,
		 const struct apply_out *out)
{
	const char *key = res->duplicate		 ? "duplicate"
			  : !strcmp(res->ack_code, "AA") ? "aa"
			  : !strcmp(res->ack_code, "AE") ? "ae"
							 : "ar";
	c->messages++;
	if (res->duplicate)
		c->duplicate++;
	else if (key[1] == 'a') {
		c->aa++;
		if (out->changed)
			c->applied++;
		else
			c->unchanged++;
	} else if (key[1] == 'e')
		c->ae++;
	else
		c->ar++;
	json_t *ev = json_object_get(by_event, out->event);
	if (!ev && json_object_set_new(by_event, out->event, ev = json_object()) != 0)
		return MRT_ENOMEM;
	return bump(ev, key) ? MRT_ENOMEM : 0;
}

static void add_counts(struct hl7_counts *to, const struct hl7_counts *c)
{
	to->messages += c->messages;
	to->aa += c->aa;
	to->ae += c->ae;
	to->ar += c->ar;
	to->duplicate += c->duplicate;
	to->applied += c->applied;
	to->unchanged += c->unchanged;
}

struct file_run {
	mrt_session *s;
	struct hl7_state *st;
	json_t *by_event, *problems;
	struct hl7_counts c;
};

static int note_problem(struct file_run *fr, const char *channel,
			const struct hl7_apply_result *res)
{
	if (res->duplicate || !strcmp(res->ack_code, "AA") ||
	    json_array_size(fr->problems) >= PROBLEMS_MAX)
		return 0;
	return json_array_append_new(fr->problems, json_pack("{ssssss}", "channel", channel, "ack",
							     res->ack_code, "reason", res->reason))
		   ? MRT_ENOMEM
		   : 0;
}

/* Every message of one file, in one transaction. */
static int run_messages(struct file_run *fr, const char *path, const char *data, size_t len,
			mrt_err *err)
{
	struct import_progress prog;
	import_progress_start(&prog, "hl7", len);
	hl7_splitter sp;
	hl7_split_init(&sp, data, len);
	const char *msg = NULL;
	size_t mlen = 0;
	unsigned long k = 0;
	int rc = 0;
	mrt_buf channel = MRT_BUF_INIT(8192);
	while (rc == 0 && hl7_split_next(&sp, &msg, &mlen)) {
		struct hl7_apply_result res;
		struct apply_out out;
		result_init(&res);
		mrt_buf_reset(&channel);
		if (mrt_buf_addf(&channel, "file:%s#%lu", path, ++k) != 0)
			rc = mrt_err_set(err, MRT_ENOMEM, "%s: path too long", path);
		if (rc == 0)
			rc = apply_one(fr->s, fr->st, msg, mlen, mrt_buf_str(&channel), &res, &out,
				       err);
		if (rc == 0 && (count(&fr->c, fr->by_event, &res, &out) != 0 ||
				note_problem(fr, mrt_buf_str(&channel), &res) != 0))
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
		hl7_apply_result_free(&res);
		import_progress_add(&prog, mlen);
	}
	import_progress_end(&prog);
	mrt_buf_free(&channel);
	return rc;
}

#define EMPTY_REASON "no HL7 message in the file"

/* A file with no message at all is kept whole as a reject. */
static int keep_empty(struct file_run *fr, const char *path, const void *data, size_t len,
		      mrt_err *err)
{
	int changed = 0;
	int rc = chart_reject_put(mrt_session_db(fr->s), &fr->st->ctx, "hl7", path, "whole file",
				  EMPTY_REASON, data, len, &changed, err);
	struct mrt_audit_rec a = {.action = "hl7.import",
				  .object_type = "reject",
				  .detail = "a file with no HL7 message kept as a reject"};
	if (rc == 0)
		rc = mrt_session_audit(fr->s, &a, err);
	return rc;
}

static int run_file(struct file_run *fr, const char *path, json_t *entry, mrt_err *err)
{
	void *data = NULL;
	size_t len = 0;
	mrt_db *db = mrt_session_db(fr->s);
	int rc = import_slurp(path, FILE_MAX, &data, &len, err);
	if (rc)
		return rc;
	if ((rc = mrt_db_begin(db, err)) == 0) {
		rc = run_messages(fr, path, data, len, err);
		if (rc == 0 && fr->c.messages == 0) {
			rc = keep_empty(fr, path, data, len, err);
			json_object_set_new(entry, "refused", json_string(EMPTY_REASON));
		}
		if (rc == 0)
			rc = mrt_db_commit(db, err);
		else
			mrt_db_rollback(db);
	}
	import_free_zero(data, len);
	if (rc == 0)
		json_object_set_new(entry, "bytes", json_integer((json_int_t)len));
	return rc;
}

static int one_file(struct file_run *fr, const char *path, json_t *files, struct hl7_counts *tot,
		    int64_t *failed, mrt_err *err)
{
	json_t *entry = json_pack("{ss}", "path", path);
	if (!entry || json_array_append_new(files, entry) != 0)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	memset(&fr->c, 0, sizeof fr->c);
	int rc = run_file(fr, path, entry, err);
	if (rc == MRT_EIO || rc == MRT_ENOTFOUND || (rc == MRT_ENOMEM && fr->c.messages == 0)) {
		/* The file could not be read: nothing of it was written. */
		(*failed)++;
		json_object_set_new(entry, "error", json_string(err->msg));
		mrt_err_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	add_counts(tot, &fr->c);
	json_object_update_new(entry, counts_json(&fr->c));
	return 0;
}

int import_hl7_files(mrt_session *s, const char *const *paths, size_t n, json_t **report,
		     mrt_err *err)
{
	*report = NULL;
	int rc = mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_HIM, "hl7.import", err);
	if (rc)
		return rc;
	struct hl7_state st;
	/* Files are batches: codes are checked against in-memory release
	 * indexes, built once for the run. */
	if ((rc = state_init(&st, s, err)) != 0 || (rc = chart_ctx_use_cache(&st.ctx, err)) != 0) {
		state_free(&st);
		return rc;
	}
	struct file_run fr = {
	    .s = s, .st = &st, .by_event = json_object(), .problems = json_array()};
	json_t *files = json_array();
	struct hl7_counts tot = {0};
	int64_t failed = 0;
	if (!fr.by_event || !fr.problems || !files)
		rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = one_file(&fr, paths[i], files, &tot, &failed, err);
	if (rc == 0) {
		json_t *r = counts_json(&tot);
		if (!r || json_object_set_new(r, "files", json_integer((json_int_t)n)) ||
		    json_object_set_new(r, "failed_files", json_integer((json_int_t)failed)) ||
		    json_object_set(r, "by_event", fr.by_event) ||
		    json_object_set(r, "problems", fr.problems) ||
		    json_object_set(r, "file_results", files)) {
			json_decref(r);
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
		} else {
			*report = r;
		}
	}
	json_decref(fr.by_event);
	json_decref(fr.problems);
	json_decref(files);
	state_free(&st);
	return rc;
}
