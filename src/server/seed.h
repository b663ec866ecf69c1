/*
 * seed.h -- deterministic seed data and live activity for the reference store.
 */
#ifndef SD_SERVER_SEED_H
#define SD_SERVER_SEED_H

#include <stdint.h>

#include "server/store.h"

struct seed_opts {
	uint64_t	 seed;		/* RNG seed; same seed, same data */
	long		 orders;	/* number of orders (90 days of history) */
	time_t		 now;		/* "now" for the data set */
	int		 quiet;
};

/*
 * Fill an empty store: users (one or more per role, with random tokens unless
 * token_seed is set), customers, products and SKUs, orders across 90 days in
 * every state, tickets of every kind and state, conversations with messages,
 * promotions of every kind, canned replies. Returns 0, or -1 with *cause.
 */
int	 seed_store(struct store *, const struct seed_opts *, char **cause);

/*
 * Live activity: one step of simulated customer behaviour (a new order, a
 * payment, a customer message, a new ticket, a stock change), chosen at random.
 * Takes the store lock itself. rng is the caller's state.
 */
void	 seed_live_step(struct store *, uint64_t *rng);

/* Small deterministic RNG (splitmix64/xorshift) shared by the store. */
uint64_t seed_rand(uint64_t *state);

#endif
