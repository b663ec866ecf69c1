/*
 * audit.h -- the local audit trail of personal data shown unmasked.
 *
 * Every reveal (the CLI's --reveal, the console's `reveal`) appends one line
 * to $XDG_STATE_HOME/shopdesk/audit.log (mode 0600): when, which profile,
 * which user, what kind and which object.
 */
#ifndef SD_AUDIT_H
#define SD_AUDIT_H

#include "cache.h"
#include "model.h"

/*
 * Record that object id of kind k was shown unmasked ("(list)" for a whole
 * listing). 0, or -1 with *cause naming the file that could not be written.
 */
int	 audit_reveal(struct cache *, const char *profile, enum sd_kind k, const char *id,
	    char **cause);

/*
 * The trail held open for many reveals (a listing's rows, a batch of slips):
 * one open for all of them. audit_trail_open() returns NULL with *cause when
 * the file cannot be opened; audit_trail_record() is audit_reveal() for one
 * object.
 */
struct audit_trail;
struct audit_trail *audit_trail_open(struct cache *, const char *profile, char **cause);
int	 audit_trail_record(struct audit_trail *, enum sd_kind k, const char *id, char **cause);
void	 audit_trail_close(struct audit_trail *);

/* The audit trail's file: $XDG_STATE_HOME/shopdesk/audit.log. Allocated. */
char	*audit_path(void);

/* One reveal read back from the trail. */
struct audit_reveal_rec {
	const char	*at;		/* RFC 3339 */
	const char	*user;
	const char	*kind;		/* "order" */
	const char	*id;		/* an id, or "(list)" */
};
typedef int (*audit_reveal_fn)(void *arg, const struct audit_reveal_rec *);
/*
 * The reveals recorded for profile from since (RFC 3339; NULL: all), oldest
 * first. 0 (also when there is no trail yet), or -1 with *cause.
 */
int	 audit_reveals(const char *profile, const char *since, audit_reveal_fn, void *arg,
	    char **cause);

#endif
