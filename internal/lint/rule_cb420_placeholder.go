package lint

import (
	"strings"
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// placeholder flags the REPLACE-ME placeholders that cronbridge migrate
// writes into the generated cronbridge.yaml (cluster, subnets, role): a
// config that still has one deploys rules that point at nothing, and
// they fail silently once cutover enables them, after the server stopped
// running the jobs (issue 10). The CLI runs Placeholders over the
// --config file; the rule itself looks at the crontab, where a pasted
// placeholder is the same mistake.
type placeholder struct{}

// placeholderWord is what migrate writes where it cannot know the value.
const placeholderWord = "REPLACE-ME"

// Doc implements Rule.
func (placeholder) Doc() RuleDoc {
	return RuleDoc{Code: "CB420", Name: "replace-me-placeholder", Severity: crontab.SeverityError,
		Summary: "a REPLACE-ME placeholder from cronbridge migrate is still in the configuration (or the crontab): replace it with the real value before plan or deploy.",
		Example: "# cronbridge.yaml\naws:\n  cluster: REPLACE-ME-cluster",
		Clean:   "0 3 * * * /opt/app/export.sh --bucket exports"}
}

// Check implements Rule.
func (placeholder) Check(p *Pass) {
	p.diags = append(p.diags, placeholders(p.File.Name, p.File.Lines, false, p.doc)...)
}

// Placeholders reports every REPLACE-ME outside YAML comments in a
// configuration file's lines (CB420, error).
func Placeholders(file string, lines []string) []crontab.Diagnostic {
	return placeholders(file, lines, true, placeholder{}.Doc())
}

func placeholders(file string, lines []string, yaml bool, doc RuleDoc) []crontab.Diagnostic {
	var out []crontab.Diagnostic
	for i, l := range lines {
		text := l
		if yaml {
			text = l[:yamlCommentStart(l)]
		} else if strings.HasPrefix(strings.TrimLeft(l, " \t"), "#") {
			continue // a crontab comment
		}
		for off := 0; ; {
			j := strings.Index(text[off:], placeholderWord)
			if j < 0 {
				break
			}
			at := off + j
			start, end := placeholderToken(text, at)
			word := text[start:end]
			out = append(out, crontab.Diagnostic{
				Pos:      crontab.Pos{File: file, Line: i + 1, Col: utf8.RuneCountInString(l[:start]) + 1},
				Severity: doc.Severity, Code: doc.Code,
				Message: "placeholder " + word + " is still here: plan and deploy would send it to AWS, and the rule would fail once enabled",
				Hint:    "replace it with the real value (cluster name, subnet and security group IDs, role ARN)",
			})
			off = end
		}
	}
	return out
}

// placeholderToken widens the match at i to the whole word around it
// ("subnet-REPLACE-ME", "REPLACE-ME-cluster").
func placeholderToken(s string, i int) (start, end int) {
	start, end = i, i+len(placeholderWord)
	word := func(c byte) bool {
		return c == '-' || c == '_' || c == '.' || c == ':' || c == '/' ||
			'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	for start > 0 && word(s[start-1]) {
		start--
	}
	for end < len(s) && word(s[end]) {
		end++
	}
	return start, end
}

// yamlCommentStart returns where a YAML comment starts in l (len(l) when
// there is none): a '#' at the start or after a blank, outside quotes.
func yamlCommentStart(l string) int {
	var quote byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return i
		}
	}
	return len(l)
}
