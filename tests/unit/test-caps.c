/*
 * test-caps.c -- what the store behind a cache offers (src/caps.h): a cache
 * with no record offers everything; one recorded as a Medusa store lacks
 * chats, canned replies and most actions, and action_prepare() and CSV
 * batches refuse what it lacks first of all (SD_EREFUSED, nothing queued)
 * while what it offers still prepares. A Medusa ticket ("sla": null) is
 * cached without an SLA.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "cache.h"
#include "caps.h"
#include "outbox.h"
#include "tap.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

static struct cache *cache;
static const time_t now = 1795335300;	/* 2026-11-22T08:15:00Z */

static void
put(enum sd_kind k, const char *json)
{
	cJSON *obj = cJSON_Parse(json);
	char *cause = NULL;

	if (obj == NULL || cache_put(cache, k, obj, &cause) != 0) {
		printf("Bail out! cannot put %s: %s\n", json, cause ? cause : "bad json");
		exit(1);
	}
	cJSON_Delete(obj);
}

static void
state(const char *key, const char *value)
{
	char *cause = NULL;

	if (cache_state_set(cache, key, value, &cause) != 0) {
		printf("Bail out! cannot set %s: %s\n", key, cause);
		exit(1);
	}
}

static void
fixtures(void)
{
	put(KIND_ORDER, "{\"id\":\"SO10000001\",\"version\":3,\"created_at\":"
	    "\"2026-11-21T14:02:11Z\",\"updated_at\":\"2026-11-21T14:03:40Z\","
	    "\"status\":\"awaiting_shipment\",\"payment_status\":\"paid\","
	    "\"fulfillment_status\":\"unfulfilled\",\"lifecycle\":\"open\",\"abnormal\":null,"
	    "\"customer_id\":\"C100001\",\"customer_name\":\"张三丰\",\"currency\":\"CNY\","
	    "\"total\":23800,\"paid_amount\":23800,\"refunded_amount\":0,\"items\":[],"
	    "\"shipment\":null,\"note\":\"\",\"timeline\":[]}");
	put(KIND_TICKET, "{\"id\":\"AS1000001\",\"version\":4,\"created_at\":"
	    "\"2026-11-22T08:15:00Z\",\"updated_at\":\"2026-11-22T08:15:00Z\","
	    "\"order_id\":\"SO10000001\",\"customer_id\":\"C100001\",\"customer_name\":\"张三丰\","
	    "\"kind\":\"refund_only\",\"status\":\"requested\",\"priority\":\"normal\","
	    "\"escalated\":false,\"assignee\":null,\"reason\":\"\",\"description\":\"\","
	    "\"evidence\":[],\"currency\":\"CNY\",\"requested_amount\":12900,"
	    "\"refund_amount\":0,\"sla\":{\"first_action_due\":\"2026-11-22T12:15:00Z\","
	    "\"resolve_due\":\"2026-11-25T08:15:00Z\",\"first_action_at\":null,"
	    "\"state\":\"active\"},\"history\":[]}");
	put(KIND_CONVERSATION, "{\"id\":\"CV100001\",\"version\":5,\"created_at\":"
	    "\"2026-11-22T08:09:02Z\",\"customer_name\":\"张三丰\",\"queue\":\"presales\","
	    "\"status\":\"new\",\"last_message_preview\":\"请问\",\"order_id\":\"SO10000001\"}");
	put(KIND_CANNED_REPLY, "{\"id\":\"CR1\",\"version\":1,\"shortcut\":\"hello\","
	    "\"title\":\"开场\",\"lang\":\"zh_CN\",\"body\":\"{customer_name}您好。\"}");
}

/* Prepare noun name on id with values (NULL-terminated by the action's arguments). */
static enum sd_status
prepare(const char *noun, const char *name, const char *id, const char *const *values,
    char **cause)
{
	static const char *const none[32];
	const struct action_def *d = action_find(noun, name);
	struct action_plan plan;
	enum sd_status st;

	if (d == NULL) {
		printf("# no action %s %s\n", noun, name);
		return SD_EFAIL;
	}
	st = action_prepare(cache, d, id, values != NULL ? values : none, now, &plan, cause);
	action_plan_done(&plan);
	return st;
}

/* Entries in the outbox, whatever their state. */
static long
queued(void)
{
	long counts[OUTBOX__COUNT], n = 0;
	char *cause = NULL;
	int i;

	if (outbox_counts(cache, counts, &cause) != 0) {
		printf("# outbox: %s\n", cause);
		free(cause);
		return -1;
	}
	for (i = 0; i < OUTBOX__COUNT; i++)
		n += counts[i];
	return n;
}

