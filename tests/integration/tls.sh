#!/usr/bin/env bash
# tls.sh -- transport: the reference store over TLS with a test CA, the client
# verifying it, and signed requests against replay, clock skew and tampering.
. "${top_srcdir:-.}/tests/integration/lib.sh"

if ! command -v openssl >/dev/null; then
	echo "1..0 # SKIP no openssl command to make the test certificates"
	exit 0
fi

# ---- a test CA, and certificates signed by it or not -------------------------
P="$T/pki"
mkdir -p "$P"
(
	cd "$P" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
		-subj "/CN=shopdesk test CA" -addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign"
	# leaf NAME SAN: a key and a certificate signed by the CA.
	leaf() {
		openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$1"
		printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$2" >"$1.ext"
		openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
			-extfile "$1.ext" -out "$1.pem"
	}
	leaf good "IP:127.0.0.1"
	leaf othername "DNS:store.example.com"
	# Self-signed, for the right address, but by no CA the client knows.
	openssl req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem -days 2 \
		-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1"
) >"$T/openssl.log" 2>&1
ok $? "made a test CA and three server certificates"

# ---- the store's options -----------------------------------------------------
"$SHOPDESK_STORE" --port 0 --tls-cert "$P/good.pem" --quiet 2>"$T/e"
is "$?:$(grep -c 'go together' "$T/e")" "2:1" "--tls-cert without --tls-key is a usage error"
"$SHOPDESK_STORE" --port 0 --tls-cert "$P/ca.srl" --tls-key "$P/good.key" --quiet 2>"$T/e"
is "$?:$(grep -c 'not a PEM file' "$T/e")" "2:1" "a certificate that is not PEM is refused, naming the file: $(cat "$T/e" | head -1)"
"$SHOPDESK_STORE" --port 0 --tls-cert "$P/good.pem" --tls-key "$P/self.key" --quiet --port-file "$T/p2" 2>"$T/e" &
spid=$!
# It exits at once; a loaded machine may take seconds to get there.
for i in $(seq 300); do kill -0 $spid 2>/dev/null || break; sleep 0.1; done
if kill -0 $spid 2>/dev/null; then
	kill $spid
	wait $spid
	ok 1 "a key that does not belong to the certificate is refused"
else
	wait $spid
	is "$?:$(grep -c 'belong together' "$T/e")" "1:1" "a key that does not belong to the certificate is refused: $(head -1 "$T/e")"
fi

# ---- a store with a certificate from the test CA -----------------------------
start_store --seed 1 --orders 50 --tls-cert "$P/good.pem" --tls-key "$P/good.key"
URL="https://127.0.0.1:$PORT"

code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$P/ca.pem" "$URL/v1/me")
is "$code" 401 "curl with the test CA reaches the store over TLS (401 without a token)"
curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/me" --max-time 5
ok "$([ $? != 0 ] && echo 0 || echo 1)" "plain HTTP to the TLS port gets no answer"

# Three profiles on one cache: a refused store must leave it unbound.
mkdir -p "$XDG_CONFIG_HOME/shopdesk"
for p in "noca:" "withca:ca-file = $P/ca.pem" "wrongca:ca-file = $P/self.pem"; do
	printf '[%s]\nurl = %s\ntoken-file = %s\ncache = %s\n%s\n' "${p%%:*}" "$URL" "$T/tokens/admin.token" \
		"$T/tls.db" "${p#*:}" >>"$XDG_CONFIG_HOME/shopdesk/config"
done

"$SHOPDESK" --profile noca sync >"$T/o" 2>"$T/e"
rc=$?
ok "$([ $rc != 0 ] && grep -q 'certificate is not trusted' "$T/e" && grep -q 'ca-file =' "$T/e" && echo 0 || echo 1)" \
	"without ca-file the client refuses the store's certificate (exit $rc): $(head -1 "$T/e")"

"$SHOPDESK" --profile wrongca sync >"$T/o" 2>"$T/e"
rc=$?
ok "$([ $rc != 0 ] && grep -q 'certificate is not trusted' "$T/e" && grep -q 'ca-file =' "$T/e" && echo 0 || echo 1)" \
	"with ca-file naming another certificate the client refuses (exit $rc)"

