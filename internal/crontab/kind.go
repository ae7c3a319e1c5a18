package crontab

import (
	"fmt"
	"strings"
)

// commandWords are programs that start commands in crontabs. In a system
// crontab the user field holding one of them means the line has no user.
var commandWords = map[string]bool{
	"cd": true, "sh": true, "bash": true, "zsh": true, "php": true, "python": true, "python3": true,
	"ruby": true, "perl": true, "node": true, "test": true, "[": true, "echo": true, "curl": true,
	"wget": true, "find": true, "rm": true, "bundle": true, "rake": true, "flock": true, "nice": true,
	"ionice": true, "sleep": true, "env": true, "timeout": true, "docker": true, "make": true,
	"java": true, "rsync": true, "tar": true, "cp": true, "mv": true, "mkdir": true, "touch": true,
	"sudo": true, "exec": true, "source": true, "run-parts": true, "logrotate": true, "npm": true,
	"mysqldump": true, "pg_dump": true, "aws": true, "gzip": true, "date": true, "kill": true,
}

// looksLikeCommand reports a system-crontab user field that is really the
// start of a command.
func looksLikeCommand(u string) bool {
	if commandWords[u] || strings.ContainsAny(u, "/=$;&|<>()") {
		return true
	}
	for _, ext := range []string{".sh", ".py", ".rb", ".pl", ".php", ".js"} {
		if strings.HasSuffix(u, ext) {
			return true
		}
	}
	return false
}

// checkKind reports a file that looks like the other kind of crontab: most
// of its jobs would read differently with (or without) a user field. One
// diagnostic per file, at the first job that shows it.
func (p *parser) checkKind() {
	total, hits := 0, 0
	var first Pos
	for _, e := range p.file.Entries {
		if p.opts.System {
			if e.User == nil {
				continue
			}
			total++
			if looksLikeCommand(e.User.Text) && !accountBeforeCommand(e.User.Text, e.Command.Text) {
				if hits++; hits == 1 {
					first = e.User.Pos
				}
			}
			continue
		}
		if e.Command.Text == "" {
			continue
		}
		total++
		word, rest, _ := strings.Cut(e.Command.Text, " ")
		if w, r, ok := strings.Cut(e.Command.Text, "\t"); ok && len(w) < len(word) {
			word, rest = w, r
		}
		if looksLikeUser(word, strings.TrimLeft(rest, " \t")) {
			if hits++; hits == 1 {
				first = e.Command.Pos
			}
		}
	}
	if hits == 0 || hits*2 <= total {
		return
	}
	if p.opts.System {
		p.diag = append(p.diag, Diagnostic{
			Pos: first, Severity: SeverityWarning, Code: CodeLooksLikeUser,
			Message: fmt.Sprintf("read as a system crontab, %d of %d jobs have a command where the user name belongs: this looks like a user crontab, and cron would run the rest of each line as that \"user\"", hits, total),
			Hint:    "parse it without --system, or add the user field (e.g. root) after the day-of-week",
		})
		return
	}
	p.diag = append(p.diag, Diagnostic{
		Pos: first, Severity: SeverityWarning, Code: CodeLooksLikeSystem,
		Message: fmt.Sprintf("read as a user crontab, %d of %d jobs have a command that starts with a user name: this looks like a system crontab (/etc/crontab, /etc/cron.d), and cron would run the user name as a command", hits, total),
		Hint:    "parse it with --system",
	})
}

// looksLikeUser reports a user crontab command whose first word is probably
// a system crontab's user field: a well-known account name, or a name-like
// word followed by something that can only start a command.
func looksLikeUser(word, rest string) bool {
	if rest == "" {
		return false
	}
	if knownUsers[word] {
		return true
	}
	if !userish(word) {
		return false
	}
	next, _, _ := strings.Cut(rest, " ")
	// No program takes "cd" as its first argument: "X cd dir && ..." is a
	// user X running "cd dir && ...".
	if next == "cd" {
		return true
	}
	if accountBeforeCommand(word, rest) {
		return true
	}
	// A path after the word is not enough: "php72 /var/www/x.php" is a
	// command with its argument.
	return !commandWords[word] && commandWords[next]
}

// accountBeforeCommand reports a word that names a program but, followed by
// rest, can only be an account: the official Node.js images run as user
// "node" (corpus 023, an /etc/cron.d file with "node cd ..." and
// "node /usr/bin/date ..."). No program takes "cd" as its first argument,
// and an interpreter is not given a compiled program from a bin directory.
func accountBeforeCommand(word, rest string) bool {
	if !userish(word) {
		return false
	}
	next, _, _ := strings.Cut(strings.TrimLeft(rest, " \t"), " ")
	if n, _, ok := strings.Cut(next, "\t"); ok {
		next = n
	}
	if next == "cd" {
		return true
	}
	if !interpreterWords[word] {
		return false
	}
	for _, dir := range []string{"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/"} {
		if name, ok := strings.CutPrefix(next, dir); ok && name != "" && !strings.ContainsAny(name, "./") {
			return true
		}
	}
	return false
}

// interpreterWords run the script file they are given; they are never
// given a program from a bin directory, which has no script extension.
var interpreterWords = map[string]bool{
	"node": true, "python": true, "python3": true, "ruby": true, "perl": true, "php": true,
}

// userish reports a word shaped like a login name.
func userish(w string) bool {
	if w == "" || len(w) > 32 || !('a' <= w[0] && w[0] <= 'z' || w[0] == '_') {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
