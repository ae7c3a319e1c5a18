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
	{CodeBadMinute, "bad-minute", SeverityError, "The minute field is not valid cron syntax or a value is outside 0-59.", "60 3 * * * /bin/backup"},
	{CodeBadHour, "bad-hour", SeverityError, "The hour field is not valid cron syntax or a value is outside 0-23.", "0 30 * * * /bin/backup"},
	{CodeBadDom, "bad-day-of-month", SeverityError, "The day-of-month field is not valid cron syntax or a value is outside 1-31.", "0 3 0 * * /bin/backup"},
	{CodeBadMonth, "bad-month", SeverityError, "The month field is not valid cron syntax, a value is outside 1-12, or a name is not jan-dec.", "0 3 1 13 * /bin/backup"},
	{CodeBadDow, "bad-day-of-week", SeverityError, "The day-of-week field is not valid cron syntax, a value is outside 0-7, or a name is not sun-sat.", "0 3 * * monday /bin/backup"},
	{CodeBadTimeSpecifier, "bad-time-specifier", SeverityError, "An @ nickname is not one cron knows (@reboot @yearly @annually @monthly @weekly @daily @midnight @hourly).", "@every5m /bin/poll"},
	{CodeMissingCommand, "missing-command", SeverityError, "The line has a schedule but no command (cronie rejects it; debian cron accepts it and runs nothing useful).", "0 3 * * *"},
	{CodeBadUser, "bad-user", SeverityError, "The user field of a system crontab is missing or is not a valid user name.", "0 3 * * * /usr/bin/backup --all"},
	{CodeStepWithoutRange, "step-without-range", SeverityError, "A step follows a single number (N/step); both cron dialects reject it.", "5/10 * * * * /bin/poll"},
	{CodeReversedRange, "reversed-range", SeverityWarning, "A range runs backwards; cron accepts it but it selects nothing (cronie reads X-0 as X-7).", "0 3 * * 5-1 /bin/report"},
	{CodeStepExceedsRange, "step-exceeds-range", SeverityWarning, "A step is larger than its range, so only the first value is selected.", "*/90 * * * * /bin/poll"},
	{CodeNthWeekday, "nth-weekday", SeverityError, "A day-of-week uses Quartz's N#k; cronie rejects the line, debian cron silently reads only N (a warning there).", "0 3 * * 1#2 /bin/report"},
	{CodeUnsupportedChar, "unsupported-char", SeverityError, "A field uses L, W, ? (Quartz/EventBridge) or ~ under debian, which cron does not support.", "0 3 L * * /bin/report"},
	{CodeMissingNewline, "missing-final-newline", SeverityWarning, "The last line does not end with a newline: cron ignores that line and crontab refuses to install the file.", "0 3 * * * /bin/backup<EOF>"},
	{CodeCRLF, "crlf", SeverityWarning, "The file has CRLF line endings; cron keeps the carriage return as part of each line.", "0 3 * * * /bin/backup\\r"},
	{CodeByteOrderMark, "byte-order-mark", SeverityWarning, "The file starts with a UTF-8 byte-order mark, which cron reads as part of the first line.", "\\ufeffMAILTO=ops@example.com"},
	{CodeInvalidUTF8, "invalid-utf8", SeverityWarning, "The file contains bytes that are not valid UTF-8.", "0 3 * * * echo \\xff"},
	{CodeLooksLikeSystem, "looks-like-system-crontab", SeverityWarning, "A user crontab whose commands start with a user name: the file is probably a system crontab (use --system).", "0 3 * * * root /usr/sbin/logrotate /etc/logrotate.conf"},
	{CodeLooksLikeUser, "looks-like-user-crontab", SeverityWarning, "A system crontab whose lines have no user field: the file is probably a user crontab (drop --system).", "0 3 * * * /usr/local/bin/backup.sh"},
	{CodeCronTZIgnored, "cron-tz-ignored", SeverityWarning, "Debian cron ignores CRON_TZ for scheduling: the entries run in the daemon's time zone.", "CRON_TZ=Asia/Tokyo"},
	{CodeMalformedDirective, "malformed-directive", SeverityWarning, "A \"# cronbridge:\" comment directive cannot be read, or is written in a form other than the canonical one (the hint gives it).", "# cronbridge:ignore cb402, cb403 logs are shipped by fluentd"},
	{CodeUnparsableLine, "unparsable-line", SeverityError, "The line is not a comment, an environment assignment or a job.", "mysqldump --all-databases > /backup/all.sql"},
	{CodeExtraTimeFields, "extra-time-fields", SeverityError, "The command starts with \"*\": the line has 6 or 7 time fields (seconds or years), which cron does not support.", "0 */5 * * * * /bin/poll"},
	{CodeRandomRange, "random-range", SeverityWarning, "A field uses cronie's ~ random range: the value is picked when cron loads the crontab, so the schedule is not fixed.", "0~30 3 * * * /bin/backup"},
	{CodeBadOption, "bad-option", SeverityError, "The command starts with a \"-\" option cronie does not know (only -n is accepted, once).", "0 3 * * * -x /bin/backup"},
	{CodeTrailingText, "trailing-text-ignored", SeverityWarning, "Debian cron silently ignores text after a valid item in a field; cronie rejects it.", "0 3 * * 1? /bin/backup"},
	{CodeBadAssignment, "bad-assignment", SeverityError, "A line meant as an environment assignment is not one to cron (empty unquoted value, unterminated quote, text after the quote).", "MAILTO="},
	{CodeEmptyVarName, "empty-variable-name", SeverityWarning, "An assignment has an empty variable name.", "=/usr/bin"},
	{CodeOrphanDirective, "orphan-directive", SeverityWarning, "A \"# cronbridge:\" directive is not in the comment block directly above an entry, so it applies to nothing.", "# cronbridge: name=backup"},
	{CodeCommandTooLong, "command-too-long", SeverityError, "The command is 999 bytes or longer, which debian cron rejects (its buffer is 1000 bytes).", "0 3 * * * /bin/job --with-a-very-long-argument-list ..."},
	{CodeFileTooLarge, "file-too-large", SeverityError, "The crontab is larger than 1 MiB (MaxFileSize): it is refused and not read at all.", "a 2 MB generated crontab"},
	{CodeLineTooLong, "line-too-long", SeverityError, "A line is longer than 64 KiB (MaxLineSize): it is refused and not read, so it is neither a job nor an assignment.", "0 3 * * * /bin/job <70,000 bytes of arguments>"},
}

// Codes returns the documentation of every code Parse emits (CB001-CB089),
// in code order. The slice is a fresh copy the caller may modify.
func Codes() []CodeDoc { return append([]CodeDoc(nil), codeDocs...) }
