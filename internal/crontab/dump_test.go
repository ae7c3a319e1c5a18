package crontab

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// dump renders a parse result as stable text for golden files: every entry
// with positions, fields, bits, environment and directives, then every
// diagnostic.
func dump(f *File, diags []Diagnostic) string {
	var b strings.Builder
	fmt.Fprintf(&b, "file %s dialect=%s system=%t lines=%d\n", f.Name, f.Options.Dialect, f.Options.System, len(f.Lines))
	for _, ig := range f.Ignores {
		fmt.Fprintf(&b, "file-ignore %s codes=%s reason=%q\n", lc(ig.Pos), strings.Join(ig.Codes, ","), ig.Reason)
	}
	for _, c := range f.Comments {
		fmt.Fprintf(&b, "comment %s %q\n", lc(c.Pos), c.Text)
	}
	for _, v := range f.Env {
		fmt.Fprintf(&b, "env %s %s=%q raw=%q quoted=%t value-at=%s\n", lc(v.Pos), v.Name, v.Value, v.Raw, v.Quoted, lc(v.ValuePos))
	}
	for _, e := range f.Entries {
		fmt.Fprintf(&b, "entry %s line=%d valid=%t raw=%q\n", lc(e.Pos), e.Line, e.Valid, e.Raw)
		var flags []string
		for _, fl := range []struct {
			on   bool
			name string
		}{{e.Reboot, "reboot"}, {e.NoLog, "nolog"}, {e.MailOnError, "mail-on-error"}, {e.Random, "random"}, {e.HasStdin, "stdin"}} {
			if fl.on {
				flags = append(flags, fl.name)
			}
		}
		if len(flags) > 0 {
			fmt.Fprintf(&b, "  flags %s\n", strings.Join(flags, ","))
		}
		if e.Nickname != nil {
			fmt.Fprintf(&b, "  nickname %s %s\n", lc(e.Nickname.Pos), e.Nickname.Text)
		}
		if !e.Reboot {
			var fs []string
			for _, fd := range e.Fields {
				fs = append(fs, fmt.Sprintf("%q@%s", fd.Text, lc(fd.Pos)))
			}
			fmt.Fprintf(&b, "  fields %s\n", strings.Join(fs, " "))
			s := e.Schedule
			fmt.Fprintf(&b, "  bits min=%s hour=%s dom=%s mon=%s dow=%s domstar=%t dowstar=%t\n",
				setString(s.Minute), setString(uint64(s.Hour)), setString(uint64(s.Dom)),
				setString(uint64(s.Month)), setString(uint64(s.Dow)), s.DomStar, s.DowStar)
		}
		if e.User != nil {
			fmt.Fprintf(&b, "  user %s %q\n", lc(e.User.Pos), e.User.Text)
		}
		fmt.Fprintf(&b, "  command %s %q\n", lc(e.Command.Pos), e.Command.Text)
		if e.Shell != e.Command.Text || e.HasStdin {
			fmt.Fprintf(&b, "  shell %q stdin %q\n", e.Shell, e.Stdin)
		}
		if e.TZ != "" {
			fmt.Fprintf(&b, "  tz %q from %s\n", e.TZ, lc(e.TZPos))
		}
		if len(e.Env) > 0 {
			var names []string
			for _, v := range e.Env {
				names = append(names, v.Name)
			}
			fmt.Fprintf(&b, "  env %s\n", strings.Join(names, ","))
		}
		for _, a := range e.Annotations {
			fmt.Fprintf(&b, "  annotation %s %s=%q\n", lc(a.Pos), a.Key, a.Value)
		}
		for _, ig := range e.Ignores {
			fmt.Fprintf(&b, "  ignore %s codes=%s reason=%q\n", lc(ig.Pos), strings.Join(ig.Codes, ","), ig.Reason)
		}
	}
	for _, d := range diags {
		b.WriteString(d.String())
		if d.Hint != "" {
			b.WriteString(" hint: " + d.Hint)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// lc is a position without the file name.
func lc(p Pos) string { return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col) }

// setString renders a bit set as a list of values and ranges ("0-5,10").
func setString(x uint64) string {
	if x == 0 {
		return "-"
	}
	var parts []string
	for x != 0 {
		lo := bits.TrailingZeros64(x)
		hi := lo
		for hi+1 < 64 && x&(1<<(hi+1)) != 0 {
			hi++
		}
		if lo == hi {
			parts = append(parts, strconv.Itoa(lo))
		} else {
			parts = append(parts, strconv.Itoa(lo)+"-"+strconv.Itoa(hi))
		}
		for v := lo; v <= hi; v++ {
			x &^= 1 << v
		}
	}
	return strings.Join(parts, ",")
}
