package lint

import (
	"strconv"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// directives checks cronbridge's own comments: "# cronbridge:ignore"
// suppressions and "# cronbridge: key=value" annotations. A suppression
// that hides findings must say why, or the next reader cannot tell a
// deliberate exception from a shortcut.
type directives struct{}

// The directive codes, as functions: package-level RuleDoc variables
// would be mutable globals.
func docIgnoreNoReason() RuleDoc {
	return RuleDoc{Code: "CB290", Name: "ignore-without-reason", Severity: crontab.SeverityWarning,
		Summary: "a cronbridge:ignore directive gives no reason; say why the finding does not apply.",
		Example: "# cronbridge:ignore CB402\n0 3 * * * /opt/app/backup.sh > /var/log/backup.log"}
}

func docIgnoreUnknown() RuleDoc {
	return RuleDoc{Code: "CB291", Name: "ignore-unknown-code", Severity: crontab.SeverityWarning,
		Summary: "a cronbridge:ignore directive names a code cronbridge does not have (a typo silences nothing).",
		Example: "# cronbridge:ignore CB499 logs are shipped by fluentd\n0 3 * * * /opt/app/backup.sh > /var/log/backup.log"}
}

func docIgnoreUnused() RuleDoc {
	return RuleDoc{Code: "CB292", Name: "ignore-unused", Severity: crontab.SeverityInfo,
		Summary: "a cronbridge:ignore directive silences nothing; remove it so that it cannot hide a future finding.",
		Example: "# cronbridge:ignore CB406 the sidecar listens on localhost\n0 3 * * * /opt/app/backup.sh"}
}

func docBadAnnotation() RuleDoc {
	return RuleDoc{Code: "CB293", Name: "bad-annotation", Severity: crontab.SeverityWarning,
		Summary: "a cronbridge annotation has an unknown key or a value that does not parse (duration=45m, cpu=1024, memory=2048, state=enabled|disabled).",
		Example: "# cronbridge: duration=45\n0 3 * * * /opt/app/backup.sh"}
}

// Doc implements Rule.
func (directives) Doc() RuleDoc { return docIgnoreNoReason() }

// Docs implements multiRule.
func (directives) Docs() []RuleDoc {
	return []RuleDoc{docIgnoreNoReason(), docIgnoreUnknown(), docIgnoreUnused(), docBadAnnotation()}
}

// Check implements Rule.
func (directives) Check(p *Pass) {
	known := knownCodes()
	check := func(ig crontab.Ignore) {
		if strings.TrimSpace(ig.Reason) == "" {
			p.ReportDoc(docIgnoreNoReason(), ig.Pos, "write the reason after the codes: # cronbridge:ignore CODE reason",
				"suppression of %s gives no reason", strings.Join(ig.Codes, ","))
		}
		for _, c := range ig.Codes {
			if !known[strings.ToUpper(c)] {
				p.ReportDoc(docIgnoreUnknown(), ig.Pos, "see docs/rules.md for the list of codes",
					"suppression names unknown code %q", c)
			}
		}
	}
	for _, ig := range p.File.Ignores {
		check(ig)
	}
	for _, e := range p.File.Entries {
		for _, ig := range e.Ignores {
			check(ig)
		}
		for _, a := range e.Annotations {
			if msg := annotationError(a); msg != "" {
				p.ReportDoc(docBadAnnotation(), a.Pos, "use # cronbridge: duration=45m cpu=1024 memory=2048", "%s", msg)
			}
		}
	}
}

// annotationError returns why an annotation is wrong, or "".
func annotationError(a crontab.Annotation) string {
	switch a.Key {
	case "duration":
		if d, err := time.ParseDuration(a.Value); err != nil || d <= 0 {
			return "annotation duration=" + strconv.Quote(a.Value) + " is not a positive Go duration such as 45m or 1h30m"
		}
	case "cpu", "memory":
		if n, err := strconv.Atoi(a.Value); err != nil || n <= 0 {
			return "annotation " + a.Key + "=" + strconv.Quote(a.Value) + " is not a positive whole number"
		}
	case "state":
		if a.Value != "enabled" && a.Value != "disabled" {
			return "annotation state=" + strconv.Quote(a.Value) + " is not enabled or disabled"
		}
	case "name":
		// Job naming is internal/jobs' business (CB090-CB099).
	default:
		return "unknown annotation key " + strconv.Quote(a.Key) + " (known: duration, cpu, memory, name, state)"
	}
	return ""
}
