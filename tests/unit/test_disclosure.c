/* The disclosure request clock (disclosure_clock.h) on the working-day calendar, across the 2026
 * Spring Festival (Feb 15-23 off, Feb 14 and Feb 28 worked) and the 2025 National Day (Oct 1-8
 * off, Sep 28 and Oct 11 worked): the 20 days, the extension, the 补正 notice and its restart, a
 * consultation's pause with its 15-day limit, a fee's pause, the fee bands; and the codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <stdio.h>
#include <unistd.h>

#include "disclosure/disclosure_clock.h"
#include "disclosure/disclosure_codes.h"
#include "disclosure/disclosure_store.h"
#include "files/files.h"
#include "platform/audit.h"
#include "platform/calendar_store.h"
#include "platform/db.h"
#include "platform/err.h"

static yw_date_t d(const char *s)
{
	yw_date_t out;
	assert_int_equal(date_parse(s, strlen(s), &out), 0);
	return out;
}

static void assert_day(yw_date_t got, const char *want)
{
	char buf[11];
	date_format(got, buf);
	assert_string_equal(buf, want);
}

static yw_date_t due_of(const calendar_t *cal, disc_clock_t c, const char *today)
{
	disc_clock_eval_t e;
	assert_int_equal(disc_clock_evaluate(cal, &c, d(today), &e), 0);
	return e.due;
}

static void twenty_days(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	/* Feb 11, 12, 13, 14 (worked Saturday), then Feb 24 ... Mar 16: the festival counts for nothing */
	assert_day(due_of(cal, (disc_clock_t){.start = d("2026-02-10")}, "2026-02-10"), "2026-03-16");
	/* Sep 30 → Oct 9, 10, 11 (worked Saturday) ... the eight days off are not counted */
	assert_day(due_of(cal, (disc_clock_t){.start = d("2025-09-30")}, "2025-10-01"), "2025-11-04");
	/* the due day does not move with the day it is read on */
	assert_day(due_of(cal, (disc_clock_t){.start = d("2026-02-10")}, "2026-03-20"), "2026-03-16");
	calendar_free(cal);
}

static void extension(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	assert_day(due_of(cal, (disc_clock_t){.start = d("2026-02-10"), .extension = 20}, "2026-03-01"), "2026-04-14");
	disc_clock_eval_t e;
	disc_clock_t bad = {.start = d("2026-02-10"), .extension = 21};
	assert_int_equal(disc_clock_evaluate(cal, &bad, d("2026-02-10"), &e), YW_EINVAL);
	bad.extension = -1;
	assert_int_equal(disc_clock_evaluate(cal, &bad, d("2026-02-10"), &e), YW_EINVAL);
	calendar_free(cal);
}

static void correction(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	yw_date_t out;
	bool beyond = true;
	/* the notice within 7 working days: Sep 26, 28, 29, 30, Oct 9, 10, 11 */
	assert_int_equal(disc_correction_notice_deadline(cal, d("2025-09-25"), &out, &beyond), 0);
	assert_day(out, "2025-10-11");
	assert_false(beyond);
	/* across the Spring Festival: Feb 11, 12, 13, 14, 24, 25, 26 */
	assert_int_equal(disc_correction_notice_deadline(cal, d("2026-02-10"), &out, NULL), 0);
	assert_day(out, "2026-02-26");
	/* the time to correct: 10 working days by default after the notice */
	assert_int_equal(disc_correction_due(cal, d("2025-09-30"), DISC_CORRECTION_DEFAULT_WORKDAYS, &out, NULL), 0);
	assert_day(out, "2025-10-21");
	assert_int_equal(disc_correction_due(cal, d("2025-09-30"), 0, &out, NULL), YW_EINVAL);
	assert_int_equal(disc_correction_due(cal, d("2025-09-30"), 31, &out, NULL), YW_EINVAL);
	/* restart: received Sep 25, the corrected request on Sep 30 starts the 20 days again */
	assert_day(due_of(cal, (disc_clock_t){.start = d("2025-09-30")}, "2025-10-09"), "2025-11-04");
	calendar_free(cal);
}

