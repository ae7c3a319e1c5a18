package jobs

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/google/go-cmp/cmp"
)

// parseOne parses a crontab and returns its only entry.
func parseOne(t *testing.T, src string) (*crontab.File, *crontab.Entry) {
	t.Helper()
	f, diags := crontab.Parse("test.crontab", []byte(src), crontab.Options{})
	for _, d := range diags {
		if d.Severity == crontab.SeverityError {
			t.Fatalf("%q: %s", src, d)
		}
	}
	if len(f.Entries) != 1 {
		t.Fatalf("%q: %d entries, want 1", src, len(f.Entries))
	}
	return f, f.Entries[0]
}

// TestCommandStdin runs the container command of an entry with '%' under
// a real sh: it must read exactly the bytes cron would have fed it
// (do_command.c: text after the first unescaped '%', further '%' turned
// into newlines, "\%" a literal '%').
func TestCommandStdin(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatalf("the stdin test needs a POSIX sh: %v", err)
	}
	tests := []struct{ line, want string }{
		{"0 0 * * * cat%hello%world%", "hello\nworld\n"},
		{"0 0 * * * cat%it's 100\\% sure", "it's 100% sure"},
		{"0 0 * * * tr a-z A-Z # shout%quiet", "QUIET"},
		{"0 0 * * * cat%", ""},
		{"0 0 * * * cat%$HOME `id` $(id) \\n '\"'", "$HOME `id` $(id) \\n '\"'"},
		{"0 0 * * * cat%%%", "\n\n"},
		{"0 0 * * * wc -l | tr -d ' '%a%b%c", "2\n"},
	}
	for _, tt := range tests {
		_, e := parseOne(t, tt.line+"\n")
		got := Command(e, CommandOptions{AppRoot: "/app"})
		if !got.Stdin || !got.Fallback || got.Reason != StdinReason {
			t.Errorf("%q: Stdin=%v Fallback=%v Reason=%q, want the stdin fallback", tt.line, got.Stdin, got.Fallback, got.Reason)
		}
		if len(got.Exec) != 3 || got.Exec[0] != "sh" || got.Exec[1] != "-c" {
			t.Fatalf("%q: command %q, want sh -c", tt.line, got.Exec)
		}
		out, err := exec.Command(sh, got.Exec[1:]...).Output()
		if err != nil {
			t.Fatalf("%q: %v", tt.line, err)
		}
		if string(out) != tt.want {
			t.Errorf("%q: the command read %q, want %q", tt.line, out, tt.want)
		}
	}
}

func TestCommand(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		want     []string
		env      map[string]string
		fallback bool
		reason   string
		notes    int
	}{
		{"plain", "0 3 * * * /usr/local/bin/backup.sh\n",
			[]string{"/usr/local/bin/backup.sh"}, nil, false, "", 0},
		{"app root cd and log dropped", "0 3 * * * cd /app && FOO=1 bin/rake x >> /var/log/x.log 2>&1\n",
			[]string{"bin/rake", "x"}, map[string]string{"FOO": "1"}, false, "", 4},
		{"cd elsewhere", "0 3 * * * cd /srv && ./run\n",
			[]string{"sh", "-c", "cd /srv && ./run"}, nil, true, "it changes into /srv, which is not the app root /app", 0},
		{"crontab variable", "FOO=bar\n0 3 * * * echo $FOO\n",
			[]string{"sh", "-c", "echo $FOO"}, nil, true, "it uses $FOO, which comes from the crontab's environment and is only expanded by the shell", 0},
		{"variable below the entry is not the crontab's", "0 3 * * * echo $FOO\nFOO=bar\n",
			[]string{"sh", "-c", "echo $FOO"}, nil, true, "it uses $FOO, whose value is unknown until the shell runs", 0},
		{"escaped percent is no stdin", "0 3 * * * date +\\%F\n",
			[]string{"date", "+%F"}, nil, false, "", 0},
		// Issue #10 item 3: a data file keeps the shell form, logs do not.
		{"dump to a data file", "0 3 * * * pg_dump shop > /var/backups/shop.sql\n",
			[]string{"sh", "-c", "pg_dump shop > /var/backups/shop.sql"}, nil, true,
			"it writes to the file /var/backups/shop.sql, which is data, not a log: the task's disk is discarded when the task stops, so the command keeps its shell form", 0},
		{"stream redirections are no-ops", "0 3 * * * /bin/x >>/proc/1/fd/1 2>/dev/stderr\n",
			[]string{"/bin/x"}, nil, false, "", 2},
		// Issue #10 item 4: SHELL=/bin/bash runs shell forms with bash.
		{"SHELL=/bin/bash", "SHELL=/bin/bash\n0 3 * * * [[ -f x ]] && source y\n",
			[]string{"bash", "-c", "[[ -f x ]] && source y"}, nil, true, "it runs several commands in sequence", 0},
		{"SHELL=bash", "SHELL=bash\n0 3 * * * a | b\n",
			[]string{"bash", "-c", "a | b"}, nil, true, "it uses a pipe", 0},
		{"SHELL=/bin/sh", "SHELL=/bin/sh\n0 3 * * * a | b\n",
			[]string{"sh", "-c", "a | b"}, nil, true, "it uses a pipe", 0},
		{"SHELL=/bin/zsh runs under sh", "SHELL=/bin/zsh\n0 3 * * * a | b\n",
			[]string{"sh", "-c", "a | b"}, nil, true, "it uses a pipe", 0},
		{"SHELL set below the entry does not apply", "0 3 * * * a | b\nSHELL=/bin/bash\n",
			[]string{"sh", "-c", "a | b"}, nil, true, "it uses a pipe", 0},
		// Issue #10 item 5: exec is unwrapped.
		{"exec", "0 3 * * * exec /usr/local/bin/worker --once\n",
			[]string{"/usr/local/bin/worker", "--once"}, nil, false, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, diags := crontab.Parse("test.crontab", []byte(tt.src), crontab.Options{})
			if len(f.Entries) != 1 {
				t.Fatalf("%d entries (%v), want 1", len(f.Entries), diags)
			}
			got := Command(f.Entries[0], CommandOptions{AppRoot: "/app"})
			if diff := cmp.Diff(tt.want, got.Exec); diff != "" {
				t.Errorf("Exec (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.env, got.Env); diff != "" {
				t.Errorf("Env (-want +got):\n%s", diff)
			}
			if got.Fallback != tt.fallback || got.Reason != tt.reason || got.Stdin {
				t.Errorf("Fallback=%v Reason=%q Stdin=%v, want %v %q false", got.Fallback, got.Reason, got.Stdin, tt.fallback, tt.reason)
			}
			if len(got.Notes) != tt.notes {
				t.Errorf("%d notes %v, want %d", len(got.Notes), got.Notes, tt.notes)
			}
		})
	}
}

