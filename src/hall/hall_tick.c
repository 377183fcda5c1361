/* The hall's background job (ticker.h): appointments not checked in by the end of their day
 * become no-shows (爽约), recorded by the system with their audit records. */
#include "hall/hall_store.h"

int hall_tick(db_t *db, int64_t now)
{
	int n;
	return hall_appointments_expire(db, now, &n);
}
