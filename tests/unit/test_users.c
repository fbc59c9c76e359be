/*
 * Unit tests for user administration and password sign-in rules: disabled
 * users cannot act (by password or by an admin acting as them) and keep
 * their rows and history; the last active administrator cannot be
 * disabled; five failed password sign-ins lock an account, during which
 * even the right password is refused, until it expires or an admin
 * unlocks it; a success resets the count; a failed sign-in for an unknown
 * user takes as long as one for an existing user; label grants are for
 * privacy officers only, role grants for admins; a physician user is
 * linked to exactly one provider; password and name rules; text inputs
 * are stored literally.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "privacy/access.h"
#include "privacy/password.h"
#include "service/audit_svc.h"
#include "service/site.h"
#include "service/user_svc.h"

static char dir[256], db[300];
static mrt_session *admin;

static mrt_session *open_as(const char *user, const char *password, int *rc, mrt_err *err)
{
	struct mrt_session_opts o = { .db_path = db, .as_user = user, .password = password };
	mrt_session *s = NULL;
	memset(err, 0, sizeof *err);
	*rc = mrt_session_open(&s, &o, err);
	return s;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/mrt-test-users-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/site.db", dir);
	unsetenv("MRT_HOME");
	mrt_err err = { 0 };
	struct mrt_site_info info;
	if (mrt_site_init(&admin, db, &info, &err) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mrt_session_close(admin);
	admin = NULL;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void add_user(const char *name, const char *role, const char *password)
{
	mrt_err err = { 0 };
	struct user_new u = { .name = name, .roles = { role }, .nroles = role ? 1 : 0,
	                      .password = password };
	int64_t id = 0;
	assert_int_equal(user_svc_add(admin, &u, &id, &err), 0);
}

static int64_t count(const char *sql)
{
	mrt_err err = { 0 };
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(admin), sql, &err);
	assert_non_null(st);
	assert_int_equal(mrt_stmt_step(st, &err), 1);
	int64_t n = mrt_stmt_int(st, 0);
	mrt_stmt_reset(st);
	return n;
}

/* The user object of name in user_svc_list (a new reference). */
static json_t *listed(const char *name)
{
	mrt_err err = { 0 };
	json_t *arr = NULL, *u, *found = NULL;
	size_t i;
	assert_int_equal(user_svc_list(admin, &arr, &err), 0);
	json_array_foreach(arr, i, u)
		if (strcmp(json_string_value(json_object_get(u, "name")), name) == 0)
			found = json_incref(u);
	json_decref(arr);
	assert_non_null(found);
	return found;
}

static void sign_in_fails(const char *user, const char *password, const char *msg)
{
	mrt_err err = { 0 };
	int rc;
	mrt_session *s = open_as(user, password, &rc, &err);
	assert_null(s);
	assert_int_equal(rc, MRT_EAUTH);
	if (!strstr(err.msg, msg))
		fail_msg("expected '%s' in: %s", msg, err.msg);
}

static void sign_in_works(const char *user, const char *password)
{
	mrt_err err = { 0 };
	int rc;
	mrt_session *s = open_as(user, password, &rc, &err);
	if (rc)
		fail_msg("%s could not sign in: %s", user, err.msg);
	assert_string_equal(mrt_session_user(s), user);
	mrt_session_close(s);
}