/* A cache with no record: a Store API v1 store, or one never synced. */
static void
test_everything(void)
{
	const char *ship[] = { "SF", "SF1234567890123", NULL };
	char *s, *cause = NULL;
	int k, all = 1;

	for (k = 0; k < KIND__COUNT; k++)
		all &= caps_kind_offered(cache, (enum sd_kind)k);
	ok(all, "without a record every kind is offered");
	ok(caps_sla_offered(cache), "... and SLA timers");
	ok(caps_action_offered(cache, "tickets", "approve") &&
	    caps_action_offered(cache, "chats", "send"), "... and every action");
	s = caps_backend(cache);
	is_str(s, "storeapi", "... and the backend is storeapi");
	free(s);
	is_int(prepare("orders", "ship", "SO10000001", ship, &cause), SD_OK,
	    "... so orders ship prepares as ever");
	free(cause);
	cause = NULL;
	is_int(prepare("tickets", "approve", "AS1000001", NULL, &cause), SD_OK,
	    "... and so does tickets approve");
	free(cause);
	state(CAPS_ACTIONS_KEY, "*");
	ok(caps_action_offered(cache, "chats", "close"), "store.actions * offers every action");
}

/* The record a sync from a Medusa store leaves. */
static void
test_medusa(void)
{
	const char *ship[] = { "SF", "SF1234567890123", NULL };
	const char *hello[] = { "/hello", NULL };
	const char *csv = "order_id,carrier,tracking_no\nSO10000001,SF,SF1234567890123\n";
	const char *csv_note = "order_id,text\nSO10000001,hi\n";
	struct action_batch b;
	char *s, *cause = NULL;
	enum sd_status st;

	state(CAPS_BACKEND_KEY, "medusa");
	state(CAPS_KINDS_KEY, "order ticket product sku promotion customer user");
	state(CAPS_ACTIONS_KEY, "orders.ship orders.deliver tickets.refund");

	s = caps_backend(cache);
	is_str(s, "medusa", "the backend recorded is medusa");
	free(s);
	ok(caps_kind_offered(cache, KIND_ORDER) && caps_kind_offered(cache, KIND_TICKET) &&
	    caps_kind_offered(cache, KIND_USER), "orders, tickets and users are offered");
	ok(!caps_kind_offered(cache, KIND_CONVERSATION) && !caps_kind_offered(cache, KIND_MESSAGE) &&
	    !caps_kind_offered(cache, KIND_CANNED_REPLY),
	    "conversations, messages and canned replies are not");
	ok(caps_action_offered(cache, "orders", "ship") &&
	    caps_action_offered(cache, "tickets", "refund"), "orders ship and tickets refund are offered");
	ok(!caps_sla_offered(cache), "SLA timers are not (no \"sla\" among the kinds)");
	state(CAPS_KINDS_KEY, "order ticket sla");
	ok(caps_sla_offered(cache), "... and are with it");
	state(CAPS_KINDS_KEY, "order ticket product sku promotion customer user");
	ok(!caps_action_offered(cache, "tickets", "approve") &&
	    !caps_action_offered(cache, "orders", "shi") &&
	    !caps_action_offered(cache, "orders", "deliv"), "tickets approve is not, nor a prefix");
	s = caps_refusal(cache, "chats");
	is_str(s, "chats: not offered by this store (medusa)", "the refusal of a kind");
	free(s);

	/* The role would refuse it too (SD_EAUTH): the store's lack is said first. */
	state("me.role", "warehouse");
	st = prepare("tickets", "approve", "AS1000001", NULL, &cause);
	is_int(st, SD_EREFUSED, "tickets approve is refused with SD_EREFUSED");
	is_str(cause, "tickets approve: not offered by this store (medusa)",
	    "... saying the store does not offer it, before the role");
	free(cause);
	cause = NULL;
	state("me.role", "admin");
	st = prepare("tickets", "approve", "AS9999999", NULL, &cause);
	is_int(st, SD_EREFUSED, "... also for a ticket not in the cache (not SD_ENOTFOUND)");
	free(cause);
	cause = NULL;
	st = prepare("chats", "send", "CV100001", hello, &cause);
	is_int(st, SD_EREFUSED, "chats send is refused");
	is_str(cause, "chats send: not offered by this store (medusa)", "... with the sentence");
	free(cause);
	cause = NULL;
	is_int(queued(), 0, "nothing is queued");

	st = prepare("orders", "ship", "SO10000001", ship, &cause);
	is_int(st, SD_OK, "orders ship, which it offers, still prepares");
	if (st != SD_OK)
		printf("#   %s\n", cause);
	free(cause);
	cause = NULL;
	st = prepare("orders", "ship", "SO10000009", ship, &cause);
	is_int(st, SD_ENOTFOUND, "... and is checked as ever (an order not cached)");
	free(cause);
	cause = NULL;

	st = action_batch_load(cache, action_find("orders", "note"), csv_note, strlen(csv_note),
	    now, &b, &cause);
	is_int(st, SD_EREFUSED, "a CSV batch of orders note is refused as a whole");
	is_str(cause, "orders note: not offered by this store (medusa)", "... with the sentence");
	is_int((long long)b.n, 0, "... and reads no line");
	action_batch_done(&b);
	free(cause);
	cause = NULL;
	st = action_batch_load(cache, action_find("orders", "ship"), csv, strlen(csv), now, &b,
	    &cause);
	ok(st == SD_OK && b.n == 1 && b.bad == 0, "a CSV batch of orders ship still loads");
	action_batch_done(&b);
	free(cause);
	cause = NULL;
	is_int(queued(), 0, "still nothing is queued");

	/* Every action, but no chats: an action on a kind it lacks is refused too. */
	state(CAPS_ACTIONS_KEY, "*");
	st = prepare("chats", "accept", "CV100001", NULL, &cause);
	is_int(st, SD_EREFUSED, "with every action but no conversations, chats accept is refused");
	is_str(cause, "chats accept: not offered by this store (medusa)", "... with the sentence");
	free(cause);
	cause = NULL;
	/* Chats without canned replies: a /shortcut says so. */
	state(CAPS_KINDS_KEY, "order ticket conversation message user");
	st = prepare("chats", "send", "CV100001", hello, &cause);
	is_int(st, SD_EREFUSED, "chats without canned replies: send /hello is refused");
	is_str(cause, "canned replies: not offered by this store (medusa)", "... saying why");
	free(cause);
	cause = NULL;
	is_int(queued(), 0, "and nothing was ever queued");
}

