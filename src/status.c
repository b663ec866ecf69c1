/*
 * status.c -- the table of outcomes and exit codes.
 */
#include "config.h"

#include "status.h"

static const struct status_info statuses[SD__COUNT] = {
	{ SD_OK, "ok", 0, "success" },
	{ SD_EFAIL, "failure", 1, "an unexpected failure" },
	{ SD_EUSAGE, "usage", 2, "the command line is wrong" },
	{ SD_ECONFIG, "config", 3, "the configuration or token file is missing or unsafe" },
	{ SD_EAUTH, "auth", 4, "the store refused the token or the role may not do this" },
	{ SD_ENOTFOUND, "not-found", 5, "no such object" },
	{ SD_ENETWORK, "network", 6, "the store could not be reached (the cache still answers)" },
	{ SD_ESERVER, "server", 7, "the store answered with an error or a malformed response" },
	{ SD_ECACHE, "cache", 8, "the local cache could not be read or written" },
	{ SD_ECONFLICT, "conflict", 9, "the object changed on the store; resolve the conflict" },
	{ SD_EREFUSED, "refused", 10, "the store refused the action" },
	{ SD_EQUEUED, "queued", 11, "the action is saved but not yet applied (offline)" },
	{ SD_ESKIPPED, "skipped", 12, "a CSV batch queued its good lines and skipped the bad ones" },
	{ SD_EINTR, "interrupted", 130, "interrupted by a signal" },
};

const struct status_info *
status_info(enum sd_status s)
{
	return &statuses[s];
}

int
status_exit_code(enum sd_status s)
{
	return statuses[s].exit_code;
}
