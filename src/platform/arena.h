/* Request arena: bump allocation from chunks, released all at once when the request
 * completes (the h2o pattern), so handlers rarely free. Out of memory aborts. */
#ifndef YW_ARENA_H
#define YW_ARENA_H
#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena_t;

/* Returns a new arena; free it with arena_free(). */
arena_t *arena_new(void);
void arena_free(arena_t *a);
/* Memory owned by the arena, 16-byte aligned; never NULL. */
void *arena_alloc(arena_t *a, size_t n);
void *arena_zalloc(arena_t *a, size_t n);
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_strdup(arena_t *a, const char *s);
char *arena_printf(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena_t *a, const char *fmt, va_list ap);

/* Out-of-memory policy for the whole program (as redis does): report and abort. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
