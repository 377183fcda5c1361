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
};

const int yw_migration_count = (int)(sizeof yw_migrations / sizeof yw_migrations[0]);
