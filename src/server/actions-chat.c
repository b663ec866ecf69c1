/*
 * actions-chat.c -- conversation actions: accept, send a message, transfer,
 * pending, snooze and close; and say, a customer's message (admin only).
 *
 * Sending creates a message object and updates its conversation in the same
 * transaction; the answer carries both. A staff reply always leaves the
 * conversation open, with nobody waiting and nothing unread.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "server/actions-internal.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

static const char *const chat_queues[] = {
	"presales", "aftersales", "vip", NULL
};

static const char *const chat_close_tags[] = {
	"resolved", "no_reply", "spam", "transferred", "order_issue",
	"presales_question", NULL
};

#define CHAT_BODY_MAX		2000
#define CHAT_PREVIEW_CHARS	60

int
chat_accept(struct action_ctx *ctx)
{
	json_set_str(ctx->obj, "status", "open");
	json_set_str(ctx->obj, "assignee", ctx->who->id);
	json_set_null(ctx->obj, "snoozed_until");
	return 0;
}

/* A message by author in the conversation, and the preview it leaves there. */
static cJSON *
chat_message(struct action_ctx *ctx, const char *author, const char *author_id,
    const char *author_name, const char *body)
{
	char mid[24], *preview;
	cJSON *msg;

	store_next_id(ctx->st, KIND_MESSAGE, mid);
	msg = cJSON_CreateObject();
	json_set_str(msg, "id", mid);
	json_set_str(msg, "created_at", ctx->now_s);
	json_set_str(msg, "conversation_id", ctx->id);
	json_set_str(msg, "author", author);
	json_set_str(msg, "author_id", author_id);
	json_set_str(msg, "author_name", author_name);
	json_set_str(msg, "body", body);
	store_put(ctx->st, KIND_MESSAGE, mid, msg);

	json_set_str(ctx->obj, "last_message_at", ctx->now_s);
	preview = act_utf8_prefix(body, CHAT_PREVIEW_CHARS);
	json_set_str(ctx->obj, "last_message_preview", preview);
	free(preview);

	ctx->reply = cJSON_CreateObject();
	json_set(ctx->reply, "message", msg);
	ctx->reply_key = "conversation";
	ctx->created = 1;
	return msg;
}

int
chat_send(struct action_ctx *ctx)
{
	const char *body;

	if (act_str(ctx, "body", 1, CHAT_BODY_MAX, &body) != 0)
		return -1;
	chat_message(ctx, "agent", ctx->who->id, ctx->who->name, body);
	json_set_str(ctx->obj, "status", "open");
	if (json_str(ctx->obj, "assignee") == NULL)
		json_set_str(ctx->obj, "assignee", ctx->who->id);
	json_set_null(ctx->obj, "waiting_since");
	json_set_null(ctx->obj, "snoozed_until");
	json_set_int(ctx->obj, "unread", 0);
	return 0;
}

/*
 * The customer writes (admin only: the reference store's stand-in for its
 * chat channels, as pay is for a payment provider). The chat reopens if it
 * was put aside or resolved, and the customer waits from now unless already
 * waiting.
 */
int
chat_say(struct action_ctx *ctx)
{
	const char *body, *status;

	if (act_str(ctx, "body", 1, CHAT_BODY_MAX, &body) != 0)
		return -1;
	chat_message(ctx, "customer", json_str(ctx->obj, "customer_id"),
	    json_str(ctx->obj, "customer_name"), body);
	status = json_str(ctx->obj, "status");
	if (status != NULL && strcmp(status, "new") != 0 && strcmp(status, "open") != 0) {
		int was_resolved = strcmp(status, "resolved") == 0;

		/* (status points into the object: read before it is replaced.) */
		json_set_str(ctx->obj, "status", json_str(ctx->obj, "assignee") != NULL ?
		    "open" : "new");
		json_set_null(ctx->obj, "snoozed_until");
		if (was_resolved) {
			json_set_null(ctx->obj, "tag");
			json_set_null(ctx->obj, "csat");
		}
	}
	if (json_str(ctx->obj, "waiting_since") == NULL)
		json_set_str(ctx->obj, "waiting_since", ctx->now_s);
	json_set_int(ctx->obj, "unread", json_int(ctx->obj, "unread", 0) + 1);
	return 0;
}

int
chat_transfer(struct action_ctx *ctx)
{
	const char *queue, *assignee;

	if (act_enum(ctx, "queue", chat_queues, 0, &queue) != 0 ||
	    act_str(ctx, "assignee", 0, 15, &assignee) != 0)
		return -1;
	if ((queue == NULL) == (assignee == NULL))
		return act_invalid(ctx, "queue", "give either a queue or an "
		    "assignee to transfer to");
	if (queue != NULL) {
		json_set_str(ctx->obj, "queue", queue);
		json_set_str(ctx->obj, "status", "new");
		json_set_null(ctx->obj, "assignee");
		return 0;
	}
	if (store_user_by_id(ctx->st, assignee) == NULL)
		return act_invalid(ctx, "assignee", "assignee %s is not a user",
		    assignee);
	json_set_str(ctx->obj, "assignee", assignee);
	json_set_str(ctx->obj, "status", "open");
	return 0;
}

int
chat_pending(struct action_ctx *ctx)
{
	json_set_str(ctx->obj, "status", "pending");
	return 0;
}

int
chat_snooze(struct action_ctx *ctx)
{
	char canon[RFC3339_LEN];
	const char *until;
	time_t t;

	if (act_str(ctx, "until", 1, 40, &until) != 0)
		return -1;
	if (time_parse_rfc3339(until, &t) != 0)
		return act_invalid(ctx, "until", "until must be an rfc 3339 "
		    "time such as 2026-11-22T08:15:00Z");
	if (t <= ctx->now)
		return act_invalid(ctx, "until", "until must be in the future");
	time_format_rfc3339(t, canon);
	json_set_str(ctx->obj, "status", "snoozed");
	json_set_str(ctx->obj, "snoozed_until", canon);
	return 0;
}

int
chat_close(struct action_ctx *ctx)
{
	const char *tag;

	if (act_enum(ctx, "tag", chat_close_tags, 1, &tag) != 0)
		return -1;
	json_set_str(ctx->obj, "status", "resolved");
	json_set_str(ctx->obj, "tag", tag);
	json_set_null(ctx->obj, "waiting_since");
	json_set_null(ctx->obj, "snoozed_until");
	return 0;
}
