/* The display board (叫号上屏): every call goes through this hook after its commit. It is
 * published at once to the hall's boards on their Server-Sent Events stream (topic "hall:{id}",
 * event "call") on every server of the database (platform/events.h), and each server keeps the
 * latest call of every window in memory, from the events it receives, for a board that (re)opens
 * its stream and reads the current state first. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "hall/hall.h"
#include "platform/events.h"
#include "platform/sse.h"

#define BOARD_MAX 512

static struct {
	int64_t hall_id, window_id;
	json_t *event;
} board[BOARD_MAX];
static int board_n;
static pthread_mutex_t board_lock = PTHREAD_MUTEX_INITIALIZER;

void hall_on_call(int64_t hall_id, json_t *event)
{
	char topic[SSE_TOPIC_MAX];
	snprintf(topic, sizeof topic, "hall:%lld", (long long)hall_id);
	events_publish(topic, "call", event);
}

/* Every hall event, on every server: a call becomes its window's latest. */
void hall_board_event(const char *topic, const char *name, const json_t *data)
{
	long long hall_id;
	if (strcmp(name, "call") != 0 || sscanf(topic, "hall:%lld", &hall_id) != 1)
		return;
	int64_t window_id = json_integer_value(json_object_get(data, "window_id"));
	json_t *event = json_deep_copy(data);
	pthread_mutex_lock(&board_lock);
	int i = 0;
	while (i < board_n && board[i].window_id != window_id)
		i++;
	if (i == board_n && board_n < BOARD_MAX)
		board_n++;
	if (i < board_n) {
		json_decref(board[i].event);
		board[i].hall_id = hall_id;
		board[i].window_id = window_id;
		board[i].event = event;
		event = NULL;
	}
	pthread_mutex_unlock(&board_lock);
	json_decref(event); /* only when the board is full */
}

json_t *hall_board_calls(int64_t hall_id)
{
	json_t *arr = json_array();
	pthread_mutex_lock(&board_lock);
	for (int i = 0; i < board_n; i++)
		if (board[i].hall_id == hall_id)
			json_array_append_new(arr, json_deep_copy(board[i].event));
	pthread_mutex_unlock(&board_lock);
	return arr;
}
