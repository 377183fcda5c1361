/* Configuration: a file of `key = value` lines (docs/yiwang.conf.example lists every key),
 * then command-line options on top. Unknown keys are an error, so a typo is not ignored. */
#ifndef YW_CONFIG_H
#define YW_CONFIG_H
#include <stddef.h>

typedef struct yw_config {
	char db[512];
	char bind[64];
	int port;
	char web_dir[512];
	char vendor_dir[512];
	unsigned threads;
	unsigned timeout_s;
	unsigned per_ip_limit;
	size_t max_body;
	int quiet;
} yw_config_t;

/* Defaults, relative to the current directory (the source checkout for `make run`). */
void config_defaults(yw_config_t *c);
/* Reads path; returns 0, or a negative status after printing "FILE:LINE: reason" to stderr. */
int config_load(yw_config_t *c, const char *path);
/* Applies one key = value (also used for --key=value options). */
int config_set(yw_config_t *c, const char *key, const char *value);

#endif
