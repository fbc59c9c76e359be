/*
 * Unit tests for privacy/audit: the canonical serialisation is
 * unambiguous, the MAC depends on the key and on every field, and chain
 * verification over in-memory rows catches each kind of tampering
 * (altering, deleting, inserting, reordering, truncating) at the first
 * broken row; anchor lines parse strictly. The seal of a sealed export
 * depends on the key and on every trailer field. Group commit: sessions in
 * many threads audit through one writer, events land in batches, the chain
 * verifies (also with an unattached session appending meanwhile), and a
 * stats count matches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "privacy/audit.h"
#include "service/audit_group.h"
#include "service/audit_svc.h"
#include "service/site.h"

#define N 10

struct chain {
	unsigned char key[MRT_HMAC_KEY_LEN];
	struct audit_event ev[N + 2];
	char prev[N + 2][AUDIT_MAC_HEX];
	char mac[N + 2][AUDIT_MAC_HEX];
	char detail[N + 2][32];
	int n;
};

/* Builds a valid chain of N events the way the session appends them. */
static void build(struct chain *c)
{
	memset(c, 0, sizeof *c);
	for (int i = 0; i < MRT_HMAC_KEY_LEN; i++)
		c->key[i] = (unsigned char)(i * 7 + 1);
	const char *prev = AUDIT_GENESIS;
	for (int i = 0; i < N; i++) {
		struct audit_event *e = &c->ev[i];
		snprintf(c->detail[i], sizeof c->detail[i], "event %d", i + 1);
		memcpy(c->prev[i], prev, AUDIT_MAC_HEX);
		*e = (struct audit_event){ .id = i + 1, .at = "2026-01-02T03:04:05.000000Z",
		                           .actor = "alice", .on_behalf_of = i % 2 ? "bob" : NULL,
		                           .role = "coder", .action = "codes.show",
		                           .object_type = "code", .object_id = "E11.9",
		                           .patient_id = i % 3 ? 0 : 40 + i, .purpose = "operations",
		                           .outcome = "allow", .detail = c->detail[i],
		                           .prev_mac = c->prev[i] };
		assert_int_equal(audit_mac(c->mac[i], c->key, e), 0);
		e->mac = c->mac[i];
		prev = c->mac[i];
	}
	c->n = N;
}

/* Verifies c; returns the first broken id, or 0 when intact. */
static int64_t verify(struct chain *c, struct audit_anchor_set *anchors)
{
	struct audit_verifier v;
	mrt_err err = { 0 };
	int64_t broken = 0;
	audit_verify_begin(&v, c->key);
	for (int i = 0; i < c->n && !broken; i++) {
		if (audit_verify_next(&v, &c->ev[i], &err) != 0) {
			assert_int_equal(err.code, MRT_ETAMPER);
			assert_non_null(strstr(err.msg, "audit row"));
			broken = v.broken_id;
		} else if (anchors && audit_anchor_set_match(anchors, &c->ev[i], &err, &broken) != 0) {
			assert_int_equal(err.code, MRT_ETAMPER);
		}
	}
	if (!broken && anchors && audit_anchor_set_finish(anchors, &err, &broken) != 0)
		assert_non_null(strstr(err.msg, "truncated"));
	audit_verify_end(&v);
	return broken;
}

static void anchor_all(struct chain *c, struct audit_anchor_set *s)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; i < c->n; i++) {
		char line[AUDIT_ANCHOR_LINE];
		struct audit_anchor a;
		size_t n = audit_anchor_format(line, sizeof line, c->ev[i].id, c->ev[i].mac);
		assert_int_equal(audit_anchor_parse(&a, line, n), 0);
		assert_int_equal(audit_anchor_set_add(s, &a), 0);
	}
	audit_anchor_set_sort(s);
}

static void intact_chain_verifies(void **state)
{
	(void)state;
	struct chain c;
	struct audit_anchor_set s;
	build(&c);
	anchor_all(&c, &s);
	assert_int_equal(verify(&c, &s), 0);
	audit_anchor_set_free(&s);
}

