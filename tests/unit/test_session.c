/*
 * Unit tests for sessions, site init, users and roles: init makes the OS
 * account an administrator with every role and a 0600 key; a second init
 * changes nothing; a foreign file is refused; password sign-in (right,
 * wrong, unknown user) and admin act-as apply the target's rights; role
 * checks deny and audit; an audit event in a rolled-back transaction
 * leaves neither a row nor an anchor line; passwords hash and verify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "privacy/password.h"
#include "privacy/roles.h"
#include "service/audit_svc.h"
#include "service/site.h"
#include "service/user_svc.h"

static char dir[256], db[300];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/mrt-test-session-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/site.db", dir);
	unsetenv("MRT_HOME");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;
	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static mrt_session *open_as(const char *user, const char *password, int *rc, mrt_err *err)
{
	struct mrt_session_opts o = { .db_path = db, .as_user = user, .password = password };
	mrt_session *s = NULL;
	*rc = mrt_session_open(&s, &o, err);
	return s;
}

static void init_makes_admin_and_key(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	mrt_session *s = NULL;
	struct mrt_site_info info;
	assert_int_equal(mrt_site_init(&s, db, &info, &err), 0);
	assert_false(info.already);
	for (int i = 0; i < ROLE_COUNT; i++)
		assert_true(mrt_session_has_role(s, role_names[i]));
	assert_string_equal(mrt_session_user(s), info.admin);
	struct stat st;
	assert_int_equal(stat(info.key_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, MRT_HMAC_KEY_LEN);
	assert_non_null(strstr(info.key_path, info.db_id));
	assert_int_equal(count_lines(info.anchor_path), 1); /* the init event */
	mrt_session_close(s);

	struct mrt_site_info again;
	assert_int_equal(mrt_site_init(NULL, db, &again, &err), 0);
	assert_true(again.already);
	assert_string_equal(again.db_id, info.db_id);
	assert_int_equal(count_lines(info.anchor_path), 1);
}

static void init_refuses_foreign_file(void **state)
{
	(void)state;
	char path[400];
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a database\n", f);
	fclose(f);
	mrt_err err = { 0 };
	struct mrt_site_info info;
	assert_int_equal(mrt_site_init(NULL, path, &info, &err), MRT_EEXIST);
	assert_non_null(strstr(err.msg, "refusing"));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 15);
}

