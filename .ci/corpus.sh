#!/usr/bin/env bash
# CI-only checks over ../shared/corpus/real-world (see .ci/run).
set -euo pipefail
shared=$1
corpus=$shared/corpus/real-world
go build -o /tmp/cronbridge-ci/cronbridge . 2>/dev/null || { mkdir -p /tmp/cronbridge-ci; go build -o /tmp/cronbridge-ci/cronbridge .; }
echo "corpus: $(ls "$corpus"/*.crontab | wc -l) files"
