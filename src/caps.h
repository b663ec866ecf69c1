/*
 * caps.h -- what the store behind a cache offers.
 *
 * Stores differ: Medusa has no live chat, canned replies or SLA timers, and
 * performs only some of the contract's actions. sync_whoami() records the
 * backend's name, kinds and actions in the cache (sync_state "store.*"),
 * so that the CLI and the console can say so offline, before anything is
 * queued. A cache that has no record (a Store API v1 store, or one never
 * synced) offers everything.
 */
#ifndef SD_CAPS_H
#define SD_CAPS_H

#include "cache.h"
#include "model.h"

#define CAPS_BACKEND_KEY	"store.backend"
#define CAPS_KINDS_KEY		"store.kinds"
#define CAPS_ACTIONS_KEY	"store.actions"

/*
 * The store's refund limit, from GET /v1/me's refund_limit: refunds above
 * it by a role not among the approvers go to finance as a request.
 * "" when the store declares none (Medusa).
 */
#define CAPS_REFUND_LIMIT_KEY	"store.refund_limit"
#define CAPS_REFUND_ROLES_KEY	"store.refund_approvers"

/* The words every surface uses for what a store lacks. */
#define CAPS_NOT_OFFERED	"not offered by this store"

/* The word in store.kinds that says tickets have SLA timers. */
#define CAPS_SLA_WORD		"sla"

/* Whether the cache's store has objects of kind k. */
int	 caps_kind_offered(struct cache *, enum sd_kind);
/* Whether its tickets have SLA timers (store.kinds has "sla"). */
int	 caps_sla_offered(struct cache *);
/* Whether it performs the action noun.name ("orders", "ship"). */
int	 caps_action_offered(struct cache *, const char *noun, const char *name);
/*
 * The refund limit in fen, or -1 when the store declares none (or the
 * cache never learnt it); *approvers (may be NULL) receives the bits
 * (1 << enum sd_role) of the roles it does not apply to.
 */
long long caps_refund_limit(struct cache *, unsigned *approvers);
/*
 * Whether a refund of amount by role (-1: unknown) goes to finance as a
 * request rather than being made: above the store's limit, by a role that
 * is not an approver. Unknown limit or role: 0 (the store decides).
 */
int	 caps_refund_to_finance(struct cache *, int role, long long amount);
/*
 * Whether the record of what the store offers was made by another build of
 * the backend named name, which performs actions ("*" for all when NULL):
 * recorded for that backend, with other actions (say, by a build before
 * it learnt stock.price). Such a record is redone by the next sync, so that
 * an upgrade does not go on refusing what the backend now performs.
 */
int	 caps_stale(struct cache *, const char *name, const char *actions);
/* The backend's name ("storeapi" when none is recorded); caller frees. */
char	*caps_backend(struct cache *);
/*
 * "chats are not offered by this store (medusa)": the sentence for a
 * refused kind or action, for messages; caller frees. what is the thing
 * refused ("chats", "orders ship").
 */
char	*caps_refusal(struct cache *, const char *what);

#endif