static void disabled_user_cannot_act(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	add_user("dora", "coder", "dora-secret-1");
	sign_in_works("dora", "dora-secret-1");
	assert_int_equal(user_svc_disable(admin, "dora", "", &err), MRT_EINVAL);
	assert_int_equal(user_svc_disable(admin, "dora", "left the hospital", &err), 0);
	assert_int_equal(user_svc_disable(admin, "dora", "again", &err), MRT_EEXIST);
	sign_in_fails("dora", "dora-secret-1", "user dora is disabled");
	sign_in_fails("dora", NULL, "user dora is disabled"); /* the admin acting as dora */
	/* A wrong password for a disabled user says nothing of the state. */
	sign_in_fails("dora", "dora-secret-X", "authentication failed for user dora");

	json_t *u = listed("dora");
	assert_true(json_is_true(json_object_get(u, "disabled")));
	assert_true(json_is_false(json_object_get(u, "active")));
	assert_string_equal(json_string_value(json_object_get(u, "disabled_reason")),
	                    "left the hospital");
	assert_string_equal(json_string_value(json_object_get(u, "disabled_by")),
	                    mrt_session_user(admin));
	assert_string_equal(json_string_value(json_array_get(json_object_get(u, "roles"), 0)),
	                    "coder");
	json_decref(u);
	/* Never deleted: the row, its grants and the schema refuses a delete. */
	assert_int_equal(count("SELECT count(*) FROM app_user WHERE name = 'dora'"), 1);
	assert_int_not_equal(mrt_db_exec(mrt_session_db(admin), "DELETE FROM app_user WHERE "
	                                 "name = 'dora'", &err), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action LIKE 'auth.%'"
	                       " AND outcome = 'deny' AND object_id = 'dora'"), 3);

	assert_int_equal(user_svc_enable(admin, "dora", &err), 0);
	assert_int_equal(user_svc_enable(admin, "dora", &err), MRT_EEXIST);
	sign_in_works("dora", "dora-secret-1");
	json_t *v = listed("dora");
	assert_true(json_is_null(json_object_get(v, "disabled_reason")));
	json_decref(v);
	assert_int_equal(count("SELECT count(*) FROM user_event e JOIN app_user u ON u.id = "
	                       "e.user_id WHERE u.name = 'dora' AND e.kind IN ('disable','enable')"),
	                 2);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action IN "
	                       "('user.disable','user.enable') AND outcome = 'allow'"), 2);
	/* A coder may not disable anyone. */
	int rc;
	mrt_session *s = open_as("dora", "dora-secret-1", &rc, &err);
	assert_non_null(s);
	assert_int_equal(user_svc_disable(s, mrt_session_user(admin), "coup", &err), MRT_EACCESS);
	mrt_session_close(s);
}

static void last_admin_stays(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	const char *me = mrt_session_user(admin);
	assert_int_equal(user_svc_disable(admin, me, "testing", &err), MRT_EACCESS);
	assert_non_null(strstr(err.msg, "without an active administrator"));
	add_user("ann", "admin", "ann-secret-12");
	assert_int_equal(user_svc_disable(admin, "ann", "on leave", &err), 0);
	/* ann is disabled: she does not count as the other administrator. */
	assert_int_equal(user_svc_disable(admin, me, "testing", &err), MRT_EACCESS);
	assert_int_equal(user_svc_revoke(admin, me, "admin", &err), MRT_EACCESS);
	assert_int_equal(user_svc_enable(admin, "ann", &err), 0);
	/* With ann active, the first admin may go; ann then is the last. */
	int rc;
	mrt_session *ann = open_as("ann", "ann-secret-12", &rc, &err);
	assert_non_null(ann);
	assert_int_equal(user_svc_disable(ann, me, "handover", &err), 0);
	assert_int_equal(user_svc_disable(ann, "ann", "oops", &err), MRT_EACCESS);
	/* The OS account of the disabled admin can no longer act. */
	mrt_session *gone = open_as(NULL, NULL, &rc, &err);
	assert_null(gone);
	assert_int_equal(rc, MRT_EAUTH);
	assert_non_null(strstr(err.msg, "is disabled"));
	assert_null(open_as("ann", NULL, &rc, &err)); /* nor act as anyone */
	assert_non_null(strstr(err.msg, "is disabled"));
	/* ... but another user's password still signs in from it. */
	mrt_session *ann2 = open_as("ann", "ann-secret-12", &rc, &err);
	assert_non_null(ann2);
	assert_string_equal(mrt_session_actor(ann2), "ann");
	mrt_session_close(ann2);
	assert_int_equal(user_svc_enable(ann, me, &err), 0);
	mrt_session_close(ann);
}

static void set_meta(const char *key, const char *value)
{
	mrt_err err = { 0 };
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(admin),
	                           "UPDATE meta SET value = ?2 WHERE key = ?1", &err);
	assert_non_null(st);
	mrt_stmt_bind_text(st, 1, key);
	mrt_stmt_bind_text(st, 2, value);
	assert_int_equal(mrt_stmt_run(st, &err), 0);
	assert_int_equal(mrt_db_changes(mrt_session_db(admin)), 1);
}

static int64_t failed_count(const char *name)
{
	json_t *u = listed(name);
	int64_t n = json_integer_value(json_object_get(u, "failed_count"));
	json_decref(u);
	return n;
}

