/*
 * sla.c -- the one model of a ticket's service-level clocks (sla.h).
 */
#include "config.h"

#include <string.h>

#include "columns.h"
#include "sla.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"

/* Kinds whose first action is a review (approve or reject). */
static const char *const sla_reviewed[] = {
	"refund_only", "return_refund", "exchange", "repair", "reship", NULL
};

/* Statuses in which the ticket's work is done (the store's ticket_done). */
static const char *const sla_done[] = {
	"rejected", "refunded", "exchanged", "reshipped", "resolved", NULL
};

/* Statuses in which a return waits for its parcel to be picked up. */
static const char *const sla_pickup_status[] = {
	"approved", "awaiting_return", NULL
};

static int
sla_in(const char *const *set, const char *s)
{
	int i;

	for (i = 0; s != NULL && set[i] != NULL; i++)
		if (strcmp(set[i], s) == 0)
			return 1;
	return 0;
}

int
sla_status_done(const char *status)
{
	return sla_in(sla_done, status);
}

/* A time member of o, or 0 when absent, null or unparsable. */
static time_t
sla_time(const cJSON *o, const char *key)
{
	const char *s = json_str(o, key);
	time_t t;

	if (s == NULL || time_parse_rfc3339(s, &t) != 0)
		return 0;
	return t;
}

/* When the ticket was last approved (its history), or 0. */
static time_t
sla_approved_at(const cJSON *t)
{
	const cJSON *ev;
	const char *a;
	time_t at = 0, x;

	cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(t, "history")) {
		a = json_str(ev, "action");
		if (a != NULL && strcmp(a, "approve") == 0 && (x = sla_time(ev, "at")) != 0)
			at = x;
	}
	return at;
}

/* Whether the ticket's clocks have stopped: its work is done, or the store says met. */
static int
sla_stopped(const cJSON *t, const cJSON *sla)
{
	const char *state = json_str(sla, "state");

	return sla_in(sla_done, json_str(t, "status")) ||
	    (state != NULL && strcmp(state, "met") == 0);
}

/* Which clock runs, by the ticket's own members; its due time's member name. */
static enum sla_phase
sla_phase_of(const cJSON *t, const cJSON *sla, const char **key)
{
	const char *status = json_str(t, "status");

	*key = NULL;
	if (!cJSON_IsObject(sla) || status == NULL || strcmp(status, "closed") == 0)
		return SLA_PHASE_NONE;
	/* Done, or the store says the targets were met: no clock runs. */
	if (sla_stopped(t, sla)) {
		*key = "resolve_due";
		return SLA_PHASE_RESOLUTION;
	}
	if (json_str(sla, "first_action_at") == NULL && json_str(sla, "first_action_due") != NULL) {
		*key = "first_action_due";
		return sla_in(sla_reviewed, json_str(t, "kind")) ? SLA_PHASE_REVIEW :
		    SLA_PHASE_RESPONSE;
	}
	/* Only a store that says when a pickup is due has that clock (no guessing). */
	if (json_str(sla, "pickup_due") != NULL && json_str(sla, "pickup_at") == NULL &&
	    sla_in(sla_pickup_status, status)) {
		*key = "pickup_due";
		return SLA_PHASE_PICKUP;
	}
	if (json_str(sla, "resolve_due") == NULL)
		return SLA_PHASE_NONE;
	*key = "resolve_due";
	return SLA_PHASE_RESOLUTION;
}

const char *
sla_due_str(const cJSON *t)
{
	const cJSON *sla = cJSON_GetObjectItemCaseSensitive(t, "sla");
	const char *key;

	if (sla_phase_of(t, sla, &key) == SLA_PHASE_NONE || key == NULL ||
	    sla_stopped(t, sla))
		return NULL;
	return json_str(sla, key);
}

/* Whether a clock before the one running was missed. */
static int
sla_missed_before(const cJSON *sla, enum sla_phase phase)
{
	time_t at, due;

	if (phase != SLA_PHASE_REVIEW && phase != SLA_PHASE_RESPONSE) {
		at = sla_time(sla, "first_action_at");
		due = sla_time(sla, "first_action_due");
		if (at != 0 && due != 0 && at > due)
			return 1;
	}
	if (phase == SLA_PHASE_RESOLUTION) {
		at = sla_time(sla, "pickup_at");
		due = sla_time(sla, "pickup_due");
		if (at != 0 && due != 0 && at > due)
			return 1;
	}
	return 0;
}

