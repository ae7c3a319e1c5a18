package diag

import (
	"encoding/json"
	"testing"
)

func TestSortOrderAndDuplicates(t *testing.T) {
	a := Diagnostic{Pos: Pos{File: "a", Line: 2, Col: 1}, Severity: SeverityWarning, Code: "CB002", Message: "m"}
	b := Diagnostic{Pos: Pos{File: "a", Line: 1, Col: 5}, Severity: SeverityInfo, Code: "CB009", Message: "m"}
	c := Diagnostic{Pos: Pos{File: "a", Line: 1, Col: 5}, Severity: SeverityError, Code: "CB001", Message: "m"}
	d := Diagnostic{Pos: Pos{File: "0", Line: 9, Col: 9}, Severity: SeverityError, Code: "CB999", Message: "m"}
	got := Sort([]Diagnostic{a, b, c, a, d})
	want := []Diagnostic{d, c, b, a}
	if len(got) != len(want) {
		t.Fatalf("got %d diagnostics, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("position %d: got %v, want %v", i, got[i], want[i])
		}
	}
	// Same everything but severity: the more severe first.
	e := a
	e.Severity = SeverityError
	if got := Sort([]Diagnostic{a, e}); got[0].Severity != SeverityError {
		t.Errorf("equal diagnostics: got %v first, want the error", got[0])
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []Severity{SeverityInfo, SeverityWarning, SeverityError} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := json.Unmarshal(b, &back); err != nil || back != s {
			t.Errorf("%v: round trip gave %v, %v", s, back, err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("ParseSeverity(fatal): no error")
	}
	if got := (Diagnostic{Pos: Pos{File: "f", Line: 3, Col: 4}, Severity: SeverityError, Code: "CB001", Message: "bad"}).String(); got != "f:3:4: error: bad [CB001]" {
		t.Errorf("String() = %q", got)
	}
	if !HasError([]Diagnostic{{Severity: SeverityInfo}, {Severity: SeverityError}}) || HasError([]Diagnostic{{Severity: SeverityWarning}}) {
		t.Error("HasError is wrong")
	}
}