static void lockout_after_five_failures(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	add_user("lee", "coder", "lee-secret-12");
	/* A success resets the count. */
	sign_in_fails("lee", "wrong-password", "authentication failed");
	sign_in_fails("lee", "wrong-password", "authentication failed");
	assert_int_equal(failed_count("lee"), 2);
	sign_in_works("lee", "lee-secret-12");
	assert_int_equal(failed_count("lee"), 0);
	for (int i = 0; i < 4; i++)
		sign_in_fails("lee", "wrong-password", "authentication failed");
	assert_int_equal(failed_count("lee"), 4);
	sign_in_fails("lee", "wrong-password", "now locked until");
	sign_in_fails("lee", "lee-secret-12", "user lee is locked until");
	json_t *u = listed("lee");
	assert_true(json_is_true(json_object_get(u, "locked")));
	assert_non_null(json_string_value(json_object_get(u, "locked_until")));
	json_decref(u);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'auth.password' AND "
	                       "outcome = 'deny' AND object_id = 'lee'"), 8);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'user.lock' AND "
	                       "object_id = 'lee'"), 1);
	/* No password, or anything like it, in the trail. */
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE detail LIKE '%secret%' OR "
	                       "detail LIKE '%wrong-password%'"), 0);
	int changed = 0;
	assert_int_equal(user_svc_unlock(admin, "lee", &changed, &err), 0);
	assert_true(changed);
	sign_in_works("lee", "lee-secret-12");
	assert_int_equal(user_svc_unlock(admin, "lee", &changed, &err), 0);
	assert_false(changed);
	assert_int_equal(count("SELECT count(*) FROM user_event WHERE kind IN ('lock','unlock')"), 2);

	/* The rule comes from meta: 2 attempts, a 1-second lock that expires. */
	set_meta("auth.lockout_attempts", "2");
	set_meta("auth.lockout_seconds", "1");
	sign_in_fails("lee", "wrong-password", "authentication failed");
	sign_in_fails("lee", "wrong-password", "now locked until");
	sign_in_fails("lee", "lee-secret-12", "locked until");
	sleep(2);
	sign_in_works("lee", "lee-secret-12");
	/* An unknown user never locks and is never told apart. */
	for (int i = 0; i < 3; i++)
		sign_in_fails("nobody-here", "wrong-password",
		              "authentication failed for user nobody-here: wrong password, no password "
		              "set, or no such user");
	/* A user without a password (peer only) fails the same way. */
	struct user_new p = { .name = "pete", .os_account = "pete-os" };
	int64_t id = 0;
	assert_int_equal(user_svc_add(admin, &p, &id, &err), 0);
	sign_in_fails("pete", "anything-at-all", "authentication failed for user pete");
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double fail_time(const char *user)
{
	double t0 = now_s();
	sign_in_fails(user, "not-the-password", "authentication failed");
	return now_s() - t0;
}

static void wrong_password_time_hides_names(void **state)
{
	(void)state;
	set_meta("auth.lockout_attempts", "1000");
	add_user("tim", "coder", "tim-secret-12");
	/* Alternated, so a change in the machine's load hits both alike. */
	double k[7], u[7];
	for (int i = 0; i < 7; i++) {
		k[i] = fail_time("tim");
		u[i] = fail_time("no-such-user");
	}
	qsort(k, 7, sizeof k[0], cmp_double);
	qsort(u, 7, sizeof u[0], cmp_double);
	double known = k[3], unknown = u[3];
	double ratio = unknown / known;
	print_message("wrong password: existing user %.1f ms, unknown user %.1f ms (ratio %.2f)\n",
	              known * 1e3, unknown * 1e3, ratio);
	assert_true(ratio > 0.5 && ratio < 2.0);
	/* The bare check: a missing hash costs a real verification too. */
	char h[PASSWORD_HASH_MAX];
	mrt_err err = { 0 };
	assert_int_equal(password_hash(h, "tim-secret-12", &err), 0);
	double t0 = now_s();
	assert_int_equal(password_verify(h, "not-the-password"), MRT_EAUTH);
	double real = now_s() - t0;
	t0 = now_s();
	assert_int_equal(password_verify(NULL, "not-the-password"), MRT_EAUTH);
	double dummy = now_s() - t0;
	assert_true(dummy > real / 2 && dummy < real * 2);
}

