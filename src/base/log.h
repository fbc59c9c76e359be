/*
 * Diagnostics to stderr. Log lines name files, lines, elements, fields,
 * counts and internal ids - never a patient's data (names, numbers, dates,
 * codes of a chart). $MRT_LOG=debug|info|warn|error sets the level
 * (default warn).
 */
#ifndef MRT_BASE_LOG_H
#define MRT_BASE_LOG_H

enum mrt_log_level { MRT_LOG_DEBUG, MRT_LOG_INFO, MRT_LOG_WARN, MRT_LOG_ERROR };

void mrt_log(enum mrt_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mrt_log_set_level(enum mrt_log_level level);
int mrt_log_enabled(enum mrt_log_level level);

#define mrt_debug(...) mrt_log(MRT_LOG_DEBUG, __VA_ARGS__)
#define mrt_info(...) mrt_log(MRT_LOG_INFO, __VA_ARGS__)
#define mrt_warn(...) mrt_log(MRT_LOG_WARN, __VA_ARGS__)

#endif
