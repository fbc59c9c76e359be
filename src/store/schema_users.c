/*
 * Schema, migration 3, users: lockout and disabled accounts (user_svc, session_auth).
 */
#include "store/migrate.h"

const char mrt_schema_users_v3[] = "";
