#!/bin/sh
# The TPP's side of the Open Banking flow against the compose stack, run inside gateway-1 (on
# the gateways' `edge` network; scripts/container-test.sh pipes it to `sh -s`). Both gateway
# replicas are used in turn, so every step after registration also proves the replicas share
# the authorization server's PostgreSQL state. Prints one line per step; exits non-zero at the first unexpected answer.
set -eu

g1=https://gateway-1:8443
g2=https://gateway-2:8443
work=$(mktemp -d)
# A copy: `ssa create` records the software it signs for next to the PKI, and the volume is
# mounted read-only here.
cp -r /var/lib/mtls-gateway/pki "$work/pki"
pki="$work/pki"
api=/open-banking/v3.1/aisp/accounts

step() { printf '== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# curl through a gateway with a transport certificate; prints the HTTP status, body in $work/body.
call() { # gateway certificate-name token
    curl -sS -o "$work/body" -w '%{http_code}' --cacert "$pki/root-ca.pem" \
        --cert "$pki/$2.pem" --key "$pki/$2.key" -H "Authorization: Bearer $3" "$1$api"
}

step "SSA signed with the sandbox directory's key (software JWKS on https://directory:8444)"
ob-sandbox ssa create --pki "$pki" --jwks-base-url https://directory:8444 --roles AISP --out "$work/ssa.jwt"

step "POST /register through gateway-1 (MTLS, PS256 request JWT)"
ob-sandbox tpp register --gateway "$g1" --pki "$pki" --ssa "$work/ssa.jwt" > "$work/registration.json" \
    || { cat "$work/registration.json"; fail "registration"; }
client_id=$(sed -n 's/.*"client_id" *: *"\([^"]*\)".*/\1/p' "$work/registration.json" | head -n 1)
registration_token=$(sed -n 's/.*"registration_access_token" *: *"\([^"]*\)".*/\1/p' "$work/registration.json" | head -n 1)
[ -n "$client_id" ] && [ -n "$registration_token" ] || { cat "$work/registration.json"; fail "no client_id or registration_access_token"; }
echo "client_id $client_id"

step "POST /token through gateway-2 (tls_client_auth, certificate-bound)"
token=$(ob-sandbox tpp token --gateway "$g2" --pki "$pki" --client-id="$client_id" --scope accounts --field access_token) \
    || fail "token: $token"

step "GET $api through gateway-1 with the bound token"
status=$(call "$g1" tpp-transport "$token")
[ "$status" = 200 ] && grep -q '"AccountId"' "$work/body" || { cat "$work/body"; fail "accounts answered $status"; }
echo "200 with $(grep -o '"AccountId"' "$work/body" | wc -l) accounts"

step "the same token with another TPP certificate is refused (RFC 8705 §3)"
status=$(call "$g2" tpp-obwac-transport "$token")
[ "$status" = 401 ] || [ "$status" = 403 ] || { cat "$work/body"; fail "another certificate got $status"; }
echo "$status"

step "GET /register/{client_id} through gateway-2"
ob-sandbox tpp get --gateway "$g2" --pki "$pki" --token="$registration_token" --field client_id -- "$client_id" >/dev/null \
    || fail "read registration"
echo "200"

step "DELETE /register/{client_id} through gateway-1"
ob-sandbox tpp delete --gateway "$g1" --pki "$pki" --token="$registration_token" -- "$client_id" > "$work/delete.txt" \
    || { cat "$work/delete.txt"; fail "delete"; }
echo "deleted"

step "after DELETE: no new token, no registration (through gateway-2)"
if ob-sandbox tpp token --gateway "$g2" --pki "$pki" --client-id="$client_id" > "$work/token-after.txt"; then
    cat "$work/token-after.txt"; fail "a deleted client got a token"
fi
grep -q invalid_client "$work/token-after.txt" || { cat "$work/token-after.txt"; fail "expected invalid_client"; }
if ob-sandbox tpp get --gateway "$g2" --pki "$pki" --token="$registration_token" -- "$client_id" > "$work/get-after.txt"; then
    cat "$work/get-after.txt"; fail "a deleted registration was readable"
fi
echo "refused"

step "after DELETE: the deleted client's unexpired token is refused by the API (introspection)"
status=$(call "$g1" tpp-transport "$token")
[ "$status" = 401 ] || { cat "$work/body"; fail "API answered $status to a deleted client's token"; }
echo "401"

step "a certificate from another CA is refused at the handshake"
if curl -sS -o /dev/null --cacert "$pki/root-ca.pem" --cert "$pki/other-ca-transport.pem" \
    --key "$pki/other-ca-transport.key" "$g1/register" 2> "$work/other-ca.txt"; then
    fail "a certificate from another CA was accepted"
fi
echo "refused: $(head -n 1 "$work/other-ca.txt")"

echo "TPP flow: all steps passed"
