/*
 * Error slot: a code plus one line of text. See include/mrt/error.h.
 */
#include <stdio.h>
#include <string.h>

#include "mrt/error.h"

int mrt_err_setv(mrt_err *err, int code, const char *fmt, va_list ap)
{
	if (err) {
		err->code = code;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	}
	return code;
}

int mrt_err_set(mrt_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mrt_err_setv(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int mrt_err_prefix(mrt_err *err, const char *fmt, ...)
{
	if (!err)
		return MRT_EINVAL;
	char head[MRT_ERR_MSG_MAX], old[MRT_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	char both[2 * MRT_ERR_MSG_MAX + 4];
	snprintf(both, sizeof both, "%s: %s", head, old);
	memcpy(err->msg, both, sizeof err->msg - 1);
	err->msg[sizeof err->msg - 1] = '\0';
	return err->code;
}

void mrt_err_clear(mrt_err *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}

const char *mrt_err_name(int code)
{
	switch (code) {
	case MRT_OK: return "ok";
	case MRT_ENOMEM: return "out of memory";
	case MRT_EIO: return "i/o error";
	case MRT_EINVAL: return "invalid argument";
	case MRT_EPARSE: return "parse error";
	case MRT_ENOTFOUND: return "not found";
	case MRT_EDB: return "database error";
	case MRT_EACCESS: return "access denied";
	case MRT_EEXIST: return "already exists";
	case MRT_EVERSION: return "unsupported version";
	case MRT_EAMBIG: return "ambiguous";
	case MRT_EAUTH: return "authentication failed";
	case MRT_ETAMPER: return "integrity check failed";
	default: return "error";
	}
}
