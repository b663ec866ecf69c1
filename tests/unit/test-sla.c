/*
 * test-sla.c -- the SLA model (src/sla.h) on known tickets at a fixed now:
 * which clock runs, its due time, time left, state and words, and the due
 * time the cache orders the list by.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sla.h"
#include "tap.h"
#include "util/buf.h"
#include "util/timeutil.h"

/* 2026-11-20T08:00:00Z */
#define NOW	1795161600

static cJSON *
ticket(const char *json)
{
	cJSON *t = cJSON_Parse(json);

	if (t == NULL) {
		fprintf(stderr, "bad test JSON: %s\n", json);
		exit(1);
	}
	return t;
}

/* Evaluate json at now; its words into words[]. */
static void
eval(const char *json, time_t now, struct sla_now *s, char *words, size_t size)
{
	cJSON *t = ticket(json);
	struct buf b;

	sla_eval(t, now, s);
	buf_init(&b);
	sla_describe(s, &b);
	snprintf(words, size, "%s", buf_str(&b));
	buf_done(&b);
	cJSON_Delete(t);
}

static const char *
due_of(const char *json, char *out, size_t size)
{
	cJSON *t = ticket(json);
	const char *d = sla_due_str(t);

	snprintf(out, size, "%s", d != NULL ? d : "(none)");
	cJSON_Delete(t);
	return out;
}