void
sla_eval(const cJSON *t, time_t now, struct sla_now *s)
{
	const cJSON *sla = cJSON_GetObjectItemCaseSensitive(t, "sla");
	const char *key, *prev;
	long long window;
	time_t approved;

	memset(s, 0, sizeof *s);
	s->phase = sla_phase_of(t, sla, &key);
	if (s->phase == SLA_PHASE_NONE || (s->due = sla_time(sla, key)) == 0) {
		s->phase = SLA_PHASE_NONE;
		s->state = SLA_NONE;
		return;
	}
	prev = json_str(sla, "state");
	/* The store's breached is sticky: it saw a clock run out we may not. */
	if (sla_stopped(t, sla)) {
		s->state = (prev != NULL && strcmp(prev, "breached") == 0) ||
		    sla_missed_before(sla, SLA_PHASE_RESOLUTION) ? SLA_BREACHED : SLA_MET;
		return;
	}
	s->running = 1;
	s->left = (long long)(s->due - now);
	switch (s->phase) {
	case SLA_PHASE_REVIEW:
	case SLA_PHASE_RESPONSE:
		s->start = sla_time(t, "created_at");
		break;
	case SLA_PHASE_PICKUP:
		if ((s->start = sla_approved_at(t)) == 0)
			s->start = sla_time(sla, "first_action_at");
		break;
	default:
		/* Approval restarts the resolution clock (the store's approve). */
		approved = sla_approved_at(t);
		s->start = approved != 0 && approved < s->due ? approved :
		    sla_time(t, "created_at");
		break;
	}
	window = s->start != 0 && s->start < s->due ? (long long)(s->due - s->start) : 0;
	if (s->left < 0 || sla_missed_before(sla, s->phase) ||
	    (prev != NULL && strcmp(prev, "breached") == 0))
		s->state = SLA_BREACHED;
	else if (s->left * 4 < window)
		s->state = SLA_WARNING;
	else
		s->state = SLA_ACTIVE;
}

int
sla_clocks(const cJSON *t, struct sla_clock c[3])
{
	static const struct {
		const char	*due;
		const char	*at;
	} keys[3] = {
		{ "first_action_due", "first_action_at" },
		{ "pickup_due", "pickup_at" },
		{ "resolve_due", NULL },
	};
	const cJSON *sla = cJSON_GetObjectItemCaseSensitive(t, "sla");
	int i, n = 0;

	if (!cJSON_IsObject(sla))
		return 0;
	for (i = 0; i < 3; i++) {
		if (json_str(sla, keys[i].due) == NULL)
			continue;
		memset(&c[n], 0, sizeof c[n]);
		c[n].phase = i == 0 ? (sla_in(sla_reviewed, json_str(t, "kind")) ?
		    SLA_PHASE_REVIEW : SLA_PHASE_RESPONSE) : i == 1 ? SLA_PHASE_PICKUP :
		    SLA_PHASE_RESOLUTION;
		c[n].due = json_str(sla, keys[i].due);
		c[n].due_t = sla_time(sla, keys[i].due);
		if (keys[i].at != NULL && (c[n].at = json_str(sla, keys[i].at)) != NULL)
			c[n].at_t = sla_time(sla, keys[i].at);
		n++;
	}
	return n;
}

const char *
sla_phase_name(enum sla_phase p)
{
	switch (p) {
	case SLA_PHASE_REVIEW:		return "review";
	case SLA_PHASE_RESPONSE:	return "response";
	case SLA_PHASE_PICKUP:		return "pickup";
	case SLA_PHASE_RESOLUTION:	return "resolution";
	default:			return "";
	}
}

const char *
sla_state_name(enum sla_state s)
{
	switch (s) {
	case SLA_ACTIVE:	return "active";
	case SLA_WARNING:	return "warning";
	case SLA_BREACHED:	return "breached";
	case SLA_MET:		return "met";
	default:		return "none";
	}
}

const char *
sla_state_words(enum sla_state s)
{
	switch (s) {
	case SLA_ACTIVE:	return "on time";
	case SLA_WARNING:	return "due soon";
	case SLA_BREACHED:	return "overdue";
	case SLA_MET:		return "met";
	default:		return "";
	}
}

void
sla_describe(const struct sla_now *s, struct buf *out)
{
	if (s->phase == SLA_PHASE_NONE)
		return;
	if (!s->running) {
		buf_adds(out, sla_state_name(s->state));
		return;
	}
	buf_addf(out, "%s %s", sla_phase_name(s->phase), s->left < 0 ? "overdue " : "");
	columns_format_duration(s->left < 0 ? -s->left : s->left, out);
	if (s->left >= 0)
		buf_adds(out, " left");
}