static void altered_field_is_caught(void **state)
{
	(void)state;
	struct chain c;
	build(&c);
	c.ev[4].detail = "event 5 (edited)";
	assert_int_equal(verify(&c, NULL), 5);
	build(&c);
	c.ev[6].patient_id = 99;
	assert_int_equal(verify(&c, NULL), 7);
	build(&c);
	c.ev[2].on_behalf_of = ""; /* was NULL: NULL and "" must differ */
	assert_int_equal(verify(&c, NULL), 3);
}

static void deleted_row_is_caught(void **state)
{
	(void)state;
	struct chain c;
	build(&c);
	memmove(&c.ev[3], &c.ev[4], sizeof c.ev[0] * (size_t)(N - 4)); /* drop id 4 */
	c.n--;
	assert_int_equal(verify(&c, NULL), 5);
	build(&c);
	memmove(&c.ev[0], &c.ev[1], sizeof c.ev[0] * (size_t)(N - 1)); /* drop the first */
	c.n--;
	assert_int_equal(verify(&c, NULL), 2);
}

static void deleted_and_renumbered_is_caught(void **state)
{
	(void)state;
	struct chain c;
	build(&c);
	memmove(&c.ev[3], &c.ev[4], sizeof c.ev[0] * (size_t)(N - 4));
	c.n--;
	for (int i = 3; i < c.n; i++)
		c.ev[i].id--; /* ids consecutive again: the MAC covers the id */
	assert_int_equal(verify(&c, NULL), 4);
}

static void inserted_row_is_caught(void **state)
{
	(void)state;
	struct chain c;
	build(&c);
	memmove(&c.ev[4], &c.ev[3], sizeof c.ev[0] * (size_t)(N - 3));
	c.n++;
	for (int i = 4; i < c.n; i++)
		c.ev[i].id++;
	/* The forged row links to its predecessor but cannot have a valid MAC. */
	c.ev[3].detail = "forged";
	c.ev[3].prev_mac = c.mac[2];
	c.ev[3].mac = "00000000000000000000000000000000000000000000000000000000000000ff";
	assert_int_equal(verify(&c, NULL), 4);
	/* ... and appended at the end. */
	build(&c);
	c.ev[N] = c.ev[N - 1];
	c.ev[N].id = N + 1;
	c.ev[N].prev_mac = c.mac[N - 1];
	c.n++;
	assert_int_equal(verify(&c, NULL), N + 1);
}

static void reordered_rows_are_caught(void **state)
{
	(void)state;
	struct chain c;
	build(&c);
	struct audit_event t = c.ev[5];
	c.ev[5] = c.ev[6];
	c.ev[6] = t;
	c.ev[5].id = 6; /* swapped contents, ids kept in order */
	c.ev[6].id = 7;
	assert_int_equal(verify(&c, NULL), 6);
}

static void truncation_is_caught_by_the_anchor(void **state)
{
	(void)state;
	struct chain c;
	struct audit_anchor_set s;
	build(&c);
	anchor_all(&c, &s);
	c.n -= 3; /* the chain alone still looks fine */
	assert_int_equal(verify(&c, NULL), 0);
	assert_int_equal(verify(&c, &s), N - 2);
	audit_anchor_set_free(&s);
}

static void rows_after_the_anchor_are_accepted(void **state)
{
	(void)state;
	struct chain c;
	struct audit_anchor_set s;
	build(&c);
	c.n -= 2;
	anchor_all(&c, &s); /* anchor lags: a crash after commit */
	c.n += 2;
	assert_int_equal(verify(&c, &s), 0);
	audit_anchor_set_free(&s);
}

static void anchor_mac_mismatch_is_caught(void **state)
{
	(void)state;
	struct chain c;
	struct audit_anchor_set s;
	build(&c);
	anchor_all(&c, &s);
	s.v[2].mac[0] = s.v[2].mac[0] == 'a' ? 'b' : 'a';
	assert_int_equal(verify(&c, &s), 3);
	audit_anchor_set_free(&s);
}

