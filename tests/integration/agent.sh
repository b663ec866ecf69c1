#!/usr/bin/env bash
# agent.sh -- `agent stats` against the reference store, seeded as of now so
# that its chats fall today: the profile's own user by default, an agent's
# first response to a waiting customer counts today (one more chat, one more
# first response), breached tickets as the cache counts them, another agent
# by login, and an unknown one or format refused.
. "${top_srcdir:-.}/tests/integration/lib.sh"

# Seeded as of a minute ago: "today" has the seed's chats (unless it is
# just past midnight, when yesterday's do not count: wait a minute then).
now=$(date -u +%s)
if [ "$(TZ=UTC date -u -d @"$now" +%H%M)" = 0000 ]; then sleep 61; now=$(date -u +%s); fi
start_store --orders 300 --now "$(date -u -d @"$((now - 60))" +%Y-%m-%dT%H:%M:%SZ)"
export TZ=UTC
profile agent1
PROFILE=agent1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }

# --- agent stats ------------------------------------------------------------

sd agent stats --format json >"$T/a1"
is "$?" 0 "agent stats: the profile's own user"
j() { sqlite3 :memory: "SELECT json_extract(readfile('$1'), '\$.$2')"; }
is "$(j "$T/a1" agent.login)" agent1 "... is agent1"
# A customer waiting in a conversation no agent has written in yet.
cv=$(sqlite3 "$T/agent1.db" "SELECT c.id FROM conversations c WHERE c.waiting_since IS NOT NULL
	AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id
	AND m.author = 'agent') ORDER BY c.id LIMIT 1")
ok "$([ -n "$cv" ] && echo 0 || echo 1)" "a customer waits in $cv, unanswered"
sd chats accept "$cv" --wait >/dev/null 2>&1
sd chats send "$cv" --body "您好，我来帮您查一下。" --wait >/dev/null 2>"$T/e"
is "$?" 0 "agent1 answers $cv ($(head -c 120 "$T/e"))"
sd sync --quiet >/dev/null 2>&1
sd agent stats agent1 --format json >"$T/a2"
is "$(j "$T/a2" chats)" "$(( $(j "$T/a1" chats) + 1 ))" "one more chat handled today"
is "$(j "$T/a2" first_responses)" "$(( $(j "$T/a1" first_responses) + 1 ))" \
	"one more first response"
ok "$([ "$(j "$T/a2" first_response_avg_s)" -gt 0 ] && echo 0 || echo 1)" \
	"an average first response time ($(j "$T/a2" first_response_avg_s) s)"
sd agent stats agent1 >"$T/text"
grep -Eq '^chats handled    [0-9]+$' "$T/text" && grep -Eq '^first response   [0-9hmds]+ on average over [0-9]+, [0-9]+% within 30 s' "$T/text" &&
	grep -Eq '^tickets breached [0-9]+, [0-9]+ still open$' "$T/text"
ok $? "agent stats in text: chats, first response, tickets breached"
# Breached tickets: as counted from the cache, by the same rule.
want=$(sqlite3 "$T/agent1.db" "SELECT count(*) FROM tickets WHERE assignee = 'U3'
	AND (sla_state = 'breached' OR sla_due < strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")
is "$(j "$T/a2" tickets_breached)" "$want" "agent1's breached tickets ($want)"
sd agent stats agent2 --format json >"$T/a3"
is "$(j "$T/a3" agent.id)" U4 "agent stats agent2: another agent by login"
sd agent stats nobody >/dev/null 2>"$T/e"
is "$?" 2 "an unknown agent exits 2"
grep -q "no user 'nobody' in the cache (users: agent1, " "$T/e"
ok $? "... naming the users ($(head -c 120 "$T/e"))"
sd agent stats agent1 --format yaml >/dev/null 2>"$T/e"
is "$?" 2 "an unknown format exits 2"

done_testing
