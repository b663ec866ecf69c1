/*
 * faults.h -- fault injection for the reference store.
 *
 * A fault spec is a comma-separated list of name=value items:
 *
 *	latency=200ms,jitter=50ms,bandwidth=10mbit,5xx=0.1,429=0.05,drop=0.02,
 *	truncate=0.02,malformed=0.02,huge=0.1,hang=0.1,headers=0.1,seed=7
 *
 * huge, hang and headers are a hostile store's answers, to prove the
 * client's bounds.
 *
 * "none" or an empty string clears every fault. Each request to /v1/ draws one
 * decision: how long to wait first, how fast its answer may leave and at most
 * one fault.
 */
#ifndef SD_SERVER_FAULTS_H
#define SD_SERVER_FAULTS_H

#include <stdint.h>

enum fault_kind {
	FAULT_NONE,
	FAULT_5XX,		/* answer 500, 502 or 503 without doing anything */
	FAULT_429,		/* answer 429 rate_limited without doing anything */
	FAULT_DROP,		/* close the connection without an answer */
	FAULT_TRUNCATE,		/* send the headers and half the body, then close */
	FAULT_MALFORMED,	/* answer 200 with a body that is not JSON */
	FAULT_HUGE,		/* answer 200 with a body of 128 MiB, made as it is sent */
	FAULT_HANG,		/* never answer (until the client gives up, or 10 minutes) */
	FAULT_HEADERS,		/* answer with 10,000 extra header lines */
	FAULT__COUNT
};

struct fault_spec {
	int		 latency_ms;		/* added before every answer */
	int		 jitter_ms;		/* latency varies by +/- this */
	uint64_t	 bandwidth;		/* answers paced to bits/s; 0 = unpaced */
	double		 rate[FAULT__COUNT];	/* probability of each fault; sum <= 1 */
	uint64_t	 seed;			/* RNG seed */
	int		 has_seed;		/* seed given explicitly */
};

struct fault_decision {
	int		 delay_ms;
	uint64_t	 bandwidth;	/* the answer's pace, bits/s; 0 = unpaced */
	enum fault_kind	 kind;
	int		 status;	/* for FAULT_5XX: 500, 502 or 503 */
};

struct faults;

struct faults	*faults_new(void);
void		 faults_free(struct faults **);

/* Parse spec into *out; -1 with *cause (naming the bad item) on error. */
int		 faults_parse(const char *spec, struct fault_spec *out, char **cause);
/* Normalised text of a spec ("none" when nothing is set); caller frees. */
char		*faults_format(const struct fault_spec *);

/* Replace the active spec (and reseed the RNG); -1 with *cause on error. */
int		 faults_set(struct faults *, const char *spec, char **cause);
/* The active spec, normalised; caller frees. */
char		*faults_get(struct faults *);
/* Draw the decision for one request; thread-safe and deterministic per seed. */
void		 faults_decide(struct faults *, struct fault_decision *);
const char	*faults_kind_name(enum fault_kind);

#endif
