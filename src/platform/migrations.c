/* Numbered schema migrations, applied in order by db_open() (PRAGMA user_version holds the
 * number applied). Never edit a migration that has shipped: add the next one. */

const char *const yw_migrations[] = {
	/* 1: platform, organisation, identity, audit, calendar, catalogue */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"

	/* GB/T 2260 codes; level is the service level within the city: 1 市, 2 区县, 3 乡镇(街道), 4 村(社区) */
	"CREATE TABLE regions(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
	" level INTEGER NOT NULL CHECK(level BETWEEN 1 AND 4), parent_code TEXT REFERENCES regions(code));"

	"CREATE TABLE departments(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" short_name TEXT NOT NULL DEFAULT '', uscc TEXT NOT NULL UNIQUE,"
	" region_code TEXT NOT NULL REFERENCES regions(code), phone TEXT NOT NULL DEFAULT '',"
	" address TEXT NOT NULL DEFAULT '');"

	"CREATE TABLE halls(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" region_code TEXT NOT NULL REFERENCES regions(code), address TEXT NOT NULL DEFAULT '',"
	" hours TEXT NOT NULL DEFAULT '');"

	"CREATE TABLE windows(id INTEGER PRIMARY KEY, hall_id INTEGER NOT NULL REFERENCES halls(id),"
	" number INTEGER NOT NULL, name TEXT NOT NULL, dept_id INTEGER REFERENCES departments(id),"
	" kind TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, UNIQUE(hall_id, number));"

	/* kind: staff, person (自然人), legal (法人); roles: comma-separated role names */
	"CREATE TABLE users(id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK(kind IN ('staff','person','legal')), password_hash TEXT NOT NULL,"
	" id_number TEXT, uscc TEXT, phone TEXT NOT NULL DEFAULT '',"
	" dept_id INTEGER REFERENCES departments(id), region_code TEXT REFERENCES regions(code),"
	" window_id INTEGER REFERENCES windows(id), roles TEXT NOT NULL DEFAULT '',"
	" disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);"
	"CREATE UNIQUE INDEX users_id_number ON users(id_number) WHERE id_number IS NOT NULL;"
	"CREATE UNIQUE INDEX users_uscc ON users(uscc) WHERE uscc IS NOT NULL;"

	/* Failed sign-ins, kept apart from users so throttling is not an audited state change. */
	"CREATE TABLE login_failures(username TEXT PRIMARY KEY, count INTEGER NOT NULL,"
	" locked_until INTEGER NOT NULL DEFAULT 0, last_at INTEGER NOT NULL);"

	"CREATE TABLE sessions(token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
	" csrf TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"

	"CREATE TABLE api_tokens(id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,"
	" user_id INTEGER NOT NULL REFERENCES users(id), name TEXT NOT NULL, created_at INTEGER NOT NULL,"
	" expires_at INTEGER, revoked INTEGER NOT NULL DEFAULT 0);"

	/* Hash chain: hash = SHA-256(prev_hash | id | at | actor | action | entity | entity_id | before | after) */
	"CREATE TABLE audit(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor_id INTEGER,"
	" actor TEXT NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,"
	" before TEXT, after TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE INDEX audit_entity ON audit(entity, entity_id, id);"

	"CREATE TABLE calendar_years(year INTEGER PRIMARY KEY, published INTEGER NOT NULL,"
	" source TEXT NOT NULL DEFAULT '');"
	/* kind 1 = day off (放假), 2 = make-up working day (调休上班) */
	"CREATE TABLE calendar_days(day TEXT PRIMARY KEY, kind INTEGER NOT NULL CHECK(kind IN (1,2)),"
	" note TEXT NOT NULL DEFAULT '');"

	/* An item is its 实施编码 and owning department; its content lives in versions. */
	"CREATE TABLE items(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" dept_id INTEGER NOT NULL REFERENCES departments(id), created_at INTEGER NOT NULL);"
	/* data is the item in the exchange format (docs/catalog-format.md); the columns after it are
	 * taken from data when the version is written and never change afterwards, so list pages
	 * and the search index need not parse the JSON. */
	"CREATE TABLE item_versions(id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items(id),"
	" version INTEGER NOT NULL,"
	" status TEXT NOT NULL CHECK(status IN ('draft','submitted','published','withdrawn','superseded')),"
	" data TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, level INTEGER NOT NULL,"
	" region_code TEXT NOT NULL, targets INTEGER NOT NULL, tags INTEGER NOT NULL, lists INTEGER NOT NULL,"
	" life_events INTEGER NOT NULL, handling_class INTEGER NOT NULL, promised_days INTEGER NOT NULL,"
	" visits INTEGER NOT NULL,"
	" online_depth INTEGER NOT NULL, search_text TEXT NOT NULL,"
	" created_by INTEGER REFERENCES users(id), created_at INTEGER NOT NULL, submitted_at INTEGER,"
	" published_at INTEGER, reviewed_by INTEGER REFERENCES users(id), review_note TEXT NOT NULL DEFAULT '',"
	" UNIQUE(item_id, version));"
	"CREATE UNIQUE INDEX item_versions_one_published ON item_versions(item_id) WHERE status = 'published';"
	"CREATE INDEX item_versions_status ON item_versions(status, item_id);",

	/* 2: cases (办件). A case keeps the guide version it was applied under; its history is the
	 * append-only case_events; dates of the clock are local days 'YYYY-MM-DD'. */
	"CREATE TABLE cases(id INTEGER PRIMARY KEY, case_no TEXT UNIQUE,"
	" item_id INTEGER NOT NULL REFERENCES items(id), item_version_id INTEGER NOT NULL REFERENCES item_versions(id),"
	" dept_id INTEGER NOT NULL REFERENCES departments(id), region_code TEXT NOT NULL,"
	" applicant_id INTEGER REFERENCES users(id), applicant_name TEXT NOT NULL, applicant_no TEXT NOT NULL,"
	" applicant_phone TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL CHECK(channel IN ('online','window')),"
	" agent INTEGER NOT NULL DEFAULT 0, state INTEGER NOT NULL, form TEXT NOT NULL, step INTEGER NOT NULL DEFAULT 0,"
	" created_by INTEGER REFERENCES users(id), created_at INTEGER NOT NULL, submitted_at INTEGER,"
	" accepted_at INTEGER, accepted_day TEXT, promised_day TEXT, decided_at INTEGER,"
	" decision_note TEXT NOT NULL DEFAULT '',"
	/* 特别程序 (行政许可法 §45): the day the clock stopped and the longest it may stay stopped */
	" suspended_day TEXT, suspend_limit_days INTEGER, suspended_workdays INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX cases_applicant ON cases(applicant_id, id);"
	"CREATE INDEX cases_dept_state ON cases(dept_id, state);"
	"CREATE TABLE case_events(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	" at INTEGER NOT NULL, actor_id INTEGER REFERENCES users(id), actor TEXT NOT NULL, action TEXT NOT NULL,"
	" state_from INTEGER, state_to INTEGER NOT NULL, step INTEGER, note TEXT NOT NULL DEFAULT '', data TEXT);"
	"CREATE INDEX case_events_case ON case_events(case_id, id);"
	/* Case numbers: region code + date + a serial per region and day. */
	"CREATE TABLE case_serials(prefix TEXT PRIMARY KEY, last INTEGER NOT NULL);",

	/* 3: the rest of case handling: per-step clocks, 容缺受理, 告知承诺, delivery, public
	 * verification, 并联审批 bundles, uploads, applicant profiles, electronic supervision (cards,
	 * 督办), 好差评. Days are local 'YYYY-MM-DD'; times Unix seconds. */
	"ALTER TABLE cases ADD COLUMN window_id INTEGER REFERENCES windows(id);" /* the receiving window */
	"ALTER TABLE cases ADD COLUMN accepted_by INTEGER REFERENCES users(id);"
	"ALTER TABLE cases ADD COLUMN decided_by INTEGER REFERENCES users(id);"
	"ALTER TABLE cases ADD COLUMN submitted_day TEXT;"
	"ALTER TABLE cases ADD COLUMN decided_day TEXT;"
	"ALTER TABLE cases ADD COLUMN correction_count INTEGER NOT NULL DEFAULT 0;"
	/* trips to a hall the applicant made for this case (最多跑一次 counts cases with at most one) */
	"ALTER TABLE cases ADD COLUMN visits INTEGER NOT NULL DEFAULT 0;"
	/* 容缺受理: JSON array of material names still to come; the case cannot be decided meanwhile */
	"ALTER TABLE cases ADD COLUMN pending_materials TEXT;"
	/* 告知承诺制: decided on the applicant's signed commitment; a follow-up check is due */
	"ALTER TABLE cases ADD COLUMN commitment INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN followup_due_day TEXT;"
	"ALTER TABLE cases ADD COLUMN followup_result TEXT;"
	/* 办结 delivery: pickup (窗口领取), express (邮寄, ref = tracking number), ecert (电子证照, ref = licence number) */
	"ALTER TABLE cases ADD COLUMN delivery TEXT CHECK(delivery IN ('pickup','express','ecert'));"
	"ALTER TABLE cases ADD COLUMN delivery_ref TEXT;"
	"ALTER TABLE cases ADD COLUMN delivered_at INTEGER;"
	/* random code printed in the notices' QR link to the public verification page */
	"ALTER TABLE cases ADD COLUMN verify_code TEXT;"
	/* electronic supervision signal of the case: 0 normal, 1 预警, 2 黄牌, 3 红牌 */
	"ALTER TABLE cases ADD COLUMN signal INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX cases_open ON cases(state, promised_day) WHERE state IN (1, 3, 6, 7, 9);"
	"CREATE INDEX cases_accepted_day ON cases(accepted_day);"

	/* One row per step a case went through (a returned step starts a new row). budget_days comes
	 * from the item's steps[].days; due_day is started_day + budget on the working-day calendar. */
	"CREATE TABLE case_steps(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	" step INTEGER NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, dept_id INTEGER REFERENCES departments(id),"
	" started_at INTEGER NOT NULL, started_day TEXT NOT NULL, budget_days INTEGER NOT NULL, due_day TEXT NOT NULL,"
	" suspended_workdays INTEGER NOT NULL DEFAULT 0, finished_at INTEGER, finished_day TEXT,"
	" handled_by INTEGER REFERENCES users(id), outcome TEXT, signal INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX case_steps_case ON case_steps(case_id, id);"
	"CREATE INDEX case_steps_open ON case_steps(due_day) WHERE finished_at IS NULL;"

	/* 一件事 bundles for 并联审批: one application, a lead item (牵头部门) and co-items. */
	"CREATE TABLE bundles(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	" description TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL);"
	"CREATE TABLE bundle_items(bundle_id INTEGER NOT NULL REFERENCES bundles(id),"
	" item_id INTEGER NOT NULL REFERENCES items(id), lead INTEGER NOT NULL DEFAULT 0,"
	" budget_days INTEGER NOT NULL, PRIMARY KEY(bundle_id, item_id));"
	/* A co-department's opinion on a bundle case; default_agreed is 超时默认. */
	"CREATE TABLE case_parallel(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	" item_id INTEGER NOT NULL REFERENCES items(id), dept_id INTEGER NOT NULL REFERENCES departments(id),"
	" started_day TEXT NOT NULL, budget_days INTEGER NOT NULL, due_day TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending','agreed','disagreed','default_agreed')),"
	" opinion TEXT NOT NULL DEFAULT '', decided_by INTEGER REFERENCES users(id), decided_at INTEGER,"
	" UNIQUE(case_id, item_id));"
	"ALTER TABLE cases ADD COLUMN bundle_id INTEGER REFERENCES bundles(id);"
	"CREATE INDEX case_parallel_due ON case_parallel(due_day) WHERE state = 'pending';"

	/* Uploaded files, stored once by content (var/files/ab/cdef...). */
	"CREATE TABLE files(sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, mime TEXT NOT NULL, created_at INTEGER NOT NULL);"
	"CREATE TABLE uploads(id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL REFERENCES files(sha256),"
	" name TEXT NOT NULL, owner_id INTEGER NOT NULL REFERENCES users(id), case_id INTEGER REFERENCES cases(id),"
	" material TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL);"
	"CREATE INDEX uploads_case ON uploads(case_id);"
	"CREATE INDEX uploads_owner ON uploads(owner_id, id);"

	/* 一次输入、终生受用: what an applicant typed once, offered again on the next form. */
	"CREATE TABLE profiles(user_id INTEGER PRIMARY KEY REFERENCES users(id), data TEXT NOT NULL,"
	" updated_at INTEGER NOT NULL);"

	/* Electronic supervision (电子监察). level 1 预警, 2 黄牌, 3 红牌; step -1 is the case as a
	 * whole. kind: warning, overdue, overdue_long, refuse_no_reason, repeat_correction,
	 * off_process, followup_overdue, rectify_late. Issued once per (case, step, kind). */
	"CREATE TABLE cards(id INTEGER PRIMARY KEY, case_id INTEGER REFERENCES cases(id), step INTEGER NOT NULL DEFAULT -1,"
	" level INTEGER NOT NULL CHECK(level BETWEEN 1 AND 3), kind TEXT NOT NULL, dept_id INTEGER REFERENCES departments(id),"
	" user_id INTEGER REFERENCES users(id), day TEXT NOT NULL, at INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '',"
	" review_id INTEGER, UNIQUE(case_id, step, kind), UNIQUE(review_id, kind));"
	"CREATE INDEX cards_dept_day ON cards(dept_id, day);"
	/* 督办 orders from supervisors; a department answers before due_day. */
	"CREATE TABLE supervision_orders(id INTEGER PRIMARY KEY, case_id INTEGER REFERENCES cases(id),"
	" dept_id INTEGER NOT NULL REFERENCES departments(id), title TEXT NOT NULL, content TEXT NOT NULL,"
	" due_day TEXT NOT NULL, issued_by INTEGER NOT NULL REFERENCES users(id), issued_at INTEGER NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'open' CHECK(state IN ('open','answered','closed')),"
	" answer TEXT NOT NULL DEFAULT '', answered_by INTEGER REFERENCES users(id), answered_at INTEGER,"
	" closed_at INTEGER, overdue INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX supervision_orders_dept ON supervision_orders(dept_id, state);"

	/* 好差评 per case (一事一评) or per window visit (一次一评). level is GB/T 39046's code:
	 * 1 非常满意, 2 满意, 3 基本满意, 4 不满意, 5 非常不满意. A bad review (level >= 4) is
	 * verified, rectified by rectify_due_day and called back. */
	"CREATE TABLE reviews(id INTEGER PRIMARY KEY, case_id INTEGER REFERENCES cases(id),"
	" window_id INTEGER REFERENCES windows(id), staff_id INTEGER REFERENCES users(id),"
	" dept_id INTEGER REFERENCES departments(id), item_id INTEGER REFERENCES items(id),"
	" reviewer_id INTEGER REFERENCES users(id), ticket TEXT, level INTEGER NOT NULL CHECK(level BETWEEN 1 AND 5),"
	" channel TEXT NOT NULL CHECK(channel IN ('pc','app','pad','sms','phone','kiosk','wechat')),"
	" comment TEXT NOT NULL DEFAULT '', at INTEGER NOT NULL, day TEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'closed' CHECK(status IN ('closed','verifying','appealed','rectifying','callback')),"
	" appeal_note TEXT NOT NULL DEFAULT '', genuine INTEGER, verified_by INTEGER REFERENCES users(id),"
	" rectify_due_day TEXT, rectified_at INTEGER, rectify_note TEXT NOT NULL DEFAULT '',"
	" late INTEGER NOT NULL DEFAULT 0, callback_at INTEGER, callback_note TEXT NOT NULL DEFAULT '');"
	"CREATE UNIQUE INDEX reviews_case ON reviews(case_id) WHERE case_id IS NOT NULL;"
	"CREATE INDEX reviews_day ON reviews(day);"
	"CREATE INDEX reviews_status ON reviews(status, rectify_due_day);",

	/* 4: who took each step of a bad review and when, the verifier's note and the call-back's
	 * answer (好差评). */
	"ALTER TABLE reviews ADD COLUMN appealed_by INTEGER REFERENCES users(id);"
	"ALTER TABLE reviews ADD COLUMN appealed_at INTEGER;"
	"ALTER TABLE reviews ADD COLUMN verify_note TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE reviews ADD COLUMN verified_at INTEGER;"
	"ALTER TABLE reviews ADD COLUMN rectified_by INTEGER REFERENCES users(id);"
	"ALTER TABLE reviews ADD COLUMN callback_by INTEGER REFERENCES users(id);"
	"ALTER TABLE reviews ADD COLUMN callback_satisfied INTEGER;",
	/* 5: electronic supervision. A card for an overdue 督办 order names the order (case_id stays
	 * NULL, so several orders on one case each get theirs); the 告知承诺 follow-ups still
	 * waiting for their check are found without scanning every case. */
	"ALTER TABLE cards ADD COLUMN order_id INTEGER REFERENCES supervision_orders(id);"
	"CREATE UNIQUE INDEX cards_order ON cards(order_id, kind) WHERE order_id IS NOT NULL;"
	"CREATE INDEX cases_followup ON cases(followup_due_day) WHERE followup_result IS NULL;",
	/* 6: change log for the statistics facts held in memory (src/stats): every insert or update of
	 * a case, review or card appends (table, row id), so each server process brings its facts up
	 * to date by reading the rows changed since the last sequence number it saw. tbl: 1 cases,
	 * 2 reviews, 3 cards. Trimmed by the statistics ticker job. */
	"CREATE TABLE stats_changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl INTEGER NOT NULL, row_id INTEGER NOT NULL);"
	"CREATE TRIGGER stats_cases_insert AFTER INSERT ON cases BEGIN"
	" INSERT INTO stats_changes(tbl, row_id) VALUES (1, NEW.id); END;"
	"CREATE TRIGGER stats_cases_update AFTER UPDATE OF state, channel, dept_id, item_id, item_version_id, window_id,"
	" accepted_by, submitted_at, submitted_day, accepted_day, promised_day, decided_at, decided_day, visits, signal,"
	" suspended_workdays, commitment ON cases BEGIN"
	" INSERT INTO stats_changes(tbl, row_id) VALUES (1, NEW.id); END;"
	"CREATE TRIGGER stats_reviews_insert AFTER INSERT ON reviews BEGIN"
	" INSERT INTO stats_changes(tbl, row_id) VALUES (2, NEW.id); END;"
	"CREATE TRIGGER stats_reviews_update AFTER UPDATE ON reviews BEGIN"
	" INSERT INTO stats_changes(tbl, row_id) VALUES (2, NEW.id); END;"
	"CREATE TRIGGER stats_cards_insert AFTER INSERT ON cards BEGIN"
	" INSERT INTO stats_changes(tbl, row_id) VALUES (3, NEW.id); END;"
	"CREATE TRIGGER stats_cards_update AFTER UPDATE ON cards BEGIN"
	" INSERT INTO stats_changes(tbl, row_id) VALUES (3, NEW.id); END;",
	/* 7: service hall (智能大厅, src/hall). Queues per hall and service category, with their
	 * appointment day template; the ordered queues each window serves and its state; tickets,
	 * numbered per issuing queue and local day (A001), whose ticket time (queued_at) survives a
	 * transfer; appointments per queue slot. */
	"CREATE TABLE hall_queues(id INTEGER PRIMARY KEY, hall_id INTEGER NOT NULL REFERENCES halls(id),"
	" letter TEXT NOT NULL CHECK(length(letter) = 1 AND letter BETWEEN 'A' AND 'Z'), name TEXT NOT NULL,"
	" dept_id INTEGER REFERENCES departments(id), items TEXT NOT NULL DEFAULT '[]', active INTEGER NOT NULL DEFAULT 1,"
	" slot_periods TEXT NOT NULL DEFAULT '09:00-12:00,13:00-17:00', slot_minutes INTEGER NOT NULL DEFAULT 30,"
	" slot_capacity INTEGER NOT NULL DEFAULT 0, UNIQUE(hall_id, letter));"
	/* queue_ids: the queues served, in order, as comma-separated ids; state closed, open or paused */
	"CREATE TABLE hall_windows(window_id INTEGER PRIMARY KEY REFERENCES windows(id), queue_ids TEXT NOT NULL DEFAULT '',"
	" state TEXT NOT NULL DEFAULT 'closed' CHECK(state IN ('closed','open','paused')),"
	" ticket_id INTEGER, changed_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE hall_tickets(id INTEGER PRIMARY KEY, hall_id INTEGER NOT NULL REFERENCES halls(id),"
	" queue_id INTEGER NOT NULL REFERENCES hall_queues(id), issued_queue_id INTEGER NOT NULL REFERENCES hall_queues(id),"
	" day TEXT NOT NULL, seq INTEGER NOT NULL, number TEXT NOT NULL, token TEXT NOT NULL UNIQUE,"
	" category TEXT NOT NULL CHECK(category IN ('normal','appointment','elderly','disabled','green')),"
	" source TEXT NOT NULL CHECK(source IN ('kiosk','phone','appointment')), user_id INTEGER REFERENCES users(id),"
	" state TEXT NOT NULL DEFAULT 'waiting' CHECK(state IN ('waiting','called','serving','done','no_show')),"
	" issued_at INTEGER NOT NULL, queued_at INTEGER NOT NULL, called_at INTEGER, started_at INTEGER,"
	" finished_at INTEGER, window_id INTEGER REFERENCES windows(id), staff_id INTEGER REFERENCES users(id),"
	" recalls INTEGER NOT NULL DEFAULT 0, case_id INTEGER REFERENCES cases(id), transferred INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE(issued_queue_id, day, seq));"
	"CREATE INDEX hall_tickets_waiting ON hall_tickets(queue_id, state, queued_at);"
	"CREATE INDEX hall_tickets_day ON hall_tickets(hall_id, day);"
	"CREATE INDEX hall_tickets_done ON hall_tickets(queue_id, finished_at) WHERE state = 'done';"
	"CREATE TABLE hall_appointments(id INTEGER PRIMARY KEY, queue_id INTEGER NOT NULL REFERENCES hall_queues(id),"
	" user_id INTEGER NOT NULL REFERENCES users(id), day TEXT NOT NULL, slot_start INTEGER NOT NULL,"
	" code TEXT NOT NULL UNIQUE,"
	" state TEXT NOT NULL DEFAULT 'booked' CHECK(state IN ('booked','cancelled','checked_in','no_show')),"
	" created_at INTEGER NOT NULL, ticket_id INTEGER REFERENCES hall_tickets(id));"
	"CREATE INDEX hall_appointments_slot ON hall_appointments(queue_id, slot_start, state);"
	"CREATE INDEX hall_appointments_user ON hall_appointments(user_id, slot_start);",
	/* 8: audit: a session row carries a keyed MAC (platform/audit.h audit_mac) of its fields, so a
	 * session written into the database behind the program's back is refused; sessions from
	 * before have none and end (users sign in again). */
	"ALTER TABLE sessions ADD COLUMN mac TEXT NOT NULL DEFAULT '';",

	/* 9: apply: the appointed agent of a 帮代办 application ({name, id_number, phone} as JSON),
	 * and an index for finding an applicant's open cases of an item (duplicate_policy). */
	"ALTER TABLE cases ADD COLUMN agent_info TEXT;"
	"CREATE INDEX cases_item_applicant_no ON cases(item_id, applicant_no) WHERE state IN (1, 3, 6, 7, 9);",

	/* 10: hall: registered hall devices (kiosk 取号机, board 叫号屏, pad 评价器 bound to a window),
	 * each paired once with a short-lived one-time code the hall manager creates; an appointment's
	 * short numeric check-in code, unique per day; a window rating names the ticket it rates, once
	 * (一次一评), and a case's own rating stays one per case (一事一评) beside it. */
	"CREATE TABLE hall_devices(id INTEGER PRIMARY KEY, hall_id INTEGER NOT NULL REFERENCES halls(id),"
	" kind TEXT NOT NULL CHECK(kind IN ('kiosk','board','pad')), window_id INTEGER REFERENCES windows(id),"
	" name TEXT NOT NULL, token_hash TEXT UNIQUE, pair_expires_at INTEGER,"
	" created_by INTEGER REFERENCES users(id), created_at INTEGER NOT NULL, paired_at INTEGER, revoked_at INTEGER);"
	"CREATE INDEX hall_devices_hall ON hall_devices(hall_id, kind);"
	/* kept apart from the audited row, like sessions: a six-digit code's hash in the audit trail
	 * could be reversed by whoever reads the trail; when each device was last heard from, like
	 * login_failures, is no audited decision */
	"CREATE TABLE hall_device_codes(device_id INTEGER PRIMARY KEY REFERENCES hall_devices(id),"
	" code_hash TEXT NOT NULL UNIQUE, expires_at INTEGER NOT NULL);"
	"CREATE TABLE hall_device_seen(device_id INTEGER PRIMARY KEY REFERENCES hall_devices(id), at INTEGER NOT NULL);"
	"ALTER TABLE hall_appointments ADD COLUMN checkin_code TEXT;"
	"CREATE UNIQUE INDEX hall_appointments_checkin ON hall_appointments(day, checkin_code) WHERE checkin_code IS NOT NULL;"
	"ALTER TABLE reviews ADD COLUMN ticket_id INTEGER REFERENCES hall_tickets(id);"
	"DROP INDEX reviews_case;"
	"CREATE UNIQUE INDEX reviews_case ON reviews(case_id) WHERE case_id IS NOT NULL AND ticket_id IS NULL;"
	"CREATE UNIQUE INDEX reviews_ticket ON reviews(ticket_id) WHERE ticket_id IS NOT NULL;"
	"CREATE INDEX hall_tickets_window_done ON hall_tickets(window_id, finished_at) WHERE state = 'done';",

	/* 11: auth: "known device" cookies of past successful sign-ins (exempt from the account's
	 * sign-in throttle), and indexes to end an account's sessions and tokens at once and to
	 * prune old failure rows. */
	"CREATE TABLE known_devices(token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
	" created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
	"CREATE INDEX known_devices_user ON known_devices(user_id, created_at);"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE INDEX api_tokens_user ON api_tokens(user_id);"
	"CREATE INDEX login_failures_last ON login_failures(last_at);",

	/* 12: search: search_text in weighted fields (name, result, aliases and keywords, department,
	 * materials; catalog_validate writes the same), recomputed for the versions already stored. */
	"UPDATE item_versions SET search_text = name || char(10, 31)"
	" || coalesce(json_extract(data, '$.result.name'), '') || char(10, 31)"
	" || coalesce((SELECT group_concat(value || char(10), '') FROM json_each(data, '$.aliases')), '')"
	" || coalesce((SELECT group_concat(value || char(10), '') FROM json_each(data, '$.keywords')), '')"
	" || char(31) || json_extract(data, '$.dept') || char(10, 31)"
	" || coalesce((SELECT group_concat(json_extract(value, '$.name') || char(10), '')"
	" FROM json_each(data, '$.materials')), '');",

	/* 13: cases: the applicant's open cases of an item (the duplicate warning of a submission)
	 * come oldest first, at most a few: the index ends in id so the lookup stops after them
	 * instead of sorting every open case the applicant has of the item (PostgreSQL read them all;
	 * an applicant with thousands of open cases made each submission slower). */
	"DROP INDEX cases_item_applicant_no;"
	"CREATE INDEX cases_item_applicant_no ON cases(item_id, applicant_no, id) WHERE state IN (1, 3, 6, 7, 9);",

	/* 14: disclosure (政府信息公开, docs/domain.md "Government information disclosure"). Codes are
	 * disclosure/disclosure_codes.h's; days are local 'YYYY-MM-DD'; money in fen.
	 * The category tree of 主动公开 the centre configures (init and the demo seed the usual headings,
	 * audited, in disclosure_store_seed). */
	"CREATE TABLE disclosure_categories(id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES disclosure_categories(id),"
	" code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, sort INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1);"
	/* Each organ's 索引号 rule: its code (default: the department's 统一社会信用代码) and a pattern of
	 * {organ} {category} {year} {seq}; serials count per prefix (organ, category and year). */
	"CREATE TABLE disclosure_organs(dept_id INTEGER PRIMARY KEY REFERENCES departments(id), code TEXT NOT NULL,"
	" index_rule TEXT NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE TABLE disclosure_serials(prefix TEXT PRIMARY KEY, last INTEGER NOT NULL);"
	/* A document (主动公开) is its versions: draft → review (保密审查) → published → withdrawn or
	 * superseded (by the document's next published version). A published version never changes. */
	"CREATE TABLE disclosure_documents(id INTEGER PRIMARY KEY, dept_id INTEGER NOT NULL REFERENCES departments(id),"
	" index_no TEXT UNIQUE, first_published_date TEXT, created_by INTEGER REFERENCES users(id),"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE disclosure_doc_versions(id INTEGER PRIMARY KEY,"
	" document_id INTEGER NOT NULL REFERENCES disclosure_documents(id), version INTEGER NOT NULL,"
	" state TEXT NOT NULL CHECK(state IN ('draft','review','published','withdrawn','superseded')),"
	" category_id INTEGER NOT NULL REFERENCES disclosure_categories(id), title TEXT NOT NULL,"
	" doc_no TEXT NOT NULL DEFAULT '', publisher TEXT NOT NULL, written_date TEXT, published_date TEXT,"
	" topic TEXT NOT NULL DEFAULT '', keywords TEXT NOT NULL DEFAULT '',"
	" validity TEXT NOT NULL DEFAULT 'valid' CHECK(validity IN ('valid','expired','repealed')), validity_date TEXT,"
	" kind TEXT NOT NULL DEFAULT 'other' CHECK(kind IN ('regulation','normative','other')), body TEXT NOT NULL,"
	" author_id INTEGER REFERENCES users(id), created_at INTEGER NOT NULL, submitted_at INTEGER,"
	" reviewer_id INTEGER REFERENCES users(id), reviewed_at INTEGER, review_result TEXT, review_note TEXT NOT NULL DEFAULT '',"
	" published_by INTEGER REFERENCES users(id), published_at INTEGER, ended_at INTEGER, end_reason TEXT NOT NULL DEFAULT '',"
	" UNIQUE(document_id, version));"
	"CREATE INDEX disclosure_doc_versions_state ON disclosure_doc_versions(state, published_date);"
	/* at most one published version and one version in the works (draft or review) per document */
	"CREATE UNIQUE INDEX disclosure_doc_versions_published ON disclosure_doc_versions(document_id)"
	" WHERE state = 'published';"
	"CREATE UNIQUE INDEX disclosure_doc_versions_open ON disclosure_doc_versions(document_id)"
	" WHERE state IN ('draft', 'review');"
	"CREATE TABLE disclosure_doc_files(id INTEGER PRIMARY KEY, version_id INTEGER NOT NULL"
	" REFERENCES disclosure_doc_versions(id), upload_id INTEGER NOT NULL REFERENCES uploads(id), name TEXT NOT NULL,"
	" UNIQUE(version_id, upload_id));"
	/* Requests (依申请公开) and their clock: start is the day the 20 working days count from (receipt,
	 * or receipt of the correction), paused_workdays the days not counted (third-party consultation,
	 * fee), pause_from the day an open pause began; due_date is kept current by every step. */
	"CREATE TABLE disclosure_requests(id INTEGER PRIMARY KEY, request_no TEXT NOT NULL UNIQUE,"
	" dept_id INTEGER NOT NULL REFERENCES departments(id),"
	" channel TEXT NOT NULL CHECK(channel IN ('online','letter','in_person','fax','email')),"
	" applicant_type TEXT NOT NULL CHECK(applicant_type IN ('person','company','research','nonprofit','legal','other_org')),"
	" applicant_name TEXT NOT NULL, applicant_no TEXT NOT NULL, contact_person TEXT NOT NULL DEFAULT '',"
	" phone TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',"
	" applicant_id INTEGER REFERENCES users(id), content TEXT NOT NULL, purpose TEXT NOT NULL DEFAULT '',"
	" delivery TEXT NOT NULL DEFAULT 'electronic', received_date TEXT NOT NULL,"
	" state TEXT NOT NULL CHECK(state IN ('processing','correction','consulting','fee','replied')),"
	" clock_start TEXT NOT NULL, due_date TEXT NOT NULL, extension_days INTEGER NOT NULL DEFAULT 0, extension_date TEXT,"
	" paused_workdays INTEGER NOT NULL DEFAULT 0, pause_from TEXT, signal INTEGER NOT NULL DEFAULT 0,"
	" corrections INTEGER NOT NULL DEFAULT 0, correction_due TEXT,"
	" result TEXT CHECK(result IN ('public','partial','deny_state_secret','deny_law','deny_safety','deny_third_party',"
	"'deny_internal','deny_process','deny_enforcement','deny_inquiry','unable_not_held','unable_need_create',"
	"'unable_unclear','reject_petition','reject_repeat','reject_publication','reject_mass','reject_confirm',"
	"'other_no_correction','other_no_fee','other')),"
	" reply_date TEXT, reply_note TEXT NOT NULL DEFAULT '', on_spot INTEGER NOT NULL DEFAULT 0,"
	" created_by INTEGER REFERENCES users(id), created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE INDEX disclosure_requests_dept ON disclosure_requests(dept_id, received_date);"
	"CREATE INDEX disclosure_requests_open ON disclosure_requests(state, due_date) WHERE state <> 'replied';"
	"CREATE INDEX disclosure_requests_applicant ON disclosure_requests(applicant_id, id);"
	"CREATE INDEX disclosure_requests_reply ON disclosure_requests(reply_date);"
	"CREATE TABLE disclosure_request_events(id INTEGER PRIMARY KEY,"
	" request_id INTEGER NOT NULL REFERENCES disclosure_requests(id), at INTEGER NOT NULL, day TEXT NOT NULL,"
	" actor_id INTEGER REFERENCES users(id), actor TEXT NOT NULL, action TEXT NOT NULL, state_from TEXT,"
	" state_to TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', data TEXT);"
	"CREATE INDEX disclosure_request_events_request ON disclosure_request_events(request_id, id);"
	/* 补正 notices (one per request), third-party consultations, fees (国办函〔2020〕109号: per item
	 * or per page, never both), and 行政复议 / 行政诉讼 against a request. */
	"CREATE TABLE disclosure_corrections(id INTEGER PRIMARY KEY,"
	" request_id INTEGER NOT NULL UNIQUE REFERENCES disclosure_requests(id), items TEXT NOT NULL,"
	" notice_date TEXT NOT NULL, due_date TEXT NOT NULL, received_date TEXT, content TEXT NOT NULL DEFAULT '',"
	" lapsed INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE disclosure_consultations(id INTEGER PRIMARY KEY,"
	" request_id INTEGER NOT NULL REFERENCES disclosure_requests(id), third_party TEXT NOT NULL,"
	" contact TEXT NOT NULL DEFAULT '', sent_date TEXT NOT NULL, due_date TEXT NOT NULL, answered_date TEXT,"
	" opinion TEXT CHECK(opinion IN ('agree','object','no_reply')), note TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX disclosure_consultations_request ON disclosure_consultations(request_id);"
	"CREATE TABLE disclosure_fees(id INTEGER PRIMARY KEY, request_id INTEGER NOT NULL REFERENCES disclosure_requests(id),"
	" basis TEXT NOT NULL CHECK(basis IN ('item','page')), quantity INTEGER NOT NULL, amount_fen INTEGER NOT NULL,"
	" notice_date TEXT NOT NULL, due_date TEXT NOT NULL, paid_date TEXT,"
	" state TEXT NOT NULL CHECK(state IN ('notified','paid','lapsed')));"
	"CREATE UNIQUE INDEX disclosure_fees_request ON disclosure_fees(request_id);" /* one fee per request */
	"CREATE TABLE disclosure_remedies(id INTEGER PRIMARY KEY, request_id INTEGER NOT NULL REFERENCES disclosure_requests(id),"
	" stage TEXT NOT NULL CHECK(stage IN ('reconsideration','suit_direct','suit_after')),"
	" result TEXT NOT NULL CHECK(result IN ('upheld','corrected','other','pending')), filed_date TEXT NOT NULL,"
	" decided_date TEXT, authority TEXT NOT NULL DEFAULT '', case_ref TEXT NOT NULL DEFAULT '',"
	" note TEXT NOT NULL DEFAULT '', created_by INTEGER REFERENCES users(id), created_at INTEGER NOT NULL);"
	"CREATE INDEX disclosure_remedies_request ON disclosure_remedies(request_id);"
	"CREATE INDEX disclosure_remedies_filed ON disclosure_remedies(filed_date);"
	/* Table 二's figures no module records (行政处罚, 行政强制 decisions, 行政事业性收费 in fen),
	 * entered per organ and year. */
	"CREATE TABLE disclosure_figures(id INTEGER PRIMARY KEY, dept_id INTEGER NOT NULL REFERENCES departments(id),"
	" year INTEGER NOT NULL, figure TEXT NOT NULL CHECK(figure IN ('penalty','coercion','fee_amount')),"
	" value INTEGER NOT NULL, updated_by INTEGER REFERENCES users(id), updated_at INTEGER NOT NULL,"
	" UNIQUE(dept_id, year, figure));",

	/* 15: 12345 hotline (市民诉求协同平台, src/hotline, docs/domain.md §9). The matter classification
	 * tree the centre edits; work orders (工单) from every channel, numbered 'RX' + day + serial, each
	 * with the unit it is with (a department: city departments, district and street offices,
	 * enterprises), its deadlines and the citizen's query code (only its SHA-256 is kept); the co-units
	 * of an order; every step (who, which unit, what, why, how long and against whom it counts);
	 * returns (退单) and extensions (延期) with the centre's decision; call-backs (回访), coordination
	 * meetings (会商), attachments, call-centre clients (API keys, hashed) and the call events they push.
	 * Times are Unix seconds. */
	"CREATE TABLE hotline_matters(id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES hotline_matters(id),"
	" name TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, sort INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL, UNIQUE(parent_id, name));"
	"CREATE TABLE hotline_serials(day TEXT PRIMARY KEY, last INTEGER NOT NULL);"
	"CREATE TABLE hotline_orders(id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE,"
	" channel TEXT NOT NULL CHECK(channel IN"
	" ('phone','mayor_mailbox','web','wechat','people_cn','media','open311')),"
	" source_name TEXT NOT NULL DEFAULT '',"
	" category TEXT NOT NULL CHECK(category IN ('consult','help','complaint','report','suggestion','praise')),"
	" matter_id INTEGER REFERENCES hotline_matters(id), title TEXT NOT NULL, text TEXT NOT NULL,"
	" caller_name TEXT NOT NULL DEFAULT '', caller_phone TEXT NOT NULL DEFAULT '', address TEXT NOT NULL"
	" DEFAULT '',"
	" lat REAL, lng REAL, district TEXT REFERENCES regions(code), urgent INTEGER NOT NULL DEFAULT 0,"
	" confidential INTEGER NOT NULL DEFAULT 0,"
	" state TEXT NOT NULL CHECK(state IN"
	" ('pending','dispatched','handling','returned','replied','closed','visited','merged')),"
	" unit_id INTEGER REFERENCES departments(id), limit_days INTEGER NOT NULL DEFAULT 0, limit_hours"
	" INTEGER NOT NULL DEFAULT 0,"
	" sign_due_at INTEGER, due_at INTEGER, created_by INTEGER REFERENCES users(id), created_at INTEGER NOT NULL,"
	" created_day TEXT NOT NULL, dispatched_at INTEGER, signed_at INTEGER, replied_at INTEGER, closed_at INTEGER,"
	" closed_by INTEGER REFERENCES users(id), visited_at INTEGER, direct INTEGER NOT NULL DEFAULT 0,"
	" reply TEXT NOT NULL DEFAULT '', reply_unit_id INTEGER REFERENCES departments(id),"
	" query_hash TEXT NOT NULL UNIQUE, merged_into INTEGER REFERENCES hotline_orders(id),"
	" reopen_count INTEGER NOT NULL DEFAULT 0, return_count INTEGER NOT NULL DEFAULT 0,"
	" supervise_count INTEGER NOT NULL DEFAULT 0, satisfaction TEXT CHECK(satisfaction IN"
	" ('satisfied','basic','dissatisfied')),"
	" solved INTEGER, signal INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);"
	"CREATE INDEX hotline_orders_state ON hotline_orders(state, due_at);"
	"CREATE INDEX hotline_orders_unit ON hotline_orders(unit_id, state);"
	"CREATE INDEX hotline_orders_phone ON hotline_orders(caller_phone, id);"
	"CREATE INDEX hotline_orders_created ON hotline_orders(created_at);"
	"CREATE INDEX hotline_orders_merged ON hotline_orders(merged_into) WHERE merged_into IS NOT NULL;"
	/* role lead (主办) or co (协办); a co-unit signs and gives its part (协办意见) to the lead unit */
	"CREATE TABLE hotline_order_units(order_id INTEGER NOT NULL REFERENCES hotline_orders(id),"
	" unit_id INTEGER NOT NULL REFERENCES departments(id), role TEXT NOT NULL CHECK(role IN ('lead','co')),"
	" active INTEGER NOT NULL DEFAULT 1, dispatched_at INTEGER NOT NULL, signed_at INTEGER, replied_at INTEGER,"
	" opinion TEXT NOT NULL DEFAULT '', PRIMARY KEY(order_id, unit_id));"
	"CREATE INDEX hotline_order_units_unit ON hotline_order_units(unit_id, active);"
	/* party: against whom the time since the previous step counts (centre, unit, citizen, system) */
	"CREATE TABLE hotline_steps(id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES hotline_orders(id),"
	" at INTEGER NOT NULL, actor_id INTEGER REFERENCES users(id), actor TEXT NOT NULL, unit_id INTEGER"
	" REFERENCES departments(id),"
	" action TEXT NOT NULL, state_from TEXT, state_to TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', data TEXT,"
	" elapsed INTEGER NOT NULL DEFAULT 0, party TEXT NOT NULL CHECK(party IN ('centre','unit','citizen','system')),"
	" party_unit_id INTEGER REFERENCES departments(id), overdue INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX hotline_steps_order ON hotline_steps(order_id, id);"
	"CREATE INDEX hotline_steps_party ON hotline_steps(party_unit_id, at);"
	/* 退单: the unit's reasons; the centre accepts it (and 改派) or rejects it (unjustified) */
	"CREATE TABLE hotline_returns(id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES hotline_orders(id),"
	" unit_id INTEGER NOT NULL REFERENCES departments(id), reason TEXT NOT NULL, suggested_unit_id"
	" INTEGER REFERENCES departments(id),"
	" returned_by INTEGER REFERENCES users(id), returned_at INTEGER NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending','accepted','rejected')),"
	" decided_by INTEGER REFERENCES users(id), decided_at INTEGER, decision_note TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX hotline_returns_order ON hotline_returns(order_id, id);"
	"CREATE INDEX hotline_returns_unit ON hotline_returns(unit_id, returned_at);"
	/* 延期: working days (or clock hours for an urgent order) asked by the unit, decided by the centre */
	"CREATE TABLE hotline_extensions(id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES"
	" hotline_orders(id),"
	" unit_id INTEGER NOT NULL REFERENCES departments(id), days INTEGER NOT NULL DEFAULT 0, hours"
	" INTEGER NOT NULL DEFAULT 0,"
	" reason TEXT NOT NULL, requested_by INTEGER REFERENCES users(id), requested_at INTEGER NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending','approved','refused')),"
	" decided_by INTEGER REFERENCES users(id), decided_at INTEGER, decision_note TEXT NOT NULL DEFAULT '',"
	" old_due_at INTEGER, new_due_at INTEGER);"
	"CREATE INDEX hotline_extensions_order ON hotline_extensions(order_id, id);"
	/* 回访: reached or not; satisfaction 满意 satisfied, 基本满意 basic, 不满意 dissatisfied */
	"CREATE TABLE hotline_callbacks(id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES"
	" hotline_orders(id),"
	" at INTEGER NOT NULL, by_id INTEGER REFERENCES users(id), reached INTEGER NOT NULL DEFAULT 1,"
	" satisfaction TEXT CHECK(satisfaction IN ('satisfied','basic','dissatisfied')), solved INTEGER,"
	" unit_id INTEGER REFERENCES departments(id), note TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX hotline_callbacks_order ON hotline_callbacks(order_id, id);"
	"CREATE INDEX hotline_callbacks_unit ON hotline_callbacks(unit_id, at);"
	/* 会商: units is a JSON array of department ids */
	"CREATE TABLE hotline_consultations(id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES"
	" hotline_orders(id),"
	" units TEXT NOT NULL, meeting_at INTEGER NOT NULL, place TEXT NOT NULL DEFAULT '', hard_class TEXT"
	" NOT NULL DEFAULT '',"
	" decision TEXT NOT NULL, lead_unit_id INTEGER REFERENCES departments(id), created_by INTEGER"
	" REFERENCES users(id),"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX hotline_consultations_order ON hotline_consultations(order_id);"
	"CREATE TABLE hotline_attachments(id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES"
	" hotline_orders(id),"
	" sha256 TEXT NOT NULL REFERENCES files(sha256), name TEXT NOT NULL, created_by INTEGER REFERENCES users(id),"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX hotline_attachments_order ON hotline_attachments(order_id);"
	/* systems that call the hotline's API with a key: the call centre (callcenter) and Open311 clients */
	"CREATE TABLE hotline_clients(id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK(kind IN ('callcenter','open311')), key_hash TEXT NOT NULL UNIQUE,"
	" created_at INTEGER NOT NULL, revoked_at INTEGER, UNIQUE(kind, name));"
	"CREATE TABLE hotline_call_events(id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL REFERENCES"
	" hotline_clients(id),"
	" call_id TEXT NOT NULL, caller TEXT NOT NULL, agent TEXT NOT NULL DEFAULT '', started_at INTEGER NOT NULL,"
	" ended_at INTEGER, recording_url TEXT NOT NULL DEFAULT '', order_id INTEGER REFERENCES hotline_orders(id),"
	" received_at INTEGER NOT NULL, UNIQUE(client_id, call_id));"
	"CREATE INDEX hotline_call_events_caller ON hotline_call_events(caller, started_at);",
	/* 16: hotline: a former system's closed orders (`yiwang hotline import-history`): training data of the dispatch
	 * suggestion only, never part of the loop, the rankings or the statistics. */
	"CREATE TABLE hotline_history(id INTEGER PRIMARY KEY, title TEXT NOT NULL DEFAULT '', text TEXT NOT NULL,"
	" category TEXT NOT NULL DEFAULT '', matter_id INTEGER REFERENCES hotline_matters(id),"
	" unit_id INTEGER REFERENCES departments(id), created_at INTEGER, source TEXT NOT NULL DEFAULT '',"
	" imported_at INTEGER NOT NULL);",

	/* 17: disclosure and supervision. Cards and 督办 orders on a disclosure request's clock (the
	 * card's department is the request's organ), issued once per (request, kind); and the annual
	 * report (年度报告) as the officer edited it, one per organ and year, published as a document of
	 * 主动公开 (document_id; published once that document has a published version). */
	"ALTER TABLE cards ADD COLUMN disclosure_request_id INTEGER REFERENCES disclosure_requests(id);"
	"CREATE UNIQUE INDEX cards_disclosure ON cards(disclosure_request_id, kind) WHERE disclosure_request_id IS NOT NULL;"
	"ALTER TABLE supervision_orders ADD COLUMN disclosure_request_id INTEGER REFERENCES disclosure_requests(id);"
	"CREATE TABLE disclosure_reports(id INTEGER PRIMARY KEY, dept_id INTEGER NOT NULL REFERENCES departments(id),"
	" year INTEGER NOT NULL, content TEXT NOT NULL, document_id INTEGER REFERENCES disclosure_documents(id),"
	" updated_by INTEGER REFERENCES users(id), updated_at INTEGER NOT NULL, UNIQUE(dept_id, year));",

	/* 18: the hotline's knowledge base (知识库, src/hotline/hotline_kb*, docs/domain.md §9). An article
	 * belongs to the handling unit (a department) that writes it and counts how often an answer of it
	 * closed an order (uses); its versions carry the content (matter, title, the citizen's question,
	 * the answer, keywords one per line) with the dates it is served within (effective_from,
	 * expires_on: YYYY-MM-DD, China time) and the lifecycle draft -> submitted -> published (the
	 * centre's reviewer and note), superseded by the next published version, or withdrawn. An
	 * expired article is a published one past its expires_on (not stored: it follows the clock).
	 * uses: one row per order closed on the spot (直接办结) with the article's answer. */
	"CREATE TABLE hotline_kb_articles(id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL REFERENCES departments(id),"
	" uses INTEGER NOT NULL DEFAULT 0, last_used_at INTEGER, created_by INTEGER REFERENCES users(id),"
	" created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE INDEX hotline_kb_articles_unit ON hotline_kb_articles(unit_id);"
	"CREATE TABLE hotline_kb_versions(id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES"
	" hotline_kb_articles(id), version INTEGER NOT NULL, matter_id INTEGER REFERENCES hotline_matters(id),"
	" title TEXT NOT NULL, question TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL, keywords TEXT NOT NULL"
	" DEFAULT '', effective_from TEXT NOT NULL, expires_on TEXT,"
	" state TEXT NOT NULL CHECK(state IN ('draft','submitted','published','superseded','withdrawn')),"
	" note TEXT NOT NULL DEFAULT '', created_by INTEGER REFERENCES users(id), created_at INTEGER NOT NULL,"
	" submitted_by INTEGER REFERENCES users(id), submitted_at INTEGER, reviewed_by INTEGER REFERENCES users(id),"
	" reviewed_at INTEGER, withdrawn_by INTEGER REFERENCES users(id), withdrawn_at INTEGER,"
	" UNIQUE(article_id, version));"
	"CREATE INDEX hotline_kb_versions_state ON hotline_kb_versions(state, article_id);"
	"CREATE TABLE hotline_kb_uses(id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES hotline_kb_articles(id),"
	" version_id INTEGER NOT NULL REFERENCES hotline_kb_versions(id), order_id INTEGER NOT NULL UNIQUE"
	" REFERENCES hotline_orders(id), used_by INTEGER REFERENCES users(id), used_at INTEGER NOT NULL);"
	"CREATE INDEX hotline_kb_uses_article ON hotline_kb_uses(article_id, used_at);",

	/* 19: hotline and supervision: an order's clock earns cards by the same rules as a case's (预警,
	 * 黄牌, 红牌 as its signal rises), issued once per (order, kind) to the unit it is with. */
	"ALTER TABLE cards ADD COLUMN hotline_order_id INTEGER REFERENCES hotline_orders(id);"
	"CREATE UNIQUE INDEX cards_hotline ON cards(hotline_order_id, kind) WHERE hotline_order_id IS NOT NULL;",
	/* 20: hotline statistics (src/hotline/hotline_stats*): a change log of work orders for the
	 * rankings and dashboard facts held in memory, as stats_changes is for cases: every insert or
	 * update of an order, its units, its returns and its call-backs appends the order's id; each
	 * server process reads back only the orders changed since the sequence number it saw. Trimmed
	 * by the hotline statistics job. The partial index finds the 重办 steps without a scan. */
	"CREATE TABLE hotline_stats_changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, order_id INTEGER NOT NULL);"
	"CREATE TRIGGER hotline_stats_orders_insert AFTER INSERT ON hotline_orders BEGIN"
	" INSERT INTO hotline_stats_changes(order_id) VALUES (NEW.id); END;"
	"CREATE TRIGGER hotline_stats_orders_update AFTER UPDATE OF channel, category, matter_id, title, district, urgent, state, unit_id, created_at, due_at, replied_at, closed_at, reply_unit_id, reopen_count, direct"
	" ON hotline_orders BEGIN INSERT INTO hotline_stats_changes(order_id) VALUES (NEW.id); END;"
	"CREATE TRIGGER hotline_stats_units_insert AFTER INSERT ON hotline_order_units BEGIN"
	" INSERT INTO hotline_stats_changes(order_id) VALUES (NEW.order_id); END;"
	"CREATE TRIGGER hotline_stats_units_update AFTER UPDATE ON hotline_order_units BEGIN"
	" INSERT INTO hotline_stats_changes(order_id) VALUES (NEW.order_id); END;"
	"CREATE TRIGGER hotline_stats_returns_insert AFTER INSERT ON hotline_returns BEGIN"
	" INSERT INTO hotline_stats_changes(order_id) VALUES (NEW.order_id); END;"
	"CREATE TRIGGER hotline_stats_returns_update AFTER UPDATE ON hotline_returns BEGIN"
	" INSERT INTO hotline_stats_changes(order_id) VALUES (NEW.order_id); END;"
	"CREATE TRIGGER hotline_stats_callbacks_insert AFTER INSERT ON hotline_callbacks BEGIN"
	" INSERT INTO hotline_stats_changes(order_id) VALUES (NEW.order_id); END;"
	"CREATE INDEX hotline_steps_reopen ON hotline_steps(order_id) WHERE action = 'reopen';",
	/* 21: hotline handling units and attachments (docs/domain.md §9). A department's kind: a city
	 * department (department), a district (district) or street (street) office, or an enterprise
	 * such as water, power or gas (enterprise); the hotline's unit lists and rankings group by it.
	 * An order's attachment says who gave it (party: the citizen through the public form, the
	 * centre, or a unit, unit_id) and whether it came with the unit's reply (reply 1); its content
	 * is a files row (typed by content, stored once by hash) and name the name it was given. */
	"ALTER TABLE departments ADD COLUMN kind TEXT NOT NULL DEFAULT 'department'"
	" CHECK(kind IN ('department','district','street','enterprise'));"
	"ALTER TABLE hotline_attachments ADD COLUMN party TEXT NOT NULL DEFAULT 'centre'"
	" CHECK(party IN ('citizen','centre','unit'));"
	"ALTER TABLE hotline_attachments ADD COLUMN unit_id INTEGER REFERENCES departments(id);"
	"ALTER TABLE hotline_attachments ADD COLUMN reply INTEGER NOT NULL DEFAULT 0;",
	/* 22: disclosure. The whole government's annual report (本级政府, docs/domain.md "The annual
	 * report"), one per year, stored and published as an organ's is (disclosure_reports) by the centre:
	 * its document belongs to the organ that publishes it on the government's behalf. And each organ's
	 * 政府信息公开指南 (the guide to requesting information): the office that takes requests, its
	 * address, post code, phone, fax, email and hours, and the officer's own text (notes); the rest of
	 * the guide (how to apply, fees, time limits, remedies) is generated from the rules. */
	"CREATE TABLE disclosure_gov_reports(id INTEGER PRIMARY KEY, year INTEGER NOT NULL UNIQUE, content TEXT NOT NULL,"
	" document_id INTEGER REFERENCES disclosure_documents(id), updated_by INTEGER REFERENCES users(id),"
	" updated_at INTEGER NOT NULL);"
	"CREATE TABLE disclosure_guides(dept_id INTEGER PRIMARY KEY REFERENCES departments(id), office TEXT NOT NULL DEFAULT '',"
	" address TEXT NOT NULL DEFAULT '', postcode TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',"
	" fax TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '', hours TEXT NOT NULL DEFAULT '',"
	" notes TEXT NOT NULL DEFAULT '', updated_by INTEGER REFERENCES users(id), updated_at INTEGER NOT NULL);",
	/* 23: the partial indexes on open cases take their condition as an OR chain, as cases.h
	 * CASE_OPEN_SQL writes it: SQLite builds a temporary index of a constant IN list of three or more
	 * at every evaluation, which for these indexes is every insert and state change of a case. The
	 * planner uses a partial index only for a query that repeats its condition, so the two change
	 * together; PostgreSQL reads the chain as the list, and takes the same schema. */
	"DROP INDEX cases_open;"
	"CREATE INDEX cases_open ON cases(state, promised_day)"
	" WHERE (state = 1 OR state = 3 OR state = 6 OR state = 7 OR state = 9);"
	"DROP INDEX cases_item_applicant_no;"
	"CREATE INDEX cases_item_applicant_no ON cases(item_id, applicant_no, id)"
	" WHERE (state = 1 OR state = 3 OR state = 6 OR state = 7 OR state = 9);",
};

const int yw_migration_count = (int)(sizeof yw_migrations / sizeof yw_migrations[0]);