static void label_grants_by_privacy_officer(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int rc, changed = 0;
	add_user("adm", "admin", "adm-secret-12");
	add_user("pia", "privacy_officer", "pia-secret-12");
	add_user("phil", "physician", "phil-secret-12");
	mrt_session *adm = open_as("adm", "adm-secret-12", &rc, &err);
	mrt_session *pia = open_as("pia", "pia-secret-12", &rc, &err);
	assert_non_null(adm);
	assert_non_null(pia);
	assert_int_equal(user_svc_grant(adm, "phil", "BH", &changed, &err), MRT_EACCESS);
	assert_non_null(strstr(err.msg, "privacy_officer"));
	assert_int_equal(user_svc_grant(pia, "phil", "coder", &changed, &err), MRT_EACCESS);
	assert_int_equal(user_svc_grant(pia, "phil", "BH", &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(user_svc_grant(pia, "phil", "BH", &changed, &err), 0);
	assert_false(changed);
	assert_int_equal(user_svc_grant(pia, "phil", "PART2", &changed, &err), 0);
	assert_int_equal(user_svc_grant(pia, "phil", "MANDATED", &changed, &err), MRT_EINVAL);
	assert_int_equal(user_svc_grant(pia, "phil", "bh", &changed, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "BH, ETH") ? err.msg : strstr(err.msg, "BH,ETH"));
	assert_non_null(strstr(err.msg, "PSYTHPN"));
	assert_int_equal(user_svc_grant(adm, "phil", "coder", &changed, &err), 0);
	assert_int_equal(count("SELECT count(*) FROM role_grant WHERE role = '42CFRPart2' AND "
	                       "revoked_at IS NULL"), 1);
	mrt_session *phil = open_as("phil", "phil-secret-12", &rc, &err);
	assert_non_null(phil);
	assert_int_equal(mrt_session_label_grants(phil),
	                 access_label_bit("BH") | access_label_bit("42CFRPart2"));
	mrt_session_close(phil);
	json_t *u = listed("phil");
	json_t *labels = json_object_get(u, "labels");
	assert_int_equal(json_array_size(labels), 2);
	assert_string_equal(json_string_value(json_array_get(labels, 0)), "BH");
	assert_int_equal(json_array_size(json_object_get(u, "roles")), 2);
	json_decref(u);
	assert_int_equal(user_svc_revoke(adm, "phil", "BH", &err), MRT_EACCESS);
	assert_int_equal(user_svc_revoke(pia, "phil", "BH", &err), 0);
	assert_int_equal(user_svc_revoke(pia, "phil", "BH", &err), MRT_ENOTFOUND);
	assert_int_equal(count("SELECT count(*) FROM role_grant WHERE role = 'BH'"), 1);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'user.grant' AND "
	                       "outcome = 'deny'"), 2);
	mrt_session_close(adm);
	mrt_session_close(pia);
}

static void physician_linked_to_one_provider(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int rc;
	assert_int_equal(mrt_db_exec(mrt_session_db(admin),
		"INSERT INTO provider(system, ident, name, source, source_ref, created_at) VALUES"
		" ('http://hl7.org/fhir/sid/us-npi', '1234567893', 'Dr A', 'test', 'prac-a', 'now'),"
		" ('MIMIC-IV provider_id', 'P1', 'Dr B', 'test', NULL, 'now'),"
		" ('other', 'P1', 'Dr C', 'test', NULL, 'now')", &err), 0);
	add_user("phyl", "physician", "phyl-secret-12");
	assert_int_equal(user_svc_link(admin, "phyl", "9999999999", &err), MRT_ENOTFOUND);
	assert_int_equal(user_svc_link(admin, "phyl", "P1", &err), MRT_EAMBIG);
	assert_non_null(strstr(err.msg, "SYSTEM|IDENT"));
	assert_int_equal(user_svc_link(admin, "phyl", "other|P1", &err), 0);
	mrt_session *s = open_as("phyl", "phyl-secret-12", &rc, &err);
	assert_non_null(s);
	int64_t c = count("SELECT id FROM provider WHERE system = 'other'");
	assert_int_equal(mrt_session_provider_id(s), c);
	assert_int_equal(user_svc_link(s, "phyl", "1234567893", &err), MRT_EACCESS);
	mrt_session_close(s);
	assert_int_equal(user_svc_link(admin, "phyl", "prac-a", &err), 0); /* by source_ref */
	json_t *u = listed("phyl");
	assert_string_equal(json_string_value(json_object_get(json_object_get(u, "provider"),
	                                                      "ident")), "1234567893");
	json_decref(u);
	assert_int_equal(user_svc_link(admin, "phyl", NULL, &err), 0);
	u = listed("phyl");
	assert_true(json_is_null(json_object_get(u, "provider")));
	json_decref(u);
	struct user_new n = { .name = "doc", .roles = { "physician" }, .nroles = 1,
	                      .os_account = "doc-os", .provider = "P1" };
	int64_t id = 0;
	assert_int_equal(user_svc_add(admin, &n, &id, &err), MRT_EAMBIG);
	assert_int_equal(count("SELECT count(*) FROM app_user WHERE name = 'doc'"), 0);
	n.provider = "1234567893";
	assert_int_equal(user_svc_add(admin, &n, &id, &err), 0);
	assert_int_equal(count("SELECT count(*) FROM user_event WHERE kind IN ('link','unlink')"), 4);
}

