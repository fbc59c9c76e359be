/*
 * The share/ folder lookup (see share_dir.h).
 */
#include "cli/share_dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MRT_SHARE_DIR
#define MRT_SHARE_DIR ""
#endif

static int try_dir(char *out, size_t size, const char *base, const char *sub)
{
	struct stat st;
	if (!base || !*base || (size_t)snprintf(out, size, "%s/%s", base, sub) >= size)
		return 0;
	return stat(out, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_share_dir(char *out, size_t size, const char *sub)
{
	if (try_dir(out, size, getenv("MRT_SHARE"), sub))
		return out;
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash && (size_t)(slash - exe) + sizeof "/../share/mrt" <= sizeof exe) {
			memcpy(slash, "/../share/mrt", sizeof "/../share/mrt");
			if (try_dir(out, size, exe, sub))
				return out;
		}
	}
	if (try_dir(out, size, MRT_SHARE_DIR, sub))
		return out;
	return NULL;
}
