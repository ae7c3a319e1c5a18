// Package crontab reads crontab files exactly as cronie and Debian's cron
// 3.0pl1 read them, and holds the types every other package shares
// (positions, diagnostics, entries).
//
// Parse never stops at a bad line and never panics: it returns every entry
// (also invalid ones, with Valid=false), every environment line, every
// comment and every finding as a Diagnostic with file:line:col. Where the
// two daemons differ (cron-semantics.md §1.2) Options.Dialect decides, and
// the message says what the other dialect would do.
//
// The grammar follows the daemons' C sources rather than their manual
// pages: load_env's state machine for assignments, load_entry/get_list/
// get_range/get_number for jobs, and do_command's "%" translation. The
// day-of-month and day-of-week "star" flags come from the first character of
// the field text (§1.4), which is what makes "0 0 */2 * 1" mean odd days AND
// Mondays.
//
// Diagnostics use codes CB001-CB089, documented by Codes.
package crontab
