/*
 * The store: one open database. Only this layer knows the backend (SQLite
 * today); modules keep their SQL as static strings and run it through the
 * prepared-statement cache here, binding every value (never building SQL from
 * input). Opening runs the numbered migrations and refuses a database made by
 * a newer mrt.
 */
#ifndef MRT_STORE_DB_H
#define MRT_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "mrt/error.h"

typedef struct mrt_db mrt_db;
typedef struct mrt_stmt mrt_stmt;

enum {
	MRT_DB_CREATE = 1,   /* create the file if missing (else: not found) */
	MRT_DB_READONLY = 2,
};

int mrt_db_open(mrt_db **out, const char *path, int flags, mrt_err *err);
void mrt_db_close(mrt_db *db);

const char *mrt_db_path(const mrt_db *db);
/* The database's own id (random, made at creation, kept in table meta). */
const char *mrt_db_id(const mrt_db *db);
int mrt_db_schema_version(const mrt_db *db);
/* 1 when this open created the database file. */
int mrt_db_created(const mrt_db *db);

/* Transactions nest: only the outermost begin/commit touch the database; a
 * rollback at any depth marks the whole transaction for rollback. */
int mrt_db_begin(mrt_db *db, mrt_err *err);
int mrt_db_commit(mrt_db *db, mrt_err *err);
void mrt_db_rollback(mrt_db *db);
int mrt_db_in_transaction(const mrt_db *db);
/* Savepoints inside an open transaction, so that one unit of a batch can
 * be undone and the batch go on. name is one of the caller's own literals
 * (letters, digits, '_'), never input. mrt_db_rollback_to undoes everything
 * since the savepoint, including nested begin/rollback inside it (an inner
 * rollback there does not doom the outer transaction), and ends the
 * savepoint; mrt_db_release keeps the work and ends it. Savepoints nest up
 * to MRT_DB_MAX_SAVEPOINTS, and end in reverse order. */
#define MRT_DB_MAX_SAVEPOINTS 8
int mrt_db_savepoint(mrt_db *db, const char *name, mrt_err *err);
int mrt_db_release(mrt_db *db, const char *name, mrt_err *err);
int mrt_db_rollback_to(mrt_db *db, const char *name, mrt_err *err);
/* Called once each time the outermost transaction ends: committed = 1 after
 * a successful COMMIT, 0 after a ROLLBACK. One hook per connection (the
 * session uses it to write the audit anchor only for committed events). */
typedef void (*mrt_db_txn_hook)(void *ctx, int committed);
void mrt_db_set_txn_hook(mrt_db *db, mrt_db_txn_hook fn, void *ctx);

/* Runs SQL with no parameters and no rows (DDL, pragmas). */
int mrt_db_exec(mrt_db *db, const char *sql, mrt_err *err);
/* Makes every later commit on this connection durable before it returns
 * (the log is synced at each commit, not only at checkpoints): for callers
 * that tell someone else a commit happened, such as the MLLP listener. */
int mrt_db_set_durable(mrt_db *db, mrt_err *err);

/* Returns a cached prepared statement for sql (keyed by the pointer and the
 * text), reset and with bindings cleared. Borrowed: do not finalize. */
mrt_stmt *mrt_db_stmt(mrt_db *db, const char *sql, mrt_err *err);

/* mrt_db_stmt with the texts v[0..n-1] bound to ?1..?n (NULL binds NULL). */
mrt_stmt *mrt_db_stmt_texts(mrt_db *db, const char *sql, const char *const *v, int n,
                            mrt_err *err);

int mrt_stmt_bind_text(mrt_stmt *st, int idx, const char *s);   /* NULL binds NULL */
int mrt_stmt_bind_textn(mrt_stmt *st, int idx, const char *s, size_t n);
int mrt_stmt_bind_int(mrt_stmt *st, int idx, int64_t v);
int mrt_stmt_bind_null(mrt_stmt *st, int idx);
int mrt_stmt_bind_blob(mrt_stmt *st, int idx, const void *p, size_t n);
/* 1 = a row is ready, 0 = done, < 0 = error (message in err). */
int mrt_stmt_step(mrt_stmt *st, mrt_err *err);
/* Steps a statement that returns no rows; 0 or error. */
int mrt_stmt_run(mrt_stmt *st, mrt_err *err);
const char *mrt_stmt_text(mrt_stmt *st, int col); /* NULL for SQL NULL */
int64_t mrt_stmt_int(mrt_stmt *st, int col);
int mrt_stmt_is_null(mrt_stmt *st, int col);
/* 1 when the column's value is an integer. */
int mrt_stmt_is_int(mrt_stmt *st, int col);
const void *mrt_stmt_blob(mrt_stmt *st, int col, size_t *len);
int mrt_stmt_columns(mrt_stmt *st);
const char *mrt_stmt_column_name(mrt_stmt *st, int col);
void mrt_stmt_reset(mrt_stmt *st);

int64_t mrt_db_last_insert_id(mrt_db *db);
int64_t mrt_db_changes(mrt_db *db);

/* Escape hatch for the store's own tests and tools: the SQLite handle. */
struct sqlite3 *mrt_db_sqlite(mrt_db *db);

#endif
