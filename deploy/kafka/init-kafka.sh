#!/usr/bin/env bash
# docker-compose.yml, service kafka-init (image apache/kafka, runs once per `docker compose up`, before
# the services): creates or updates the SCRAM users, creates the topics (topics.sh) and the ACLs
# (acls.sh). Every step is idempotent: a re-run changes nothing but passwords that were changed.
# It logs in as the broker's own super user on the internal BROKER listener.
#   env: KAFKA_BROKER_PASSWORD and one KAFKA_<USER>_PASSWORD per user below (required),
#        DOWNSTREAM_PRINCIPALS (optional: space-separated downstream readers of revocations, each with
#        its KAFKA_<NAME>_PASSWORD, e.g. billing-gateway -> KAFKA_BILLING_GATEWAY_PASSWORD),
#        BOOTSTRAP (default kafka:9094), PARTITIONS (default 6), REPLICATION_FACTOR (default 1),
#        KAFKA_BIN (default /opt/kafka/bin)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PATH="${KAFKA_BIN:-/opt/kafka/bin}:$PATH"
export BOOTSTRAP="${BOOTSTRAP:-kafka:9094}"
export PARTITIONS="${PARTITIONS:-6}"
export REPLICATION_FACTOR="${REPLICATION_FACTOR:-1}"

# admin: operators' super user; the others: one per service, and the orchestrators' user that may only
# write task events (io.jitbroker.devstack.KafkaAccess); then the deployment's downstream readers
# (acls.sh lets each read revocations in its own groups).
USERS=(admin request-service policy-service issuer-service revocation-service orchestrator)
export DOWNSTREAM_PRINCIPALS="${DOWNSTREAM_PRINCIPALS:-}"
USERS+=(${DOWNSTREAM_PRINCIPALS:-})
SCRAM_ITERATIONS=8192

die() { echo "init-kafka: $*" >&2; exit 1; }
log() { echo "init-kafka: $*"; }
password_of() {  # request-service -> $KAFKA_REQUEST_SERVICE_PASSWORD
  local variable="KAFKA_$(echo "$1" | tr 'a-z-' 'A-Z_')_PASSWORD"
  local value="${!variable:-}"
  [[ "$value" =~ ^[A-Za-z0-9_-]{16,}$ ]] \
    || die "$variable must be set to at least 16 characters of [A-Za-z0-9_-] (openssl rand -hex 32)"
  printf '%s' "$value"
}

umask 077
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export COMMAND_CONFIG="$WORK/broker-login.properties"
cat >"$COMMAND_CONFIG" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="$(password_of broker)";
PROPERTIES

# Every name and password is checked before anything changes.
for name in ${DOWNSTREAM_PRINCIPALS:-}; do
  [[ "$name" =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "DOWNSTREAM_PRINCIPALS: '$name' must match [a-z0-9][a-z0-9-]*"
done
for user in "${USERS[@]}"; do
  password_of "$user" >/dev/null
done

log "waiting for the broker at $BOOTSTRAP"
for attempt in $(seq 1 60); do
  if kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --list >/dev/null 2>&1; then
    break
  fi
  [ "$attempt" -lt 60 ] || die "the broker at $BOOTSTRAP did not answer within 2 minutes"
  sleep 2
done

for user in "${USERS[@]}"; do
  # From a file, never the command line (the process list). In a file the value goes without the
  # brackets of the command-line form; the output is masked so that no failure prints a password.
  printf 'SCRAM-SHA-512=iterations=%s,password=%s\n' "$SCRAM_ITERATIONS" "$(password_of "$user")" >"$WORK/scram.properties"
  if ! output="$(kafka-configs.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --alter \
      --entity-type users --entity-name "$user" --add-config-file "$WORK/scram.properties" 2>&1)"; then
    echo "$output" | sed -E 's/password=[^],[:space:]]*/password=****/g' >&2
    die "setting the SCRAM credentials of $user failed"
  fi
  log "SCRAM-SHA-512 credentials of $user set"
done
rm -f "$WORK/scram.properties"

log "creating topics ($PARTITIONS partitions, replication factor $REPLICATION_FACTOR)"
bash "$HERE/topics.sh" | sed "/^WARNING: Due to limitations in metric names/d"
log "creating ACLs"
bash "$HERE/acls.sh" >/dev/null
log "done"
