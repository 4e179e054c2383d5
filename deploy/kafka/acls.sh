#!/usr/bin/env bash
# GENERATED from io.jitbroker.devstack.KafkaAccess.kafkaAclsCommands(...) and downstream(...): do not edit. ComposeFileTest fails when this
# file differs from what the code generates; regenerate with
#   mvn -B -o test -pl devstack/launcher -Dtest=ComposeFileTest -Djit.deploy.regenerate=true
# Run by init-kafka.sh with BOOTSTRAP and COMMAND_CONFIG (a super user's client properties),
# DOWNSTREAM_PRINCIPALS (optional, space-separated user names) set. Idempotent.
set -euo pipefail
: "${BOOTSTRAP:?}" "${COMMAND_CONFIG:?}"
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:request-service --operation Write --topic jit.access-requests.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:request-service --operation Write --topic jit.task-events.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:request-service --operation Write --topic jit.context-events.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:request-service --operation Write --topic jit.revocation-requests.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:request-service --operation Write --topic jit.approvals.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:request-service --operation Write --operation Read --topic jit.dead-letters.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:request-service --operation Read --topic jit.access-decisions.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:request-service --operation Read --topic jit.grants.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:request-service --operation Read --topic jit.revocations.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:request-service --operation Read --topic jit.enforcements.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:request-service --operation Read --topic jit.alerts.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:request-service --operation Read --group request-service.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Write --topic jit.access-decisions.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Write --topic jit.alerts.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Write --topic jit.revocation-requests.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Write --operation Read --topic jit.policies.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Write --topic jit.dead-letters.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Read --topic jit.access-requests.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Read --topic jit.approvals.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Read --topic jit.grants.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Read --topic jit.revocations.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Read --topic jit.context-events.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Read --group policy-service.decisions.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Create --operation Read --operation Write --operation Delete --resource-pattern-type prefixed --topic policy-service.decisions.v1-
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:policy-service --operation Write --resource-pattern-type prefixed --transactional-id policy-service.decisions.v1-
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:issuer-service --operation Write --topic jit.grants.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:issuer-service --operation Write --topic jit.enforcements.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:issuer-service --operation Write --topic jit.dead-letters.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:issuer-service --operation Read --topic jit.access-decisions.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:issuer-service --operation Read --topic jit.revocations.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:issuer-service --operation Read --group issuer-service.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:revocation-service --operation Write --topic jit.revocations.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:revocation-service --operation Write --topic jit.dead-letters.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:revocation-service --operation Read --topic jit.task-events.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:revocation-service --operation Read --topic jit.grants.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:revocation-service --operation Read --topic jit.context-events.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:revocation-service --operation Read --topic jit.revocation-requests.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:revocation-service --operation Read --group revocation-service.v1
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:revocation-service --operation Create --operation Read --operation Write --operation Delete --resource-pattern-type prefixed --topic revocation-service.v1-
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:revocation-service --operation Write --resource-pattern-type prefixed --transactional-id revocation-service.v1-
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:orchestrator --operation Write --topic jit.task-events.v1
# Downstream readers of revocations: each may read jit.revocations.v1 in its own consumer groups
# <name>.revocations* (one per instance), nothing else. Their SCRAM users are created by init-kafka.sh.
for name in ${DOWNSTREAM_PRINCIPALS:-}; do
  [[ "$name" =~ ^[a-z0-9][a-z0-9-]*$ ]] \
    || { echo "acls.sh: downstream principal '$name' must match [a-z0-9][a-z0-9-]*" >&2; exit 1; }
  kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:$name --operation Read --topic jit.revocations.v1
  kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add --allow-principal User:$name --operation Read --resource-pattern-type prefixed --group $name.revocations
done
