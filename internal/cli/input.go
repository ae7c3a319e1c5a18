package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/safefs"
)

// sourceFlags are the flags every command that reads crontabs accepts.
type sourceFlags struct {
	timezone string
	dialect  string
	system   bool
}

func (s *sourceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.timezone, "timezone", "Asia/Tokyo", "IANA time zone the crontab is written in")
	fs.StringVar(&s.dialect, "dialect", "cronie", "crontab dialect: cronie or debian")
	fs.BoolVar(&s.system, "system", false, "system crontab format (/etc/crontab, /etc/cron.d): a user field before the command")
}

// resolve validates the flags into parser options and the default zone.
func (s *sourceFlags) resolve() (crontab.Options, *time.Location, error) {
	d, err := crontab.ParseDialect(s.dialect)
	if err != nil {
		return crontab.Options{}, nil, err
	}
	loc, err := time.LoadLocation(s.timezone)
	if err != nil || s.timezone == "" || s.timezone == "Local" {
		return crontab.Options{}, nil, fmt.Errorf("unknown time zone %q: use an IANA name such as Asia/Tokyo", s.timezone)
	}
	return crontab.Options{Dialect: d, System: s.system}, loc, nil
}

// readInput reads a named file, or standard input for "-", within the
// size limit of a crontab or config (safefs.MaxCrontabSize): a file that
// is not regular (a FIFO, /dev/zero) or too large is an error that names
// the limit, never an unbounded read. In the Action (env.Root set) the
// repository is untrusted: the path must stay inside the workspace and no
// symlink is followed (safefs).
func readInput(env *Env, path string) (name string, src []byte, err error) {
	const limit = safefs.MaxCrontabSize
	if path == "-" {
		if env.Stdin == nil {
			return "", nil, fmt.Errorf("read standard input: no standard input")
		}
		b, err := io.ReadAll(io.LimitReader(env.Stdin, limit+1))
		if err != nil {
			return "", nil, fmt.Errorf("read standard input: %w", err)
		}
		if int64(len(b)) > limit {
			return "", nil, fmt.Errorf("read standard input: larger than the %s limit", safefs.FormatSize(limit))
		}
		return "<stdin>", b, nil
	}
	if env.Root != "" {
		rel, err := safefs.Rel(env.Root, path)
		if err != nil {
			return "", nil, err
		}
		b, err := safefs.ReadFile(env.Root, rel, limit)
		if err != nil {
			return "", nil, err
		}
		return path, b, nil
	}
	b, err := readRegular(path, limit)
	if err != nil {
		return "", nil, err
	}
	return path, b, nil
}

// readRegular reads a regular file of at most limit bytes.
func readRegular(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: not a regular file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("read %s: larger than the %s limit", path, safefs.FormatSize(limit))
	}
	return b, nil
}

// writeOutput writes a file the command produces. In the Action it never
// writes through a symlink a pull request committed (safefs.WriteFile).
func writeOutput(env *Env, path string, data []byte) error {
	if env.Root == "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return os.WriteFile(path, data, 0o644)
	}
	rel, err := safefs.Rel(env.Root, path)
	if err != nil {
		return err
	}
	if dir := filepath.Dir(rel); dir != "." {
		if err := safefs.MkdirAll(env.Root, dir, 0o755); err != nil {
			return err
		}
	}
	return safefs.WriteFile(env.Root, rel, data, 0o644)
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(env *Env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: cronbridge %s\n\nflags:\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// zoneFor returns the zone an entry's schedule is read in: its CRON_TZ
// (the parser sets Entry.TZ only under the cronie dialect) or the default.
func zoneFor(e *crontab.Entry, def *time.Location, cache map[string]*time.Location) (*time.Location, error) {
	if e.TZ == "" {
		return def, nil
	}
	if loc, ok := cache[e.TZ]; ok {
		return loc, nil
	}
	loc, err := time.LoadLocation(e.TZ)
	if err != nil {
		return nil, err
	}
	cache[e.TZ] = loc
	return loc, nil
}

// parseFlags parses args like fs.Parse, but also accepts flags after the
// file arguments ("cronbridge lint batch.crontab --system"), as most
// command-line tools do; Go's flag package alone would take "--system"
// for a file name. Everything after "--" stays an argument.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			// A flag that is not boolean takes the next argument as its value.
			if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		default:
			rest = append(rest, a)
		}
	}
	return fs.Parse(append(append(flags, "--"), rest...))
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// parseNow parses a --now flag: RFC 3339 ("" = the current time).
func parseNow(v string) (time.Time, error) {
	if v == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("--now %q: not an RFC 3339 instant; write it like 2026-12-01T03:00:00+09:00", v)
	}
	return t, nil
}