static void password_users_and_act_as(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int rc;
	struct mrt_site_info info;
	assert_int_equal(mrt_site_init(NULL, db, &info, &err), 0);
	mrt_session *admin = open_as(NULL, NULL, &rc, &err);
	assert_int_equal(rc, 0);
	struct user_new u = { .name = "carol", .roles = { "coder" }, .nroles = 1,
	                      .password = "correct horse" };
	int64_t id = 0;
	assert_int_equal(user_svc_add(admin, &u, &id, &err), 0);
	struct user_new bad = { .name = "dan", .roles = { "janitor" }, .nroles = 1,
	                        .password = "long enough" };
	assert_int_equal(user_svc_add(admin, &bad, &id, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "janitor"));
	mrt_session_close(admin);

	mrt_session *s = open_as("carol", "correct horse", &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(mrt_session_user(s), "carol");
	assert_string_equal(mrt_session_actor(s), "carol");
	assert_true(mrt_session_has_role(s, "coder"));
	assert_false(mrt_session_has_role(s, "admin"));
	struct user_new e = { .name = "erin", .os_account = "erin" };
	assert_int_equal(user_svc_add(s, &e, &id, &err), MRT_EACCESS);
	assert_non_null(strstr(err.msg, "role admin required"));
	mrt_session_close(s);

	assert_null(open_as("carol", "wrong horse", &rc, &err));
	assert_int_equal(rc, MRT_EAUTH);
	assert_null(open_as("nobody-here", NULL, &rc, &err));
	assert_int_equal(rc, MRT_EAUTH);
	assert_non_null(strstr(err.msg, "no mrt user named nobody-here"));

	s = open_as("carol", NULL, &rc, &err); /* the OS account is an admin */
	assert_int_equal(rc, 0);
	assert_string_equal(mrt_session_user(s), "carol");
	assert_string_equal(mrt_session_actor(s), info.admin);
	assert_false(mrt_session_has_role(s, "admin"));
	assert_int_equal(mrt_session_require(s, "admin", "user.add", &err), MRT_EACCESS);
	mrt_session_close(s);

	/* every attempt above is in an intact chain */
	admin = open_as(NULL, NULL, &rc, &err);
	struct audit_verify_result r;
	assert_int_equal(audit_svc_verify(admin, &r, &err), 0);
	assert_true(r.intact);
	assert_true(r.events >= 8);
	mrt_session_close(admin);
}

static void rolled_back_event_leaves_no_trace(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int rc;
	struct mrt_site_info info;
	assert_int_equal(mrt_site_init(NULL, db, &info, &err), 0);
	mrt_session *s = open_as(NULL, NULL, &rc, &err);
	assert_int_equal(rc, 0);
	int before = count_lines(info.anchor_path);
	struct mrt_audit_rec rec = { .action = "test.rollback" };
	assert_int_equal(mrt_db_begin(mrt_session_db(s), &err), 0);
	assert_int_equal(mrt_session_audit(s, &rec, &err), 0);
	assert_int_equal(mrt_session_audit(s, &rec, &err), 0);
	mrt_db_rollback(mrt_session_db(s));
	assert_int_equal(count_lines(info.anchor_path), before);
	assert_int_equal(mrt_db_begin(mrt_session_db(s), &err), 0);
	assert_int_equal(mrt_session_audit(s, &rec, &err), 0);
	assert_int_equal(mrt_session_audit(s, &rec, &err), 0);
	assert_int_equal(count_lines(info.anchor_path), before); /* not before commit */
	assert_int_equal(mrt_db_commit(mrt_session_db(s), &err), 0);
	assert_int_equal(count_lines(info.anchor_path), before + 2);
	struct audit_verify_result r;
	assert_int_equal(audit_svc_verify(s, &r, &err), 0);
	assert_true(r.intact);
	assert_int_equal(r.unanchored, 0);
	struct mrt_audit_rec bad = { .action = "test.bad", .outcome = "maybe" };
	assert_int_equal(mrt_session_audit(s, &bad, &err), MRT_EINVAL);
	mrt_session_close(s);
}

static void passwords_hash_and_verify(void **state)
{
	(void)state;
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	mrt_err err = { 0 };
	assert_int_equal(password_hash(h1, "s3cret-enough", &err), 0);
	assert_int_equal(password_hash(h2, "s3cret-enough", &err), 0);
	assert_string_not_equal(h1, h2); /* salted */
	assert_int_equal(password_verify(h1, "s3cret-enough"), 0);
	assert_int_equal(password_verify(h1, "s3cret-enougH"), MRT_EAUTH);
	assert_int_equal(password_verify(NULL, "x"), MRT_EAUTH);
	assert_int_equal(password_hash(h1, "short", &err), MRT_EINVAL);
}

static void roles_and_names(void **state)
{
	(void)state;
	assert_int_equal(role_bit("janitor"), 0);
	assert_int_equal(role_bit(NULL), 0);
	assert_true(role_set_has(role_bit("coder") | role_bit("privacy_officer"), "privacy_officer"));
	assert_false(role_set_has(role_bit("coder"), "admin"));
	char buf[96];
	role_set_format(buf, sizeof buf, role_bit("privacy_officer") | role_bit("admin"));
	assert_string_equal(buf, "admin,privacy_officer");
	role_set_format(buf, sizeof buf, role_all());
	assert_string_equal(buf, "admin,him_technician,coder,registrar,privacy_officer,physician,auditor,researcher");
	assert_true(user_name_valid("jane.doe@ward-3"));
	assert_false(user_name_valid(""));
	assert_false(user_name_valid("-rf"));
	assert_false(user_name_valid("a b"));
	assert_false(user_name_valid("x;drop"));
}

int main(void)
{
	mrt_err err = { 0 };
	if (mrt_hash_init(&err) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(init_makes_admin_and_key, setup, teardown),
		cmocka_unit_test_setup_teardown(init_refuses_foreign_file, setup, teardown),
		cmocka_unit_test_setup_teardown(password_users_and_act_as, setup, teardown),
		cmocka_unit_test_setup_teardown(rolled_back_event_leaves_no_trace, setup, teardown),
		cmocka_unit_test(passwords_hash_and_verify),
		cmocka_unit_test(roles_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