static void wrong_key_fails_everything(void **state)
{
	(void)state;
	struct chain c;
	build(&c);
	c.key[0] ^= 1;
	assert_int_equal(verify(&c, NULL), 1);
}

static void canonical_is_unambiguous(void **state)
{
	(void)state;
	struct audit_event a = { .id = 1, .actor = "ab", .action = "c", .outcome = "allow" };
	struct audit_event b = { .id = 1, .actor = "a", .action = "bc", .outcome = "allow" };
	struct audit_event c = { .id = 1, .actor = "ab", .action = "c", .outcome = "allow",
	                         .detail = "" };
	mrt_buf x = MRT_BUF_INIT(4096), y = MRT_BUF_INIT(4096), z = MRT_BUF_INIT(4096);
	assert_int_equal(audit_canonical(&x, &a), 0);
	assert_int_equal(audit_canonical(&y, &b), 0);
	assert_int_equal(audit_canonical(&z, &c), 0);
	assert_string_not_equal(mrt_buf_str(&x), mrt_buf_str(&y));
	assert_string_not_equal(mrt_buf_str(&x), mrt_buf_str(&z));
	/* the same event always serialises the same way */
	mrt_buf_reset(&y);
	assert_int_equal(audit_canonical(&y, &a), 0);
	assert_string_equal(mrt_buf_str(&x), mrt_buf_str(&y));
	mrt_buf_free(&x);
	mrt_buf_free(&y);
	mrt_buf_free(&z);
}