"$SHOPDESK" --profile withca sync >"$T/o" 2>"$T/e"
ok $? "with ca-file naming the test CA the client syncs over TLS, on the cache the refusals left unbound $(head -1 "$T/e")"
n=$("$SHOPDESK" --profile withca orders list --format json 2>/dev/null | grep -c '"id"')
ok "$([ "$n" -gt 0 ] && echo 0 || echo 1)" "and its cache holds the store's orders ($n)"
# A write goes over TLS too.
"$SHOPDESK" --profile withca orders list --format json >"$T/list.json" 2>/dev/null
oid=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/list.json'), '\$[0].id');")
"$SHOPDESK" --profile withca orders note "$oid" --text "over TLS" >/dev/null 2>"$T/e" &&
	"$SHOPDESK" --profile withca sync >/dev/null 2>>"$T/e"
ok $? "a note on $oid is queued and sent over TLS $(head -1 "$T/e")"
code=$(curl -s -o "$T/o" -w '%{http_code}' --cacert "$P/ca.pem" -H @<(printf 'Authorization: Bearer %s\n' "$(cat "$T/tokens/admin.token")") "$URL/v1/orders/$oid")
ok "$([ "$code" = 200 ] && grep -q 'over TLS' "$T/o" && echo 0 || echo 1)" "the store holds the note"
stop_store

# The same store behind a certificate for another name: refused even with the CA.
start_store --seed 1 --orders 50 --tls-cert "$P/othername.pem" --tls-key "$P/othername.key"
rm -f "$T/tls.db"*
sed -i "s#^url = .*#url = https://127.0.0.1:$PORT#" "$XDG_CONFIG_HOME/shopdesk/config"
"$SHOPDESK" --profile withca sync >"$T/o" 2>"$T/e"
rc=$?
ok "$([ $rc != 0 ] && grep -q 'certificate is for another host name' "$T/e" && echo 0 || echo 1)" \
	"a certificate for another host name is refused even from the right CA (exit $rc): $(head -1 "$T/e")"
stop_store

# A self-signed certificate: refused with ca-file naming the test CA.
start_store --seed 1 --orders 50 --tls-cert "$P/self.pem" --tls-key "$P/self.key"
rm -f "$T/tls.db"*
sed -i "s#^url = .*#url = https://127.0.0.1:$PORT#" "$XDG_CONFIG_HOME/shopdesk/config"
"$SHOPDESK" --profile withca sync >"$T/o" 2>"$T/e"
rc=$?
ok "$([ $rc != 0 ] && grep -q 'certificate is not trusted' "$T/e" && grep -q 'ca-file =' "$T/e" && echo 0 || echo 1)" \
	"a self-signed certificate is refused (exit $rc)"
# ...and accepted only when ca-file names that very certificate.
"$SHOPDESK" --profile wrongca sync >"$T/o" 2>"$T/e"
ok $? "accepted when ca-file names that certificate itself $(head -1 "$T/e")"
stop_store

