package deploy

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Credentials people write into crontab lines. Each pattern keeps what
// tells a reader which credential it was and replaces the secret by ***.
var secretPatterns = []struct {
	re   *regexp.Regexp
	repl string
}{
	// scheme://user:password@host
	{regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@]*):[^\s@/]+@`), "${1}:***@"},
	// mysql -pSECRET (and mysqldump, mysqladmin, mariadb): -p glued to
	// its value; a lone -p prompts and is kept.
	{regexp.MustCompile(`((?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^;&|\n]*?\s-p)[^\s;&|]+`), "${1}***"},
	// --password=VALUE, --password VALUE, --passwd, --pass.
	{regexp.MustCompile(`(--(?:password|passwd|pass)(?:=|\s+))("[^"]*"|'[^']*'|[^\s;&|]+)`), "${1}***"},
	// PGPASSWORD=..., MYSQL_PWD=..., API_TOKEN=..., AWS_SECRET_ACCESS_KEY=...
	{regexp.MustCompile(`(\b[A-Za-z_]*(?:PASSWORD|PASSWD|_PWD|SECRET|TOKEN|API_KEY|APIKEY)[A-Za-z0-9_]*=)("[^"]*"|'[^']*'|[^\s;&|]+)`), "${1}***"},
}

// RedactSecrets replaces credentials in URLs ("https://user:pass@" →
// "https://user:***@") and common password flags and variables
// ("mysql -pSECRET", "--password=...", "PGPASSWORD=...") by ***.
func RedactSecrets(s string) string {
	if s == "" {
		return s
	}
	for _, p := range secretPatterns {
		s = p.re.ReplaceAllString(s, p.repl)
	}
	return s
}

// escapeControl makes control characters visible: a carriage return or an
// escape sequence in a value must not rewrite the terminal line or forge
// a workflow command in a CI log. Tabs stay.
func escapeControl(s string) string {
	if !strings.ContainsFunc(s, needsEscape) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case needsEscape(r):
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// needsEscape: C0 and C1 controls but tab, DEL, line and paragraph
// separators, and the bidirectional overrides that reorder what a reader
// sees.
func needsEscape(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0, r == 0x2028, r == 0x2029:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return !unicode.IsPrint(r) && !unicode.IsSpace(r) && unicode.Is(unicode.Cc, r)
}
