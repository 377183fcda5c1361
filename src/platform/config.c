/* See config.h. */
#include "platform/config.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/db.h"
#include "platform/err.h"

void config_defaults(yw_config_t *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->db, sizeof c->db, "var/yiwang.db");
	snprintf(c->bind, sizeof c->bind, "127.0.0.1");
	c->port = 8080;
	snprintf(c->web_dir, sizeof c->web_dir, "web");
	snprintf(c->vendor_dir, sizeof c->vendor_dir, "node_modules");
	c->timeout_s = 30;
	c->per_ip_limit = 256;
	c->max_body = 8u << 20;
	snprintf(c->files_dir, sizeof c->files_dir, "var/files");
	c->max_upload = 20u << 20;
	c->case_form_max = 64u << 10;
	c->warn_workdays = 2;
	c->red_overdue_workdays = 3;
	c->rectify_workdays = 5;
	c->hotline_consult_days = 2;
	c->hotline_help_days = 5;
	c->hotline_complaint_days = 10;
	c->hotline_report_days = 10;
	c->hotline_suggestion_days = 10;
	c->hotline_praise_days = 5;
	c->hotline_sign_days = 1;
	c->hotline_urgent_hours = 2;
	c->hotline_callback_days = 3;
	c->hotline_weight_sign = 15;
	c->hotline_weight_on_time = 25;
	c->hotline_weight_solved = 20;
	c->hotline_weight_satisfaction = 30;
	c->hotline_weight_clean = 10;
	c->tick_s = 60;
	c->hall_starve_min = 20;
	c->hall_weight_appointment = 15;
	c->hall_weight_elderly = 10;
	c->hall_weight_disabled = 10;
	c->hall_weight_green = 30;
	c->hall_checkin_before = 30;
	c->hall_checkin_after = 15;
	c->hall_alert_waiting = 30;
	c->hall_alert_wait_min = 30;
	c->hall_service_min = 6;
	c->hall_max_open_bookings = 3;
	c->hall_rating_window_s = 300;
	c->sse_heartbeat_s = 15;
	c->token_max_days = 90;
	c->login_free_failures = 3;
	c->login_address_free_failures = 10;
	c->login_max_delay_s = 900;
	c->anon_write_burst = 120;
	c->anon_write_per_minute = 120;

	c->max_connections = 20000;
	c->header_timeout_s = 10;
	c->body_timeout_s = 10;
	c->body_min_rate = 4u << 10;
	c->anon_max_body = 16u << 10;
	c->body_memory = 64u << 20;
	c->sse_max_streams = 6000;
	c->sse_max_streams_per_ip = 20;
}

static yw_config_t g_current;
static int g_current_set;

const yw_config_t *config_current(void)
{
	if (!g_current_set) {
		config_defaults(&g_current);
		g_current_set = 1;
	}
	return &g_current;
}

void config_set_current(const yw_config_t *c)
{
	g_current = *c;
	g_current_set = 1;
}

static int parse_uint(const char *v, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (errno || end == v || *end || n > max || *v == '-')
		return YW_EINVAL;
	*out = n;
	return 0;
}

