package config

import "github.com/cronbridge/cronbridge/internal/crontab"

// Diagnostic codes of this package (CB150-CB199). They are stable: never
// renumber or reuse one.
const (
	CodeSyntax       = "CB150" // the file is not valid YAML
	CodeUnknownKey   = "CB151"
	CodeWrongType    = "CB152"
	CodeBadEnum      = "CB153"
	CodeBadDuration  = "CB154"
	CodeBadARN       = "CB155"
	CodeMissing      = "CB156"
	CodeOutOfRange   = "CB157"
	CodeDuplicateKey = "CB158"
	CodeBadTimezone  = "CB159"
	CodeBadJobName   = "CB160"
	CodeConflict     = "CB161"
	CodeBadSeverity  = "CB162"
	CodeBadPrefix    = "CB163"
)

var codeDocs = []crontab.CodeDoc{
	{Code: CodeSyntax, Name: "config-syntax", Severity: crontab.SeverityError,
		Summary: "the configuration file is not valid YAML.", Example: "jobs: [unclosed"},
	{Code: CodeUnknownKey, Name: "config-unknown-key", Severity: crontab.SeverityError,
		Summary: "a key that the schema does not define (usually a typo); it would otherwise be ignored silently.", Example: "aws: {clustr: batch}"},
	{Code: CodeWrongType, Name: "config-wrong-type", Severity: crontab.SeverityError,
		Summary: "a value of the wrong YAML type, such as a list where a number is expected.", Example: "defaults: {cpu: [256]}"},
	{Code: CodeBadEnum, Name: "config-bad-enum", Severity: crontab.SeverityError,
		Summary: "a value outside the allowed set, such as assign_public_ip: yes.", Example: "aws: {assign_public_ip: yes}"},
	{Code: CodeBadDuration, Name: "config-bad-duration", Severity: crontab.SeverityError,
		Summary: "a duration not in Go syntax (45m, 1h30m).", Example: "defaults: {duration: 10 minutes}"},
	{Code: CodeBadARN, Name: "config-bad-arn", Severity: crontab.SeverityError,
		Summary: "an ARN that is malformed or names the wrong service or resource type.", Example: "aws: {role_arn: ecsEventsRole}"},
	{Code: CodeMissing, Name: "config-missing", Severity: crontab.SeverityError,
		Summary: "a key that plan and deploy need is missing (cluster, task_definition, container, subnets, role_arn, rule_prefix).", Example: "aws: {}"},
	{Code: CodeOutOfRange, Name: "config-out-of-range", Severity: crontab.SeverityError,
		Summary: "a number or duration outside the range AWS accepts (e.g. maximum_event_age must be 1m to 24h).", Example: "defaults: {retry: {maximum_retry_attempts: 200}}"},
	{Code: CodeDuplicateKey, Name: "config-duplicate-key", Severity: crontab.SeverityError,
		Summary: "the same key twice in one mapping; YAML would keep only one of them.", Example: "jobs: {a: {}, a: {}}"},
	{Code: CodeBadTimezone, Name: "config-bad-timezone", Severity: crontab.SeverityError,
		Summary: "a time zone that is not an IANA name known to the time zone database.", Example: "timezone: JST"},
	{Code: CodeBadJobName, Name: "config-bad-job-name", Severity: crontab.SeverityError,
		Summary: "a job name outside [a-z0-9-] (names become EventBridge rule names).", Example: "jobs: {Daily_Sales: {}}"},
	{Code: CodeConflict, Name: "config-conflict", Severity: crontab.SeverityError,
		Summary: "two keys that exclude each other, such as launch_type and capacity_provider_strategy.", Example: "aws: {launch_type: FARGATE, capacity_provider_strategy: [...]}"},
	{Code: CodeBadSeverity, Name: "config-bad-severity", Severity: crontab.SeverityError,
		Summary: "a lint severity override whose key is not a code (CBnnn) or whose value is not error, warning, info or off.", Example: "lint: {severity: {CB401: fatal}}"},
	{Code: CodeBadPrefix, Name: "config-bad-rule-prefix", Severity: crontab.SeverityError,
		Summary: "a rule prefix with characters EventBridge rejects in rule names, or too long to leave room for job names.", Example: "aws: {rule_prefix: shop batch/}"},
}

// Codes returns the documentation of every code this package emits.
func Codes() []crontab.CodeDoc { return append([]crontab.CodeDoc(nil), codeDocs...) }
