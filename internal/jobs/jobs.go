package jobs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/shellcmd"
)

// MaxNameLen is the longest job name. It leaves room in EventBridge's
// 64-character rule names for a prefix and a per-rule suffix.
const MaxNameLen = 48

// hashLen is the length of the hexadecimal hash suffixes: 24 bits make a
// clash between two commands of one crontab vanishingly unlikely while
// keeping names readable.
const hashLen = 6

// Source says where a job's name came from.
type Source int

const (
	// SourceDerived: derived from the command.
	SourceDerived Source = iota
	// SourceAnnotation: a "# cronbridge: name=..." annotation above the entry.
	SourceAnnotation
	// SourceConfig: a config matcher (jobs.<name>.match).
	SourceConfig
)

// String returns "derived", "annotation" or "config".
func (s Source) String() string {
	switch s {
	case SourceAnnotation:
		return "annotation"
	case SourceConfig:
		return "config"
	}
	return "derived"
}

// MarshalText renders a Source as its word in JSON and YAML.
func (s Source) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Matcher is a config job that claims the entry whose command contains Match
// (jobs.<Name>.match in cronbridge.yaml).
type Matcher struct {
	Name  string
	Match string
	// Pos is where the matcher is defined in the config file; diagnostics
	// about the matcher point there. The zero Pos means unknown: they then
	// point at the start of the crontab.
	Pos crontab.Pos
}

// Job is a crontab entry with its stable name.
type Job struct {
	Name   string
	Entry  *crontab.Entry
	Source Source
}

// ValidName reports whether s is a valid job name: ^[a-z0-9][a-z0-9-]{0,47}$.
func ValidName(s string) bool {
	if len(s) == 0 || len(s) > MaxNameLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && i > 0:
		default:
			return false
		}
	}
	return true
}