static void anchor_lines_parse_strictly(void **state)
{
	(void)state;
	struct audit_anchor a;
	const char *mac = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char line[AUDIT_ANCHOR_LINE];
	size_t n = audit_anchor_format(line, sizeof line, 42, mac);
	assert_int_equal(audit_anchor_parse(&a, line, n), 0);
	assert_int_equal(a.id, 42);
	assert_string_equal(a.mac, mac);
	const char *bad[] = { "", "42", "42 abc", "x 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	                      "0 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	                      "-1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	                      "4 0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
	                      "4 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(audit_anchor_parse(&a, bad[i], strlen(bad[i])), MRT_EPARSE);
}

static void seal_covers_every_field(void **state)
{
	(void)state;
	unsigned char key[MRT_HMAC_KEY_LEN] = { 7 };
	const char *mac = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct audit_seal_fields f = { "db1", "2026-01-01", 3, 1, 3, mac, mac };
	char base[AUDIT_MAC_HEX], x[AUDIT_MAC_HEX];
	assert_int_equal(audit_seal(base, key, &f), 0);
	assert_int_equal(audit_seal(x, key, &f), 0);
	assert_string_equal(base, x);
	struct audit_seal_fields v[7];
	for (int i = 0; i < 7; i++)
		v[i] = f;
	v[0].db_id = "db2";
	v[1].before = "2026-01-02";
	v[2].count = 2;
	v[3].first_id = 2;
	v[4].last_id = 2;
	v[5].last_mac = AUDIT_GENESIS;
	v[6].body_sha256 = AUDIT_GENESIS;
	for (int i = 0; i < 7; i++) {
		assert_int_equal(audit_seal(x, key, &v[i]), 0);
		assert_string_not_equal(base, x);
	}
	key[0] ^= 1;
	assert_int_equal(audit_seal(x, key, &f), 0);
	assert_string_not_equal(base, x);
}

#define GROUP_THREADS 8
#define GROUP_EVENTS 150

struct reader {
	const char *db;
	audit_group *g;
	int rc;
};

static void *reader_run(void *arg)
{
	struct reader *r = arg;
	mrt_err err = { 0 };
	mrt_session *s = NULL;
	struct mrt_session_opts o = { .db_path = r->db };
	r->rc = mrt_session_open(&s, &o, &err);
	if (r->rc)
		return NULL;
	audit_group_attach(r->g, s);
	for (int i = 0; i < GROUP_EVENTS && r->rc == 0; i++) {
		struct mrt_audit_rec rec = { .action = "patient.show", .object_type = "patient",
		                             .object_id = "1", .patient_id = 1 + i % 7 };
		r->rc = mrt_session_audit(s, &rec, &err);
	}
	audit_group_detach(s);
	mrt_session_close(s);
	return NULL;
}

static void group_commit_keeps_the_chain(void **state)
{
	(void)state;
	char dir[] = "/tmp/mrt-test-group-XXXXXX", db[96], cmd[128];
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/site.db", dir);
	unsetenv("MRT_HOME");
	mrt_err err = { 0 };
	mrt_session *admin = NULL;
	struct mrt_site_info info;
	assert_int_equal(mrt_site_init(&admin, db, &info, &err), 0);
	audit_group *g = NULL;
	assert_int_equal(audit_group_open(&g, db, &err), 0);
	pthread_t t[GROUP_THREADS];
	struct reader r[GROUP_THREADS];
	for (int i = 0; i < GROUP_THREADS; i++) {
		r[i] = (struct reader){ .db = db, .g = g };
		assert_int_equal(pthread_create(&t[i], NULL, reader_run, &r[i]), 0);
	}
	/* an unattached session appends on its own connection meanwhile */
	for (int i = 0; i < 40; i++) {
		struct mrt_audit_rec rec = { .action = "codes.show", .detail = "direct" };
		assert_int_equal(mrt_session_audit(admin, &rec, &err), 0);
	}
	for (int i = 0; i < GROUP_THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(r[i].rc, 0);
	}
	struct audit_group_stats st;
	audit_group_get_stats(g, &st);
	assert_int_equal(st.events, GROUP_THREADS * GROUP_EVENTS);
	assert_true(st.batches >= 1 && st.batches <= st.events);
	assert_true(st.max_batch >= 1 && st.max_batch <= GROUP_THREADS);
	/* through the sink the session's checks still apply */
	audit_group_attach(g, admin);
	struct mrt_audit_rec bad = { .action = "patient.show", .outcome = "maybe" };
	assert_int_equal(mrt_session_audit(admin, &bad, &err), MRT_EINVAL);
	audit_group_detach(admin);
	audit_group_close(g);
	/* a database without its site (no key) has no group writer */
	char lone[128];
	snprintf(lone, sizeof lone, "%s/none/x.db", dir);
	assert_int_not_equal(audit_group_open(&g, lone, &err), 0);
	struct audit_verify_result v;
	assert_int_equal(audit_svc_verify(admin, &v, &err), 0);
	if (!v.intact)
		fail_msg("chain broken: %s", v.problem);
	assert_int_equal(v.unanchored, 0);
	assert_true(v.events >= 1 + 40 + GROUP_THREADS * GROUP_EVENTS);
	mrt_session_close(admin);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	mrt_err err = { 0 };
	if (mrt_hash_init(&err) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intact_chain_verifies),
		cmocka_unit_test(altered_field_is_caught),
		cmocka_unit_test(deleted_row_is_caught),
		cmocka_unit_test(deleted_and_renumbered_is_caught),
		cmocka_unit_test(inserted_row_is_caught),
		cmocka_unit_test(reordered_rows_are_caught),
		cmocka_unit_test(truncation_is_caught_by_the_anchor),
		cmocka_unit_test(rows_after_the_anchor_are_accepted),
		cmocka_unit_test(anchor_mac_mismatch_is_caught),
		cmocka_unit_test(wrong_key_fails_everything),
		cmocka_unit_test(canonical_is_unambiguous),
		cmocka_unit_test(anchor_lines_parse_strictly),
		cmocka_unit_test(seal_covers_every_field),
		cmocka_unit_test(group_commit_keeps_the_chain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
