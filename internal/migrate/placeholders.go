package migrate

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
)

// PlaceholderMark is in every placeholder WriteConfig leaves.
const PlaceholderMark = "REPLACE-ME"

// Placeholders returns an error for every REPLACE-ME left in a config's
// text outside YAML comments, in file order. plan, deploy and cutover
// refuse such a config: on AWS a rule for the cluster
// "REPLACE-ME-cluster" is created without complaint and only fails, with
// nothing in the logs, once cutover enables it and the server has stopped
// running the job. The text is scanned rather than the parsed config so
// that a placeholder anywhere (an environment value, a job's command) is
// found, each at its own line and column. The code is config-missing: a
// placeholder is a value the user has not given yet.
func Placeholders(name string, src []byte) []crontab.Diagnostic {
	var out []crontab.Diagnostic
	for i, line := range strings.Split(string(src), "\n") {
		text := stripYAMLComment(line)
		from := 0
		for {
			k := strings.Index(text[from:], PlaceholderMark)
			if k < 0 {
				break
			}
			at := from + k
			col := utf8.RuneCountInString(text[:at]) + 1
			word := placeholderWord(text, at)
			key := ""
			if t := strings.TrimSpace(text[:at]); !strings.HasPrefix(t, "-") {
				if i := strings.Index(t, ": "); i > 0 {
					key = " (" + t[:i] + ")"
				} else if strings.HasSuffix(t, ":") {
					key = " (" + strings.TrimSuffix(t, ":") + ")"
				}
			}
			out = append(out, crontab.Diagnostic{
				Pos: crontab.Pos{File: name, Line: i + 1, Col: col}, Severity: crontab.SeverityError, Code: config.CodeMissing,
				Message: fmt.Sprintf("placeholder %s%s is still in the config: AWS accepts it at deploy time and the rule fails only once it is enabled", word, key),
				Hint:    "replace it with the real value (the TODO comment on the line says which)",
			})
			from = at + len(PlaceholderMark)
		}
	}
	return out
}

// placeholderWord is the whole value around the mark at, such as
// "subnet-REPLACE-ME" or "arn:aws:iam::123456789012:role/REPLACE-ME-ecs-events".
func placeholderWord(text string, at int) string {
	stop := func(c byte) bool {
		return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == ',' || c == '[' || c == ']' || c == '{' || c == '}'
	}
	s, e := at, at
	for s > 0 && !stop(text[s-1]) {
		s--
	}
	for e < len(text) && !stop(text[e]) {
		e++
	}
	w := text[s:e]
	if i := strings.LastIndex(w[:at-s], ": "); i >= 0 {
		w = w[i+2:]
	}
	return fmt.Sprintf("%q", strings.TrimPrefix(w, "- "))
}

// stripYAMLComment cuts a line at a YAML comment: a '#' at the start or
// after a blank, outside quotes.
func stripYAMLComment(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case (c == '"' || c == '\'') && (i == 0 || strings.IndexByte(" \t[{,:", line[i-1]) >= 0):
			quote = c // a quoted scalar starts; a quote inside a plain one (don't) does not
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return line[:i]
		}
	}
	return line
}