// Normalize turns arbitrary text into a job name: camelCase is split
// ("DailySales" → "daily-sales"), everything but letters and digits
// ("::", "_", ".", "/", spaces) becomes a single "-", and text longer than
// MaxNameLen is cut and given a hash of the whole so that two long names
// that share a prefix stay apart. It returns "" when no letter or digit
// remains.
func Normalize(s string) string {
	var b strings.Builder
	rs := []rune(s)
	dash := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	for i, r := range rs {
		switch {
		case r < unicode.MaxASCII && unicode.IsUpper(r):
			// A word starts at an upper-case letter after a lower-case
			// letter or digit ("dailySales"), or at the last capital of an
			// acronym ("HTTPServer" → "http-server").
			if i > 0 {
				prev := rs[i-1]
				nextLower := i+1 < len(rs) && rs[i+1] < unicode.MaxASCII && unicode.IsLower(rs[i+1])
				if unicode.IsLower(prev) || unicode.IsDigit(prev) || unicode.IsUpper(prev) && nextLower {
					dash()
				}
			}
			b.WriteRune(unicode.ToLower(r))
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			dash()
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > MaxNameLen {
		out = withSuffix(out, shortHash(out))
	}
	return out
}

// withSuffix appends "-suffix", cutting base so the result fits MaxNameLen.
func withSuffix(base, suffix string) string {
	if room := MaxNameLen - 1 - len(suffix); len(base) > room {
		base = strings.TrimRight(base[:room], "-")
	}
	if base == "" {
		return suffix
	}
	return base + "-" + suffix
}

// shortHash is a stable short hash: the same text gives the same suffix on
// every machine and in every release.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:hashLen]
}

// Derive derives a job name from the command cron hands to the shell
// (crontab.Entry.Shell): the rails runner target, the rake task, the script
// name, else the first command word; "job" when nothing fits.
func Derive(shell string) string {
	return DeriveFrom(shellcmd.Analyze(shell))
}

// DeriveFrom is Derive for a command analyzed already (a.Cmd is the
// command).
func DeriveFrom(a *shellcmd.Analysis) string {
	if n := Normalize(deriveRaw(a)); n != "" {
		return n
	}
	return "job"
}

// deriveRaw picks the text a name is derived from.
func deriveRaw(a *shellcmd.Analysis) string {
	shell := a.Cmd
	m := a.Main()
	if m == nil {
		// Not valid shell, or nothing but setup: use the first word.
		fields := strings.Fields(shell)
		if len(fields) == 0 {
			return ""
		}
		return stripExt(path.Base(fields[0]))
	}
	if r := m.Rails; r != nil {
		switch r.Kind {
		case shellcmd.RailsRunner, shellcmd.RailsScriptRunner:
			t := strings.TrimSpace(r.Target)
			if looksLikeFile(t) {
				return stripExt(path.Base(t))
			}
			if t != "" {
				return t
			}
		case shellcmd.RailsRake, shellcmd.RailsTask:
			if len(r.Tasks) > 0 {
				return strings.Join(r.Tasks, "-")
			}
		}
		return path.Base(r.Program)
	}
	if m.Script != "" {
		return stripExt(path.Base(m.Script))
	}
	exec := m.Exec
	// "bundle exec sidekiq" is about sidekiq, not Bundler.
	if len(exec) > 2 && path.Base(exec[0].Text) == "bundle" && exec[1].Text == "exec" {
		exec = exec[2:]
	}
	if len(exec) > 0 {
		return stripExt(path.Base(exec[0].Text))
	}
	return stripExt(path.Base(m.Name.Text))
}

// looksLikeFile reports a runner target that is a script file rather than code.
func looksLikeFile(t string) bool {
	return strings.HasSuffix(t, ".rb") && !strings.ContainsAny(t, " ()'\"")
}

// stripExt drops a script extension (".sh", ".py", ...), keeping dotted
// names that are not extensions ("logrotate.d" stays).
func stripExt(base string) string {
	switch ext := path.Ext(base); ext {
	case ".sh", ".bash", ".py", ".rb", ".pl", ".php", ".js", ".ts", ".R", ".zsh", ".cron":
		return strings.TrimSuffix(base, ext)
	}
	return base
}

// commandKey is the normalized command: what identifies a job when it has
// no explicit name. Whitespace differences do not matter; the user of a
// system crontab and the standard input after '%' do.
func commandKey(e *crontab.Entry) string {
	cmd := e.Shell
	if cmd == "" && !e.HasStdin {
		cmd = e.Command.Text
	}
	key := strings.Join(strings.Fields(cmd), " ")
	if e.HasStdin {
		key += "\x00stdin\x00" + e.Stdin
	}
	return key
}

// contextKey distinguishes identical commands without looking at the
// schedule or the line: the user they run as and the CRON_TZ in force.
func contextKey(e *crontab.Entry) string {
	user := ""
	if e.User != nil {
		user = e.User.Text
	}
	return user + "\x00" + e.TZ
}

// scheduleKey is the schedule as written, whitespace-normalized.
func scheduleKey(e *crontab.Entry) string {
	if e.Reboot {
		return "@reboot"
	}
	if e.Nickname != nil {
		return e.Nickname.Text
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Text
	}
	return strings.Join(parts, " ")
}

// Assign names every entry of f: one Job per entry, in file order, none
// skipped (@reboot and invalid entries are named too, so reports can refer
// to them).
//
// Precedence: a valid "# cronbridge: name=..." annotation, then a config
// matcher that matches exactly this entry, then a name derived from the
// command (Derive).
//
// Collisions never depend on line order:
//   - different commands that derive the same name each get a suffix with
//     a short hash of their normalized command (a derived name that equals
//     an explicit name is treated the same way);
//   - identical commands on several entries get a CB094 warning asking for
//     explicit names, and a suffix that tells them apart by what differs:
//     the user and CRON_TZ if those differ, else the schedule as written.
//     Such a name changes when its schedule changes, which is why the
//     warning asks for explicit names. Entries identical in every respect
//     (the same line twice) are numbered -2, -3, ... in file order: they
//     are indistinguishable, so the order cannot swap anything.
//
// Removing one of two different commands that derived the same name drops
// the other's hash suffix (it no longer collides); an explicit name pins a
// job against that too.
//
// Invalid or duplicate explicit names and matchers that match no entry or
// several entries are error diagnostics; the affected entries still get a
// usable, unique name.
//
// cmds are the entries' parsed commands (ParseCommands); nil parses them
// here.
func Assign(f *crontab.File, matchers []Matcher, cmds Commands) ([]Job, []crontab.Diagnostic) {
	if f == nil {
		return nil, nil
	}
	if len(cmds) != len(f.Entries) {
		cmds = ParseCommands(f)
	}
	var diags []crontab.Diagnostic
	jobs := make([]Job, len(f.Entries))
	named := make([]bool, len(f.Entries))
	for i, e := range f.Entries {
		jobs[i].Entry = e
	}
	diag := func(p crontab.Pos, sev crontab.Severity, code, hint, format string, args ...any) {
		diags = append(diags, crontab.Diagnostic{Pos: p, Severity: sev, Code: code, Message: fmt.Sprintf(format, args...), Hint: hint})
	}

	// 1. Annotations.
	for i, e := range f.Entries {
		an, ok := e.Annotation("name")
		if !ok {
			continue
		}
		name := an.Value
		if !ValidName(name) {
			norm := Normalize(name)
			diag(an.Pos, crontab.SeverityError, CodeInvalidName,
				"job names are 1-48 lowercase letters, digits and '-', starting with a letter or digit",
				"invalid job name %q", name)
			if norm == "" {
				continue
			}
			name = norm
		}
		jobs[i].Name, jobs[i].Source, named[i] = name, SourceAnnotation, true
	}

	// 2. Config matchers, in name order so that conflicts resolve the same
	// way whatever order the config lists them in.
	ms := append([]Matcher(nil), matchers...)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name })
	claimedBy := map[int]string{}
	for _, m := range ms {
		if m.Match == "" {
			continue
		}
		mp := m.Pos
		if mp.Line == 0 {
			mp = crontab.Pos{File: f.Name, Line: 1, Col: 1}
		}
		name := m.Name
		if !ValidName(name) {
			diag(mp, crontab.SeverityError, CodeInvalidName,
				"job names are 1-48 lowercase letters, digits and '-', starting with a letter or digit",
				"invalid job name %q", name)
			if name = Normalize(name); name == "" {
				continue
			}
		}
		var hits []int
		for i, e := range f.Entries {
			if strings.Contains(e.Command.Text, m.Match) || strings.Contains(e.Shell, m.Match) {
				hits = append(hits, i)
			}
		}
		switch len(hits) {
		case 0:
			diag(mp, crontab.SeverityError, CodeUnmatchedMatcher,
				"fix the match text, or remove the job from the config if the entry is gone",
				"job %q: match %q matches no entry in %s", m.Name, m.Match, f.Name)
			continue
		case 1:
		default:
			lines := make([]string, len(hits))
			for k, h := range hits {
				lines[k] = strconv.Itoa(f.Entries[h].Line)
			}
			diag(mp, crontab.SeverityError, CodeAmbiguousMatcher,
				"make the match text longer so that it matches one entry, or name the entries with '# cronbridge: name=...'",
				"job %q: match %q matches %d entries (lines %s)", m.Name, m.Match, len(hits), strings.Join(lines, ", "))
			continue
		}
		i := hits[0]
		e := f.Entries[i]
		switch {
		case jobs[i].Source == SourceAnnotation && named[i]:
			if jobs[i].Name != name {
				diag(mp, crontab.SeverityWarning, CodeNamedTwice,
					"remove one of the two names",
					"job %q: the entry on line %d is already named %q by its annotation, which wins", m.Name, e.Line, jobs[i].Name)
			}
		case claimedBy[i] != "":
			diag(mp, crontab.SeverityWarning, CodeNamedTwice,
				"make the match texts distinct",
				"job %q: the entry on line %d is already matched by job %q, which wins", m.Name, e.Line, claimedBy[i])
		default:
			claimedBy[i] = m.Name
			jobs[i].Name, jobs[i].Source, named[i] = name, SourceConfig, true
		}
	}

	// 3. Duplicate explicit names: the first entry keeps the name, the
	// others get a hash of their command so that names stay unique.
	explicit := map[string]int{}
	for i := range jobs {
		if !named[i] {
			continue
		}
		first, dup := explicit[jobs[i].Name]
		if !dup {
			explicit[jobs[i].Name] = i
			continue
		}
		p := jobs[i].Entry.Pos
		if an, ok := jobs[i].Entry.Annotation("name"); ok && jobs[i].Source == SourceAnnotation {
			p = an.Pos
		}
		diag(p, crontab.SeverityError, CodeDuplicateName, "give every job its own name",
			"job name %q is already used by the entry on line %d", jobs[i].Name, jobs[first].Entry.Line)
		jobs[i].Name = withSuffix(jobs[i].Name, shortHash(commandKey(jobs[i].Entry)+"\x00"+strconv.Itoa(jobs[i].Entry.Line)))
	}

	// 4. Derived names.
	type derived struct {
		idx  int
		base string
		key  string
	}
	byBase := map[string][]derived{}
	var bases []string
	for i, e := range f.Entries {
		if named[i] {
			continue
		}
		if !e.Valid {
			// An entry cron rejects cannot be deployed; its name only lets
			// reports refer to it. Keeping it out of the groups below means
			// a broken line neither triggers the identical-commands warning
			// nor forces a hash suffix onto a valid job's name.
			jobs[i].Name = withSuffix(DeriveFrom(cmds[i].Analysis), "line"+strconv.Itoa(e.Line))
			continue
		}
		d := derived{idx: i, base: DeriveFrom(cmds[i].Analysis), key: commandKey(e)}
		if _, ok := byBase[d.base]; !ok {
			bases = append(bases, d.base)
		}
		byBase[d.base] = append(byBase[d.base], d)
	}
	sort.Strings(bases)
	for _, base := range bases {
		group := byBase[base]
		keys := map[string][]derived{}
		for _, d := range group {
			keys[d.key] = append(keys[d.key], d)
		}
		_, taken := explicit[base]
		hashed := taken || len(keys) > 1
		for key, same := range keys {
			name := base
			if hashed {
				name = withSuffix(base, shortHash(key))
			}
			if len(same) == 1 {
				jobs[same[0].idx].Name = name
				continue
			}
			identical(f, jobs, same2idx(same, func(d derived) int { return d.idx }), name, diag)
		}
	}

	// 5. A last guard against pathological clashes (a hash suffix that
	// happens to equal another name): number them in file order.
	seen := map[string]bool{}
	for i := range jobs {
		if !seen[jobs[i].Name] {
			seen[jobs[i].Name] = true
			continue
		}
		for n := 2; ; n++ {
			cand := withSuffix(jobs[i].Name, strconv.Itoa(n))
			if !seen[cand] {
				jobs[i].Name = cand
				seen[cand] = true
				break
			}
		}
	}

	slices.SortStableFunc(diags, crontab.CompareDiagnostics)
	return jobs, diags
}

