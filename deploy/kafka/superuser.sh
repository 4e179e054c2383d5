#!/usr/bin/env bash
# Runs a Kafka tool as the broker's super user, for operators, inside the kafka container:
#   docker compose exec kafka bash /etc/jit-broker/kafka/superuser.sh kafka-consumer-groups.sh --describe --all-groups
#   docker compose exec kafka bash /etc/jit-broker/kafka/superuser.sh kafka-console-consumer.sh \
#     --topic jit.dead-letters.v1 --from-beginning --formatter-property print.key=true
# It adds --bootstrap-server (the internal BROKER listener) and the login, from a private temporary file
# written from KAFKA_BROKER_PASSWORD (never on a command line), with the flag the tool expects.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: superuser.sh <kafka tool>.sh [arguments]" >&2; exit 2; }
: "${KAFKA_BROKER_PASSWORD:?superuser.sh: KAFKA_BROKER_PASSWORD is not set (run it inside the kafka container)}"
tool="$1"
shift
umask 077
config="$(mktemp)"
trap 'rm -f "$config"' EXIT
cat >"$config" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="$KAFKA_BROKER_PASSWORD";
PROPERTIES
case "$tool" in
  kafka-streams-application-reset.sh) login=(--config-file "$config") ;;
  *) login=(--command-config "$config") ;;
esac
"${KAFKA_BIN:-/opt/kafka/bin}/$tool" --bootstrap-server "${BOOTSTRAP:-kafka:9094}" "${login[@]}" "$@"
