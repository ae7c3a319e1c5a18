package crontab

// Diagnostic codes emitted by Parse. The numbers are stable: a code is never
// renumbered or reused for a different finding. CB090-CB099 belong to
// internal/jobs; the parser stays inside CB001-CB089.
const (
	CodeBadMinute          = "CB001"
	CodeBadHour            = "CB002"
	CodeBadDom             = "CB003"
	CodeBadMonth           = "CB004"
	CodeBadDow             = "CB005"
	CodeBadTimeSpecifier   = "CB006"
	CodeMissingCommand     = "CB007"
	CodeBadUser            = "CB008"
	CodeStepWithoutRange   = "CB009"
	CodeReversedRange      = "CB010"
	CodeStepExceedsRange   = "CB011"
	CodeNthWeekday         = "CB012"
	CodeUnsupportedChar    = "CB013"
	CodeMissingNewline     = "CB014"
	CodeCRLF               = "CB015"
	CodeByteOrderMark      = "CB016"
	CodeInvalidUTF8        = "CB017"
	CodeLooksLikeSystem    = "CB018"
	CodeLooksLikeUser      = "CB019"
	CodeCronTZIgnored      = "CB020"
	CodeMalformedDirective = "CB021"
	CodeUnparsableLine     = "CB022"
	CodeExtraTimeFields    = "CB023"
	CodeRandomRange        = "CB024"
	CodeBadOption          = "CB025"
	CodeTrailingText       = "CB026"
	CodeBadAssignment      = "CB027"
	CodeEmptyVarName       = "CB028"
	CodeOrphanDirective    = "CB029"
	CodeCommandTooLong     = "CB030"
	CodeFileTooLarge       = "CB031"
	CodeLineTooLong        = "CB032"
)

