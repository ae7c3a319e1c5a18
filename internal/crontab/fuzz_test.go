package crontab

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode"
	"unicode/utf8"
)

// checkInvariants asserts what every Parse result must satisfy, whatever
// the input: documented codes, positions inside the file, sorted output,
// bits inside their fields, and determinism.
func checkInvariants(t *testing.T, name string, src []byte, opts Options) {
	t.Helper()
	f, diags := Parse(name, src, opts)
	documented := map[string]bool{}
	for _, d := range Codes() {
		documented[d.Code] = true
	}
	lineCount := len(f.Lines)
	colOK := func(p Pos) bool {
		if p.Line < 1 || p.Line > max(lineCount, 1) || p.Col < 1 {
			return false
		}
		if lineCount == 0 {
			return p.Col == 1
		}
		return p.Col <= utf8.RuneCountInString(f.Lines[p.Line-1])+1
	}
	for i, d := range diags {
		if !documented[d.Code] {
			t.Errorf("diagnostic %v has an undocumented code", d)
		}
		if d.Pos.File != name || !colOK(d.Pos) {
			t.Errorf("diagnostic %v has a position outside the file (%d lines)", d, lineCount)
		}
		if r, _ := utf8.DecodeRuneInString(d.Message); d.Message == "" || unicode.IsUpper(r) {
			t.Errorf("diagnostic %v: message must be non-empty and start in lowercase", d)
		}
		if i > 0 {
			a := diags[i-1]
			if a.Pos.Line > d.Pos.Line || a.Pos.Line == d.Pos.Line && (a.Pos.Col > d.Pos.Col || a.Pos.Col == d.Pos.Col && a.Code > d.Code) {
				t.Errorf("diagnostics not sorted: %v before %v", a, d)
			}
		}
	}
	for _, e := range f.Entries {
		if e.Line < 1 || e.Line > lineCount || e.Pos.Line != e.Line || !colOK(e.Pos) {
			t.Errorf("entry %q at %v (line %d) is outside the file", e.Raw, e.Pos, e.Line)
			continue
		}
		if e.Raw != f.Lines[e.Line-1] {
			t.Errorf("entry raw %q is not line %d %q", e.Raw, e.Line, f.Lines[e.Line-1])
		}
		for _, fd := range e.Fields {
			if fd.Pos != (Pos{}) && !colOK(fd.Pos) {
				t.Errorf("field %q at %v is outside the file", fd.Text, fd.Pos)
			}
		}
		if e.Command.Pos != (Pos{}) && !colOK(e.Command.Pos) {
			t.Errorf("command %q at %v is outside the file", e.Command.Text, e.Command.Pos)
		}
		s := e.Schedule
		if s.Minute>>60 != 0 || s.Hour>>24 != 0 || s.Dom&1 != 0 || s.Month&1 != 0 || s.Month>>13 != 0 || s.Dow>>7 != 0 {
			t.Errorf("entry %q: bits outside their fields: %+v", e.Raw, s)
		}
	}
	for _, v := range f.Env {
		if !colOK(v.Pos) || !colOK(v.ValuePos) {
			t.Errorf("assignment %s at %v / %v is outside the file", v.Name, v.Pos, v.ValuePos)
		}
	}
	f2, diags2 := Parse(name, src, opts)
	if !reflect.DeepEqual(f, f2) || !reflect.DeepEqual(diags, diags2) {
		t.Errorf("Parse is not deterministic")
	}
}

// TestSampleInvariants runs every sample crontab of the repository (also
// those other packages own) through the invariants in all four modes.
func TestSampleInvariants(t *testing.T) {
	files, err := filepath.Glob("../../testdata/crontabs/*")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("testdata/*.crontab")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("only %d sample files", len(files))
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, opts := range []Options{{}, {Dialect: DialectDebian}, {System: true}, {Dialect: DialectDebian, System: true}} {
			checkInvariants(t, filepath.Base(path), src, opts)
		}
	}
}

func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.crontab")
	samples, _ := filepath.Glob("../../testdata/crontabs/*")
	for _, p := range append(paths, samples...) {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src, uint8(0))
			f.Add(src, uint8(3))
		}
	}
	for _, s := range []string{"", "\n", "\r\n", "\uFEFF", "0 0 * * 1#2 x", "6~15 * * * * x\n", "@", "-", "-@", "FOO=\"", "\"", "'=", "# cronbridge:", "# cronbridge: a=\"\\", "0 0 * * * -n", "*/", "1-", "5-0/", "~~", "\xff\xfe"} {
		f.Add([]byte(s), uint8(1))
		f.Add([]byte(s), uint8(2))
	}
	f.Fuzz(func(t *testing.T, src []byte, mode uint8) {
		opts := Options{System: mode&1 != 0}
		if mode&2 != 0 {
			opts.Dialect = DialectDebian
		}
		checkInvariants(t, "fuzz", src, opts)
	})
}
