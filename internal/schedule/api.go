package schedule

// This file is the package's contract with its callers (cli, lint, deploy,
// migrate, report). Keep these names and meanings stable; add, don't change.

import (
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Rule is one EventBridge schedule rule expression in UTC.
type Rule struct {
	// Expression is the full expression, e.g. "cron(0 23 ? * SUN-THU *)".
	Expression string
}

// Result is the outcome of converting one entry.
type Result struct {
	// Rules is the smallest list found of UTC rules whose union of fire
	// times equals the entry's. Empty when the entry never fires or cannot
	// be converted.
	Rules []Rule
	// Exact reports that the union of Rules' fire times equals the entry's
	// fire times (proven by the verifier). False when the entry could not
	// be converted exactly (Findings say why).
	Exact bool
	// DuplicateInvocations counts the minutes, over the verifier's horizon,
	// at which more than one rule fires (each extra rule firing counts once).
	DuplicateInvocations int
	// Findings explain refusals, approximations and notable facts. Their
	// Pos is left zero: the caller knows the entry's position and fills it.
	Findings []crontab.Diagnostic
}

// Horizon is the verifier's window: UTC instants in [Start, End).
type Horizon struct {
	Start, End time.Time
}

// The functions below are implemented in other files of this package:
//
//	// Convert converts one entry whose schedule is read in loc (the zone in
//	// force for it: the default zone, or its CRON_TZ under cronie, resolved
//	// by the caller). It verifies the result before returning it. The error
//	// is reserved for internal failures: a verifier mismatch returns a
//	// *MismatchError (the CLI exits 3). @reboot, never-firing entries, DST
//	// zones and unrepresentable schedules are Findings, not errors.
//	func Convert(e *crontab.Entry, loc *time.Location) (Result, error)
//
//	// DefaultHorizon is the verifier's window (several leap years and 2100).
//	func DefaultHorizon() Horizon
//
//	// Fires returns the instants in [from, to) at which s fires when read as
//	// wall-clock time in loc, in increasing order, computed day by day (not
//	// minute by minute) so that simulations over weeks stay fast.
//	func Fires(s crontab.Schedule, loc *time.Location, from, to time.Time) []time.Time
//
//	// Next returns the next n fire instants strictly after t.
//	func Next(s crontab.Schedule, loc *time.Location, after time.Time, n int) []time.Time
//
//	// RuleFires evaluates an EventBridge expression (UTC) over [from, to).
//	func RuleFires(expr string, from, to time.Time) ([]time.Time, error)
//
//	// Describe returns a plain-language description of the five fields
//	// ("en" or "ja"), with cron's day-field AND/OR rule spelled out.
//	func Describe(fields [5]string, lang string) (string, error)

// Codes returns the documentation of every code this package emits
// (CB100-CB149): the rules converter's and the Scheduler converter's.
func Codes() []crontab.CodeDoc {
	return append(append([]crontab.CodeDoc(nil), codeDocs...), schedulerCodeDocs...)
}
