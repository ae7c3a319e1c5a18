package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/diag"
	"github.com/cronbridge/cronbridge/internal/report"
)

// TestWriteConvertJSONAsEncoder checks that the streaming writer of
// convert --format json writes byte for byte what encoding the whole
// convertOutput with a json.Encoder wrote before: no jobs, jobs without
// diagnostics, and jobs whose text needs escaping (HTML characters, which
// stay unescaped; control characters; U+2028; invalid UTF-8; Japanese),
// with errors, @reboot and a refused DST zone.
func TestWriteConvertJSONAsEncoder(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		src     string
		backend string
	}{
		{"empty", "# nothing\n", ""},
		{"plain", "0 3 * * * /bin/backup\n30 */2 * * mon-fri /bin/report\n", ""},
		{"hostile", "MAILTO=ops@example.com\n" +
			"0 3 * * * /bin/a <in >out && echo '&amp;' \x01\x1b[31m\r\n" +
			"@reboot /bin/start\u2028line\n" +
			"5 4 * * * /bin/\xff\xfe bad utf-8\n" +
			"# cronbridge: name=毎日 duration=5m\n" +
			"0 0 1 * * /bin/月次 \"quoted\" \\\\back\n" +
			"61 3 * * * /bin/error\n" +
			"0 5 * * * /bin/mail -s \"hi\\there\" \x7f\b\f\t\u2029%body line%more\n" +
			"CRON_TZ=America/New_York\n" +
			"0 2 * * * /bin/dst\n", ""},
		{"generated", string(convertBenchCrontab(3, 300)), ""},
		{"scheduler", "RANDOM_DELAY=5\n0 3 * * * /bin/a\nCRON_TZ=America/New_York\n30 2 * * * /bin/gap\n@reboot /bin/start\n", "scheduler"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := analysis.Analyze([]analysis.Source{{Name: "c.crontab", Src: []byte(tt.src)}}, analysis.Options{Backend: tt.backend})
			if err != nil {
				t.Fatal(err)
			}
			jobs, err := convertJobs(m, now)
			if err != nil {
				t.Fatal(err)
			}
			diags := report.JSONDiagnostics(diag.Sort(m.Diagnostics()))
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(convertOutput{Backend: m.Backend, Jobs: jobs, Diagnostics: diags}); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := writeConvertJSON(&got, m, now, diags); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				g, w := got.String(), want.String()
				i := 0
				for i < len(g) && i < len(w) && g[i] == w[i] {
					i++
				}
				t.Fatalf("differs at byte %d:\ngot  %q\nwant %q", i, g[max(0, i-40):min(len(g), i+40)], w[max(0, i-40):min(len(w), i+40)])
			}
			if tt.name == "hostile" && !strings.Contains(got.String(), `"stdin"`) {
				t.Errorf("no stdin in the output: the case tests too little")
			}
			if tt.name == "scheduler" && !strings.Contains(got.String(), `"schedule_expression_timezone": "America/New_York"`) {
				t.Errorf("no Scheduler schedule in the output: the case tests too little")
			}
			if tt.name != "empty" && !strings.Contains(got.String(), `"schedule_expression"`) {
				t.Errorf("no rule in the output: the case tests too little")
			}
		})
	}
}

// TestWriteConvertJSONWriteError checks that a failing writer is reported.
func TestWriteConvertJSONWriteError(t *testing.T) {
	m, err := analysis.Analyze([]analysis.Source{{Name: "c", Src: []byte("0 3 * * * /bin/x\n")}}, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	if err := writeConvertJSON(failingWriter{boom}, m, time.Now(), nil); !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// TestConvertJSONFieldsComplete checks that the JSON writer lays out every
// field of convertedJob, by name and in order: a field added to the struct
// must be added to jsonWriter.job too, or it would be missing from the
// output whenever it is not in the test data above.
func TestConvertJSONFieldsComplete(t *testing.T) {
	var names []string
	typ := reflect.TypeFor[convertedJob]()
	for i := 0; i < typ.NumField(); i++ {
		names = append(names, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
	}
	if !slices.Equal(names, convertedJobFields) {
		t.Errorf("convertedJob has the JSON fields %q, the writer lays out %q: update jsonWriter.job and convertedJobFields", names, convertedJobFields)
	}
	if typ := reflect.TypeFor[convertedRule](); typ.NumField() != 1 || typ.Field(0).Tag.Get("json") != "schedule_expression" {
		t.Errorf("convertedRule changed: update jsonWriter.job")
	}
}
