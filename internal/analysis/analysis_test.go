package analysis

import (
	"testing"
	"time"
)

// TestNeverRuns: cron ignores the last line of a file without a final
// newline (CB014), so the model marks that job NeverRuns: not converted,
// not schedulable, no fires; the lines before it are untouched.
func TestNeverRuns(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		never []bool // per job, in line order
	}{
		{"final newline", "0 3 * * * /bin/a\n5 3 * * * /bin/b\n", []bool{false, false}},
		{"no final newline", "0 3 * * * /bin/a\n5 3 * * * /bin/b", []bool{false, true}},
		{"only line", "0 3 * * * /bin/a", []bool{true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Analyze([]Source{{Name: "ct", Src: []byte(tt.src)}}, Options{Zone: "Asia/Tokyo"})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Jobs) != len(tt.never) {
				t.Fatalf("got %d jobs, want %d", len(m.Jobs), len(tt.never))
			}
			from := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
			for i, j := range m.Jobs {
				never := j.NeverRuns != ""
				if never != tt.never[i] {
					t.Errorf("job %d NeverRuns = %q, want set = %v", i, j.NeverRuns, tt.never[i])
				}
				if never && (j.Converted || j.Schedulable() || len(j.Fires(from, from.AddDate(0, 0, 2))) != 0) {
					t.Errorf("job %d never runs but converted=%v schedulable=%v", i, j.Converted, j.Schedulable())
				}
				if !never && (!j.Converted || len(j.Fires(from, from.AddDate(0, 0, 2))) != 2) {
					t.Errorf("job %d runs but converted=%v", i, j.Converted)
				}
			}
		})
	}
}
