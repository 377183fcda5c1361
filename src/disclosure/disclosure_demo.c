/* The demo city's disclosure: the category tree of 主动公开 (disclosure_store_seed). The demo
 * accounts gongkai01 (市政务服务中心) and gongkai02 (市自然资源和规划局) come with the city's staff
 * (data/demo/city.json). A year of documents and requests is made by a later builder. */
#include "disclosure/disclosure_store.h"

int disclosure_demo_load(db_t *db)
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	rc = disclosure_store_seed(db);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}
