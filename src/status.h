/*
 * status.h -- the outcomes a core operation can have, as one table.
 *
 * Each status has a stable name, the exit code the CLI returns for it and a
 * short description; shopdesk(1)'s EXIT STATUS section lists the same table
 * (a test checks that they agree).
 */
#ifndef SD_STATUS_H
#define SD_STATUS_H

enum sd_status {
	SD_OK,
	SD_EFAIL,		/* internal or unclassified failure */
	SD_EUSAGE,		/* bad command line */
	SD_ECONFIG,		/* bad or missing configuration, token file */
	SD_EAUTH,		/* the store refused the token (401) or role (403) */
	SD_ENOTFOUND,		/* no such object */
	SD_ENETWORK,		/* store unreachable, connection dropped, timed out */
	SD_ESERVER,		/* store answered with 5xx, 429 or a malformed body */
	SD_ECACHE,		/* local cache unreadable or unwritable */
	SD_ECONFLICT,		/* 409/412: someone else changed it */
	SD_EREFUSED,		/* 422: the store refused the action */
	SD_EQUEUED,		/* action saved but not yet applied (offline) */
	SD_ESKIPPED,		/* a CSV batch queued its good lines, skipped bad ones */
	SD_EINTR,		/* interrupted by a signal */
	SD__COUNT
};

struct status_info {
	enum sd_status	 status;
	const char	*name;		/* "network" */
	int		 exit_code;
	const char	*summary;	/* "the store could not be reached" */
};

const struct status_info *status_info(enum sd_status);
int	 status_exit_code(enum sd_status);

#endif
