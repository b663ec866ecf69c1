/*
 * crash.h -- named crash points for the crash tests.
 *
 * crash_point("push-sent") does nothing unless SHOPDESK_CRASH_AT names that
 * point ("push-sent", or "push-sent:3" for its third passage): then the
 * process is killed there at once (SIGKILL, as kill -9 would), with no
 * cleanup, no atexit and no SQLite rollback. The points are compiled in
 * always and are listed in crash.c with what has happened when they are
 * reached; tests/integration/crash.sh kills each operation at each of them.
 */
#ifndef SD_CRASH_H
#define SD_CRASH_H

void	 crash_point(const char *name);
int	 crash_check_env(char **cause);

#endif
