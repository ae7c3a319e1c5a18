package crontab

import (
	"slices"
	"testing"
)

func TestSortDiagnostics(t *testing.T) {
	d := func(file string, line, col int, code string, sev Severity, msg string) Diagnostic {
		return Diagnostic{Pos: Pos{File: file, Line: line, Col: col}, Code: code, Severity: sev, Message: msg}
	}
	in := []Diagnostic{
		d("b", 1, 1, "CB001", SeverityError, "x"),
		d("a", 2, 1, "CB001", SeverityError, "x"),
		d("a", 1, 5, "CB002", SeverityWarning, "x"),
		d("a", 1, 5, "CB001", SeverityInfo, "y"),
		d("a", 1, 5, "CB001", SeverityInfo, "x"),
		d("a", 1, 5, "CB001", SeverityError, "x"),
		d("a", 1, 5, "CB001", SeverityError, "x"), // exact duplicate
		d("a", 1, 2, "CB009", SeverityInfo, "x"),
	}
	want := []Diagnostic{
		d("a", 1, 2, "CB009", SeverityInfo, "x"),
		d("a", 1, 5, "CB001", SeverityError, "x"),
		d("a", 1, 5, "CB001", SeverityInfo, "x"),
		d("a", 1, 5, "CB001", SeverityInfo, "y"),
		d("a", 1, 5, "CB002", SeverityWarning, "x"),
		d("a", 2, 1, "CB001", SeverityError, "x"),
		d("b", 1, 1, "CB001", SeverityError, "x"),
	}
	got := SortDiagnostics(in)
	if !slices.Equal(got, want) {
		t.Errorf("SortDiagnostics:\n got %v\nwant %v", got, want)
	}
	if len(in) != 8 || in[0].Pos.File != "b" {
		t.Error("SortDiagnostics changed its input")
	}
}

func TestScheduleText(t *testing.T) {
	f, _ := Parse("t", []byte("@reboot a\n@daily b\n*/5  1 *\t* mon c\n"), Options{})
	want := []string{"@reboot", "@daily", "*/5 1 * * mon"}
	for i, e := range f.Entries {
		if got := e.ScheduleText(); got != want[i] {
			t.Errorf("entry %d: ScheduleText() = %q, want %q", i, got, want[i])
		}
	}
	if got := f.Entries[1].FieldTexts(); got != [5]string{"0", "0", "*", "*", "*"} {
		t.Errorf("@daily FieldTexts() = %q", got)
	}
}
