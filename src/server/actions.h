/*
 * actions.h -- the Store API's write actions and their state machines.
 *
 * actions_run() is called by the HTTP layer with the store locked and a
 * transaction open; it validates the request, checks the caller's role and
 * the object's state, applies the change through store_put() and fills in the
 * HTTP status and JSON body to answer with. It never touches HTTP itself.
 */
#ifndef SD_SERVER_ACTIONS_H
#define SD_SERVER_ACTIONS_H

#include <cjson/cJSON.h>

#include "model.h"
#include "server/store.h"

struct action_req {
	const char		*method;	/* "POST" or "PATCH" */
	enum sd_kind		 kind;
	const char		*id;		/* object id, NULL for creates */
	const char		*action;	/* "ship", "messages", NULL for create/PATCH */
	const cJSON		*body;		/* parsed JSON body (an object) */
	long long		 if_match;	/* -1 when the header is absent */
	const struct store_user	*who;
};

struct action_res {
	int		 status;	/* HTTP status */
	cJSON		*body;		/* response body, owned by the caller after the call */
	int		 applied;	/* 1 when the store was changed */
};

/* Run one action. Always fills res (an error body on failure). */
void	 actions_run(struct store *, const struct action_req *, struct action_res *);

/* Build {"error":{"code":..,"message":..,"details":details}}; details may be NULL (then {}). */
cJSON	*api_error(const char *code, const char *message, cJSON *details);

/* Mask personal data in obj in place for roles that get masked data. */
void	 actions_mask(enum sd_kind, cJSON *obj);

/*
 * The store's refund limit for GET /v1/me: {"amount":50000,"currency":"CNY",
 * "approvers":["admin","finance"]}. Refunds above amount by other roles go
 * to finance as a request (ticket refund_request).
 */
cJSON	*actions_refund_limit(void);

/* The action names the role may perform (for GET /v1/me), as a JSON array. */
cJSON	*actions_permissions(enum sd_role);
/* Carry out the catalogue's scheduled changes that are due (takes the lock). */
void	 actions_catalog_due(struct store *);

#endif
