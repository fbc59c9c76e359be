/*
 * mrt public error convention: functions that can fail return 0 or a
 * negative MRT_E* code and fill a caller-provided error slot with one line
 * saying what went wrong (naming a file, line, element or field - never a
 * patient's data). Callers pass the slot up unchanged.
 */
#ifndef MRT_ERROR_H
#define MRT_ERROR_H

#include <stdarg.h>

enum {
	MRT_OK = 0,
	MRT_ENOMEM = -1,    /* allocation failed or a size cap was hit */
	MRT_EIO = -2,       /* a file could not be read or written */
	MRT_EINVAL = -3,    /* bad argument or option */
	MRT_EPARSE = -4,    /* input that cannot be read as its format */
	MRT_ENOTFOUND = -5, /* the thing asked for does not exist */
	MRT_EDB = -6,       /* the database failed */
	MRT_EACCESS = -7,   /* the session may not do this */
	MRT_EEXIST = -8,    /* already exists / duplicate */
	MRT_EVERSION = -9,  /* database or file from an unsupported version */
	MRT_EAMBIG = -10,   /* several things match; the caller must choose */
	MRT_EAUTH = -11,    /* authentication failed */
	MRT_ETAMPER = -12,  /* integrity check (audit chain) failed */
};

#define MRT_ERR_MSG_MAX 512

typedef struct mrt_err {
	int code;
	char msg[MRT_ERR_MSG_MAX];
} mrt_err;

/* Sets the slot (err may be NULL) and returns code, so callers can write
 * `return mrt_err_set(err, MRT_EPARSE, "%s:%lu: ...", file, line);`. */
int mrt_err_set(mrt_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int mrt_err_setv(mrt_err *err, int code, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Prefixes the existing message with more context ("loading X: <old>"). */
int mrt_err_prefix(mrt_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mrt_err_clear(mrt_err *err);
/* Short name of a code, e.g. "parse error". */
const char *mrt_err_name(int code);

#endif
