package lint

import (
	"path"
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// streamTarget reports redirection targets that are a process's standard
// streams, not files: writing to them reaches the container's log like
// plain stdout does (corpus 008 and 026 write to /proc/1/fd/1, the usual
// Docker idiom for cron inside a container).
func streamTarget(t string) bool {
	switch t {
	case "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/console":
		return true
	}
	for _, p := range []string{"/dev/fd/", "/proc/self/fd/", "/proc/1/fd/"} {
		if rest, ok := strings.CutPrefix(t, p); ok && isDigits(rest) {
			return true
		}
	}
	return false
}

// dataTools write data, not logs, to their standard output: a redirection
// of their output is the backup or export itself.
var dataTools = map[string]bool{
	"pg_dump": true, "pg_dumpall": true, "mysqldump": true, "mariadb-dump": true,
	"mongodump": true, "mongoexport": true, "sqlite3": true, "redis-cli": true,
	"tar": true, "gzip": true, "bzip2": true, "xz": true, "zstd": true, "zip": true,
	"crontab": true, "curl": true, "wget": true, "openssl": true, "gpg": true,
	"base64": true, "jq": true,
}

// dataExts are file extensions of data, not logs.
var dataExts = map[string]bool{
	".sql": true, ".gz": true, ".bz2": true, ".xz": true, ".zst": true, ".tar": true,
	".tgz": true, ".zip": true, ".dump": true, ".bak": true, ".csv": true, ".tsv": true,
	".json": true, ".xml": true, ".html": true, ".pdf": true, ".xlsx": true, ".db": true,
	".sqlite": true, ".rdb": true, ".gpg": true, ".enc": true, ".backup": true, ".archive": true,
}

// logExts are extensions that say "this is a log" whatever wrote it.
var logExts = map[string]bool{".log": true, ".out": true, ".err": true}

// outputFile is a file a command writes on the task's disk: a redirection
// of stdout or stderr, or a tee argument.
type outputFile struct {
	Target string
	Offset int  // in the analyzed command, for shellPos
	Data   bool // a dump, export or report rather than a log
	Tee    bool
}

// outputFiles lists the files a command writes through redirections and
// tee, classified as logs or data. The standard streams, /dev/null and
// descriptor duplications are not files.
func outputFiles(an *shellcmd.Analysis) []outputFile {
	var out []outputFile
	for _, r := range an.Redirects {
		if !r.Output || !r.File || r.DevNull || r.Dup || streamTarget(r.Target.Text) {
			continue
		}
		of := outputFile{Target: r.Target.Text, Offset: r.Pos.Offset}
		// Only stdout carries data; "2> x" and "&> x" capture messages.
		if r.FD == "" || r.FD == "1" {
			of.Data = dataTarget(r.Target.Text, commandAt(an, r.Pos.Offset, r.Depth))
		}
		out = append(out, of)
	}
	for _, c := range an.Commands {
		if len(c.Exec) == 0 || path.Base(c.Exec[0].Text) != "tee" {
			continue
		}
		for _, a := range c.Exec[1:] {
			if strings.HasPrefix(a.Text, "-") || a.Text == "/dev/null" || streamTarget(a.Text) {
				continue
			}
			out = append(out, outputFile{Target: a.Text, Offset: a.Pos.Offset, Tee: true,
				Data: !logExts[fileExt(a.Text)]})
		}
	}
	return out
}

// dataTarget reports whether a stdout redirection to t writes data: the
// file's extension says so, or the command is a dump or archive tool.
func dataTarget(t string, c *shellcmd.Command) bool {
	ext := fileExt(t)
	if logExts[ext] {
		return false
	}
	if dataExts[ext] {
		return true
	}
	return c != nil && len(c.Exec) > 0 && dataTools[path.Base(c.Exec[0].Text)]
}

// fileExt returns the extension of a file name, looking through a
// compression suffix (x.sql.gz is data either way) and the quotes and
// variables of an unexpanded word.
func fileExt(t string) string {
	t = strings.Trim(t, `"'`)
	return strings.ToLower(path.Ext(t))
}

// commandAt returns the simple command a redirection at offset belongs
// to: the last command at the same wrapper depth that starts before it.
func commandAt(an *shellcmd.Analysis, off, depth int) *shellcmd.Command {
	var found *shellcmd.Command
	for i := range an.Commands {
		c := &an.Commands[i]
		if c.Depth == depth && !c.InSubst && c.Pos.Offset < off {
			found = c
		}
	}
	return found
}

// plural writes "1 job" or "3 jobs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
