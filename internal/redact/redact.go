// Package redact hides credentials written into crontab lines and URLs
// before they are shown: rule descriptions, plan output, pull-request
// comments, summaries and logs. It knows the common forms (a URL's
// password, mysql's -pSECRET, --password=, PGPASSWORD= and other
// *_PASSWORD/*_TOKEN/*_SECRET variables, curl -u user:pass, Authorization
// headers, GitHub and Slack tokens) and replaces the secret with Mask,
// keeping the rest so that the line still reads as the command it is.
//
// It is a heuristic: a secret in a form it does not know stays. It imports
// no other cronbridge package, so deploy, report and prcheck can all use
// it.
package redact

import (
	"regexp"
	"strings"
)

// Mask replaces a secret (the runner's own mask, so readers recognize it).
const Mask = "***"

// word is the value of a shell word: quoted parts and unquoted characters
// up to a blank or a shell separator. Blanks are what the shell splits
// words on (space, tab, newline) and a carriage return, not every Unicode
// space: a form feed inside a password is part of the password.
const word = `(?:'[^']*'|"[^"]*"|[^ \t\n\r'";&|<>()])+`

var (
	// urlCreds matches scheme://userinfo@ ; the greedy userinfo runs to
	// the last '@' before the host, as URL parsers read it.
	urlCreds = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://([^ \t\n\r/'"@]*(?:@[^ \t\n\r/'"@]*)*)@`)
	// mysqlWord is a mysql client program, whose -p takes the password
	// glued to it (for other programs -p means something else).
	mysqlWord = regexp.MustCompile(`(?:^|[\s/])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlpump|mysqlslap|mariadb[a-z-]*)(?:\s|$)`)
	mysqlP    = regexp.MustCompile(`(?:^|\s)-p(` + word + `)`)
	// separator splits a command line into simple commands.
	separator = regexp.MustCompile(`[;&|\n()]+`)
	// flagValue matches --password=V, --password V and the like.
	flagValue = regexp.MustCompile(`(?i)(?:^|[\s'"])--?(?:password|passwd|pass|pwd|passphrase|token|secret|auth-token|api[-_]?key|access[-_]?key|secret[-_]?key|client[-_]?secret)(=|\s+)(` + word + `)`)
	// assignment matches NAME=V; the name is checked by secretName.
	assignment = regexp.MustCompile(`(?:^|[\s;&|('"?])([A-Za-z_][A-Za-z0-9_]*)=(` + word + `)`)
	secretName = regexp.MustCompile(`(?i)password|passwd|passphrase|_pwd$|^pwd_|token|secret|api_?key|access_?key|private_?key|credentials?$`)
	// userPass matches curl's -u user:pass and --user user:pass.
	userPass = regexp.MustCompile(`(?:^|\s)(?:-u\s*|--user[=\s]\s*)[^ \t\n\r:'"]+:(` + word + `)`)
	// header matches credentials in HTTP headers passed on the command line.
	header = regexp.MustCompile(`(?i)(?:authorization:\s*(?:bearer|basic|token|bot)|x-api-key:|private-token:|x-auth-token:)\s*([^ \t\n\r'"]+)`)
	// token matches credentials recognizable by their own shape.
	token = regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|glpat-[A-Za-z0-9_-]{20,})`)
)

// String returns s with the credentials it recognizes replaced by Mask.
// It is idempotent, and leaves text without credentials unchanged.
func String(s string) string {
	if s == "" {
		return s
	}
	s = replaceGroup(urlCreds, s, 1, maskUserinfo)
	s = redactMySQL(s)
	s = maskFlags(s)
	s = maskAssignments(s)
	s = replaceGroup(userPass, s, 1, mask)
	s = replaceGroup(header, s, 1, mask)
	return token.ReplaceAllString(s, Mask)
}

func mask(string) string { return Mask }

// maskUserinfo keeps the user name and hides the password; a userinfo
// without a password is a token (https://TOKEN@github.com) when it is long,
// and a plain login (ssh://deploy@host) otherwise.
func maskUserinfo(ui string) string {
	if user, _, ok := strings.Cut(ui, ":"); ok {
		return user + ":" + Mask
	}
	if len(ui) >= 20 || token.MatchString(ui) {
		return Mask
	}
	return ui
}

// redactMySQL hides the glued -p value in each simple command that runs a
// mysql client. A bare -p (mysql prompts) stays.
func redactMySQL(s string) string {
	if !strings.Contains(s, "-p") {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sep := range append(separator.FindAllStringIndex(s, -1), []int{len(s), len(s)}) {
		cmd := s[last:sep[0]]
		if loc := mysqlWord.FindStringIndex(cmd); loc != nil {
			// The options follow the program word, whose match ends
			// after its blank: "-p" then starts the rest.
			cmd = cmd[:loc[1]] + replaceGroup(mysqlP, cmd[loc[1]:], 1, mask)
		}
		b.WriteString(cmd)
		b.WriteString(s[sep[0]:sep[1]])
		last = sep[1]
	}
	return b.String()
}

// maskFlags hides the value of a password-like flag. The value of
// "--password V" must not be a flag itself: mysql's bare --password
// prompts, and the next word is an option.
func maskFlags(s string) string {
	return replaceMatch(flagValue, s, func(m []int) (int, int, bool) {
		sep := s[m[2]:m[3]]
		val := s[m[4]:m[5]]
		if sep != "=" && strings.HasPrefix(val, "-") {
			return 0, 0, false
		}
		return m[4], m[5], true
	})
}

// maskAssignments hides the value of NAME=V when NAME says it is secret
// (PGPASSWORD, MYSQL_PWD, DB_PASSWORD, SLACK_TOKEN, AWS_SECRET_ACCESS_KEY),
// but not PWD, the working directory.
func maskAssignments(s string) string {
	return replaceMatch(assignment, s, func(m []int) (int, int, bool) {
		name := s[m[2]:m[3]]
		if strings.EqualFold(name, "PWD") || strings.EqualFold(name, "OLDPWD") || !secretName.MatchString(name) {
			return 0, 0, false
		}
		return m[4], m[5], true
	})
}

// replaceGroup replaces submatch group of every match of re in s with
// f(the group's text).
func replaceGroup(re *regexp.Regexp, s string, group int, f func(string) string) string {
	return replaceSpan(re, s, func(m []int) (int, int, string, bool) {
		if m[2*group] < 0 {
			return 0, 0, "", false
		}
		return m[2*group], m[2*group+1], f(s[m[2*group]:m[2*group+1]]), true
	})
}

// replaceMatch replaces the span pick chooses in each match with Mask.
func replaceMatch(re *regexp.Regexp, s string, pick func(m []int) (int, int, bool)) string {
	return replaceSpan(re, s, func(m []int) (int, int, string, bool) {
		i, j, ok := pick(m)
		return i, j, Mask, ok
	})
}

func replaceSpan(re *regexp.Regexp, s string, f func(m []int) (int, int, string, bool)) string {
	ms := re.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		i, j, repl, ok := f(m)
		if !ok || i < last {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(repl)
		last = j
	}
	b.WriteString(s[last:])
	return b.String()
}
