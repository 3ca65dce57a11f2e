#!/usr/bin/env bash
# TLS is always verified: a GitLab with a private CA works only when the CA
# is given (CI_SERVER_TLS_CA_FILE, else SSL_CERT_FILE), and a certificate for
# another name is refused. No token is sent before the handshake succeeds.
. "$(dirname "$0")/helpers.bash"
need_cmd openssl

NOTE="$PLATCI_BIN/platci-note"
MARK='<!-- platci:validate:all -->'
printf '%s\nok\n' "$MARK" >"$T_TMP/a.md"

cert() { # cert NAME SAN
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" -addext "subjectAltName=$2" \
    -keyout "$T_TMP/$1.key" -out "$T_TMP/$1.pem" >/dev/null 2>&1 || skip "openssl cannot make a test certificate"
}
cert ip IP:127.0.0.1
cert other DNS:gitlab.example.com

start_fake --tls-cert "$T_TMP/ip.pem" --tls-key "$T_TMP/ip.key"
export CI_API_V4_URL="https://127.0.0.1:$FAKE_PORT/api/v4"
seed_mr() { curl -sf --cacert "$T_TMP/ip.pem" -X POST "https://127.0.0.1:$FAKE_PORT/__fake/seed" \
  -d '{"merge_requests": [{"iid": 12}]}' >/dev/null; }
seed_mr || fail "cannot seed the TLS fake"

# Unknown CA: refused at once (retrying cannot fix it), nothing reached the server.
expect_exit 69 -- "$NOTE" --file "$T_TMP/a.md"
assert_contains "$T_TMP/err" "SSL certificate problem"
[ "$(count_req GET .)" = 0 ] || fail "a request got through without a trusted certificate"
grep -q "retry" "$T_TMP/err" && fail "a TLS verification failure was retried"

# The CA given through CI_SERVER_TLS_CA_FILE, then through SSL_CERT_FILE.
( export CI_SERVER_TLS_CA_FILE="$T_TMP/ip.pem"; expect_exit 0 -- "$NOTE" --file "$T_TMP/a.md"; finish ) >/dev/null \
  || fail "CI_SERVER_TLS_CA_FILE not used"
( export SSL_CERT_FILE="$T_TMP/ip.pem"; expect_exit 0 -- "$NOTE" --file "$T_TMP/a.md"; finish ) >/dev/null \
  || fail "SSL_CERT_FILE not used"
[ "$(count_req POST '/notes$')" = 1 ] || fail "over TLS: more than one note posted"

# A certificate for another name, signed by a CA we trust: refused (host name verified).
start_fake --tls-cert "$T_TMP/other.pem" --tls-key "$T_TMP/other.key"
export CI_API_V4_URL="https://127.0.0.1:$FAKE_PORT/api/v4"
( export CI_SERVER_TLS_CA_FILE="$T_TMP/other.pem"; expect_exit 69 -- "$NOTE" --file "$T_TMP/a.md"
  assert_no_token "$T_TMP/err"; finish ) >/dev/null || fail "a certificate for another host was accepted"
[ "$(count_req GET .)" = 0 ] || fail "a request got through to a host with the wrong certificate"

finish
