/* The change-log follower (changelog.h): the snapshot's transactions in progress, the refresh and
 * the trim, for any module's log. The statements are the module's (changelog_ops_t). */
#include <stdlib.h>
#include <string.h>

#include "platform/changelog.h"
#include "platform/err.h"
#include "platform/writer.h"

/* A snapshot's transactions in progress, from PostgreSQL's text "xmin:xmax:xid,xid,...". */
typedef struct {
	int64_t xip[CHANGELOG_PENDING_MAX];
	int n;
	bool overflow; /* more than CHANGELOG_PENDING_MAX: the facts are loaded afresh next time */
} snap_t;

static void snap_parse(const char *text, snap_t *sn)
{
	sn->n = 0;
	sn->overflow = false;
	const char *p = strchr(text, ':');
	p = p ? strchr(p + 1, ':') : NULL;
	if (!p)
		return; /* SQLite: no snapshot */
	p++;
	while (*p) {
		char *end;
		long long x = strtoll(p, &end, 10);
		if (end == p)
			break;
		if (sn->n == CHANGELOG_PENDING_MAX) {
			sn->overflow = true;
			break;
		}
		sn->xip[sn->n++] = x;
		p = *end == ',' ? end + 1 : end;
	}
}

static bool snap_has(const snap_t *sn, int64_t xid)
{
	for (int i = 0; i < sn->n; i++)
		if (sn->xip[i] == xid)
			return true;
	return false;
}

/* A pending transaction has ended since the last refresh (read-locked or write-locked). */
static bool pending_ended(const changelog_t *cl, const snap_t *sn)
{
	for (int i = 0; i < cl->npending; i++)
		if (!snap_has(sn, cl->pending[i].xid))
			return true;
	return false;
}

/* The transactions in progress now become the pending ones; those that were pending already keep
 * their floor, the others get old_seen (0 after a full load). Write-locked. */
static void pending_set(changelog_t *cl, const snap_t *sn, int64_t old_seen)
{
	static int64_t floors[CHANGELOG_PENDING_MAX]; /* under the write lock of one follower at a time */
	static pthread_mutex_t floors_mu = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&floors_mu);
	for (int i = 0; i < sn->n; i++) {
		floors[i] = old_seen;
		for (int j = 0; j < cl->npending; j++)
			if (cl->pending[j].xid == sn->xip[i] && cl->pending[j].floor < floors[i])
				floors[i] = cl->pending[j].floor;
	}
	for (int i = 0; i < sn->n; i++)
		cl->pending[i].xid = sn->xip[i], cl->pending[i].floor = floors[i];
	cl->npending = sn->n;
	pthread_mutex_unlock(&floors_mu);
}

/* The lowest floor of the pending transactions that have ended since the last refresh, or -1. */
static int64_t ended_floor(const changelog_t *cl, const snap_t *sn)
{
	int64_t lo = -1;
	for (int i = 0; i < cl->npending; i++)
		if (!snap_has(sn, cl->pending[i].xid) && (lo < 0 || cl->pending[i].floor < lo))
			lo = cl->pending[i].floor;
	return lo;
}

/* Brings the facts up to change `newest` and the snapshot sn (write-locked, inside the read
 * transaction). */
static int refresh(changelog_t *cl, db_t *db, void *arg, int64_t newest, int64_t oldest, const snap_t *sn)
{
	const changelog_ops_t *ops = cl->ops;
	/* from: the changes after it are read again; lower than seen when a pending transaction has
	 * ended, whose changes lie above its floor (those already applied are read again, harmlessly) */
	int64_t lo = cl->seen >= 0 ? ended_floor(cl, sn) : -1;
	int64_t from = lo >= 0 ? lo : cl->seen;
	bool full = cl->seen < 0 || oldest > from + 1 || cl->seen - from > ops->reread_max ||
		    (ops->want_full && ops->want_full(arg, from, newest));
	int rc;
	if (full) {
		rc = ops->refresh(db, arg, true, NULL);
	} else {
		db_stmt_t *st = db_prepare(db, ops->changes_sql);
		db_bind_int(st, "from", from);
		db_bind_int(st, "newest", newest);
		rc = ops->refresh(db, arg, false, st);
		db_reset(st);
	}
	if (rc || sn->overflow) {
		ops->clear(arg);
		cl->seen = -1;
		cl->npending = 0;
	} else {
		pending_set(cl, sn, full ? 0 : cl->seen);
		cl->seen = newest;
	}
	return rc;
}

/* The facts are read in one snapshot: SQLite's deferred BEGIN takes it at the first read; PostgreSQL
 * needs REPEATABLE READ for it (under its default, READ COMMITTED, each statement sees its own). */
static const char *const read_tx_sql[] = {
	[DB_SQLITE] = "BEGIN",
	[DB_POSTGRES] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
};

int changelog_acquire(changelog_t *cl, db_t *db, void *arg)
{
	if (db_exec(db, read_tx_sql[db_engine(db)]) != 0)
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, cl->ops->head_sql[db_engine(db)]);
	int rc = db_one(st);
	if (rc == YW_ENOTFOUND)
		rc = YW_EDB; /* a query of aggregates always gives a row */
	if (!rc) {
		static __thread snap_t sn;
		int64_t newest = db_col_int(st, 0), oldest = db_col_int(st, 1);
		snap_parse(db_col_text(st, 2), &sn);
		db_reset(st);
		pthread_rwlock_rdlock(&cl->lock);
		bool current = cl->seen == newest && !pending_ended(cl, &sn);
		pthread_rwlock_unlock(&cl->lock);
		if (!current) {
			pthread_rwlock_wrlock(&cl->lock);
			if (cl->seen < newest || oldest > cl->seen + 1 || pending_ended(cl, &sn))
				rc = refresh(cl, db, arg, newest, oldest, &sn);
			pthread_rwlock_unlock(&cl->lock);
		}
	}
	if (db_exec(db, "COMMIT") != 0) {
		db_rollback(db);
		rc = rc ? rc : YW_EDB;
	}
	if (rc)
		return rc;
	pthread_rwlock_rdlock(&cl->lock);
	return 0;
}

void changelog_release(changelog_t *cl)
{
	pthread_rwlock_unlock(&cl->lock);
}

static int trim_log(db_t *db, void *arg)
{
	const changelog_t *cl = arg;
	int rc = db_begin(db);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, cl->ops->trim_sql);
	db_bind_int(st, "keep", cl->ops->keep);
	if ((rc = db_run(st)) != 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

/* In the server the facts are loaded on the ticker's own read-only connection (a full load must
 * not hold the writer, and on PostgreSQL it reads in a snapshot transaction of its own) and the
 * trim is a job of the group-commit writer (writer_run); the command line trims directly. */
int changelog_tick(changelog_t *cl, db_t *db, void *arg)
{
	int rc = changelog_acquire(cl, db, arg);
	if (rc)
		return rc;
	changelog_release(cl);
	int64_t spread = 0;
	if ((rc = db_query_int(db, cl->ops->spread_sql, NULL, &spread)) != 0)
		return rc;
	if (spread <= cl->ops->keep + cl->ops->keep / 10)
		return 0;
	return db_thread_is_reader() ? writer_run(trim_log, cl) : trim_log(db, cl);
}
