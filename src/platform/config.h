/* Configuration: a file of `key = value` lines (docs/yiwang.conf.example lists every key),
 * then command-line options on top. Unknown keys are an error, so a typo is not ignored. */
#ifndef YW_CONFIG_H
#define YW_CONFIG_H
#include <stddef.h>

typedef struct yw_config {
	char db[512]; /* the database's URL: an SQLite path ("sqlite:PATH" or PATH) or "postgresql://..." */
	/* the audit key file (审计密钥), kept apart from the database; "" = the default of
	 * config_audit_key_file() */
	char audit_key_file[512];
	char bind[64];
	int port;
	char web_dir[512];
	char vendor_dir[512];
	unsigned threads;
	unsigned timeout_s;
	unsigned per_ip_limit;
	size_t max_body;
	int quiet;
	/* uploads: folder of the content-addressed store and the largest file */
	char files_dir[512];
	size_t max_upload;
	/* largest application form (cases.form) in bytes of compact JSON */
	size_t case_form_max;
	/* electronic supervision (电子监察), in working days: 预警 when this few are left, 红牌
	 * when overdue by more than this many; a bad review's rectification period (整改时限) */
	int warn_workdays;
	int red_overdue_workdays;
	int rectify_workdays;
	/* 12345 hotline time limits (docs/domain.md §9): working days by category to answer an
	 * order (咨询, 求助, 投诉 and 举报, 建议, 表扬), working days to sign for it, clock hours for
	 * an urgent order, working days after 办结 for the call-back (回访) */
	int hotline_consult_days, hotline_help_days, hotline_complaint_days, hotline_report_days;
	int hotline_suggestion_days, hotline_praise_days, hotline_sign_days, hotline_urgent_hours;
	int hotline_callback_days;
	/* 12345 rankings: the composite score's weights (each 0-100, together 100; config_load
	 * refuses another sum) of 签收率, 按时办结率, 解决率, 满意率 and the clean rate (no 退单 / 重办) */
	int hotline_weight_sign, hotline_weight_on_time, hotline_weight_solved, hotline_weight_satisfaction;
	int hotline_weight_clean;
	/* background re-evaluation interval in seconds (at most 60) */
	unsigned tick_s;
	/* service hall (智能大厅), in minutes unless said otherwise: a normal ticket waiting this
	 * long goes first (防止久等); each priority category's head start; the appointment check-in
	 * window around the slot's start; the long-queue alert thresholds (people, minutes); the
	 * service time assumed while a queue has no history */
	int hall_starve_min;
	int hall_weight_appointment, hall_weight_elderly, hall_weight_disabled, hall_weight_green;
	int hall_checkin_before, hall_checkin_after;
	int hall_alert_waiting, hall_alert_wait_min;
	int hall_service_min;
	/* open (not yet due) appointments one applicant may hold; how long after a window finishes a
	 * ticket its rating pad may rate it, in seconds */
	int hall_max_open_bookings, hall_rating_window_s;
	/* heartbeat comment on Server-Sent Events streams, in seconds */
	unsigned sse_heartbeat_s;
	/* auth: the origin every link is built from (never the Host header), "" = http://bind:port;
	 * API tokens' longest lifetime in days; sign-in throttle: failures allowed before delays
	 * start, per account and per address, and the longest delay (seconds); anonymous writes:
	 * per-address burst and refill per minute (0 = no limit) */
	char public_origin[256];
	/* the reverse proxy (nginx) whose X-Real-IP names the client, "" = none */
	char trusted_proxy[64];
	/* Open311 GeoReport v2: the jurisdiction_id this endpoint answers to, "" = any */
	char open311_jurisdiction[64];
	int token_max_days;
	int login_free_failures, login_address_free_failures, login_max_delay_s;
	int anon_write_burst, anon_write_per_minute;

	/* connections and request bodies under attack (docs/operations.md, "Connections and
	 * bodies"): open connections in total; seconds a connection may take to send complete
	 * request headers (also the keep-alive idle time); a body's grace seconds and the least
	 * average rate it must keep after them; the body limit before sign-in; bytes of request
	 * bodies held in memory by the whole server; open event streams in total and per address */
	unsigned max_connections;
	unsigned header_timeout_s;
	unsigned body_timeout_s;
	size_t body_min_rate;
	size_t anon_max_body;
	size_t body_memory;
	unsigned sse_max_streams;
	unsigned sse_max_streams_per_ip;
} yw_config_t;

/* The configuration the program runs with (defaults until main sets it). */
const yw_config_t *config_current(void);
void config_set_current(const yw_config_t *c);

/* Defaults, relative to the current directory (the source checkout for `make run`). */
void config_defaults(yw_config_t *c);
/* Reads path; returns 0, or a negative status after printing "FILE:LINE: reason" to stderr. */
int config_load(yw_config_t *c, const char *path);
/* Applies one key = value (also used for --key=value options). */
int config_set(yw_config_t *c, const char *key, const char *value);
/* The audit key file's path: audit_key_file; else beside an SQLite database (its path +
 * ".auditkey"), or for PostgreSQL files_dir/yiwang.auditkey (docs/operations.md). */
const char *config_audit_key_file(const yw_config_t *c, char *buf, size_t size);

#endif
