/*
 * Audit chain: canonical serialisation, MAC, verification and anchor
 * matching over in-memory events. See audit.h for the scheme.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "privacy/audit.h"

const char AUDIT_GENESIS[AUDIT_MAC_HEX] =
	"0000000000000000000000000000000000000000000000000000000000000000";

#define CANON_MAX (1u << 20) /* an event is a few hundred bytes */

static int put_text(mrt_buf *b, const char *s)
{
	if (!s)
		return mrt_buf_addc(b, 'N');
	size_t n = strlen(s);
	int rc = mrt_buf_addf(b, "S%zu:", n);
	return rc ? rc : mrt_buf_add(b, s, n);
}

static int put_int(mrt_buf *b, int64_t v, int null_if_zero)
{
	if (null_if_zero && v == 0)
		return mrt_buf_addc(b, 'N');
	return mrt_buf_addf(b, "I%" PRId64 ";", v);
}

int audit_canonical(mrt_buf *out, const struct audit_event *e)
{
	int rc = mrt_buf_adds(out, "mrt-audit-1;");
	if (!rc) rc = put_int(out, e->id, 0);
	if (!rc) rc = put_text(out, e->at);
	if (!rc) rc = put_text(out, e->actor);
	if (!rc) rc = put_text(out, e->on_behalf_of);
	if (!rc) rc = put_text(out, e->role);
	if (!rc) rc = put_text(out, e->action);
	if (!rc) rc = put_text(out, e->object_type);
	if (!rc) rc = put_text(out, e->object_id);
	if (!rc) rc = put_int(out, e->patient_id, 1);
	if (!rc) rc = put_text(out, e->purpose);
	if (!rc) rc = put_text(out, e->outcome);
	if (!rc) rc = put_text(out, e->detail);
	return rc;
}

static int mac_into(char out[AUDIT_MAC_HEX], const unsigned char *key, const struct audit_event *e,
                    mrt_buf *b)
{
	mrt_buf_reset(b);
	int rc = audit_canonical(b, e);
	if (!rc)
		rc = put_text(b, e->prev_mac);
	if (rc)
		return rc;
	unsigned char md[MRT_SHA256_LEN];
	mrt_hmac_sha256(md, key, b->ptr, b->len);
	mrt_hex(out, md, sizeof md);
	return 0;
}

int audit_mac(char out[AUDIT_MAC_HEX], const unsigned char key[MRT_HMAC_KEY_LEN],
              const struct audit_event *e)
{
	mrt_buf b = MRT_BUF_INIT(CANON_MAX);
	int rc = mac_into(out, key, e, &b);
	mrt_buf_free(&b);
	return rc;
}

int audit_seal(char out[AUDIT_MAC_HEX], const unsigned char key[MRT_HMAC_KEY_LEN],
               const struct audit_seal_fields *f)
{
	mrt_buf b = MRT_BUF_INIT(CANON_MAX);
	int rc = mrt_buf_adds(&b, "mrt-audit-seal-1;");
	if (!rc) rc = put_text(&b, f->db_id);
	if (!rc) rc = put_text(&b, f->before);
	if (!rc) rc = put_int(&b, f->count, 0);
	if (!rc) rc = put_int(&b, f->first_id, 0);
	if (!rc) rc = put_int(&b, f->last_id, 0);
	if (!rc) rc = put_text(&b, f->last_mac);
	if (!rc) rc = put_text(&b, f->body_sha256);
	if (!rc) {
		unsigned char md[MRT_SHA256_LEN];
		mrt_hmac_sha256(md, key, b.ptr, b.len);
		mrt_hex(out, md, sizeof md);
	}
	mrt_buf_free(&b);
	return rc;
}

void audit_verify_begin(struct audit_verifier *v, const unsigned char key[MRT_HMAC_KEY_LEN])
{
	memset(v, 0, sizeof *v);
	memcpy(v->key, key, MRT_HMAC_KEY_LEN);
	memcpy(v->head, AUDIT_GENESIS, AUDIT_MAC_HEX);
	mrt_buf_init(&v->scratch, CANON_MAX);
}

void audit_verify_end(struct audit_verifier *v)
{
	mrt_buf_free(&v->scratch);
	memset(v->key, 0, sizeof v->key);
}

static int broken(struct audit_verifier *v, const struct audit_event *e, mrt_err *err,
                  const char *what)
{
	v->broken_id = e->id;
	return mrt_err_set(err, MRT_ETAMPER, "audit row %" PRId64 ": %s", e->id, what);
}

