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

bin=$work/cronbridge
go build -o "$bin" .

echo "-- lint over every corpus file: no crash (exit 0 or 1 only)"
for f in "$corpus"/*.crontab; do
	for flags in "" "--system"; do
		rc=0
		"$bin" lint $flags --fail-on error --format json "$f" > "$work/lint.json" 2> "$work/lint.err" || rc=$?
		if [ "$rc" -gt 1 ]; then
			echo "lint $flags $f: exit $rc"; cat "$work/lint.err"; exit 1
		fi
	done
done

echo "-- lint: every finding over the corpus against the reviewed expectations"
# internal/lint/testdata/corpus.expect lists every file and every finding
# with a judgement; the test fails on a missing or an
# unexpected finding, a file not listed, an unjudged finding, and any code
# below 95% precision, and logs the per-code counts.
CRONBRIDGE_CORPUS=$corpus go test ./internal/lint -run '^TestCorpus$' -count=1 -v | grep -v '^=== RUN'

echo "-- Scheduler backend (issue #14): every corpus schedule in every zone of the database, verified"
# Wall-clock minutes and every clock change 2000-2104, cronie's
# catch-up and repeated hours simulated (internal/schedule/scheduler_verify.go).
CRONBRIDGE_CORPUS=$corpus go test ./internal/schedule -run '^TestSchedulerCorpusAllZones$' -count=1 -v -timeout 60m | grep -E '^(---|ok|FAIL)|zones \('

echo "-- migrate: no line cron never runs (CB014) is migrated or called exact"
CRONBRIDGE_CORPUS=$corpus go test ./internal/migrate -run '^TestCorpusNeverRun$' -count=1 -v | grep -E '^(---|ok|FAIL)|corpus files'

echo "-- migrate over every corpus file: no crash, every entry accounted for"
n=0
total=0
for f in "$corpus"/*.crontab; do
	base=$(basename "$f" .crontab)
	flags=
	# 038-056 and 067-071 are system crontabs (SUMMARY.md).
	case "$base" in 03[89]|04[0-9]|05[0-6]|06[7-9]|07[01]) flags=--system ;; esac
	cp "$f" "$work/c$base.crontab"
	rc=0
	(cd "$work" && "$bin" migrate $flags --out "m$base" --emit cloudformation --now 2027-01-01T00:00:00Z "c$base.crontab") > "$work/migrate.out" 2>&1 || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "migrate $flags $base: exit $rc"; cat "$work/migrate.out"; exit 1
	fi
	for out in cronbridge.yaml MIGRATION.md crontab.after-cutover concurrency.svg cloudformation.yaml; do
		[ -f "$work/m$base/$out" ] || { echo "migrate $base: $out missing"; cat "$work/migrate.out"; exit 1; }
	done
	# Every entry is accounted for: migrate counts them, and
	# crontab.after-cutover marks each one as migrated or kept with a reason.
	entries=$(sed -n 's/.*\b\([0-9][0-9]*\) entries: .*/\1/p' "$work/migrate.out" | tail -1)
	marks=$(grep -c '^# \[cronbridge\] \(migrated to\|not migrated, still runs here:\)' "$work/m$base/crontab.after-cutover" || true)
	if [ -z "$entries" ] || [ "$entries" != "$marks" ]; then
		echo "migrate $base: $entries entries but $marks marked in crontab.after-cutover"; cat "$work/migrate.out"; exit 1
	fi
	n=$((n + 1)); total=$((total + entries))
done
echo "migrate: $n files, $total entries, every one migrated or explained"
