package shellcmd

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func BenchmarkAnalyze(b *testing.B) {
	cmd := seeds[1]
	b.ReportAllocs()
	for b.Loop() {
		Analyze(cmd)
	}
}

func BenchmarkRewrite(b *testing.B) {
	cmd := seeds[1]
	opts := RewriteOptions{AppRoot: "/app", CrontabEnv: []string{"APP"}}
	b.ReportAllocs()
	for b.Loop() {
		Rewrite(cmd, opts)
	}
}

// bigCommand repeats a dense crontab-style step (cd, assignment, quoting,
// a variable, two redirections) up to n bytes: about seven facts per 90
// bytes, the worst realistic density.
func bigCommand(n int) string {
	const unit = `cd /app && RAILS_ENV=production bin/rails runner 'X.run' "$HOME/a" >> log/x.log 2>&1; `
	return strings.Repeat(unit, n/len(unit))
}

// The figures: 320 KB took 19 s and 10 MB over 12 minutes before
// positions were counted from checkpoints (colIndex). The target is 10 MB
// in at most 2 s.
func BenchmarkAnalyze320KB(b *testing.B) { benchAnalyze(b, bigCommand(320<<10)) }
func BenchmarkAnalyze10MB(b *testing.B)  { benchAnalyze(b, bigCommand(10<<20)) }

// BenchmarkAnalyze10MBWord is one 10 MB argument: a different shape with
// few facts and one long word.
func BenchmarkAnalyze10MBWord(b *testing.B) {
	benchAnalyze(b, "echo '"+strings.Repeat("ab é", 10<<20/5)+"'")
}

func BenchmarkRewrite10MB(b *testing.B) {
	cmd := bigCommand(10 << 20)
	b.SetBytes(int64(len(cmd)))
	start := processCPU()
	for b.Loop() {
		Rewrite(cmd, RewriteOptions{AppRoot: "/app"})
	}
	b.ReportMetric((processCPU()-start).Seconds()/float64(b.N), "cpu-s/op")
}

func benchAnalyze(b *testing.B, cmd string) {
	b.SetBytes(int64(len(cmd)))
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		Analyze(cmd)
	}
	b.ReportMetric((processCPU()-start).Seconds()/float64(b.N), "cpu-s/op")
}

// TestAnalyzeLinear guards against the quadratic position computation
// coming back: a 2 MB command took about 12 minutes then and takes about a
// second now, so a 60 s bound fails only on a regression, even on a loaded
// machine.
func TestAnalyzeLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the 2 MB command takes a few seconds")
	}
	cmd := bigCommand(2 << 20)
	start := time.Now()
	a := Analyze(cmd)
	if d := time.Since(start); d > 60*time.Second {
		t.Fatalf("Analyze of %d bytes took %v: quadratic again?", len(cmd), d)
	}
	last := a.Facts[len(a.Facts)-1]
	if want := runeCol(cmd, last.Pos.Offset); last.Pos.Col != want {
		t.Fatalf("last fact at col %d, want %d", last.Pos.Col, want)
	}
}

// TestColIndex checks the checkpointed columns against counting from the
// start, at every offset, in valid and invalid UTF-8 across block edges.
func TestColIndex(t *testing.T) {
	for _, s := range []string{
		"",
		"a",
		strings.Repeat("é", 100),
		strings.Repeat("ab€\xff", 50),
		strings.Repeat("x", colBlock-1) + "€" + strings.Repeat("y", colBlock) + "\xe2\x82" + "z",
		strings.Repeat("\xf0\x9f\x98", 70) + "😀",
	} {
		ci := newColIndex(s)
		for off := -1; off <= len(s)+1; off++ {
			if got, want := ci.col(off), runeCol(s, off); got != want {
				t.Fatalf("%q: col(%d) = %d, want %d (%d runes)", s, off, got, want, utf8.RuneCountInString(s))
			}
		}
	}
}

// BenchmarkParseOnly10MB is the shell parser alone on the 10 MB command:
// the part of BenchmarkAnalyze10MB that is not ours.
func BenchmarkParseOnly10MB(b *testing.B) {
	cmd := bigCommand(10 << 20)
	b.SetBytes(int64(len(cmd)))
	start := processCPU()
	for b.Loop() {
		if _, _, err := parse(nil, cmd); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((processCPU()-start).Seconds()/float64(b.N), "cpu-s/op")
}