int audit_verify_next(struct audit_verifier *v, const struct audit_event *e, mrt_err *err)
{
	char what[160];
	if (e->id != v->last_id + 1) {
		if (v->last_id == 0)
			snprintf(what, sizeof what, "the chain must start at row 1 (rows deleted or forged)");
		else
			snprintf(what, sizeof what, "follows row %" PRId64 " (rows missing or forged in between)",
			         v->last_id);
		return broken(v, e, err, what);
	}
	if (!e->prev_mac || strcmp(e->prev_mac, v->head) != 0) {
		if (v->last_id == 0)
			snprintf(what, sizeof what, "does not start the chain (rows deleted, inserted or reordered)");
		else
			snprintf(what, sizeof what, "does not link to row %" PRId64
			         " (rows deleted, inserted or reordered)", v->last_id);
		return broken(v, e, err, what);
	}
	char mac[AUDIT_MAC_HEX];
	if (mac_into(mac, v->key, e, &v->scratch) != 0)
		return broken(v, e, err, "too large to check");
	if (!e->mac || strlen(e->mac) != AUDIT_MAC_HEX - 1 ||
	    mrt_memcmp_ct(mac, e->mac, AUDIT_MAC_HEX - 1) != 0)
		return broken(v, e, err, "MAC does not match its content (row altered or forged)");
	memcpy(v->head, mac, AUDIT_MAC_HEX);
	v->last_id = e->id;
	v->count++;
	return 0;
}

size_t audit_anchor_format(char *out, size_t size, int64_t id, const char *mac)
{
	int n = snprintf(out, size, "%" PRId64 " %s\n", id, mac);
	return n < 0 ? 0 : (size_t)n;
}

static int is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int audit_anchor_parse(struct audit_anchor *out, const char *line, size_t len)
{
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	const char *sp = memchr(line, ' ', len);
	if (!sp || (size_t)(line + len - (sp + 1)) != AUDIT_MAC_HEX - 1 || sp == line ||
	    sp - line > 19)
		return MRT_EPARSE;
	char num[24];
	memcpy(num, line, (size_t)(sp - line));
	num[sp - line] = '\0';
	if (mrt_parse_i64(&out->id, num) != 0 || out->id <= 0 || !is_hex(sp + 1, AUDIT_MAC_HEX - 1))
		return MRT_EPARSE;
	memcpy(out->mac, sp + 1, AUDIT_MAC_HEX - 1);
	out->mac[AUDIT_MAC_HEX - 1] = '\0';
	return 0;
}

int audit_anchor_set_add(struct audit_anchor_set *s, const struct audit_anchor *a)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		struct audit_anchor *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return MRT_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = *a;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct audit_anchor *)a)->id, y = ((const struct audit_anchor *)b)->id;
	return x < y ? -1 : x > y;
}

void audit_anchor_set_sort(struct audit_anchor_set *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, by_id);
	s->next = 0;
}

int audit_anchor_set_match(struct audit_anchor_set *s, const struct audit_event *e, mrt_err *err,
                           int64_t *broken_id)
{
	while (s->next < s->n && s->v[s->next].id <= e->id) {
		const struct audit_anchor *a = &s->v[s->next];
		if (a->id < e->id) {
			*broken_id = a->id;
			return mrt_err_set(err, MRT_ETAMPER,
			                   "audit row %" PRId64 ": recorded in the anchor file but missing "
			                   "from the database (rows deleted)", a->id);
		}
		if (!e->mac || strcmp(a->mac, e->mac) != 0) {
			*broken_id = e->id;
			return mrt_err_set(err, MRT_ETAMPER,
			                   "audit row %" PRId64 ": MAC differs from the one in the anchor file "
			                   "(row replaced)", e->id);
		}
		s->next++;
	}
	return 0;
}

int audit_anchor_set_finish(struct audit_anchor_set *s, mrt_err *err, int64_t *broken_id)
{
	if (s->next >= s->n)
		return 0;
	*broken_id = s->v[s->next].id;
	return mrt_err_set(err, MRT_ETAMPER,
	                   "audit row %" PRId64 ": recorded in the anchor file but missing from the "
	                   "database (last %zu anchored rows truncated)", s->v[s->next].id,
	                   s->n - s->next);
}

void audit_anchor_set_free(struct audit_anchor_set *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}
