#!/usr/bin/env bash
# GENERATED from io.jitbroker.contracts.Topics.newTopics(...): do not edit. ComposeFileTest fails when this
# file differs from what the code generates; regenerate with
#   mvn -B -o test -pl devstack/launcher -Dtest=ComposeFileTest -Djit.deploy.regenerate=true
# Run by init-kafka.sh with BOOTSTRAP and COMMAND_CONFIG (a super user's client properties),
# PARTITIONS and REPLICATION_FACTOR set. Idempotent.
set -euo pipefail
: "${BOOTSTRAP:?}" "${COMMAND_CONFIG:?}" "${PARTITIONS:?}" "${REPLICATION_FACTOR:?}"
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --create --if-not-exists --topic jit.access-requests.v1 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR"
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --create --if-not-exists --topic jit.access-decisions.v1 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR"
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --create --if-not-exists --topic jit.grants.v1 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR"
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --create --if-not-exists --topic jit.task-events.v1 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR"
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --create --if-not-exists --topic jit.context-events.v1 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR"
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --create --if-not-exists --topic jit.policies.v1 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR" --config cleanup.policy=compact
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --create --if-not-exists --topic jit.revocation-requests.v1 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR"
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --create --if-not-exists --topic jit.revocations.v1 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR"
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --create --if-not-exists --topic jit.enforcements.v1 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR"
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --create --if-not-exists --topic jit.approvals.v1 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR"
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --create --if-not-exists --topic jit.alerts.v1 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR"
kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --create --if-not-exists --topic jit.dead-letters.v1 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR"
