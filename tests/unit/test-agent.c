/*
 * test-agent.c -- one agent's figures (kpi_agent_read(), src/kpi.h) from a
 * cache of known conversations, messages and tickets at a fixed now, in UTC:
 * chats handled today, first responses (the first agent message after the
 * customer's first unanswered message), the 30-second rate, and the
 * agent's tickets whose SLA was breached, open or not.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "kpi.h"
#include "tap.h"
#include "util/timeutil.h"

static void
put(struct cache *c, enum sd_kind k, const char *json)
{
	cJSON *obj = cJSON_Parse(json);
	char *cause = NULL;

	if (obj == NULL || cache_put(c, k, obj, &cause) != 0) {
		printf("Bail out! put %s: %s\n", json, cause != NULL ? cause : "bad JSON");
		exit(1);
	}
	cJSON_Delete(obj);
}

/* A message: id n, in conversation cv, by author (who), at time. */
static void
msg(struct cache *c, int n, const char *cv, const char *author, const char *who,
    const char *at)
{
	char json[512];

	snprintf(json, sizeof json, "{\"id\":\"MS%d\",\"version\":1,\"created_at\":\"%s\","
	    "\"updated_at\":\"%s\",\"conversation_id\":\"%s\",\"author\":\"%s\","
	    "\"author_id\":\"%s\",\"body\":\"x\"}", n, at, at, cv, author, who);
	put(c, KIND_MESSAGE, json);
}

static void
ticket(struct cache *c, const char *id, const char *assignee, const char *status,
    const char *state, const char *due)
{
	char json[768];

	snprintf(json, sizeof json, "{\"id\":\"%s\",\"version\":1,"
	    "\"created_at\":\"2026-11-19T06:00:00Z\",\"kind\":\"complaint\","
	    "\"status\":\"%s\",\"assignee\":\"%s\",\"sla\":{\"first_action_due\":"
	    "\"2026-11-19T07:00:00Z\",\"first_action_at\":\"2026-11-19T06:30:00Z\","
	    "\"resolve_due\":\"%s\",\"state\":\"%s\"}}", id, status, assignee, due, state);
	put(c, KIND_TICKET, json);
}