static void consultation(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	yw_date_t out;
	/* the third party has 15 working days: Oct 1-8 are not among them */
	assert_int_equal(disc_consult_due(cal, d("2025-09-30"), &out, NULL), 0);
	assert_day(out, "2025-10-28");
	disc_clock_t c = {.start = d("2025-09-22"), .pause_open = true, .pause_from = d("2025-09-26"), .pause_cap = 15};
	disc_clock_eval_t e;
	/* sent Sep 26; on Oct 9 the pause has counted Sep 28, 29, 30, Oct 9 */
	assert_int_equal(disc_clock_evaluate(cal, &c, d("2025-10-09"), &e), 0);
	assert_int_equal(e.pause_now, 4);
	assert_day(e.due, "2025-10-30"); /* 24 working days after Sep 22 */
	assert_int_equal(e.signal_day, d("2025-09-26")); /* the signal stands still with the clock */
	assert_day(e.signal_due, "2025-10-24");          /* 20 working days after Sep 22, as before the pause */
	/* answered Oct 10: 5 days not counted, the clock runs again */
	int n = 0;
	assert_int_equal(disc_pause_workdays(cal, d("2025-09-26"), d("2025-10-10"), 15, &n, NULL), 0);
	assert_int_equal(n, 5);
	c.pause_open = false;
	c.paused = n;
	assert_int_equal(disc_clock_evaluate(cal, &c, d("2025-10-13"), &e), 0);
	assert_day(e.due, "2025-10-31");
	assert_int_equal(e.signal_day, d("2025-10-13"));
	/* no answer: after 15 working days the pause ends by itself and the clock runs again */
	c = (disc_clock_t){.start = d("2025-09-22"), .pause_open = true, .pause_from = d("2025-09-26"), .pause_cap = 15};
	assert_int_equal(disc_clock_evaluate(cal, &c, d("2025-11-20"), &e), 0);
	assert_int_equal(e.pause_now, 15);
	assert_day(e.due, "2025-11-14"); /* 35 working days after Sep 22 */
	assert_int_equal(e.signal_day, d("2025-11-20"));
	calendar_free(cal);
}

static void fee(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	yw_date_t out;
	/* 20 working days to pay: Feb 13, 14, then from Feb 24 */
	assert_int_equal(disc_fee_due(cal, d("2026-02-12"), &out, NULL), 0);
	assert_day(out, "2026-03-18");
	/* notice Feb 12, paid Feb 27: 6 working days (Feb 13, 14, 24, 25, 26, 27) not counted */
	int n = 0;
	assert_int_equal(disc_pause_workdays(cal, d("2026-02-12"), d("2026-02-27"), 0, &n, NULL), 0);
	assert_int_equal(n, 6);
	assert_day(due_of(cal, (disc_clock_t){.start = d("2026-02-10"), .paused = n}, "2026-03-02"), "2026-03-24");
	/* an unpaid fee keeps the clock standing without limit */
	disc_clock_t c = {.start = d("2026-02-10"), .pause_open = true, .pause_from = d("2026-02-12")};
	disc_clock_eval_t e;
	assert_int_equal(disc_clock_evaluate(cal, &c, d("2026-03-31"), &e), 0);
	assert_int_equal(e.signal_day, d("2026-02-12"));
	calendar_free(cal);
}

static void fee_bands(void **state)
{
	(void)state;
	/* per request (按件), in a month */
	assert_int_equal(disc_fee_fen(DISC_FEE_ITEM, 0, 10), 0);
	assert_int_equal(disc_fee_fen(DISC_FEE_ITEM, 10, 1), 10000);
	assert_int_equal(disc_fee_fen(DISC_FEE_ITEM, 29, 1), 10000);
	assert_int_equal(disc_fee_fen(DISC_FEE_ITEM, 30, 1), 20000);
	assert_int_equal(disc_fee_fen(DISC_FEE_ITEM, 39, 1), 20000);
	assert_int_equal(disc_fee_fen(DISC_FEE_ITEM, 40, 1), 30000);
	assert_int_equal(disc_fee_fen(DISC_FEE_ITEM, 0, 35), (20 * 100 + 5 * 200) * 100);
	/* per page (按量) */
	assert_int_equal(disc_fee_fen(DISC_FEE_PAGE, 0, 30), 0);
	assert_int_equal(disc_fee_fen(DISC_FEE_PAGE, 0, 31), 1000);
	assert_int_equal(disc_fee_fen(DISC_FEE_PAGE, 0, 100), 70000);
	assert_int_equal(disc_fee_fen(DISC_FEE_PAGE, 0, 150), (700 + 50 * 20) * 100);
	assert_int_equal(disc_fee_fen(DISC_FEE_PAGE, 0, 250), (700 + 2000 + 50 * 40) * 100);
	assert_int_equal(disc_fee_fen(DISC_FEE_PAGE, 0, 0), -1);
	assert_int_equal(disc_fee_fen(DISC_FEE_PAGE, -1, 5), -1);
	assert_int_equal(disc_fee_fen((enum disc_fee_basis)7, 0, 5), -1);
	assert_int_equal(disc_fee_fen(DISC_FEE_ITEM, 0, 100001), -1);
}

