/*
 * SQLite backend of the store: open with WAL and foreign keys, run the
 * migrations, nested transactions, and a prepared-statement cache keyed by
 * the address of each module's static SQL string.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "base/log.h"
#include "base/str.h"
#include "store/db.h"
#include "store/migrate.h"

#define CACHE_SLOTS 1024 /* power of two */

struct mrt_stmt {
	sqlite3_stmt *st;
	const char *key; /* the caller's SQL pointer */
	mrt_db *db;
};

struct mrt_db {
	sqlite3 *h;
	char *path;
	char id[64];
	int version;
	int created;
	int depth;      /* transaction nesting */
	int doomed;     /* an inner rollback happened */
	struct {
		char name[32];
		int depth, doomed; /* at the savepoint */
	} sp[MRT_DB_MAX_SAVEPOINTS];
	int nsp;
	mrt_db_txn_hook hook;
	void *hook_ctx;
	struct mrt_stmt cache[CACHE_SLOTS];
	int cached;
};

static int db_fail(mrt_db *db, mrt_err *err, const char *what)
{
	return mrt_err_set(err, MRT_EDB, "%s: %s: %s", db->path, what, sqlite3_errmsg(db->h));
}

const char *mrt_db_path(const mrt_db *db) { return db->path; }
const char *mrt_db_id(const mrt_db *db) { return db->id; }
int mrt_db_schema_version(const mrt_db *db) { return db->version; }
int mrt_db_created(const mrt_db *db) { return db->created; }
struct sqlite3 *mrt_db_sqlite(mrt_db *db) { return db->h; }
int64_t mrt_db_last_insert_id(mrt_db *db) { return sqlite3_last_insert_rowid(db->h); }
int64_t mrt_db_changes(mrt_db *db) { return sqlite3_changes64(db->h); }
int mrt_db_in_transaction(const mrt_db *db) { return db->depth > 0; }

void mrt_db_set_txn_hook(mrt_db *db, mrt_db_txn_hook fn, void *ctx)
{
	db->hook = fn;
	db->hook_ctx = ctx;
}

static void txn_ended(mrt_db *db, int committed)
{
	if (db->hook)
		db->hook(db->hook_ctx, committed);
}

int mrt_db_exec(mrt_db *db, const char *sql, mrt_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		mrt_err_set(err, MRT_EDB, "%s: %s", db->path, msg ? msg : "exec failed");
		sqlite3_free(msg);
		return MRT_EDB;
	}
	return 0;
}

int mrt_db_set_durable(mrt_db *db, mrt_err *err)
{
	return mrt_db_exec(db, "PRAGMA synchronous=FULL;", err);
}

static int read_int(mrt_db *db, const char *sql, int *out, mrt_err *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "cannot read database header");
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, "not a readable database");
	return 0;
}

static int load_id(mrt_db *db, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, "SELECT value FROM meta WHERE key = 'db_id'", err);
	if (!st)
		return err ? err->code : MRT_EDB;
	int rc = mrt_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mrt_err_set(err, MRT_EDB, "%s: database has no id (table meta)", db->path);
	mrt_strlcpy(db->id, mrt_stmt_text(st, 0), sizeof db->id);
	mrt_stmt_reset(st);
	return 0;
}

static int setup(mrt_db *db, int flags, mrt_err *err)
{
	int rc;
	sqlite3_busy_timeout(db->h, 10000);
	sqlite3_extended_result_codes(db->h, 1);
	/* Whose file it is is settled before anything is written to it: a
	 * foreign SQLite file given as --db is refused unchanged. */
	int version = 0, tables = 0;
	if ((rc = read_int(db, "PRAGMA user_version", &version, err)) != 0)
		return rc;
	if ((rc = read_int(db, "SELECT count(*) FROM sqlite_master", &tables, err)) != 0)
		return rc;
	if (!(flags & MRT_DB_READONLY) && !(version == 0 && tables > 0) &&
	    version <= mrt_schema_latest()) {
		rc = mrt_db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", err);
		if (rc)
			return rc;
	}
	/* Temporary tables, sorts and statement journals stay in memory:
	 * patient data never lands in temp files, and savepoints are cheap. */
	rc = mrt_db_exec(db, "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;", err);
	if (rc)
		return rc;
	if (version > mrt_schema_latest())
		return mrt_err_set(err, MRT_EVERSION,
		                   "%s: database schema version %d was written by a newer mrt "
		                   "(this mrt knows up to version %d); upgrade mrt to open it",
		                   db->path, version, mrt_schema_latest());
	if (version == 0 && tables > 0)
		return mrt_err_set(err, MRT_EVERSION, "%s: not an mrt database (it has tables but no mrt schema version)",
		                   db->path);
	if (version < mrt_schema_latest()) {
		if (flags & MRT_DB_READONLY)
			return mrt_err_set(err, MRT_EVERSION, "%s: schema version %d needs migrating; open it read-write",
			                   db->path, version);
		if ((rc = mrt_migrate(db, version, err)) != 0)
			return rc;
		version = mrt_schema_latest();
	}
	db->version = version;
	return load_id(db, err);
}