// codeDocs documents every code above, in code order. It is immutable:
// Codes hands out a copy.
var codeDocs = []CodeDoc{
	{Code: CodeBadMinute, Name: "bad-minute", Severity: SeverityError, Summary: "The minute field is not valid cron syntax or a value is outside 0-59.", Example: "60 3 * * * /bin/backup"},
	{Code: CodeBadHour, Name: "bad-hour", Severity: SeverityError, Summary: "The hour field is not valid cron syntax or a value is outside 0-23.", Example: "0 30 * * * /bin/backup"},
	{Code: CodeBadDom, Name: "bad-day-of-month", Severity: SeverityError, Summary: "The day-of-month field is not valid cron syntax or a value is outside 1-31.", Example: "0 3 0 * * /bin/backup"},
	{Code: CodeBadMonth, Name: "bad-month", Severity: SeverityError, Summary: "The month field is not valid cron syntax, a value is outside 1-12, or a name is not jan-dec.", Example: "0 3 1 13 * /bin/backup"},
	{Code: CodeBadDow, Name: "bad-day-of-week", Severity: SeverityError, Summary: "The day-of-week field is not valid cron syntax, a value is outside 0-7, or a name is not sun-sat.", Example: "0 3 * * monday /bin/backup"},
	{Code: CodeBadTimeSpecifier, Name: "bad-time-specifier", Severity: SeverityError, Summary: "An @ nickname is not one cron knows (@reboot @yearly @annually @monthly @weekly @daily @midnight @hourly).", Example: "@every5m /bin/poll"},
	{Code: CodeMissingCommand, Name: "missing-command", Severity: SeverityError, Summary: "The line has a schedule but no command (cronie rejects it; debian cron accepts it and runs nothing useful).", Example: "0 3 * * *"},
	{Code: CodeBadUser, Name: "bad-user", Severity: SeverityError, Summary: "The user field of a system crontab is missing or is not a valid user name.", Example: "0 3 * * * /usr/bin/backup --all"},
	{Code: CodeStepWithoutRange, Name: "step-without-range", Severity: SeverityError, Summary: "A step follows a single number (N/step); both cron dialects reject it.", Example: "5/10 * * * * /bin/poll"},
	{Code: CodeReversedRange, Name: "reversed-range", Severity: SeverityWarning, Summary: "A range runs backwards; cron accepts it but it selects nothing (cronie reads X-0 as X-7).", Example: "0 3 * * 5-1 /bin/report"},
	{Code: CodeStepExceedsRange, Name: "step-exceeds-range", Severity: SeverityWarning, Summary: "A step is larger than its range, so only the first value is selected.", Example: "*/90 * * * * /bin/poll"},
	{Code: CodeNthWeekday, Name: "nth-weekday", Severity: SeverityError, Summary: "A day-of-week uses Quartz's N#k; cronie rejects the line, debian cron silently reads only N (a warning there).", Example: "0 3 * * 1#2 /bin/report"},
	{Code: CodeUnsupportedChar, Name: "unsupported-char", Severity: SeverityError, Summary: "A field uses L, W, ? (Quartz/EventBridge) or ~ under debian, which cron does not support.", Example: "0 3 L * * /bin/report"},
	{Code: CodeMissingNewline, Name: "missing-final-newline", Severity: SeverityWarning, Summary: "The last line does not end with a newline: cron ignores that line and crontab refuses to install the file.", Example: "0 3 * * * /bin/backup<EOF>"},
	{Code: CodeCRLF, Name: "crlf", Severity: SeverityWarning, Summary: "The file has CRLF line endings; cron keeps the carriage return as part of each line.", Example: "0 3 * * * /bin/backup\\r"},
	{Code: CodeByteOrderMark, Name: "byte-order-mark", Severity: SeverityWarning, Summary: "The file starts with a UTF-8 byte-order mark, which cron reads as part of the first line.", Example: "\\ufeffMAILTO=ops@example.com"},
	{Code: CodeInvalidUTF8, Name: "invalid-utf8", Severity: SeverityWarning, Summary: "The file contains bytes that are not valid UTF-8.", Example: "0 3 * * * echo \\xff"},
	{Code: CodeLooksLikeSystem, Name: "looks-like-system-crontab", Severity: SeverityWarning, Summary: "A user crontab whose commands start with a user name: the file is probably a system crontab (use --system).", Example: "0 3 * * * root /usr/sbin/logrotate /etc/logrotate.conf"},
	{Code: CodeLooksLikeUser, Name: "looks-like-user-crontab", Severity: SeverityWarning, Summary: "A system crontab whose lines have no user field: the file is probably a user crontab (drop --system).", Example: "0 3 * * * /usr/local/bin/backup.sh"},
	{Code: CodeCronTZIgnored, Name: "cron-tz-ignored", Severity: SeverityWarning, Summary: "Debian cron ignores CRON_TZ for scheduling: the entries run in the daemon's time zone.", Example: "CRON_TZ=Asia/Tokyo"},
	{Code: CodeMalformedDirective, Name: "malformed-directive", Severity: SeverityWarning, Summary: "A \"# cronbridge:\" comment directive cannot be read, or is written in a form other than the canonical one (the hint gives it).", Example: "# cronbridge:ignore cb402, cb403 logs are shipped by fluentd"},
	{Code: CodeUnparsableLine, Name: "unparsable-line", Severity: SeverityError, Summary: "The line is not a comment, an environment assignment or a job.", Example: "mysqldump --all-databases > /backup/all.sql"},
	{Code: CodeExtraTimeFields, Name: "extra-time-fields", Severity: SeverityError, Summary: "The command starts with \"*\": the line has 6 or 7 time fields (seconds or years), which cron does not support.", Example: "0 */5 * * * * /bin/poll"},
	{Code: CodeRandomRange, Name: "random-range", Severity: SeverityWarning, Summary: "A field uses cronie's ~ random range: the value is picked when cron loads the crontab, so the schedule is not fixed.", Example: "0~30 3 * * * /bin/backup"},
	{Code: CodeBadOption, Name: "bad-option", Severity: SeverityError, Summary: "The command starts with a \"-\" option cronie does not know (only -n is accepted, once).", Example: "0 3 * * * -x /bin/backup"},
	{Code: CodeTrailingText, Name: "trailing-text-ignored", Severity: SeverityWarning, Summary: "Debian cron silently ignores text after a valid item in a field; cronie rejects it.", Example: "0 3 * * 1? /bin/backup"},
	{Code: CodeBadAssignment, Name: "bad-assignment", Severity: SeverityError, Summary: "A line meant as an environment assignment is not one to cron (empty unquoted value, unterminated quote, text after the quote).", Example: "MAILTO="},
	{Code: CodeEmptyVarName, Name: "empty-variable-name", Severity: SeverityWarning, Summary: "An assignment has an empty variable name.", Example: "=/usr/bin"},
	{Code: CodeOrphanDirective, Name: "orphan-directive", Severity: SeverityWarning, Summary: "A \"# cronbridge:\" directive is not in the comment block directly above an entry, so it applies to nothing.", Example: "# cronbridge: name=backup"},
	{Code: CodeCommandTooLong, Name: "command-too-long", Severity: SeverityError, Summary: "The command is 999 bytes or longer, which debian cron rejects (its buffer is 1000 bytes).", Example: "0 3 * * * /bin/job --with-a-very-long-argument-list ..."},
	{Code: CodeFileTooLarge, Name: "file-too-large", Severity: SeverityError, Summary: "The crontab is larger than 1 MiB (MaxFileSize): it is refused and not read at all.", Example: "a 2 MB generated crontab"},
	{Code: CodeLineTooLong, Name: "line-too-long", Severity: SeverityError, Summary: "A line is longer than 64 KiB (MaxLineSize): it is refused and not read, so it is neither a job nor an assignment.", Example: "0 3 * * * /bin/job <70,000 bytes of arguments>"},
}

// Codes returns the documentation of every code Parse emits (CB001-CB089),
// in code order. The slice is a fresh copy the caller may modify.
func Codes() []CodeDoc { return append([]CodeDoc(nil), codeDocs...) }
