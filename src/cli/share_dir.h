/*
 * Where mrt finds its own data files (the share/ folder: the dated
 * restricted-ZIP3 lists of de-identification, share/deid/): $MRT_SHARE;
 * else <folder of the executable>/../share/mrt, the installed layout;
 * else the share/ folder of the source tree the build was configured from.
 */
#ifndef MRT_CLI_SHARE_DIR_H
#define MRT_CLI_SHARE_DIR_H

#include <stddef.h>

/* Writes the folder share/<sub> into out; returns out, or NULL when no
 * such folder is found. */
const char *cli_share_dir(char *out, size_t size, const char *sub);

#endif
