#!/usr/bin/env bash
# new-certs.sh: a private CA and TLS key stores for jit-broker's HTTP listeners, made with the JDK's
# keytool only (docs/OPERATIONS.md, "TLS"). Where an organisation has a CA, use its certificates
# instead: each service needs a PKCS12 key store with its key and certificate chain.
#
#   deploy/tls/new-certs.sh DIR [--client NAME]... HOST...
#
# Writes into DIR (created, mode 700): ca.p12 (the CA's private key: keep it offline), ca.crt (PEM: give
# it to every client and to Prometheus), ca-truststore.p12 (the CA certificate alone, for
# JIT_TLS_CLIENT_CA), <HOST>.p12 per server host (JIT_TLS_KEY_STORE; certificate for DNS name or IP
# HOST, serverAuth) and <NAME>.p12 per --client (a clientAuth certificate for mutual TLS). Every key
# store's password is in DIR/password: $JIT_TLS_KEY_STORE_PASSWORD when set (the compose .env's), else
# the file's if it exists, else a random one.
# Keys are EC P-256, certificates valid for 397 days (the CA for ten years).
set -euo pipefail

die() { echo "new-certs: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: $0 DIR [--client NAME]... HOST..."
DIR=$1; shift
KEYTOOL=${JAVA_HOME:+$JAVA_HOME/bin/}keytool
command -v "$KEYTOOL" >/dev/null || die "keytool (a JDK) is required"

mkdir -p "$DIR" && chmod 700 "$DIR"
umask 077
if [ -n "${JIT_TLS_KEY_STORE_PASSWORD:-}" ]; then
  printf '%s' "$JIT_TLS_KEY_STORE_PASSWORD" > "$DIR/password"
elif [ ! -s "$DIR/password" ]; then
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$DIR/password"
fi
PASS=$(cat "$DIR/password")
kt() { "$KEYTOOL" "$@" -storepass "$PASS" -storetype PKCS12 >/dev/null 2>&1 || { "$KEYTOOL" "$@" -storepass "$PASS" -storetype PKCS12 >&2; die "keytool $1 failed"; }; }

if [ ! -f "$DIR/ca.p12" ]; then
  kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname "CN=jit-broker private CA" \
     -ext bc:c=ca:true -ext ku:c=keyCertSign,cRLSign -validity 3650 -keystore "$DIR/ca.p12"
fi
kt -exportcert -rfc -alias ca -keystore "$DIR/ca.p12" -file "$DIR/ca.crt"
rm -f "$DIR/ca-truststore.p12"
kt -importcert -noprompt -alias ca -file "$DIR/ca.crt" -keystore "$DIR/ca-truststore.p12"

# issue NAME SAN EKU: NAME.p12 with a key and its certificate chain (leaf, CA)
issue() {
  local name=$1 san=$2 eku=$3 store="$DIR/$1.p12"
  rm -f "$store" "$DIR/$name.csr" "$DIR/$name.crt"
  kt -genkeypair -alias "$name" -keyalg EC -groupname secp256r1 -dname "CN=$name" -validity 397 -keystore "$store"
  kt -certreq -alias "$name" -keystore "$store" -file "$DIR/$name.csr"
  kt -gencert -alias ca -keystore "$DIR/ca.p12" -infile "$DIR/$name.csr" -outfile "$DIR/$name.crt" -rfc -validity 397 \
     ${san:+-ext "san=$san"} -ext "eku=$eku" -ext ku:c=digitalSignature
  kt -importcert -noprompt -alias ca -file "$DIR/ca.crt" -keystore "$store"
  kt -importcert -alias "$name" -file "$DIR/$name.crt" -keystore "$store"
  kt -delete -alias ca -keystore "$store"
  rm -f "$DIR/$name.csr"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --client) [ $# -ge 2 ] || die "--client needs a NAME"; issue "$2" "" clientAuth; shift 2 ;;
    *) if [[ $1 =~ ^[0-9.]+$ || $1 == *:* ]]; then san="ip:$1"; else san="dns:$1"; fi
       issue "$1" "$san" serverAuth; shift ;;
  esac
done
chmod 644 "$DIR"/*.crt   # certificates are public; keys stay 600
echo "new-certs: key stores in $DIR (password in $DIR/password; CA certificate $DIR/ca.crt)"