int
main(void)
{
	struct cache *c;
	struct kpi_agent a;
	char *cause = NULL;
	time_t now;
	int rc;

	setenv("TZ", "UTC", 1);
	tzset();
	time_parse_rfc3339("2026-11-20T12:00:00Z", &now);
	c = cache_open(":memory:", &cause);
	ok(c != NULL, "open a cache (%s)", cause != NULL ? cause : "ok");
	put(c, KIND_USER, "{\"id\":\"U3\",\"version\":1,\"login\":\"agent1\",\"name\":\"李客服\","
	    "\"role\":\"agent\"}");
	put(c, KIND_USER, "{\"id\":\"U4\",\"version\":1,\"login\":\"agent2\",\"role\":\"agent\"}");

	/* CV1: asked 09:00:00, three more, agent1 answers 09:00:20: 20 s, in 30 s. */
	msg(c, 1, "CV1", "customer", "C1", "2026-11-20T09:00:00Z");
	msg(c, 2, "CV1", "customer", "C1", "2026-11-20T09:00:10Z");
	msg(c, 3, "CV1", "agent", "U3", "2026-11-20T09:00:20Z");
	msg(c, 4, "CV1", "customer", "C1", "2026-11-20T09:05:00Z");
	msg(c, 5, "CV1", "agent", "U3", "2026-11-20T09:10:00Z");	/* not a first response */
	/* CV2: a bot first (no answer), agent1 at 10:01:30: 90 s. */
	msg(c, 6, "CV2", "customer", "C2", "2026-11-20T10:00:00Z");
	msg(c, 7, "CV2", "bot", "bot", "2026-11-20T10:00:02Z");
	msg(c, 8, "CV2", "agent", "U3", "2026-11-20T10:01:30Z");
	/* CV3: agent2 answered first; agent1 wrote after: a chat, not a response. */
	msg(c, 9, "CV3", "customer", "C3", "2026-11-20T11:00:00Z");
	msg(c, 10, "CV3", "agent", "U4", "2026-11-20T11:00:05Z");
	msg(c, 11, "CV3", "agent", "U3", "2026-11-20T11:02:00Z");
	/* CV4: asked yesterday 23:59:50, answered today 00:00:25: 35 s, counts today. */
	msg(c, 12, "CV4", "customer", "C4", "2026-11-19T23:59:50Z");
	msg(c, 13, "CV4", "agent", "U3", "2026-11-20T00:00:25Z");
	/* CV5: all yesterday: not today. */
	msg(c, 14, "CV5", "customer", "C5", "2026-11-19T08:00:00Z");
	msg(c, 15, "CV5", "agent", "U3", "2026-11-19T08:00:05Z");
	/* CV6: agent1 writes first (outbound), the customer answers, agent1 at +10 s. */
	msg(c, 16, "CV6", "agent", "U3", "2026-11-20T08:00:00Z");
	msg(c, 17, "CV6", "customer", "C6", "2026-11-20T08:30:00Z");
	msg(c, 18, "CV6", "agent", "U3", "2026-11-20T08:30:10Z");

	/* Tickets: T1 breached and open, T2 breached and closed, T3 past due (open),
	 * T4 on time, T5 breached but agent2's. */
	ticket(c, "AS1", "U3", "in_progress", "breached", "2026-11-21T06:00:00Z");
	ticket(c, "AS2", "U3", "closed", "breached", "2026-11-20T06:00:00Z");
	ticket(c, "AS3", "U3", "in_progress", "active", "2026-11-20T11:00:00Z");
	ticket(c, "AS4", "U3", "in_progress", "active", "2026-11-21T11:00:00Z");
	ticket(c, "AS5", "U4", "in_progress", "breached", "2026-11-21T11:00:00Z");

	rc = kpi_agent_read(c, "agent1", now, &a, &cause);
	is_int(rc, 0, "agent1's figures read");
	is_str(a.id, "U3", "agent1 is U3");
	is_str(a.name, "李客服", "with a name");
	is_int(a.chats, 5, "chats handled today: CV1, CV2, CV3, CV4, CV6 (not yesterday's CV5)");
	is_int(a.responses, 4, "first responses: CV1, CV2, CV4, CV6 (CV3 was agent2's)");
	ok(a.response_secs == 20 + 90 + 35 + 10, "their waits add up to 155 s (%lld)",
	    a.response_secs);
	is_int(a.within_30s, 2, "within 30 s: CV1 (20 s) and CV6 (10 s)");
	is_int(a.breached, 3, "breached: AS1 and AS2 by the store's word, AS3 past its due time");
	is_int(a.breached_open, 2, "still open: AS1 and AS3");
	kpi_agent_done(&a);

	rc = kpi_agent_read(c, "U4", now, &a, &cause);
	ok(rc == 0 && strcmp(a.login, "agent2") == 0, "by id: U4 is agent2");
	ok(a.chats == 1 && a.responses == 1 && a.within_30s == 1 && a.response_secs == 5,
	    "agent2: one chat, one response in 5 s");
	is_int(a.breached, 1, "agent2: one breached ticket");
	kpi_agent_done(&a);

	rc = kpi_agent_read(c, "nobody", now, &a, &cause);
	is_int(rc, 1, "an unknown agent is not an error of the cache");
	ok(cause != NULL && strstr(cause, "no user 'nobody'") != NULL &&
	    strstr(cause, "agent1, agent2") != NULL, "and is named with the users (%s)",
	    cause != NULL ? cause : "");
	free(cause);

	/* The next day nothing of today's counts. */
	rc = kpi_agent_read(c, "agent1", now + 86400, &a, &cause);
	ok(rc == 0 && a.chats == 0 && a.responses == 0, "the next day: no chats, no responses");
	kpi_agent_done(&a);
	cache_close(&c);
	return done_testing();
}