int
main(void)
{
	struct sla_now s;
	char w[128], d[64];
	time_t t;

	ok(time_parse_rfc3339("2026-11-20T08:00:00Z", &t) == 0 && t == NOW, "the fixed now");

	/* A return requested at 06:40, reviewed within 4 h: 1h20m left of 4h. */
	eval("{\"kind\":\"return_refund\",\"status\":\"requested\","
	    "\"created_at\":\"2026-11-20T06:40:00Z\",\"sla\":{"
	    "\"first_action_due\":\"2026-11-20T09:20:00Z\",\"resolve_due\":\"2026-11-23T06:40:00Z\","
	    "\"first_action_at\":null,\"state\":\"active\"},\"history\":[]}", NOW, &s, w, sizeof w);
	is_int(s.phase, SLA_PHASE_REVIEW, "requested return: the review clock runs");
	is_int((int)s.left, 4800, "1h20m left");
	is_int(s.state, SLA_ACTIVE, "a third of the time left: active");
	is_str(w, "review 1h20m left", "in words");

	/* The same at 08:45: 35 m of 240 left (< 25 %): warning. */
	eval("{\"kind\":\"return_refund\",\"status\":\"requested\","
	    "\"created_at\":\"2026-11-20T05:20:00Z\",\"sla\":{"
	    "\"first_action_due\":\"2026-11-20T09:20:00Z\",\"resolve_due\":\"2026-11-23T05:20:00Z\","
	    "\"first_action_at\":null,\"state\":\"active\"},\"history\":[]}", NOW + 45 * 60, &s,
	    w, sizeof w);
	is_int(s.state, SLA_WARNING, "35m of 4h left: warning (the store's word was active)");
	is_str(w, "review 35m left", "in words");

	/* Past it: breached, overdue. */
	eval("{\"kind\":\"return_refund\",\"status\":\"requested\","
	    "\"created_at\":\"2026-11-20T05:20:00Z\",\"sla\":{"
	    "\"first_action_due\":\"2026-11-20T09:20:00Z\",\"resolve_due\":\"2026-11-23T05:20:00Z\","
	    "\"first_action_at\":null,\"state\":\"active\"},\"history\":[]}", NOW + 95 * 60, &s,
	    w, sizeof w);
	is_int(s.state, SLA_BREACHED, "15 m past the review: breached");
	ok(s.left == -15 * 60, "left is negative (%lld)", s.left);
	is_str(w, "review overdue 15m", "in words");

	/* A complaint's first action is a response. */
	eval("{\"kind\":\"complaint\",\"status\":\"requested\","
	    "\"created_at\":\"2026-11-20T07:30:00Z\",\"sla\":{"
	    "\"first_action_due\":\"2026-11-20T08:30:00Z\",\"resolve_due\":\"2026-11-22T07:30:00Z\","
	    "\"first_action_at\":null,\"state\":\"active\"}}", NOW, &s, w, sizeof w);
	is_int(s.phase, SLA_PHASE_RESPONSE, "complaint: the response clock");
	is_str(w, "response 30m left", "in words");

	/* Approved return awaiting its parcel: the pickup, from the approval. */
	eval("{\"kind\":\"exchange\",\"status\":\"awaiting_return\","
	    "\"created_at\":\"2026-11-19T06:00:00Z\",\"sla\":{"
	    "\"first_action_due\":\"2026-11-19T10:00:00Z\",\"resolve_due\":\"2026-11-20T09:00:00Z\","
	    "\"first_action_at\":\"2026-11-19T09:00:00Z\",\"pickup_due\":\"2026-11-20T09:00:00Z\","
	    "\"pickup_at\":null,\"state\":\"active\"},\"history\":[{\"at\":\"2026-11-19T06:00:00Z\","
	    "\"action\":\"create\"},{\"at\":\"2026-11-19T09:00:00Z\",\"action\":\"approve\"}]}",
	    NOW, &s, w, sizeof w);
	is_int(s.phase, SLA_PHASE_PICKUP, "awaiting return with pickup_due: the pickup clock");
	is_int(s.state, SLA_WARNING, "1 h of the 24 h from approval left: warning");
	is_str(w, "pickup 1h00m left", "in words");
	is_str(due_of("{\"kind\":\"exchange\",\"status\":\"awaiting_return\",\"sla\":{"
	    "\"first_action_due\":\"2026-11-19T10:00:00Z\",\"resolve_due\":\"2026-11-21T09:00:00Z\","
	    "\"first_action_at\":\"2026-11-19T09:00:00Z\",\"pickup_due\":\"2026-11-20T09:00:00Z\","
	    "\"pickup_at\":null,\"state\":\"active\"}}", d, sizeof d), "2026-11-20T09:00:00Z",
	    "the list orders it by the pickup's due time");

	/* Received: the resolution; a late pickup is a breach that stays. */
	eval("{\"kind\":\"exchange\",\"status\":\"received\","
	    "\"created_at\":\"2026-11-19T06:00:00Z\",\"sla\":{"
	    "\"first_action_due\":\"2026-11-19T10:00:00Z\",\"resolve_due\":\"2026-11-21T09:00:00Z\","
	    "\"first_action_at\":\"2026-11-19T09:00:00Z\",\"pickup_due\":\"2026-11-20T07:00:00Z\","
	    "\"pickup_at\":\"2026-11-20T07:30:00Z\",\"state\":\"active\"}}", NOW, &s, w, sizeof w);
	is_int(s.phase, SLA_PHASE_RESOLUTION, "received: the resolution clock");
	is_int(s.state, SLA_BREACHED, "picked up late: breached though the resolution is on time");
	is_str(w, "resolution 1d left", "in words");

	/* Without pickup_due (an older store): no guessed pickup, the resolution. */
	eval("{\"kind\":\"exchange\",\"status\":\"awaiting_return\","
	    "\"created_at\":\"2026-11-19T06:00:00Z\",\"sla\":{"
	    "\"first_action_due\":\"2026-11-19T10:00:00Z\",\"resolve_due\":\"2026-11-20T07:45:00Z\","
	    "\"first_action_at\":\"2026-11-19T09:00:00Z\",\"state\":\"active\"}}", NOW, &s, w,
	    sizeof w);
	is_int(s.phase, SLA_PHASE_RESOLUTION, "no pickup_due: the resolution clock");
	is_str(w, "resolution overdue 15m", "in words");

	/* Done in time: met, no clock; the store's breached stays. */
	eval("{\"kind\":\"refund_only\",\"status\":\"refunded\",\"sla\":{"
	    "\"first_action_due\":\"2026-11-19T10:00:00Z\",\"resolve_due\":\"2026-11-20T09:00:00Z\","
	    "\"first_action_at\":\"2026-11-19T09:00:00Z\",\"state\":\"met\"}}", NOW, &s, w,
	    sizeof w);
	ok(s.state == SLA_MET && !s.running, "refunded: met, no clock runs");
	is_str(w, "met", "in words");
	eval("{\"kind\":\"refund_only\",\"status\":\"refunded\",\"sla\":{"
	    "\"first_action_due\":\"2026-11-19T10:00:00Z\",\"resolve_due\":\"2026-11-20T09:00:00Z\","
	    "\"first_action_at\":\"2026-11-19T09:00:00Z\",\"state\":\"breached\"}}", NOW, &s, w,
	    sizeof w);
	is_int(s.state, SLA_BREACHED, "refunded after a breach: breached");
	is_str(due_of("{\"kind\":\"refund_only\",\"status\":\"refunded\",\"sla\":{"
	    "\"resolve_due\":\"2026-11-20T09:00:00Z\",\"first_action_at\":\"x\"}}", d, sizeof d),
	    "(none)", "a done ticket has no running due time");

	/* Closed, or a store without SLA: none. */
	eval("{\"kind\":\"complaint\",\"status\":\"closed\",\"sla\":{"
	    "\"first_action_due\":\"2026-11-19T10:00:00Z\",\"resolve_due\":\"2026-11-20T09:00:00Z\","
	    "\"first_action_at\":null,\"state\":\"breached\"}}", NOW, &s, w, sizeof w);
	ok(s.phase == SLA_PHASE_NONE && s.state == SLA_NONE, "closed: none");
	is_str(w, "", "no words");
	eval("{\"kind\":\"return_refund\",\"status\":\"requested\",\"sla\":null}", NOW, &s, w,
	    sizeof w);
	ok(s.phase == SLA_PHASE_NONE && s.state == SLA_NONE, "\"sla\": null (Medusa): none");
	is_str(sla_state_name(s.state), "none", "named none");

	/* The clocks of a detail. */
	{
		struct sla_clock c[3];
		cJSON *x = ticket("{\"kind\":\"repair\",\"status\":\"received\",\"sla\":{"
		    "\"first_action_due\":\"2026-11-19T10:00:00Z\","
		    "\"resolve_due\":\"2026-11-21T09:00:00Z\","
		    "\"first_action_at\":\"2026-11-19T11:00:00Z\","
		    "\"pickup_due\":\"2026-11-20T09:00:00Z\","
		    "\"pickup_at\":\"2026-11-20T07:00:00Z\",\"state\":\"breached\"}}");

		is_int(sla_clocks(x, c), 3, "a picked-up repair has three clocks");
		ok(c[0].phase == SLA_PHASE_REVIEW && c[0].at_t > c[0].due_t,
		    "the review, done late");
		ok(c[1].phase == SLA_PHASE_PICKUP && c[1].at_t < c[1].due_t,
		    "the pickup, done in time");
		ok(c[2].phase == SLA_PHASE_RESOLUTION && c[2].at == NULL, "the resolution, open");
		cJSON_Delete(x);
	}
	return done_testing();
}
