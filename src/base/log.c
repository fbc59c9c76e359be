/*
 * Leveled diagnostics to stderr; see log.h for what may and may not be logged.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

static int level = -1;

static void init_level(void)
{
	const char *s = getenv("MRT_LOG");
	level = MRT_LOG_WARN;
	if (!s)
		return;
	if (strcmp(s, "debug") == 0)
		level = MRT_LOG_DEBUG;
	else if (strcmp(s, "info") == 0)
		level = MRT_LOG_INFO;
	else if (strcmp(s, "error") == 0)
		level = MRT_LOG_ERROR;
}

void mrt_log_set_level(enum mrt_log_level l)
{
	level = (int)l;
}

int mrt_log_enabled(enum mrt_log_level l)
{
	if (level < 0)
		init_level();
	return (int)l >= level;
}

void mrt_log(enum mrt_log_level l, const char *fmt, ...)
{
	static const char *names[] = { "debug", "info", "warning", "error" };
	if (!mrt_log_enabled(l))
		return;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "mrt: %s: %s\n", names[l], line);
}
