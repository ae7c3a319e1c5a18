package lint

import (
	"testing"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

func TestAtLeast(t *testing.T) {
	diags := []crontab.Diagnostic{
		{Code: "CB505", Severity: crontab.SeverityInfo},
		{Code: "CB402", Severity: crontab.SeverityWarning},
		{Code: "CB415", Severity: crontab.SeverityError},
	}
	tests := []struct {
		min  string
		want string
	}{
		{"info", "CB505 CB402 CB415"},
		{"warning", "CB402 CB415"},
		{"error", "CB415"},
	}
	for _, tt := range tests {
		got, err := AtLeast(diags, tt.min)
		if err != nil {
			t.Fatalf("%s: %v", tt.min, err)
		}
		s := ""
		for _, d := range got {
			if s != "" {
				s += " "
			}
			s += d.Code
		}
		if s != tt.want {
			t.Errorf("AtLeast(%s) = %s, want %s", tt.min, s, tt.want)
		}
	}
	if _, err := AtLeast(diags, "loud"); err == nil {
		t.Error("AtLeast(loud): no error")
	}
}
