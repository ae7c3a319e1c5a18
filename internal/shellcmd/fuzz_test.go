package shellcmd

import (
	"testing"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// seeds are the shapes crontab commands take in practice, so that the
// fuzzer starts from realistic quoting and nesting.
var seeds = []string{
	`cd /app && RAILS_ENV=production bundle exec rails runner 'Batch.run' >> log/batch.log 2>&1`,
	`/bin/bash -l -c 'cd /app && bin/rails runner -e production '\''Batch::DailySales.run'\'' >> log/x.log 2>&1'`,
	`[ $(date +%w) -eq 0 ] && /usr/local/bin/backup-db.sh 2>&1 >> /var/log/b.log #Backup`,
	`flock -n /tmp/x.lock sudo -u app curl http://localhost:3000/ping | grep ok`,
	`sh -c 'sh -c "sh -c \"sh -c x\""'`,
	"cat <<EOF\nhi\nEOF",
	`echo "unterminated`,
	`$APP/bin/push.sh >> $LOG/push.log 2>&1`,
	`export A=1 && cd /srv && ./x {a,b} *.log ~/y`,
	``,
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		a := Analyze(cmd)
		if a.Cmd != cmd {
			t.Fatalf("Cmd = %q, want %q", a.Cmd, cmd)
		}
		check := func(p Pos, what string) {
			if p.Offset < 0 || p.Offset > len(cmd) || p.Col < 1 || p.Col > utf8.RuneCountInString(cmd)+1 {
				t.Fatalf("%s at %+v is outside %q", what, p, cmd)
			}
		}
		for _, fa := range a.Facts {
			check(fa.Pos, fa.Kind.String())
		}
		for _, e := range a.Errors {
			check(e.Pos, "error")
		}
		for _, c := range a.Commands {
			check(c.Pos, "command")
		}
		for i := 1; i < len(a.Facts); i++ {
			if a.Facts[i-1].Pos.Offset > a.Facts[i].Pos.Offset {
				t.Fatalf("facts not sorted")
			}
		}
	})
}

func FuzzRewrite(f *testing.F) {
	for _, s := range seeds {
		f.Add(s, "/app", "APP")
	}
	f.Fuzz(func(t *testing.T, cmd, root, envName string) {
		r := Rewrite(cmd, RewriteOptions{AppRoot: root, CrontabEnv: []string{envName}})
		if len(r.Exec) == 0 {
			t.Fatalf("Rewrite(%q) returned an empty Exec", cmd)
		}
		if r.Fallback {
			if len(r.Exec) != 3 || r.Exec[0] != "sh" || r.Exec[1] != "-c" || r.Exec[2] != cmd {
				t.Fatalf("fallback %q does not preserve %q exactly", r.Exec, cmd)
			}
			if r.Reason == "" {
				t.Fatalf("fallback without a reason for %q", cmd)
			}
			return
		}
		if r.Reason != "" {
			t.Fatalf("reason %q without fallback", r.Reason)
		}
		if len(r.EnvKeys) != len(r.Env) {
			t.Fatalf("EnvKeys %v do not match Env %v", r.EnvKeys, r.Env)
		}
		for _, n := range r.Notes {
			if n.Pos.Offset < 0 || n.Pos.Offset > len(cmd) {
				t.Fatalf("note %q at %+v outside %q", n.Text, n.Pos, cmd)
			}
		}
	})
}

// FuzzWordValue checks wordValueOffs's shortcuts (one literal, one quoted
// string, a word only the shell can expand) against building the value
// byte by byte, for every word of any command.
func FuzzWordValue(f *testing.F) {
	for _, s := range parsedCases {
		f.Add(s)
	}
	f.Add(`~/x "$HOME"/a 'b'c "d$(date +%F)e" $'\t' $'x' a\ b *.log {a,b} "~" ~user`)
	f.Fuzz(func(t *testing.T, cmd string) {
		file, _, err := parse(nil, cmd)
		if err != nil {
			return
		}
		src := &source{text: cmd}
		syntax.Walk(file, func(n syntax.Node) bool {
			w, ok := n.(*syntax.Word)
			if !ok {
				return true
			}
			v1, _, s1, g1 := src.wordValueOffs(w, false)
			v2, _, s2, g2 := src.buildValue(w, false)
			if v1 != v2 || s1 != s2 || g1 != g2 {
				t.Fatalf("word %q of %q: shortcut (%q, static %v, glob %v), built (%q, %v, %v)", src.slice(w.Pos(), w.End()), cmd, v1, s1, g1, v2, s2, g2)
			}
			return true
		})
	})
}
