// Package analyze is the pull-request check's analyzer: it runs the same
// parser, job naming, converter, linter and concurrency simulation as
// `cronbridge convert` and `cronbridge lint` on one version of a crontab
// and returns the prcheck.Snapshot the comparison needs.
//
// It is the only part of the check that calls the packages it builds on,
// so a change in one of their contracts is a change here and nowhere else.
package analyze
