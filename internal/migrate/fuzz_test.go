package migrate

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzAnalyze feeds arbitrary bytes through the whole migration: it must
// never panic, every entry must come out migrated or explained, and
// crontab.after-cutover must keep every byte of the input.
func FuzzAnalyze(f *testing.F) {
	for _, name := range []string{"migrate-rails.crontab", "migrate-whenever.crontab", "migrate-system.crontab", "migrate-env.crontab"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "crontabs", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("@reboot x\n0 0 30 2 * y\n*/5 * * * * a | b%in%put"))
	loc := time.FixedZone("JST", 9*3600)
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Analyze(src, Options{Name: "fuzz.crontab", Zone: loc, CloudFormation: true})
		if err != nil {
			// Only a verifier mismatch can fail here: a converter bug.
			t.Fatalf("Analyze: %v", err)
		}
		for _, j := range p.Jobs {
			if !j.Migrated && j.Reason == "" {
				t.Errorf("line %d: neither migrated nor explained", j.Entry.Line)
			}
			if j.Migrated && (len(j.Rules) == 0 || len(j.Rules) != len(j.RuleNames) || len(j.Command.Exec) == 0) {
				t.Errorf("line %d: migrated without rules or command: %+v", j.Entry.Line, j)
			}
		}
		files, err := p.Files()
		if err != nil {
			t.Fatal(err)
		}
		after := fileNamed(t, files, FileAfterCutover)
		// Markers already in the input would be undone too.
		if !bytes.Contains(src, []byte("# cronbridge: ")) {
			if undone := undoSwitch(t, after); !bytes.Equal(undone, src) {
				t.Errorf("undoing the switch does not give the input back:\n%q\n%q", src, undone)
			}
		}
	})
}

// BenchmarkMigrate measures a whole migration of the sample crontab:
// parse, convert and verify, rewrite, lint, the reference-year simulation
// and every output file.
func BenchmarkMigrate(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("..", "..", "testdata", "crontabs", "rails-batch.crontab"))
	if err != nil {
		b.Fatal(err)
	}
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{Name: "rails-batch.crontab", Zone: loc, CloudFormation: true}
	b.ReportAllocs()
	for b.Loop() {
		p, err := Analyze(src, opts)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Files(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCutover measures the cutover table of the sample crontab.
func BenchmarkCutover(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("..", "..", "testdata", "crontabs", "rails-batch.crontab"))
	if err != nil {
		b.Fatal(err)
	}
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		b.Fatal(err)
	}
	p, err := Analyze(src, Options{Name: "rails-batch.crontab", Zone: loc})
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 3, 0, 0, 0, loc)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Cutover(at); err != nil {
			b.Fatal(err)
		}
	}
}