/* A Medusa ticket has no SLA timers: "sla": null is cached as no SLA. */
static void
test_sla_null(void)
{
	sqlite3_stmt *stmt;
	char *json;
	int rc;

	put(KIND_TICKET, "{\"id\":\"AS2000001\",\"version\":1,\"created_at\":"
	    "\"2026-11-22T09:00:00Z\",\"updated_at\":\"2026-11-22T09:00:00Z\","
	    "\"order_id\":\"SO10000001\",\"customer_id\":\"C100001\",\"kind\":\"refund_only\","
	    "\"status\":\"requested\",\"priority\":\"normal\",\"sla\":null,\"history\":[]}");
	json = cache_get_json(cache, KIND_TICKET, "AS2000001");
	ok(json != NULL, "a ticket with \"sla\": null is cached");
	free(json);
	rc = sqlite3_prepare_v2(cache_db(cache), "SELECT sla_state IS NULL AND sla_due IS NULL"
	    " FROM tickets WHERE id = 'AS2000001'", -1, &stmt, NULL);
	ok(rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0) == 1,
	    "... with no SLA state and no due time");
	sqlite3_finalize(stmt);
}

/* A record an older build of the backend made is stale; one of another backend or the same list is not. */
static void
test_stale(void)
{
	state("store.backend", "medusa");
	state("store.actions", "orders.ship stock.adjust");
	ok(caps_stale(cache, "medusa", "orders.ship stock.adjust stock.price"),
	    "a Medusa record without stock.price is stale for a build that performs it");
	ok(!caps_stale(cache, "medusa", "orders.ship stock.adjust"),
	    "... not for a build that performs the same");
	ok(!caps_stale(cache, "storeapi", NULL), "... nor for another backend");
	state("store.actions", "*");
	ok(caps_stale(cache, "medusa", "orders.ship"), "a Medusa record of everything is stale too");
}

int
main(void)
{
	static const char *const files[] = { "caps.db", "caps.db-wal", "caps.db-shm", NULL };
	char dir[] = "/tmp/test-caps.XXXXXX", *db, *cause = NULL;
	int i;

	setlocale(LC_ALL, "C.UTF-8");
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	db = xasprintf("%s/caps.db", dir);
	if ((cache = cache_open(db, &cause)) == NULL) {
		printf("Bail out! %s\n", cause);
		return 1;
	}
	fixtures();
	test_everything();
	test_medusa();
	test_sla_null();
	test_stale();
	cache_close(&cache);
	free(db);
	for (i = 0; files[i] != NULL; i++) {
		db = xasprintf("%s/%s", dir, files[i]);
		unlink(db);
		free(db);
	}
	rmdir(dir);
	return done_testing();
}
