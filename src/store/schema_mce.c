/*
 * Schema, code editor reference part: MCE releases (the lists of one CMS
 * "Definitions of Medicare Code Edits" version, with the dates they cover
 * and the checksum of their source) and POA-exempt lists. Reference data,
 * not patient data.
 */
#include "store/migrate.h"

const char mrt_schema_mce_v4[] = "";
