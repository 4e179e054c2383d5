#!/usr/bin/env bash
# docker-compose.yml, service postgres: runs once, when the data volume is empty
# (/docker-entrypoint-initdb.d). One database per owner, each owned by its own login, so that a
# service can reach only its own data: request_service, issuer_service, and registry (Apicurio).
#   env: REQUEST_SERVICE_DB_PASSWORD, ISSUER_SERVICE_DB_PASSWORD, REGISTRY_DB_PASSWORD (required)
set -euo pipefail

create_database() {
  local name="$1" password="$2"
  [ -n "$password" ] || { echo "init-databases: no password for $name" >&2; exit 1; }
  # psql variables (:"name", :'password') quote the identifier and the literal.
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    --set=name="$name" --set=password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
  echo "init-databases: database and login $name created"
}

create_database request_service "${REQUEST_SERVICE_DB_PASSWORD:-}"
create_database issuer_service "${ISSUER_SERVICE_DB_PASSWORD:-}"
create_database registry "${REGISTRY_DB_PASSWORD:-}"