static void codes(void **state)
{
	(void)state;
	assert_int_equal(DR_COUNT, 21);
	assert_int_equal(DA_COUNT, 6);
	assert_string_equal(disc_result_code(DR_OTHER_NO_FEE), "other_no_fee");
	assert_int_equal(disc_result_find("deny_inquiry"), DR_DENY_INQUIRY);
	assert_int_equal(disc_result_find("nope"), -1);
	assert_int_equal(disc_result_find(NULL), -1);
	assert_null(disc_result_code(DR_COUNT));
	int per_group[DRG_COUNT] = {0};
	for (int r = 0; r < DR_COUNT; r++)
		per_group[disc_result_group_of(r)]++;
	/* the template's rows: 1, 1, 8, 3, 5, 3 */
	static const int want[DRG_COUNT] = {1, 1, 8, 3, 5, 3};
	for (int g = 0; g < DRG_COUNT; g++)
		assert_int_equal(per_group[g], want[g]);
	assert_string_equal(disc_applicant_type_label(DA_LEGAL), "法律服务机构");
	assert_int_equal(disc_remedy_stage_find("suit_after"), DRS_SUIT_AFTER);
	assert_int_equal(disc_remedy_result_find("pending"), DRR_PENDING);
}

static void exec_ok(db_t *db, const char *sql)
{
	if (db_exec(db, sql) != 0)
		fail_msg("%s", sql);
}

/* A document's attachments on a small database: an organ's own uploads only, kept by every
 * version, readable by the public once published; the audit trail intact after it all. */
