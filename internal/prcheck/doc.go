// Package prcheck computes what a pull request changes in a crontab and
// renders the one sticky comment that reviews it: which jobs were added,
// removed or changed (schedule, command, resources), their old and new
// schedules with plain-language descriptions, the UTC EventBridge rules and
// the next runs, the lint findings the pull request introduces (apart from
// those already there), the busiest day's concurrency and the deploy plan.
//
// The package compares Snapshots, plain values that an Analyzer builds from
// a crontab and its config, so that its logic is tested on hand-written
// snapshots. NewAnalyzer is the real one: the analysis model, lint over it,
// and lint's own simulation for the chart.
//
// Everything from the crontab is untrusted (it comes from the pull
// request): report's Markdown helpers (the project's one fuzzed set) render
// it inert, so it cannot break out of code, inject HTML or mention people;
// this package only bounds how much of it each cell shows.
package prcheck
