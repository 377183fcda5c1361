/* `yiwang open311 key add NAME | key list | key revoke ID` (hotline_open311.h): the API keys of
 * Open311 clients, kept hashed in hotline_clients with kind open311 (docs/operations.md, "Open311").
 * The client's name becomes the source (来源) of every order it posts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline_open311.h"
#include "hotline/hotline_store.h"
#include "platform/err.h"

int open311_cli(db_t *db, int argc, char **argv)
{
	static const char usage[] = "usage: yiwang open311 key add NAME | key list | key revoke ID\n";
	if (argc < 2 || strcmp(argv[0], "key") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	int rc;
	if (strcmp(argv[1], "add") == 0 && argc == 3) {
		if (!*argv[2] || strlen(argv[2]) > 100 || !utf8_valid(argv[2], strlen(argv[2]))) {
			fputs("yiwang: the name must be 1-100 bytes of UTF-8\n", stderr);
			return 2;
		}
		char key[48];
		int64_t id;
		rc = hotline_client_add(db, "open311", argv[2], key, &id);
		if (rc == YW_ECONFLICT) {
			fprintf(stderr, "yiwang: an Open311 key named %s exists already\n", argv[2]);
			return 1;
		}
		if (rc)
			return 1;
		/* the key is shown once: only its hash is stored */
		printf("%s\n", key);
		fprintf(stderr, "Open311 key %lld (%s) created; the client sends it as api_key\n", (long long)id, argv[2]);
		return 0;
	}
	if (strcmp(argv[1], "list") == 0 && argc == 2) {
		json_t *a;
		if ((rc = hotline_clients_list(db, &a)) != 0)
			return 1;
		size_t i;
		json_t *e;
		json_array_foreach(a, i, e)
			if (strcmp(json_string_value(json_object_get(e, "kind")), "open311") == 0)
				printf("%-6lld %-30s %s\n", (long long)json_integer_value(json_object_get(e, "id")),
				       json_string_value(json_object_get(e, "name")),
				       json_is_null(json_object_get(e, "revoked_at")) ? "active" : "revoked");
		json_decref(a);
		return 0;
	}
	if (strcmp(argv[1], "revoke") == 0 && argc == 3) {
		char *end;
		long long id = strtoll(argv[2], &end, 10);
		if (*end || id <= 0) {
			fputs(usage, stderr);
			return 2;
		}
		/* only an Open311 key: a call-centre key is revoked with `yiwang hotline key revoke` */
		json_t *a;
		if ((rc = hotline_clients_list(db, &a)) != 0)
			return 1;
		bool mine = false;
		size_t i;
		json_t *e;
		json_array_foreach(a, i, e)
			if (json_integer_value(json_object_get(e, "id")) == id &&
			    strcmp(json_string_value(json_object_get(e, "kind")), "open311") == 0)
				mine = true;
		json_decref(a);
		rc = mine ? hotline_client_revoke(db, id) : YW_ENOTFOUND;
		if (rc == YW_ENOTFOUND)
			fprintf(stderr, "yiwang: no active Open311 key %lld\n", id);
		return rc ? 1 : 0;
	}
	fputs(usage, stderr);
	return 2;
}
