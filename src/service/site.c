/*
 * The site directory, the audit key and anchor files, and `mrt init`.
 * See site.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/date.h"
#include "base/log.h"
#include "base/str.h"
#include "privacy/roles.h"
#include "service/session_int.h"
#include "service/site.h"

int site_dir(char *out, size_t size, const char *db_path, mrt_err *err)
{
	const char *home = getenv("MRT_HOME");
	if (home && *home) {
		if (mrt_strlcpy(out, home, size) >= size)
			return mrt_err_set(err, MRT_EINVAL, "$MRT_HOME is too long");
		return 0;
	}
	char tmp[PATH_MAX];
	if (mrt_strlcpy(tmp, db_path, sizeof tmp) >= sizeof tmp)
		return mrt_err_set(err, MRT_EINVAL, "database path is too long");
	if (mrt_strlcpy(out, dirname(tmp), size) >= size)
		return mrt_err_set(err, MRT_EINVAL, "database path is too long");
	return 0;
}

static int site_file(char *out, size_t size, const char *db_path, const char *db_id,
                     const char *suffix, mrt_err *err)
{
	char dir[PATH_MAX];
	int rc = site_dir(dir, sizeof dir, db_path, err);
	if (rc)
		return rc;
	int n = snprintf(out, size, "%s/.mrt-%s.%s", dir, db_id, suffix);
	if (n < 0 || (size_t)n >= size)
		return mrt_err_set(err, MRT_EINVAL, "site directory path is too long");
	return 0;
}

int site_key_path(char *out, size_t size, const char *db_path, const char *db_id, mrt_err *err)
{
	return site_file(out, size, db_path, db_id, "audit-key", err);
}

int site_anchor_path(char *out, size_t size, const char *db_path, const char *db_id, mrt_err *err)
{
	return site_file(out, size, db_path, db_id, "audit-anchor", err);
}

int site_key_load(unsigned char key[MRT_HMAC_KEY_LEN], const char *path, mrt_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mrt_err_set(err, MRT_EIO, "%s: cannot open the audit key: %s (the key lives in the "
		                   "site directory: $MRT_HOME, else the database's folder)", path,
		                   strerror(errno));
	struct stat st;
	if (fstat(fd, &st) == 0 && (st.st_mode & 077))
		mrt_warn("%s: the audit key is readable by others (mode %03o); run chmod 600 on it", path,
		         (unsigned)(st.st_mode & 0777));
	unsigned char buf[MRT_HMAC_KEY_LEN + 1];
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	if (n != MRT_HMAC_KEY_LEN) {
		memset(buf, 0, sizeof buf);
		return mrt_err_set(err, MRT_EIO, "%s: audit key must be exactly %d bytes", path,
		                   MRT_HMAC_KEY_LEN);
	}
	memcpy(key, buf, MRT_HMAC_KEY_LEN);
	memset(buf, 0, sizeof buf);
	return 0;
}

/* Creates the key file (mode 0600, never over an existing one). */
static int key_create(const char *path, mrt_err *err)
{
	unsigned char key[MRT_HMAC_KEY_LEN];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST)
		return 0; /* a previous, interrupted init made it: keep it */
	if (fd < 0)
		return mrt_err_set(err, MRT_EIO, "%s: cannot create the audit key: %s", path,
		                   strerror(errno));
	mrt_random_bytes(key, sizeof key);
	int ok = fchmod(fd, 0600) == 0 && write(fd, key, sizeof key) == (ssize_t)sizeof key &&
	         fsync(fd) == 0;
	memset(key, 0, sizeof key);
	if (close(fd) != 0)
		ok = 0;
	if (!ok) {
		unlink(path);
		return mrt_err_set(err, MRT_EIO, "%s: cannot write the audit key: %s", path,
		                   strerror(errno));
	}
	return 0;
}

static int anchor_create(const char *path, mrt_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return mrt_err_set(err, MRT_EIO, "%s: cannot create the audit anchor: %s", path,
		                   strerror(errno));
	close(fd);
	return 0;
}

/* For an existing file: 1 = initialised mrt database, 0 = mrt database
 * without users (init completes it), < 0 = refused. */
