/*
 * agent.h -- the agent's day between panes: from a chat, ticket, order or
 * customer to the objects it names and back, the next customer to take,
 * the next chat that needs the agent, an after-sales ticket started from a
 * chat, and the bell for a customer's new message.
 */
#ifndef SD_UI_AGENT_H
#define SD_UI_AGENT_H

#include <time.h>

#include <cjson/cJSON.h>

struct app;

/*
 * The clock a waiting customer is answered against: a new chat's first
 * response is due in 30 s (DOMAIN.md's KPI), any other answer in 30 min
 * (the outer limit); the last third before the target is a warning.
 */
#define AGENT_FIRST_RESPONSE_S	30
#define AGENT_REPLY_S		(30 * 60)
struct agent_clock {
	long		 age;		/* seconds the customer has waited */
	long		 due;		/* the target, seconds */
	int		 first;		/* the first response (a new chat) */
	int		 level;		/* 0 on time, 1 warning, 2 overdue */
};
/* Whether a customer waits in conversation conv at now; the clock in *c. */
int	 agent_chat_clock(const cJSON *conv, time_t now, struct agent_clock *c);

/* Queue priority for accept-next: the first queue served with a customer waiting wins. */
#define AGENT_QUEUES	{ "vip", "aftersales", "presales" }

/* Commands (ui/cmdline.h signatures). */
int	 agent_cmd_go(void *app, int argc, char **argv, char **cause);
int	 agent_cmd_back(void *app, int argc, char **argv, char **cause);
int	 agent_cmd_accept_next(void *app, int argc, char **argv, char **cause);
int	 agent_cmd_chat_next(void *app, int argc, char **argv, char **cause);
int	 agent_cmd_new_ticket(void *app, int argc, char **argv, char **cause);
int	 agent_cmd_bell(void *app, int argc, char **argv, char **cause);

/*
 * After the chat id was closed or transferred: select the next chat that
 * needs the agent (theirs with the customer waiting longest, else the
 * longest waiting of their queues), and say which.
 */
void	 agent_after_chat(struct app *, const char *id);

/*
 * The sync brought messages: ring the bell (when the agent opted in) for a
 * customer who wrote in one of the agent's chats since the last call.
 */
void	 agent_on_messages(struct app *);

/*
 * "Waiting: pre-sales 3 (4m) · after-sales 12 (35m) · VIP 0", for the chats
 * pane's title (caller frees), or NULL when the store has no chats.
 */
char	*agent_queue_summary(struct app *);

#endif
