#!/usr/bin/env bash
# CI-only checks over ../shared/corpus/real-world (called by .ci/run). Users
# of the repository do not have ../shared, so `make test` never needs it.
set -euo pipefail
shared=$(cd "$1" && pwd)
corpus=$shared/corpus/real-world
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "-- building the Debian cron oracle"
oracle=$work/oracle/harness
bash "$shared/tools/debian-cron-oracle/build.sh" "$oracle"

echo "-- convert --dialect debian vs the Debian cron oracle"
go run ./internal/tools/oraclecheck -oracle "$oracle" -corpus "$corpus"
