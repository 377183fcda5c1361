/* Group commit (platform/writer.c): many threads' jobs share syncs, a failing job rolls back
 * alone, store code's db_begin/db_commit nest as savepoints, and every acknowledged job's row is
 * in the database afterwards. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "platform/db.h"
#include "platform/err.h"
#include "platform/writer.h"

#define THREADS 8
#define PER_THREAD 500

/* A job as store code writes it: its own db_begin/db_commit, an insert, and failure for every
 * seventh job after it has written (the insert must then vanish). */
static int job(db_t *db, void *arg)
{
	intptr_t n = (intptr_t)arg;
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, "INSERT INTO meta(key, value) VALUES (:key, :value)");
	char key[32];
	snprintf(key, sizeof key, "job-%ld", (long)n);
	db_bind_text(st, "key", key);
	db_bind_int(st, "value", n);
	int rc = db_run(st);
	if (rc || n % 7 == 0) {
		db_rollback(db);
		return rc ? rc : YW_EINVAL;
	}
	return db_commit(db);
}

static int acknowledged[THREADS];

static void *client(void *arg)
{
	intptr_t t = (intptr_t)arg;
	for (intptr_t i = 0; i < PER_THREAD; i++) {
		intptr_t n = t * PER_THREAD + i + 1;
		int rc = writer_run(job, (void *)n);
		if (rc == 0)
			acknowledged[t]++;
		else if (rc != YW_EINVAL || n % 7 != 0)
			fail_msg("job %ld: unexpected status %d", (long)n, rc);
	}
	return NULL;
}

static void groups_share_commits(void **state)
{
	(void)state;
	char path[] = "/tmp/yw-writer-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	db_t *db;
	assert_int_equal(db_open(path, &db), 0);
	db_set_default_url(path);
	assert_int_equal(writer_start(), 0);
	pthread_t th[THREADS];
	for (intptr_t t = 0; t < THREADS; t++)
		pthread_create(&th[t], NULL, client, (void *)t);
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	unsigned long syncs = writer_syncs();
	writer_stop();
	assert_int_equal(writer_run(job, (void *)1), YW_EUNAVAILABLE); /* stopped: refused, not lost */

	int expected = 0;
	for (int t = 0; t < THREADS; t++)
		expected += acknowledged[t];
	int64_t stored = 0, wrong = 0;
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM meta WHERE key LIKE 'job-%'", NULL, &stored), 0);
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM meta WHERE key LIKE 'job-%' AND value % 7 = 0", NULL,
				      &wrong),
			 0);
	assert_int_equal(stored, expected);
	assert_int_equal(expected, THREADS * PER_THREAD - THREADS * PER_THREAD / 7);
	assert_int_equal(wrong, 0);
	/* the point of it all: concurrent jobs shared the disk's syncs (their commits need not be
	 * shared where the writer commits without waiting for the disk: it then commits what has
	 * arrived while the clients wait for the sync) */
	assert_true(syncs < (unsigned long)(THREADS * PER_THREAD) / 2);
	assert_true(writer_commits() >= syncs);
	db_close(db);
	unlink(path);
}

/* One write path: a reader thread (an HTTP worker, the ticker) cannot write on its own connection,
 * neither in a transaction of its own nor with a lone statement; its writes go through the writer,
 * whose job runs the very same store code, and are then visible to its reads. */
static void *reader(void *arg)
{
	int *failures = arg;
	db_thread_reader();
	db_t *db = db_thread();
	if (!db_thread_is_reader())
		(*failures)++;
	if (db_begin(db) != YW_EDB) /* refused, and logged as the programming error it is */
		(*failures)++;
	db_stmt_t *st = db_prepare(db, "INSERT INTO meta(key, value) VALUES (:key, :value)");
	db_bind_text(st, "key", "reader-direct");
	db_bind_int(st, "value", 1);
	if (db_run(st) == 0) /* the connection itself is read-only */
		(*failures)++;
	if (writer_run(job, (void *)1000001) != 0) /* the same write, through the writer */
		(*failures)++;
	int64_t n = -1;
	if (db_query_int(db, "SELECT count(*) FROM meta WHERE key = 'reader-direct'", NULL, &n) != 0 || n != 0)
		(*failures)++;
	if (db_query_int(db, "SELECT count(*) FROM meta WHERE key = 'job-1000001'", NULL, &n) != 0 || n != 1)
		(*failures)++;
	return NULL;
}

static void readers_write_through_the_writer(void **state)
{
	(void)state;
	char path[] = "/tmp/yw-writer-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	db_t *db;
	assert_int_equal(db_open(path, &db), 0);
	db_set_default_url(path);
	assert_int_equal(writer_start(), 0);
	int failures = 0;
	pthread_t th;
	pthread_create(&th, NULL, reader, &failures);
	pthread_join(th, NULL);
	writer_stop();
	assert_int_equal(failures, 0);
	/* a thread not declared a reader (the command line) keeps its own transactions */
	assert_false(db_thread_is_reader());
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_commit(db), 0);
	db_close(db);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(groups_share_commits),
					   cmocka_unit_test(readers_write_through_the_writer)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