int config_set(yw_config_t *c, const char *key, const char *v)
{
	unsigned long n;
	if (strcmp(key, "db") == 0)
		return snprintf(c->db, sizeof c->db, "%s", v) < (int)sizeof c->db ? 0 : YW_EINVAL;
	if (strcmp(key, "audit_key_file") == 0)
		return snprintf(c->audit_key_file, sizeof c->audit_key_file, "%s", v) < (int)sizeof c->audit_key_file
			       ? 0
			       : YW_EINVAL;
	if (strcmp(key, "bind") == 0)
		return snprintf(c->bind, sizeof c->bind, "%s", v) < (int)sizeof c->bind ? 0 : YW_EINVAL;
	if (strcmp(key, "web_dir") == 0)
		return snprintf(c->web_dir, sizeof c->web_dir, "%s", v) < (int)sizeof c->web_dir ? 0 : YW_EINVAL;
	if (strcmp(key, "vendor_dir") == 0)
		return snprintf(c->vendor_dir, sizeof c->vendor_dir, "%s", v) < (int)sizeof c->vendor_dir ? 0 : YW_EINVAL;
	if (strcmp(key, "port") == 0) {
		if (parse_uint(v, 65535, &n))
			return YW_EINVAL;
		c->port = (int)n;
		return 0;
	}
	if (strcmp(key, "threads") == 0) {
		if (parse_uint(v, 256, &n))
			return YW_EINVAL;
		c->threads = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "timeout") == 0) {
		if (parse_uint(v, 3600, &n) || n == 0)
			return YW_EINVAL;
		c->timeout_s = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "per_ip_limit") == 0) {
		if (parse_uint(v, 100000, &n) || n == 0)
			return YW_EINVAL;
		c->per_ip_limit = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "max_body_kb") == 0) {
		if (parse_uint(v, 1 << 20, &n) || n == 0)
			return YW_EINVAL;
		c->max_body = (size_t)n * 1024;
		return 0;
	}
	if (strcmp(key, "files_dir") == 0)
		return snprintf(c->files_dir, sizeof c->files_dir, "%s", v) < (int)sizeof c->files_dir ? 0 : YW_EINVAL;
	if (strcmp(key, "max_upload_kb") == 0) {
		if (parse_uint(v, 1 << 21, &n) || n == 0)
			return YW_EINVAL;
		c->max_upload = (size_t)n * 1024;
		return 0;
	}
	if (strcmp(key, "case_form_max_kb") == 0) {
		if (parse_uint(v, 1024, &n) || n == 0)
			return YW_EINVAL;
		c->case_form_max = (size_t)n * 1024;
		return 0;
	}
	int *days = strcmp(key, "warn_workdays") == 0	       ? &c->warn_workdays
		    : strcmp(key, "red_overdue_workdays") == 0 ? &c->red_overdue_workdays
		    : strcmp(key, "rectify_workdays") == 0     ? &c->rectify_workdays
		    : strcmp(key, "hotline_consult_days") == 0 ? &c->hotline_consult_days
		    : strcmp(key, "hotline_help_days") == 0 ? &c->hotline_help_days
		    : strcmp(key, "hotline_complaint_days") == 0 ? &c->hotline_complaint_days
		    : strcmp(key, "hotline_report_days") == 0 ? &c->hotline_report_days
		    : strcmp(key, "hotline_suggestion_days") == 0 ? &c->hotline_suggestion_days
		    : strcmp(key, "hotline_praise_days") == 0 ? &c->hotline_praise_days
		    : strcmp(key, "hotline_sign_days") == 0 ? &c->hotline_sign_days
		    : strcmp(key, "hotline_urgent_hours") == 0 ? &c->hotline_urgent_hours
		    : strcmp(key, "hotline_callback_days") == 0 ? &c->hotline_callback_days
							       : NULL;
	if (days) {
		/* a time limit of 0 would make every order overdue at once */
		if (parse_uint(v, 60, &n) || (n == 0 && strncmp(key, "hotline_", 8) == 0))
			return YW_EINVAL;
		*days = (int)n;
		return 0;
	}
	int *weight = strcmp(key, "hotline_weight_sign") == 0		? &c->hotline_weight_sign
		      : strcmp(key, "hotline_weight_on_time") == 0	? &c->hotline_weight_on_time
		      : strcmp(key, "hotline_weight_solved") == 0	? &c->hotline_weight_solved
		      : strcmp(key, "hotline_weight_satisfaction") == 0 ? &c->hotline_weight_satisfaction
		      : strcmp(key, "hotline_weight_clean") == 0	? &c->hotline_weight_clean
									: NULL;
	if (weight) {
		if (parse_uint(v, 100, &n))
			return YW_EINVAL;
		*weight = (int)n;
		return 0;
	}
	int *hall = strcmp(key, "hall_starve_minutes") == 0		? &c->hall_starve_min
		    : strcmp(key, "hall_weight_appointment") == 0	? &c->hall_weight_appointment
		    : strcmp(key, "hall_weight_elderly") == 0		? &c->hall_weight_elderly
		    : strcmp(key, "hall_weight_disabled") == 0		? &c->hall_weight_disabled
		    : strcmp(key, "hall_weight_green") == 0		? &c->hall_weight_green
		    : strcmp(key, "hall_checkin_before_minutes") == 0	? &c->hall_checkin_before
		    : strcmp(key, "hall_checkin_after_minutes") == 0	? &c->hall_checkin_after
		    : strcmp(key, "hall_alert_waiting") == 0		? &c->hall_alert_waiting
		    : strcmp(key, "hall_alert_wait_minutes") == 0	? &c->hall_alert_wait_min
		    : strcmp(key, "hall_service_minutes") == 0		? &c->hall_service_min
		    : strcmp(key, "hall_max_open_bookings") == 0	? &c->hall_max_open_bookings
		    : strcmp(key, "hall_rating_window_seconds") == 0	? &c->hall_rating_window_s
									: NULL;
	if (hall) {
		if (parse_uint(v, 1440, &n))
			return YW_EINVAL;
		*hall = (int)n;
		return 0;
	}
	if (strcmp(key, "tick_seconds") == 0) {
		if (parse_uint(v, 60, &n) || n == 0)
			return YW_EINVAL;
		c->tick_s = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "sse_heartbeat_seconds") == 0) {
		if (parse_uint(v, 300, &n) || n == 0)
			return YW_EINVAL;
		c->sse_heartbeat_s = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "public_origin") == 0) {
		/* scheme://host[:port] with nothing after it: links append their own path */
		size_t len = strlen(v);
		while (len && v[len - 1] == '/')
			len--;
		bool http = strncmp(v, "http://", 7) == 0, https = strncmp(v, "https://", 8) == 0;
		size_t host = http ? 7 : 8;
		if ((!http && !https) || len <= host || len >= sizeof c->public_origin ||
		    strspn(v + host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") < len - host)
			return YW_EINVAL;
		snprintf(c->public_origin, sizeof c->public_origin, "%.*s", (int)len, v);
		return 0;
	}
	if (strcmp(key, "open311_jurisdiction") == 0) {
		if (strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") != strlen(v))
			return YW_EINVAL;
		return snprintf(c->open311_jurisdiction, sizeof c->open311_jurisdiction, "%s", v) <
				       (int)sizeof c->open311_jurisdiction
			       ? 0
			       : YW_EINVAL;
	}
	if (strcmp(key, "trusted_proxy") == 0) {
		if (strspn(v, "0123456789abcdefABCDEF.:") != strlen(v))
			return YW_EINVAL;
		return snprintf(c->trusted_proxy, sizeof c->trusted_proxy, "%s", v) < (int)sizeof c->trusted_proxy ? 0
															 : YW_EINVAL;
	}
	int *auth = strcmp(key, "token_max_days") == 0		       ? &c->token_max_days
		    : strcmp(key, "login_free_failures") == 0	       ? &c->login_free_failures
		    : strcmp(key, "login_address_free_failures") == 0 ? &c->login_address_free_failures
		    : strcmp(key, "login_max_delay_seconds") == 0     ? &c->login_max_delay_s
		    : strcmp(key, "anon_write_burst") == 0	       ? &c->anon_write_burst
		    : strcmp(key, "anon_write_per_minute") == 0       ? &c->anon_write_per_minute
								       : NULL;
	if (auth) {
		if (parse_uint(v, 100000, &n))
			return YW_EINVAL;
		if (n == 0 && (auth == &c->token_max_days || auth == &c->login_free_failures ||
			       auth == &c->login_address_free_failures || auth == &c->login_max_delay_s))
			return YW_EINVAL;
		*auth = (int)n;
		return 0;
	}

	/* connections and bodies: each key names its unit */
	unsigned *net = strcmp(key, "max_connections") == 0	    ? &c->max_connections
			: strcmp(key, "header_timeout") == 0	    ? &c->header_timeout_s
			: strcmp(key, "body_timeout") == 0	    ? &c->body_timeout_s
			: strcmp(key, "sse_max_streams") == 0	    ? &c->sse_max_streams
			: strcmp(key, "sse_max_streams_per_ip") == 0 ? &c->sse_max_streams_per_ip
								    : NULL;
	if (net) {
		if (parse_uint(v, 1000000, &n) || n == 0)
			return YW_EINVAL;
		*net = (unsigned)n;
		return 0;
	}
	size_t *kb = strcmp(key, "body_min_rate_kb") == 0    ? &c->body_min_rate
		     : strcmp(key, "anon_max_body_kb") == 0 ? &c->anon_max_body
		     : strcmp(key, "body_memory_kb") == 0   ? &c->body_memory
							    : NULL;
	if (kb) {
		if (parse_uint(v, 1 << 22, &n) || n == 0)
			return YW_EINVAL;
		*kb = (size_t)n * 1024;
		return 0;
	}
	if (strcmp(key, "quiet") == 0) {
		c->quiet = strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0;
		return 0;
	}
	return YW_ENOTFOUND;
}

const char *config_audit_key_file(const yw_config_t *c, char *buf, size_t size)
{
	if (*c->audit_key_file)
		snprintf(buf, size, "%s", c->audit_key_file);
	else if (db_url_engine(c->db) == DB_POSTGRES)
		/* no file beside a server database: the folder the city's servers share for uploads */
		snprintf(buf, size, "%s/yiwang.auditkey", c->files_dir);
	else
		snprintf(buf, size, "%s.auditkey", strncmp(c->db, "sqlite:", 7) == 0 ? c->db + 7 : c->db);
	return buf;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

int config_load(yw_config_t *c, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return YW_EIO;
	}
	char line[1024];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			fprintf(stderr, "%s:%d: expected key = value\n", path, lineno);
			rc = YW_EINVAL;
			break;
		}
		*eq = 0;
		int r = config_set(c, trim(s), trim(eq + 1));
		if (r) {
			fprintf(stderr, "%s:%d: %s '%s'\n", path, lineno, r == YW_ENOTFOUND ? "unknown key" : "bad value for",
				trim(s));
			rc = YW_EINVAL;
			break;
		}
	}
	fclose(f);
	int wsum = c->hotline_weight_sign + c->hotline_weight_on_time + c->hotline_weight_solved +
		   c->hotline_weight_satisfaction + c->hotline_weight_clean;
	if (!rc && wsum != 100) {
		/* the rankings' composite score is a weighted mean in per cent (docs/api.md "Hotline statistics") */
		fprintf(stderr,
			"%s: hotline_weight_sign, _on_time, _solved, _satisfaction and _clean must add up to 100 "
			"(they add up to %d)\n",
			path, wsum);
		rc = YW_EINVAL;
	}
	return rc;
}