static void attachments(void **state)
{
	(void)state;
	char path[] = "/tmp/yw-disclosure-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	db_t *db;
	assert_int_equal(db_open(path, &db), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(calendar_store_seed(db), 0);
	assert_int_equal(disclosure_store_seed(db), 0);
	exec_ok(db, "INSERT INTO regions VALUES ('430100', '长沙市', 1, NULL);"
		    "INSERT INTO departments(id, name, uscc, region_code) VALUES (1, '政务服务中心', 'U1', '430100'),"
		    " (2, '自然资源和规划局', 'U2', '430100');"
		    "INSERT INTO users(id, username, name, kind, password_hash, dept_id, region_code, roles, created_at)"
		    " VALUES (1, 'gk1', '公开一', 'staff', 'x', 1, '430100', 'disclosure_officer', 0),"
		    " (2, 'admin', '中心', 'staff', 'x', NULL, '430100', 'center_admin', 0),"
		    " (3, 'gk2', '公开二', 'staff', 'x', 2, '430100', 'disclosure_officer', 0);");
	assert_int_equal(db_commit(db), 0);
	/* the fixture's rows, as the program would have recorded them */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(audit_record(db, NULL, "test", "regions", "430100"), 0);
	for (int i = 1; i <= 2; i++)
		assert_int_equal(audit_record_id(db, NULL, "test", "departments", i), 0);
	for (int i = 1; i <= 3; i++)
		assert_int_equal(audit_record_id(db, NULL, "test", "users", i), 0);
	assert_int_equal(db_commit(db), 0);

	auth_user_t officer = {.id = 1, .name = "公开一", .kind = "staff", .roles = ROLE_DISCLOSURE_OFFICER, .dept_id = 1};
	auth_user_t other = {.id = 3, .name = "公开二", .kind = "staff", .roles = ROLE_DISCLOSURE_OFFICER, .dept_id = 2};
	auth_user_t centre = {.id = 2, .name = "中心", .kind = "staff", .roles = ROLE_CENTER_ADMIN};
	json_t *up;
	assert_int_equal(files_upload_create(db, &officer, "aa00000000000000000000000000000000000000000000000000000000000001",
					     100, "application/pdf", "附件一.pdf", &up),
			 0);
	int64_t mine = json_integer_value(json_object_get(up, "id"));
	json_decref(up);
	assert_int_equal(files_upload_create(db, &other, "aa00000000000000000000000000000000000000000000000000000000000002",
					     100, "application/pdf", "他人的.pdf", &up),
			 0);
	int64_t theirs = json_integer_value(json_object_get(up, "id"));
	json_decref(up);

	json_t *cats;
	assert_int_equal(disclosure_categories_list(db, false, &cats), 0);
	int64_t cat = json_integer_value(json_object_get(json_array_get(json_object_get(cats, "items"), 0), "id"));
	json_decref(cats);
	json_t *in = json_pack("{s:I, s:s, s:s, s:s, s:[I]}", "category_id", (json_int_t)cat, "title", "机构职能", "publisher",
			       "政务服务中心", "body", "职能如下。", "attachments", (json_int_t)theirs);
	vctx_t v = {0};
	int64_t doc = 0;
	assert_int_equal(disclosure_doc_create(db, &officer, in, &v, &doc), YW_EINVAL); /* not one's own upload */
	assert_string_equal(json_string_value(json_object_get(json_array_get(v.errors, 0), "field")), "attachments[0]");
	json_decref(v.errors);
	v.errors = NULL;
	json_array_set_new(json_object_get(in, "attachments"), 0, json_integer(mine));
	assert_int_equal(disclosure_doc_create(db, &officer, in, &v, &doc), 0);
	json_decref(in);

	char sha[65], mime[128], name[256];
	assert_int_equal(disclosure_doc_file(db, NULL, doc, mine, sha, mime, name), YW_ENOTFOUND); /* a draft's */
	assert_int_equal(disclosure_doc_file(db, &officer, doc, mine, sha, mime, name), 0);
	assert_int_equal(disclosure_doc_file(db, &other, doc, mine, sha, mime, name), YW_ENOTFOUND);
	const char *why = "";
	json_t *empty = json_object(), *pass = json_pack("{s:s}", "result", "pass");
	assert_int_equal(disclosure_doc_act(db, &officer, doc, DDS_SUBMIT, empty, &v, &why), 0);
	assert_int_equal(disclosure_doc_act(db, &officer, doc, DDS_REVIEW_STEP, pass, &v, &why), YW_EFORBIDDEN);
	assert_int_equal(disclosure_doc_act(db, &centre, doc, DDS_REVIEW_STEP, pass, &v, &why), 0);
	assert_int_equal(disclosure_doc_file(db, NULL, doc, mine, sha, mime, name), 0);
	assert_string_equal(name, "附件一.pdf");
	assert_string_equal(mime, "application/pdf");
	/* a new version keeps the attachment; the published one stays readable meanwhile */
	json_t *edit = json_pack("{s:s}", "title", "机构职能（修订）");
	assert_int_equal(disclosure_doc_edit(db, &officer, doc, edit, &v), 0);
	json_t *got;
	assert_int_equal(disclosure_doc_get(db, &officer, doc, &got), 0);
	json_t *work = json_object_get(got, "working");
	assert_int_equal(json_integer_value(json_object_get(work, "version")), 2);
	assert_int_equal(json_array_size(json_object_get(work, "attachments")), 1);
	assert_int_equal(json_array_size(json_object_get(json_object_get(got, "published"), "attachments")), 1);
	json_decref(got);
	assert_int_equal(disclosure_doc_get(db, NULL, doc, &got), 0);
	assert_true(json_is_null(json_object_get(got, "working"))); /* the public sees no draft */
	json_decref(got);
	json_decref(edit);
	json_decref(empty);
	json_decref(pass);
	FILE *devnull = fopen("/dev/null", "w");
	assert_int_equal(audit_verify(db, devnull), 0);
	fclose(devnull);
	db_close(db);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(twenty_days), cmocka_unit_test(extension), cmocka_unit_test(correction),
		cmocka_unit_test(consultation), cmocka_unit_test(fee),        cmocka_unit_test(fee_bands),
		cmocka_unit_test(codes),        cmocka_unit_test(attachments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
