package jobs

import "github.com/cronbridge/cronbridge/internal/crontab"

// Diagnostic codes emitted by Assign. They live in CB090-CB099, the part of
// the parser range reserved for job identity. Codes are never renumbered or
// reused.
const (
	CodeInvalidName       = "CB090"
	CodeDuplicateName     = "CB091"
	CodeUnmatchedMatcher  = "CB092"
	CodeAmbiguousMatcher  = "CB093"
	CodeIdenticalCommands = "CB094"
	CodeNamedTwice        = "CB095"
)

// codes is the documentation table behind Codes.
var codes = [...]crontab.CodeDoc{
	{Code: CodeInvalidName, Name: "invalid-job-name", Severity: crontab.SeverityError,
		Summary: "A job name from an annotation or the config is not 1-48 lowercase letters, digits and '-'.",
		Example: "# cronbridge: name=Daily_Sales\n0 3 * * * bin/rails runner 'DailySales.run'"},
	{Code: CodeDuplicateName, Name: "duplicate-job-name", Severity: crontab.SeverityError,
		Summary: "Two entries are given the same explicit job name.",
		Example: "# cronbridge: name=backup\n0 3 * * * backup-db.sh\n# cronbridge: name=backup\n0 4 * * * backup-files.sh"},
	{Code: CodeUnmatchedMatcher, Name: "unmatched-job-match", Severity: crontab.SeverityError,
		Summary: "A config job's match text is found in no entry's command.",
		Example: "jobs: {sales: {match: \"DailySales\"}} with no entry running DailySales"},
	{Code: CodeAmbiguousMatcher, Name: "ambiguous-job-match", Severity: crontab.SeverityError,
		Summary: "A config job's match text is found in several entries' commands.",
		Example: "jobs: {sales: {match: \"rails runner\"}} with two runner entries"},
	{Code: CodeIdenticalCommands, Name: "identical-job-commands", Severity: crontab.SeverityWarning,
		Summary: "Several entries run the same command, so their names cannot be derived from the command alone.",
		Example: "0 3 * * * bin/rake cache:clear\n0 15 * * * bin/rake cache:clear"},
	{Code: CodeNamedTwice, Name: "job-named-twice", Severity: crontab.SeverityWarning,
		Summary: "An entry is named both by its annotation and by a config matcher, or by two matchers; the annotation (or the first matcher by name) wins.",
		Example: "# cronbridge: name=sales\n0 3 * * * bin/rails runner 'DailySales.run' with jobs: {daily: {match: \"DailySales\"}}"},
}

// Codes documents every diagnostic code Assign can emit, in code order.
func Codes() []crontab.CodeDoc {
	return append([]crontab.CodeDoc(nil), codes[:]...)
}
