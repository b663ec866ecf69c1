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

#endif