# ---- signed requests -----------------------------------------------------------
start_store --seed 1 --orders 50 --require-signing
TOKEN=$(cat "$T/tokens/admin.token")
# signed METHOD PATH BODY TS NONCE [SIGN_BODY] [SIGN_PATH]: an HTTP code and the error code.
signed() {
	local method=$1 path=$2 body=$3 ts=$4 nonce=$5 sbody=${6-$3} spath=${7-$2} bh sig
	bh=$(printf %s "$sbody" | openssl dgst -sha256 -r | cut -d' ' -f1)
	sig=$(printf '%s\n%s\n%s\n%s\n%s' "$method" "$spath" "$ts" "$nonce" "$bh" |
		openssl dgst -sha256 -hmac "$TOKEN" -r | cut -d' ' -f1)
	{
		printf 'Authorization: Bearer %s\n' "$TOKEN"
		printf 'X-Shopdesk-Timestamp: %s\nX-Shopdesk-Nonce: %s\nX-Shopdesk-Signature: %s\n' "$ts" "$nonce" "$sig"
	} >"$T/sig.h"
	local args=(-s -o "$T/sig.body" -w '%{http_code}' -X "$method" -H @"$T/sig.h")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' -H "Idempotency-Key: k-$nonce" -H "If-Match: $VER" --data-binary "$body")
	printf '%s %s' "$(curl "${args[@]}" "$URL$path")" \
		"$(sqlite3 :memory: "SELECT json_extract(readfile('$T/sig.body'), '\$.error.code');")"
}
now=$(date +%s)
VER=
is "$(signed GET /v1/me "" "$now" nonceAAAAAAAAAAAAAAAA1)" "200 " "a request signed as the contract's recipe says is accepted"
is "$(signed GET /v1/me "" "$now" nonceAAAAAAAAAAAAAAAA1)" "401 nonce_reused" "the same request again (a replay) is refused: nonce_reused"
is "$(signed GET /v1/me "" $((now - 250)) nonceAAAAAAAAAAAAAAAA2)" "200 " "a clock 250 s behind is within the allowed skew"
is "$(signed GET /v1/me "" $((now - 400)) nonceAAAAAAAAAAAAAAAA3)" "401 stale_timestamp" "a clock 400 s behind is refused: stale_timestamp"
is "$(signed GET /v1/me "" $((now + 400)) nonceAAAAAAAAAAAAAAAA4)" "401 stale_timestamp" "a clock 400 s ahead is refused: stale_timestamp"
signed GET "/v1/orders?limit=1" "" "$now" nonceEEEEEEEEEEEEEEEE1 >/dev/null
oid=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/sig.body'), '\$.items[0].id');")
VER=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/sig.body'), '\$.items[0].version');")
# Tampering: the body, the path, the method changed after signing.
is "$(signed POST "/v1/orders/$oid/note" '{"text":"tampered"}' "$now" nonceBBBBBBBBBBBBBBBB1 '{"text":"signed"}')" \
	"401 bad_signature" "a body changed after signing is refused: bad_signature"
is "$(signed POST "/v1/orders/$oid/note" '{"text":"x"}' "$now" nonceBBBBBBBBBBBBBBBB2 '{"text":"x"}' "/v1/orders/OTHER/note")" \
	"401 bad_signature" "a path changed after signing is refused: bad_signature"
is "$(signed GET "/v1/orders/$oid" '' "$now" nonceBBBBBBBBBBBBBBBB3 '' "/v1/orders/$oid?x=1")" \
	"401 bad_signature" "a query changed after signing is refused: bad_signature"
# A different token's key: the signature of another user does not pass as admin's.
TOKEN_REAL=$TOKEN
TOKEN=$(cat "$T/tokens/agent1.token")
sig_other=$(signed GET /v1/me "" "$now" nonceCCCCCCCCCCCCCCCC1)
TOKEN=$TOKEN_REAL
sed -i "s/^Authorization: Bearer .*/Authorization: Bearer $TOKEN_REAL/" "$T/sig.h"
sed -i "s/^X-Shopdesk-Nonce: .*/X-Shopdesk-Nonce: nonceCCCCCCCCCCCCCCCC2/" "$T/sig.h"
code=$(curl -s -o "$T/sig.body" -w '%{http_code}' -H @"$T/sig.h" "$URL/v1/me")
is "$code $(sqlite3 :memory: "SELECT json_extract(readfile('$T/sig.body'), '\$.error.code');")" "401 bad_signature" \
	"a signature made with another user's token is refused"
is "$(signed POST "/v1/orders/$oid/note" '{"text":"signed note"}' "$now" nonceDDDDDDDDDDDDDDDD1)" "200 " "the untampered write is applied"
signed GET "/v1/orders/$oid" "" "$now" nonceEEEEEEEEEEEEEEEE2 >/dev/null
ok "$(grep -q 'signed note' "$T/sig.body" && ! grep -q 'tampered' "$T/sig.body" && echo 0 || echo 1)" "only the untampered note reached the order"
stop_store

done_testing