int mrt_db_open(mrt_db **out, const char *path, int flags, mrt_err *err)
{
	*out = NULL;
	struct stat st;
	int exists = stat(path, &st) == 0;
	if (!exists && !(flags & MRT_DB_CREATE))
		return mrt_err_set(err, MRT_ENOTFOUND, "%s: no such database (run `mrt init` first)", path);
	mrt_db *db = calloc(1, sizeof *db);
	if (!db)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	db->path = mrt_strndup(path, strlen(path));
	db->created = !exists;
	int oflags = (flags & MRT_DB_READONLY) ? SQLITE_OPEN_READONLY
	                                       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (!db->path || sqlite3_open_v2(path, &db->h, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		mrt_err_set(err, MRT_EDB, "%s: cannot open database: %s", path,
		            db->h ? sqlite3_errmsg(db->h) : "out of memory");
		mrt_db_close(db);
		return MRT_EDB;
	}
	int rc = setup(db, flags, err);
	if (rc) {
		mrt_db_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

void mrt_db_close(mrt_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (db->cache[i].st)
			sqlite3_finalize(db->cache[i].st);
	if (db->h)
		sqlite3_close(db->h);
	free(db->path);
	free(db);
}

int mrt_db_begin(mrt_db *db, mrt_err *err)
{
	if (db->depth == 0) {
		int rc = mrt_db_exec(db, "BEGIN IMMEDIATE", err);
		if (rc)
			return rc;
		db->doomed = 0;
		db->nsp = 0;
	}
	db->depth++;
	return 0;
}

int mrt_db_commit(mrt_db *db, mrt_err *err)
{
	if (db->depth <= 0)
		return mrt_err_set(err, MRT_EDB, "commit without a transaction");
	if (--db->depth > 0)
		return 0;
	if (db->doomed) {
		mrt_db_exec(db, "ROLLBACK", NULL);
		txn_ended(db, 0);
		return mrt_err_set(err, MRT_EDB, "transaction was rolled back by an inner failure");
	}
	int rc = mrt_db_exec(db, "COMMIT", err);
	if (rc)
		mrt_db_exec(db, "ROLLBACK", NULL);
	txn_ended(db, rc == 0);
	return rc;
}

void mrt_db_rollback(mrt_db *db)
{
	if (db->depth <= 0)
		return;
	if (--db->depth > 0) {
		db->doomed = 1;
		return;
	}
	mrt_db_exec(db, "ROLLBACK", NULL);
	txn_ended(db, 0);
}

static int sp_name_ok(const char *name)
{
	size_t n = 0;
	for (; name[n]; n++) {
		char c = name[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return 0;
	}
	return n > 0 && n < 32;
}

/* The SQL for a savepoint verb and name (name checked by sp_name_ok). */
static int sp_exec(mrt_db *db, const char *verb, const char *name, mrt_err *err)
{
	char sql[64];
	snprintf(sql, sizeof sql, "%s%s", verb, name);
	return mrt_db_exec(db, sql, err);
}

/* The index of the innermost savepoint, which must be name. */
static int sp_top(mrt_db *db, const char *name, mrt_err *err)
{
	if (db->nsp == 0 || strcmp(db->sp[db->nsp - 1].name, name) != 0)
		return mrt_err_set(err, MRT_EINVAL, "savepoint %s is not the innermost one", name);
	return db->nsp - 1;
}

int mrt_db_savepoint(mrt_db *db, const char *name, mrt_err *err)
{
	if (!sp_name_ok(name))
		return mrt_err_set(err, MRT_EINVAL, "bad savepoint name");
	if (db->depth <= 0)
		return mrt_err_set(err, MRT_EINVAL, "savepoint %s outside a transaction", name);
	if (db->nsp >= MRT_DB_MAX_SAVEPOINTS)
		return mrt_err_set(err, MRT_EINVAL, "savepoints nested too deep");
	int rc = sp_exec(db, "SAVEPOINT ", name, err);
	if (rc)
		return rc;
	mrt_strlcpy(db->sp[db->nsp].name, name, sizeof db->sp[db->nsp].name);
	db->sp[db->nsp].depth = db->depth;
	db->sp[db->nsp].doomed = db->doomed;
	db->nsp++;
	return 0;
}

int mrt_db_release(mrt_db *db, const char *name, mrt_err *err)
{
	int i = sp_top(db, name, err);
	if (i < 0)
		return i;
	db->nsp--;
	return sp_exec(db, "RELEASE ", name, err);
}

int mrt_db_rollback_to(mrt_db *db, const char *name, mrt_err *err)
{
	int i = sp_top(db, name, err);
	if (i < 0)
		return i;
	db->nsp--;
	int rc = sp_exec(db, "ROLLBACK TO ", name, err);
	if (rc == 0)
		rc = sp_exec(db, "RELEASE ", name, err);
	if (rc) {
		db->doomed = 1;
		return rc;
	}
	/* Undo what happened inside: transactions begun and not ended, and
	 * the doom an inner rollback left. */
	db->depth = db->sp[i].depth;
	db->doomed = db->sp[i].doomed;
	return 0;
}

static size_t slot_of(const char *key)
{
	uintptr_t k = (uintptr_t)key;
	k ^= k >> 17;
	k *= 0x9E3779B97F4A7C15ull;
	return (size_t)(k >> 20) & (CACHE_SLOTS - 1);
}

mrt_stmt *mrt_db_stmt(mrt_db *db, const char *sql, mrt_err *err)
{
	size_t i = slot_of(sql);
	for (size_t n = 0; n < CACHE_SLOTS; n++, i = (i + 1) & (CACHE_SLOTS - 1)) {
		struct mrt_stmt *s = &db->cache[i];
		if (s->st && s->key == sql && strcmp(sqlite3_sql(s->st), sql) == 0) {
			sqlite3_reset(s->st);
			sqlite3_clear_bindings(s->st);
			return s;
		}
		if (!s->st) {
			if (db->cached >= CACHE_SLOTS * 3 / 4)
				break;
			if (sqlite3_prepare_v2(db->h, sql, -1, &s->st, NULL) != SQLITE_OK) {
				db_fail(db, err, "cannot prepare statement");
				s->st = NULL;
				return NULL;
			}
			s->key = sql;
			s->db = db;
			db->cached++;
			return s;
		}
	}
	/* The cache is full: a program bug (SQL built at run time?). */
	mrt_err_set(err, MRT_EDB, "statement cache full");
	return NULL;
}

mrt_stmt *mrt_db_stmt_texts(mrt_db *db, const char *sql, const char *const *v, int n,
                            mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	for (int i = 0; st && i < n; i++)
		mrt_stmt_bind_text(st, i + 1, v[i]);
	return st;
}

int mrt_stmt_bind_text(mrt_stmt *st, int idx, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st->st, idx) == SQLITE_OK ? 0 : MRT_EDB;
	return sqlite3_bind_text(st->st, idx, s, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : MRT_EDB;
}

int mrt_stmt_bind_textn(mrt_stmt *st, int idx, const char *s, size_t n)
{
	return sqlite3_bind_text64(st->st, idx, s, n, SQLITE_TRANSIENT, SQLITE_UTF8) == SQLITE_OK
	           ? 0 : MRT_EDB;
}

int mrt_stmt_bind_int(mrt_stmt *st, int idx, int64_t v)
{
	return sqlite3_bind_int64(st->st, idx, v) == SQLITE_OK ? 0 : MRT_EDB;
}

int mrt_stmt_bind_null(mrt_stmt *st, int idx)
{
	return sqlite3_bind_null(st->st, idx) == SQLITE_OK ? 0 : MRT_EDB;
}

int mrt_stmt_bind_blob(mrt_stmt *st, int idx, const void *p, size_t n)
{
	return sqlite3_bind_blob64(st->st, idx, p, n, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : MRT_EDB;
}

int mrt_stmt_step(mrt_stmt *st, mrt_err *err)
{
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	mrt_err_set(err, (rc & 0xff) == SQLITE_CONSTRAINT ? MRT_EEXIST : MRT_EDB, "%s: %s",
	            st->db->path, sqlite3_errmsg(st->db->h));
	sqlite3_reset(st->st);
	return err ? err->code : MRT_EDB;
}

int mrt_stmt_run(mrt_stmt *st, mrt_err *err)
{
	int rc = mrt_stmt_step(st, err);
	if (rc < 0)
		return rc;
	sqlite3_reset(st->st);
	return 0;
}

const char *mrt_stmt_text(mrt_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

int64_t mrt_stmt_int(mrt_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

int mrt_stmt_is_null(mrt_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

int mrt_stmt_is_int(mrt_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_INTEGER;
}

const void *mrt_stmt_blob(mrt_stmt *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(st->st, col);
	*len = (size_t)sqlite3_column_bytes(st->st, col);
	return p;
}

int mrt_stmt_columns(mrt_stmt *st)
{
	return sqlite3_column_count(st->st);
}

const char *mrt_stmt_column_name(mrt_stmt *st, int col)
{
	return sqlite3_column_name(st->st, col);
}

void mrt_stmt_reset(mrt_stmt *st)
{
	sqlite3_reset(st->st);
}
