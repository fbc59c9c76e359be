/*
 * Schema, migration 3, users: lockout and disabled accounts (user_svc,
 * session_auth). A user is never deleted: disabling clears app_user.active
 * and every disable, enable, lock, unlock and provider link is a
 * user_event row saying who, when and why. The lockout rule (attempts,
 * seconds) lives in meta rows an administrator may change.
 */
#include "store/migrate.h"

const char mrt_schema_users_v3[] =
	"ALTER TABLE app_user ADD COLUMN failed_count INTEGER NOT NULL DEFAULT 0"
	"  CHECK (failed_count >= 0);"
	"ALTER TABLE app_user ADD COLUMN locked_until TEXT;"
	"CREATE TABLE user_event ("
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES app_user(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('disable','enable','lock','unlock','link','unlink')),"
	"  at TEXT NOT NULL,"
	"  by_user INTEGER REFERENCES app_user(id)," /* NULL: the sign-in rule (a lock) */
	"  reason TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 1000),"
	"  provider_id INTEGER REFERENCES provider(id),"
	"  until TEXT,"
	"  CHECK (kind <> 'disable' OR reason IS NOT NULL),"
	"  CHECK (kind <> 'lock' OR until IS NOT NULL),"
	"  CHECK (kind <> 'link' OR provider_id IS NOT NULL)"
	") STRICT;"
	"CREATE INDEX user_event_user ON user_event(user_id, id);"
	"CREATE TRIGGER user_event_no_update BEFORE UPDATE ON user_event"
	"  BEGIN SELECT RAISE(ABORT, 'user_event is append-only'); END;"
	"CREATE TRIGGER user_event_no_delete BEFORE DELETE ON user_event"
	"  BEGIN SELECT RAISE(ABORT, 'user_event is append-only'); END;"
	"CREATE TRIGGER app_user_no_delete BEFORE DELETE ON app_user"
	"  BEGIN SELECT RAISE(ABORT, 'users are disabled, never deleted'); END;"
	"INSERT INTO meta(key, value) VALUES ('auth.lockout_attempts', '5');"
	"INSERT INTO meta(key, value) VALUES ('auth.lockout_seconds', '900');";
