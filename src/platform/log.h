/* Logging to stderr, one line per event, with the request ID when there is one. */
#ifndef YW_LOG_H
#define YW_LOG_H

void log_msg(const char *level, const char *req_id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define log_info(...) log_msg("info", NULL, __VA_ARGS__)
#define log_warn(...) log_msg("warn", NULL, __VA_ARGS__)
#define log_error(...) log_msg("error", NULL, __VA_ARGS__)
/* Set to 1 to silence info lines (benchmarks); warnings and errors always print. */
void log_set_quiet(int quiet);

#endif
