/* Writers of the organisation store, each validating its JSON input into v and auditing the
 * change; the caller owns the transaction. id 0 (or code NULL) creates. */
#ifndef YW_ORG_STORE_H
#define YW_ORG_STORE_H
#include "org/org.h"

int org_region_write(db_t *db, const auth_user_t *actor, json_t *in, const char *code, vctx_t *v);
int org_dept_write(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out);
int org_hall_write(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out);
int org_window_write(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out);
int org_user_update(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v);

#endif
