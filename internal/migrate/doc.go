// Package migrate is the one-time migration of a legacy cron server: it
// turns a crontab into a reviewed cronbridge.yaml, a MIGRATION.md report, a
// week-long concurrency chart, a crontab to install at cutover and,
// optionally, a CloudFormation template, all without touching AWS.
//
// It is the last package in the chain: it only orchestrates. Parsing,
// conversion, command rewriting, job naming, linting, rendering and rule
// naming belong to crontab, schedule, shellcmd, jobs, lint, report and
// deploy (deps.go adapts the ones whose results migrate reshapes).
//
// Everything it writes is deterministic: no timestamps unless the caller
// passes one, maps written in sorted order, and simulations over a fixed
// reference year rather than "now". The same crontab always gives the same
// bytes, so the generated files can be reviewed as a diff and kept as
// golden files.
//
// The cutover table (Plan.Cutover) answers the one question a switch-over
// raises: for each job, when does the old server run it for the last time
// and when does EventBridge run it for the first time, so that no run is
// doubled or lost at the chosen minute.
package migrate