func TestAppRoot(t *testing.T) {
	tests := []struct{ src, want string }{
		{"0 1 * * * cd /app && a\n0 2 * * * cd /app && b\n0 3 * * * cd /srv && c\n", "/app"},
		{"0 1 * * * cd / && run-parts /etc/cron.daily\n", ""},
		{"0 1 * * * a\n", ""},
		{"", ""},
	}
	for _, tt := range tests {
		f, _ := crontab.Parse("test.crontab", []byte(tt.src), crontab.Options{})
		if got := AppRoot(f, nil); got != tt.want {
			t.Errorf("AppRoot(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

// FuzzCommandStdin: whatever text cron would feed on standard input, the
// stdin-carrying command hands exactly those bytes to the command. NUL
// cannot be in an argv (nor in a crontab line), so such inputs are not
// checked.
func FuzzCommandStdin(f *testing.F) {
	for _, s := range []string{"", "a\nb\n", "it's", `'\''`, "$(id) `id` ${X} \\n %s", "\n\n\n", "日本語\t"} {
		f.Add(s)
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		f.Fatalf("the stdin fuzz test needs a POSIX sh: %v", err)
	}
	f.Fuzz(func(t *testing.T, stdin string) {
		if strings.ContainsRune(stdin, 0) {
			return
		}
		e := &crontab.Entry{Shell: "cat", Stdin: stdin, HasStdin: true}
		got := Command(e, CommandOptions{})
		out, err := exec.Command(sh, got.Exec[1:]...).Output()
		if err != nil {
			t.Fatalf("%q: %v", got.Exec, err)
		}
		if string(out) != stdin {
			t.Errorf("the command read %q, want %q", out, stdin)
		}
	})
}

func BenchmarkCommand(b *testing.B) {
	f, _ := crontab.Parse("bench.crontab", []byte(
		"0 3 * * * cd /app && RAILS_ENV=production bundle exec rails runner 'Batch::DailySales.run' >> log/cron.log 2>&1\n"+
			"0 4 * * * /app/bin/mail-report ops%dear ops,%done%\n"), crontab.Options{})
	for _, e := range f.Entries {
		b.Run(map[bool]string{false: "rewrite", true: "stdin"}[e.HasStdin], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if r := Command(e, CommandOptions{AppRoot: "/app"}); len(r.Exec) == 0 {
					b.Fatal("empty command")
				}
			}
		})
	}
}

// TestCommandShell checks that the crontab's SHELL reaches every shell
// form, also the one that feeds standard input from '%'.
func TestCommandShell(t *testing.T) {
	tests := []struct {
		src, prog string
	}{
		{"SHELL=/bin/bash\n0 0 * * * cat%hello\n", "bash"},
		{"SHELL=/usr/bin/bash\n0 0 * * * a | b\n", "bash"},
		{"SHELL=/bin/dash\n0 0 * * * cat%hello\n", "sh"},
		{"0 0 * * * cat%hello\n", "sh"},
	}
	for _, tt := range tests {
		_, e := parseOne(t, tt.src)
		got := Command(e, CommandOptions{AppRoot: "/app"})
		if got.Exec[0] != tt.prog || got.Shell != tt.prog || !got.Fallback {
			t.Errorf("%q: Exec %q, Shell %q, Fallback %v; want %s -c", tt.src, got.Exec, got.Shell, got.Fallback, tt.prog)
		}
	}
}