static int check_existing(const char *path, struct mrt_site_info *info, mrt_err *err)
{
	mrt_db *db = NULL;
	mrt_err oerr = { 0 };
	if (mrt_db_open(&db, path, MRT_DB_READONLY, &oerr) != 0)
		return mrt_err_set(err, MRT_EEXIST, "%s already exists and is not an initialised mrt "
		                   "database (%s); refusing to change it", path, oerr.msg);
	mrt_strlcpy(info->db_id, mrt_db_id(db), sizeof info->db_id);
	mrt_stmt *st = mrt_db_stmt(db, "SELECT count(*) FROM app_user", err);
	int rc = st ? mrt_stmt_step(st, err) : MRT_EDB;
	int users = rc == 1 ? (int)mrt_stmt_int(st, 0) : 0;
	mrt_db_close(db);
	if (rc < 0)
		return rc;
	return users > 0;
}

static int add_first_admin(mrt_session *s, const char *os, mrt_err *err)
{
	static const char user_sql[] =
		"INSERT INTO app_user(name, os_account, full_name, created_at) VALUES (?,?,NULL,?)";
	static const char grant_sql[] =
		"INSERT INTO role_grant(user_id, role, granted_at, granted_by) VALUES (?,?,?,?)";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(s->db, user_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, os);
	mrt_stmt_bind_text(st, 2, os);
	mrt_stmt_bind_text(st, 3, now);
	int rc = mrt_stmt_run(st, err);
	if (rc)
		return rc;
	int64_t id = mrt_db_last_insert_id(s->db);
	for (int i = 0; i < ROLE_COUNT && rc == 0; i++) {
		if (!(st = mrt_db_stmt(s->db, grant_sql, err)))
			return err->code;
		mrt_stmt_bind_int(st, 1, id);
		mrt_stmt_bind_text(st, 2, role_names[i]);
		mrt_stmt_bind_text(st, 3, now);
		mrt_stmt_bind_int(st, 4, id);
		rc = mrt_stmt_run(st, err);
	}
	if (!rc)
		rc = session_set_user(s, id, os, err);
	mrt_strlcpy(s->actor, os, sizeof s->actor);
	return rc;
}

static int init_db(mrt_session **out, const char *db_path, struct mrt_site_info *info, mrt_err *err)
{
	mrt_db *db = NULL;
	mrt_session *s = NULL;
	int rc = mrt_db_open(&db, db_path, MRT_DB_CREATE, err);
	if (rc)
		return rc;
	mrt_strlcpy(info->db_id, mrt_db_id(db), sizeof info->db_id);
	if (strcmp(db_path, ":memory:") == 0) {
		/* A throw-away database (tests): its session keeps a random key in
		 * memory and no anchor. */
	} else if ((rc = site_key_path(info->key_path, sizeof info->key_path, db_path, info->db_id, err)) ||
	    (rc = site_anchor_path(info->anchor_path, sizeof info->anchor_path, db_path, info->db_id,
	                           err)) ||
	    (rc = key_create(info->key_path, err)) || (rc = anchor_create(info->anchor_path, err))) {
		mrt_db_close(db);
		return rc;
	}
	if ((rc = session_new(&s, db, "operations", err)) != 0)
		return rc;
	session_os_account(info->admin, sizeof info->admin);
	char detail[200];
	snprintf(detail, sizeof detail, "site initialised; first administrator %s", info->admin);
	struct mrt_audit_rec r = { .action = "site.init", .object_type = "database",
	                           .object_id = info->db_id, .detail = detail };
	if (!(rc = mrt_db_begin(s->db, err))) {
		rc = add_first_admin(s, info->admin, err);
		if (!rc)
			rc = mrt_session_audit(s, &r, err);
		if (rc)
			mrt_db_rollback(s->db);
		else
			rc = mrt_db_commit(s->db, err);
	}
	if (rc || !out)
		mrt_session_close(s);
	else
		*out = s;
	return rc;
}

int mrt_site_init(mrt_session **out, const char *db_path, struct mrt_site_info *info, mrt_err *err)
{
	if (out)
		*out = NULL;
	memset(info, 0, sizeof *info);
	struct stat st;
	if (strcmp(db_path, ":memory:") == 0)
		return init_db(out, db_path, info, err);
	if (stat(db_path, &st) == 0) {
		int rc = check_existing(db_path, info, err);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			info->already = 1;
			return 0;
		}
	}
	char dir[PATH_MAX];
	int rc = site_dir(dir, sizeof dir, db_path, err);
	if (rc)
		return rc;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return mrt_err_set(err, MRT_EIO, "%s: cannot create the site directory: %s", dir,
		                   strerror(errno));
	return init_db(out, db_path, info, err);
}
