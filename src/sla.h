/*
 * sla.h -- the one model of a ticket's service-level clocks.
 *
 * A ticket runs through up to three clocks, one at a time (DOMAIN.md's
 * table, man shopdesk-storeapi(7) "sla"): the first action (a review for
 * the kinds that are reviewed, a first response for complaints and
 * logistics problems) until sla.first_action_at is set; then, for a return,
 * exchange or repair once approved, the pickup until sla.pickup_at is set;
 * then the resolution. sla_eval() says which clock matters now, when it is
 * due, how long is left and the state, from the ticket alone and a "now":
 * the list, the detail, the list's order, the dashboard and the CLI all
 * read it here, so they cannot disagree. Pure functions: no I/O.
 */
#ifndef SD_SLA_H
#define SD_SLA_H

#include <time.h>

#include <cjson/cJSON.h>

#include "util/buf.h"

enum sla_phase {
	SLA_PHASE_NONE,		/* no clock: closed, or a store without SLA */
	SLA_PHASE_REVIEW,	/* first action of a reviewed kind (refunds, returns...) */
	SLA_PHASE_RESPONSE,	/* first action of a complaint or logistics problem */
	SLA_PHASE_PICKUP,	/* the return's pickup, after approval */
	SLA_PHASE_RESOLUTION,	/* the ticket resolved */
};

enum sla_state {
	SLA_NONE,		/* no clock (closed, "sla": null) */
	SLA_ACTIVE,		/* running, on time */
	SLA_WARNING,		/* running, less than a quarter of the phase's time left */
	SLA_BREACHED,		/* a due time passed (this clock or an earlier one) */
	SLA_MET,		/* the work was done in time */
};

/*
 * Which tickets the Dashboard counts, as conditions on the cache's tickets
 * (sla_due: the running clock's due time, NULL once done; sla_state: the
 * store's word), so that its figures and the lists they open count the same
 * rows. Each ? is bound to an RFC 3339 time, in this order: SLA_SQL_NEAR to
 * now, then now + SLA_NEAR_SECS; SLA_SQL_BREACHED to now. Near breach: due
 * within the hour (or the store says warning) and not yet past; breached:
 * past, or an earlier clock ran out.
 */
#define SLA_NEAR_SECS		3600
#define SLA_SQL_RUNNING		"sla_due IS NOT NULL"
#define SLA_SQL_NEAR		"(sla_due IS NOT NULL AND sla_due >= ? AND"	\
				" (sla_state = 'warning' OR sla_due <= ?))"
#define SLA_SQL_BREACHED	"(sla_due IS NOT NULL AND (sla_due < ? OR"	\
				" sla_state = 'breached'))"

struct sla_now {
	enum sla_phase	 phase;
	enum sla_state	 state;
	time_t		 due;		/* the phase's due time; 0 with SLA_PHASE_NONE */
	time_t		 start;		/* when the phase's clock started (its window) */
	long long	 left;		/* due - now, seconds; negative when overdue */
	int		 running;	/* a clock runs (active, warning or breached, not done) */
};

/* One of a ticket's clocks, for a detail that shows them all. */
struct sla_clock {
	enum sla_phase	 phase;
	const char	*due;		/* RFC 3339, borrowed from the ticket */
	const char	*at;		/* when it was done (first action, pickup), or NULL */
	time_t		 due_t;
	time_t		 at_t;		/* 0 when not done (or not recorded) */
};

/*
 * The clocks the ticket has, in order (first action, pickup, resolution),
 * into c[3]; how many. None for "sla": null.
 */
int		 sla_clocks(const cJSON *ticket, struct sla_clock c[3]);
/* The clock that matters for ticket at now. */
void		 sla_eval(const cJSON *ticket, time_t now, struct sla_now *);
/* "review", "response", "pickup", "resolution", or "" for none. */
const char	*sla_phase_name(enum sla_phase);
/* "active", "warning", "breached", "met", or "none". */
const char	*sla_state_name(enum sla_state);
/*
 * The state in the console's English words (ui/i18n.c's "sla" names, the
 * msgids of its translations): "on time", "due soon", "overdue", "met", "".
 */
const char	*sla_state_words(enum sla_state);
/*
 * The clock in English words, as the CLI prints it and the console in en:
 * "review 1h20m left", "resolution overdue 15m", "met", "breached", or ""
 * when no clock runs.
 */
void		 sla_describe(const struct sla_now *, struct buf *out);
/* Whether a ticket status means its work is done (refunded, resolved...). */
int		 sla_status_done(const char *status);
/*
 * The due time of the clock that runs (RFC 3339, borrowed from ticket), or
 * NULL when none runs: which clock runs depends on the ticket alone, not on
 * now, so the cache can store it and order the list by it.
 */
const char	*sla_due_str(const cJSON *ticket);

#endif
