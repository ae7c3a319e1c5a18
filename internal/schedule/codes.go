package schedule

import "github.com/cronbridge/cronbridge/internal/crontab"

// Diagnostic codes of the converter (CB100-CB149). They are stable: never
// renumber or reuse one.
const (
	CodeReboot        = "CB100"
	CodeNeverFires    = "CB101"
	CodeDSTZone       = "CB102"
	CodeAndQuirk      = "CB103"
	CodeMonthBoundary = "CB104"
	CodeDuplicates    = "CB105"
	CodeRuleCount     = "CB106"
	CodeOffset        = "CB107"
	CodeInvalid       = "CB108"
	CodeUnknownZone   = "CB109"
)

// codeDocs documents every code above; Codes returns a copy.
var codeDocs = []crontab.CodeDoc{
	{Code: CodeReboot, Name: "reboot-no-equivalent", Severity: crontab.SeverityError,
		Summary: "@reboot runs when the cron daemon starts; no schedule rule can express it.",
		Example: "@reboot /usr/local/bin/warm-cache"},
	{Code: CodeNeverFires, Name: "never-fires", Severity: crontab.SeverityWarning,
		Summary: "The schedule names no date that exists (such as 30 February), so no rule is emitted.",
		Example: "0 0 30 2 * /usr/local/bin/report"},
	{Code: CodeDSTZone, Name: "dst-zone", Severity: crontab.SeverityError,
		Summary: "The source zone changes its UTC offset (daylight saving time), which a UTC rule cannot follow.",
		Example: "CRON_TZ=America/New_York\n0 9 * * * /usr/local/bin/report"},
	{Code: CodeAndQuirk, Name: "and-quirk-unrepresentable", Severity: crontab.SeverityError,
		Summary: "Cron ANDs the day fields because one starts with '*', and EventBridge cannot express that combination.",
		Example: "0 12 */2 * 1 /usr/local/bin/report"},
	{Code: CodeMonthBoundary, Name: "month-boundary-unrepresentable", Severity: crontab.SeverityError,
		Summary: "Weekdays restricted to some months move to another UTC date, where the first or last day of a month would land in the wrong month.",
		Example: "0 8 * 1 1 /usr/local/bin/report"},
	{Code: CodeDuplicates, Name: "duplicate-invocations", Severity: crontab.SeverityWarning,
		Summary: "The day-of-month and day-of-week fields are ORed, so the rules overlap and the target runs twice on days that match both.",
		Example: "30 4 1,15 * 5 /usr/local/bin/report"},
	{Code: CodeRuleCount, Name: "rule-count-high", Severity: crontab.SeverityInfo,
		Summary: "The schedule needs five or more EventBridge rules.",
		Example: "0 12 1-7,15-21 * */2 /usr/local/bin/report"},
	{Code: CodeOffset, Name: "offset-not-whole-minutes", Severity: crontab.SeverityError,
		Summary: "The source zone's UTC offset has seconds (or is a day or more), which EventBridge's minute precision cannot express.",
		Example: "CRON_TZ=Africa/Monrovia\n0 9 * * * /usr/local/bin/report"},
	{Code: CodeInvalid, Name: "invalid-entry", Severity: crontab.SeverityError,
		Summary: "The entry has syntax errors (reported by the parser) and was not converted.",
		Example: "61 * * * * /usr/local/bin/report"},
	{Code: CodeUnknownZone, Name: "unknown-zone", Severity: crontab.SeverityError,
		Summary: "The time zone named by CRON_TZ or --timezone is not in the zone database.",
		Example: "CRON_TZ=Asia/Tokio\n0 9 * * * /usr/local/bin/report"},
}

// codeSeverity returns the documented severity of a code.
func codeSeverity(code string) crontab.Severity {
	for _, docs := range [][]crontab.CodeDoc{codeDocs, schedulerCodeDocs} {
		for _, d := range docs {
			if d.Code == code {
				return d.Severity
			}
		}
	}
	return crontab.SeverityError
}
