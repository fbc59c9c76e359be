/*
 * The site: where a database's companions live. The site directory is
 * $MRT_HOME, else the folder holding the database; in it, named after the
 * database's own id (table meta), are the audit key
 * (.mrt-<dbid>.audit-key: 32 random bytes, mode 0600) and the append-only
 * audit anchor (.mrt-<dbid>.audit-anchor). A copy of the database placed
 * in the same site finds the same key and anchor by its id.
 */
#ifndef MRT_SERVICE_SITE_H
#define MRT_SERVICE_SITE_H

#include <limits.h>
#include <stddef.h>

#include "base/hash.h"
#include "mrt/error.h"
#include "service/session.h"

int site_dir(char *out, size_t size, const char *db_path, mrt_err *err);
int site_key_path(char *out, size_t size, const char *db_path, const char *db_id, mrt_err *err);
int site_anchor_path(char *out, size_t size, const char *db_path, const char *db_id, mrt_err *err);
/* Reads the 32-byte key; a missing or wrong-sized file is an error naming it. */
int site_key_load(unsigned char key[MRT_HMAC_KEY_LEN], const char *path, mrt_err *err);

struct mrt_site_info {
	int already;              /* the database was already initialised: nothing changed */
	char db_id[64];
	char admin[128];          /* the first administrator (the OS account) */
	char key_path[PATH_MAX];
	char anchor_path[PATH_MAX];
};

/* `mrt init`: creates the database at db_path, its audit key and anchor,
 * and the first administrator (the invoking OS account, holding every
 * role), recording the init in the audit trail. An existing file is
 * refused unless it is an initialised mrt database (then info->already is
 * set and nothing changes). On success *out (may be NULL) is the
 * administrator's session. */
int mrt_site_init(mrt_session **out, const char *db_path, struct mrt_site_info *info, mrt_err *err);

#endif
