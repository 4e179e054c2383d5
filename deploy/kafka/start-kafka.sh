#!/usr/bin/env bash
# docker-compose.yml, service kafka (image apache/kafka): formats the data directory on first start,
# then runs the broker with server.properties plus the internal listeners' SASL/PLAIN logins.
#   env: KAFKA_BROKER_PASSWORD (required), KAFKA_CLUSTER_ID (required),
#        KAFKA_BIN (default /opt/kafka/bin), SERVER_PROPERTIES (default: server.properties next to this file)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
SERVER_PROPERTIES="${SERVER_PROPERTIES:-$HERE/server.properties}"

die() { echo "start-kafka: $*" >&2; exit 1; }
: "${KAFKA_CLUSTER_ID:?start-kafka: set KAFKA_CLUSTER_ID}"
: "${KAFKA_BROKER_PASSWORD:?start-kafka: set KAFKA_BROKER_PASSWORD}"
# It goes into a JAAS line: keep it to characters that need no quoting (openssl rand -hex 32).
[[ "$KAFKA_BROKER_PASSWORD" =~ ^[A-Za-z0-9_-]{16,}$ ]] \
  || die "KAFKA_BROKER_PASSWORD must be at least 16 characters of [A-Za-z0-9_-]"

# The effective config holds the broker password: private to this container, never on a volume.
umask 077
CONFIG="$(mktemp -d)/server.properties"
cp "$SERVER_PROPERTIES" "$CONFIG"
LOGIN="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\" password=\"$KAFKA_BROKER_PASSWORD\" user_broker=\"$KAFKA_BROKER_PASSWORD\";"
{
  echo
  echo "listener.name.broker.plain.sasl.jaas.config=$LOGIN"
  echo "listener.name.controller.plain.sasl.jaas.config=$LOGIN"
} >>"$CONFIG"

"$KAFKA_BIN/kafka-storage.sh" format --cluster-id "$KAFKA_CLUSTER_ID" --config "$CONFIG" --ignore-formatted
exec "$KAFKA_BIN/kafka-server-start.sh" "$CONFIG"
