/*
 * Schema, migration 3, patient requests: access, amendment, confidential communications, personal representatives, retention and legal holds.
 */
#include "store/migrate.h"

const char mrt_schema_requests_v3[] = "";
