/* `yiwang hotline key ...` and `yiwang open311 key ...` (hotline.h, hotline_open311.h): the API keys
 * of the clients that write orders without a person's sign-in, kept hashed in hotline_clients by
 * kind: the call centre's system pushing call events (callcenter, docs/api.md "Hotline"), and
 * Open311 clients (open311, docs/operations.md "Open311"), whose name becomes the source (来源) of
 * every order they post. Each command sees only its own kind's keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline.h"
#include "hotline/hotline_open311.h"
#include "hotline/hotline_store.h"
#include "platform/err.h"

typedef struct key_kind {
	const char *command, *kind, *label, *how;
} key_kind_t;

static int keys_cli(db_t *db, int argc, char **argv, const key_kind_t *k)
{
	if (argc < 2 || strcmp(argv[0], "key") != 0)
		goto usage;
	int rc;
	if (strcmp(argv[1], "add") == 0 && argc == 3) {
		if (!*argv[2] || strlen(argv[2]) > 100 || !utf8_valid(argv[2], strlen(argv[2]))) {
			fputs("yiwang: the name must be 1-100 bytes of UTF-8\n", stderr);
			return 2;
		}
		char key[48];
		int64_t id;
		rc = hotline_client_add(db, k->kind, argv[2], key, &id);
		if (rc == YW_ECONFLICT) {
			fprintf(stderr, "yiwang: a %s key named %s exists already\n", k->label, argv[2]);
			return 1;
		}
		if (rc)
			return 1;
		/* the key is shown once: only its hash is stored */
		printf("%s\n", key);
		fprintf(stderr, "%s key %lld (%s) created; %s\n", k->label, (long long)id, argv[2], k->how);
		return 0;
	}
	if (strcmp(argv[1], "list") == 0 && argc == 2) {
		json_t *a;
		if ((rc = hotline_clients_list(db, k->kind, &a)) != 0)
			return 1;
		size_t i;
		json_t *e;
		json_array_foreach(a, i, e)
			printf("%-6lld %-30s %s\n", (long long)json_integer_value(json_object_get(e, "id")),
			       json_string_value(json_object_get(e, "name")),
			       json_is_null(json_object_get(e, "revoked_at")) ? "active" : "revoked");
		json_decref(a);
		return 0;
	}
	if (strcmp(argv[1], "revoke") == 0 && argc == 3) {
		char *end;
		long long id = strtoll(argv[2], &end, 10);
		if (*end || id <= 0)
			goto usage;
		rc = hotline_client_revoke(db, id, k->kind);
		if (rc == YW_ENOTFOUND)
			fprintf(stderr, "yiwang: no active %s key %lld\n", k->label, id);
		return rc ? 1 : 0;
	}
usage:
	fprintf(stderr, "usage: yiwang %s key add NAME | key list | key revoke ID\n", k->command);
	return 2;
}

int hotline_cli(db_t *db, int argc, char **argv)
{
	static const key_kind_t k = {"hotline", "callcenter", "call-centre", "send it in the X-API-Key header"};
	return keys_cli(db, argc, argv, &k);
}

int open311_cli(db_t *db, int argc, char **argv)
{
	static const key_kind_t k = {"open311", "open311", "Open311", "the client sends it as api_key"};
	return keys_cli(db, argc, argv, &k);
}