static void password_and_name_rules(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t id = 0;
	struct user_new u = { .name = "JaneDoe12345", .os_account = NULL, .password = "janedoe12345" };
	assert_int_equal(user_svc_add(admin, &u, &id, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "may not be the user name"));
	assert_null(strstr(err.msg, "janedoe12345"));
	u.password = "eleven-char";
	assert_int_equal(user_svc_add(admin, &u, &id, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "at least 12"));
	u.password = "twelve-chars";
	assert_int_equal(user_svc_add(admin, &u, &id, &err), 0);
	assert_int_equal(user_svc_passwd(admin, "JaneDoe12345", "JANEDOE12345", &err), MRT_EINVAL);
	assert_int_equal(password_rules("ab", "abc", &err), 0);

	char big[5000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	struct user_new l = { .name = big, .os_account = "x-os" };
	assert_int_equal(user_svc_add(admin, &l, &id, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "too long"));
	assert_true(strlen(err.msg) < 200);
	int rc;
	assert_null(open_as(big, "some-password-1", &rc, &err));
	assert_int_equal(rc, MRT_EAUTH);
	assert_non_null(strstr(err.msg, "not valid"));
	l.name = "ok-name";
	l.full_name = big;
	assert_int_equal(user_svc_add(admin, &l, &id, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "full name is too long"));
	l.full_name = "x'); DROP TABLE app_user;--";
	assert_int_equal(user_svc_add(admin, &l, &id, &err), 0);
	json_t *o = listed("ok-name");
	assert_string_equal(json_string_value(json_object_get(o, "full_name")),
	                    "x'); DROP TABLE app_user;--");
	json_decref(o);
	assert_int_equal(user_svc_disable(admin, "ok-name", "'); DELETE FROM user_event;--", &err), 0);
	assert_int_equal(count("SELECT count(*) FROM user_event WHERE reason = "
	                       "'''); DELETE FROM user_event;--'"), 1);
	assert_int_equal(user_svc_disable(admin, "ok-name\n", "x", &err), MRT_EINVAL);
	assert_int_equal(user_svc_enable(admin, "ok-name", &err), 0);
	assert_int_equal(user_svc_disable(admin, "ok-name", "line\nbreak", &err), MRT_EINVAL);
	struct audit_verify_result r;
	assert_int_equal(audit_svc_verify(admin, &r, &err), 0);
	assert_true(r.intact);
}

int main(void)
{
	mrt_err err = { 0 };
	if (mrt_hash_init(&err) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(disabled_user_cannot_act, setup, teardown),
		cmocka_unit_test_setup_teardown(last_admin_stays, setup, teardown),
		cmocka_unit_test_setup_teardown(lockout_after_five_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(wrong_password_time_hides_names, setup, teardown),
		cmocka_unit_test_setup_teardown(label_grants_by_privacy_officer, setup, teardown),
		cmocka_unit_test_setup_teardown(physician_linked_to_one_provider, setup, teardown),
		cmocka_unit_test_setup_teardown(password_and_name_rules, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