func same2idx[T any](xs []T, f func(T) int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	sort.Ints(out)
	return out
}

// identical names entries that run the same command, warning about each.
func identical(f *crontab.File, jobs []Job, idx []int, name string, diag func(crontab.Pos, crontab.Severity, string, string, string, ...any)) {
	// Every entry gets the warning, so listing every line in each one
	// would make the output quadratic (100,000 copies of one command gave
	// 100,000 messages of 100,000 numbers); the first few locate the group.
	const maxListed = 10
	lines := make([]string, 0, min(len(idx), maxListed))
	for _, i := range idx[:min(len(idx), maxListed)] {
		lines = append(lines, strconv.Itoa(f.Entries[i].Line))
	}
	listed := strings.Join(lines, ", ")
	if more := len(idx) - maxListed; more > 0 {
		listed += fmt.Sprintf(" and %d more", more)
	}
	// Pick the discriminator: the context if it tells all entries apart,
	// else the schedule, else nothing (fully identical lines).
	distinct := func(key func(*crontab.Entry) string) bool {
		seen := map[string]bool{}
		for _, i := range idx {
			k := key(f.Entries[i])
			if seen[k] {
				return false
			}
			seen[k] = true
		}
		return true
	}
	var disc func(*crontab.Entry) string
	switch {
	case distinct(contextKey):
		disc = contextKey
	case distinct(func(e *crontab.Entry) string { return contextKey(e) + "\x00" + scheduleKey(e) }):
		disc = func(e *crontab.Entry) string { return contextKey(e) + "\x00" + scheduleKey(e) }
	}
	for k, i := range idx {
		e := f.Entries[i]
		diag(e.Pos, crontab.SeverityWarning, CodeIdenticalCommands,
			"add '# cronbridge: name=...' above each of these entries: the derived names depend on the schedule and change with it",
			"the same command runs on lines %s; the job names cannot be derived from the command alone", listed)
		switch {
		case disc != nil:
			jobs[i].Name = withSuffix(name, shortHash(disc(e)))
		case k == 0:
			jobs[i].Name = name
		default:
			jobs[i].Name = withSuffix(name, strconv.Itoa(k+1))
		}
	}
}
