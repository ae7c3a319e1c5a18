package schedule

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// systemZoneDir is where the system zone database lives on Linux.
const systemZoneDir = "/usr/share/zoneinfo"

// needZoneData skips (locally) or fails (CI=true) when the test cannot
// read a zone database it compares.
func needZoneData(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("zone data: %v", err)
	}
	t.Skipf("skipped: zone data unavailable (%v)", err)
}

// embeddedZoneData reads Go's zone database, the zip that time/tzdata
// embeds (time/tzdata is generated from $GOROOT/lib/time/zoneinfo.zip), and
// returns every zone's TZif bytes by name.
func embeddedZoneData(t *testing.T) map[string][]byte {
	t.Helper()
	root := runtime.GOROOT()
	if root == "" {
		root = os.Getenv("GOROOT")
	}
	z, err := zip.OpenReader(filepath.Join(root, "lib", "time", "zoneinfo.zip"))
	needZoneData(t, err)
	defer z.Close()
	out := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	if len(out) < 300 {
		t.Fatalf("the embedded zone database has only %d zones", len(out))
	}
	return out
}

// embeddedZone loads one zone from the embedded data alone.
func embeddedZone(t *testing.T, data map[string][]byte, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocationFromTZData(name, data[name])
	if err != nil {
		t.Fatalf("%s from the embedded data: %v", name, err)
	}
	return loc
}

// zoneProbeEntries are a few entries per zone that exercise the day shift
// both ways, a month boundary, a leap day and the hours where daylight
// saving time usually changes.
var zoneProbeEntries = []string{
	"0 3 * * *",          // the case of issue #10
	"30 2 * * 0",         // inside the usual spring-forward hour, weekly
	"*/20 0,23 1 * *",    // around midnight on the first: both day shifts
	"15 12 29 2 *",       // leap day
	"0 9-17 * * mon-fri", // office hours
}

// outcome is what a user sees of a conversion, for comparing two zone
// databases.
func outcome(r Result, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "exact=%v dups=%d rules=%v", r.Exact, r.DuplicateInvocations, exprsOf(r))
	for _, f := range r.Findings {
		fmt.Fprintf(&b, " [%s %s: %s | %s]", f.Code, f.Severity, f.Message, f.Hint)
	}
	return b.String()
}

// sameZoneData reports whether a and b give the same offset at every hour
// from 2025 to 2105, that is, whether two databases agree on the zone.
// It is only asked about zones whose conversions differ.
func sameZoneData(a, b *time.Location) (bool, time.Time) {
	end := DefaultHorizon().End
	for t := zoneCheckStart(); t.Before(end); t = t.Add(time.Hour) {
		_, oa := t.In(a).Zone()
		_, ob := t.In(b).Zone()
		if oa != ob {
			return false, t
		}
	}
	return true, time.Time{}
}

// TestEmbeddedZonesMatchSystem is issue #10's acceptance: for every zone in
// the database, converting with the embedded zone data alone (as in the
// container, which has no /usr/share/zoneinfo) gives the same rules,
// exactness and findings as with the system's zone data, and simulated
// fire times agree. A difference is accepted only where the two databases
// really disagree about the zone's offsets (different tzdata releases).
func TestEmbeddedZonesMatchSystem(t *testing.T) {
	data := embeddedZoneData(t)
	_, err := os.Stat(filepath.Join(systemZoneDir, "America", "New_York"))
	needZoneData(t, err)
	names := make([]string, 0, len(data))
	for n := range data {
		names = append(names, n)
	}
	slices.Sort(names)
	entries := make([]*testEntryT, len(zoneProbeEntries))
	for i, spec := range zoneProbeEntries {
		entries[i] = &testEntryT{spec: spec, e: testEntry(t, spec)}
	}
	fireFrom := time.Date(2031, 3, 1, 0, 0, 0, 0, time.UTC)
	fireTo := time.Date(2031, 4, 15, 0, 0, 0, 0, time.UTC)
	var compared, converted, refusedDST, dataDiffers, missing int
	for k, name := range names {
		if testing.Short() && k%10 != 0 && name != "America/New_York" {
			continue // -short: a tenth of the zones
		}
		emb := embeddedZone(t, data, name)
		sysData, err := os.ReadFile(filepath.Join(systemZoneDir, name))
		if errors.Is(err, os.ErrNotExist) {
			missing++ // a zone newer than the system's database
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		sys, err := time.LoadLocationFromTZData(name, sysData)
		if err != nil {
			t.Fatalf("%s from %s: %v", name, systemZoneDir, err)
		}
		var diffs []string
		for _, te := range entries {
			re, erre := Convert(te.e, emb)
			rs, errs := Convert(te.e, sys)
			if a, b := outcome(re, erre), outcome(rs, errs); a != b {
				diffs = append(diffs, fmt.Sprintf("%q:\n  embedded: %s\n  system:   %s", te.spec, a, b))
			}
			if erre != nil {
				t.Errorf("%s %q with the embedded data: %v", name, te.spec, erre)
			}
			if re.Exact && len(re.Rules) > 0 {
				converted++
			}
			for _, f := range re.Findings {
				if f.Code == CodeDSTZone {
					refusedDST++
				}
			}
		}
		fe := Fires(entries[1].e.Schedule, emb, fireFrom, fireTo)
		fs := Fires(entries[1].e.Schedule, sys, fireFrom, fireTo)
		if !slices.EqualFunc(fe, fs, time.Time.Equal) {
			diffs = append(diffs, fmt.Sprintf("Fires(%q): embedded %v, system %v", entries[1].spec, fe, fs))
		}
		compared++
		if len(diffs) == 0 {
			continue
		}
		if same, at := sameZoneData(emb, sys); !same {
			dataDiffers++
			t.Logf("%s: the databases disagree at %s (different tzdata releases); results differ as they should", name, at.Format(time.RFC3339))
			continue
		}
		t.Errorf("%s: same zone data, different results:\n%s", name, strings.Join(diffs, "\n"))
	}
	t.Logf("%d zones compared (%d only in the embedded data, %d whose data differ); %d exact conversions, %d DST refusals",
		compared, missing, dataDiffers, converted, refusedDST)
	if (compared < 300 && !testing.Short()) || converted == 0 || refusedDST == 0 {
		t.Errorf("too little compared: %d zones, %d conversions, %d DST refusals", compared, converted, refusedDST)
	}
}

type testEntryT struct {
	spec string
	e    *crontab.Entry
}

// TestEmbeddedDSTZonesRefused: with the embedded data alone, zones with
// daylight saving time are refused (issue #10: America/New_York converted
// to cron(0 8 * * ? *), marked exact), and fixed zones still convert.
func TestEmbeddedDSTZonesRefused(t *testing.T) {
	data := embeddedZoneData(t)
	tests := []struct {
		zone, spec string
		code       string // "" when the entry converts exactly
		rules      string
	}{
		{"America/New_York", "0 3 * * *", CodeDSTZone, ""},
		{"Europe/London", "0 3 * * *", CodeDSTZone, ""},
		{"Australia/Lord_Howe", "0 3 * * *", CodeDSTZone, ""},
		{"America/Santiago", "0 3 * * *", CodeDSTZone, ""},
		{"Africa/Casablanca", "0 3 * * *", CodeDSTZone, ""},
		{"Asia/Tokyo", "0 3 * * *", "", "cron(0 18 * * ? *)"},
		{"Europe/Moscow", "0 9 * * *", "", "cron(0 6 * * ? *)"},
		{"America/Sao_Paulo", "0 3 * * *", "", "cron(0 6 * * ? *)"},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			r, err := Convert(testEntry(t, tt.spec), embeddedZone(t, data, tt.zone))
			if err != nil {
				t.Fatal(err)
			}
			checkCode(t, r, tt.code)
			if got := strings.Join(exprsOf(r), " + "); got != tt.rules || r.Exact != (tt.code == "") {
				t.Errorf("got %q exact=%v, want %q exact=%v", got, r.Exact, tt.rules, tt.code == "")
			}
		})
	}
}

// TestVerifierReadsZoneItself: given the rules the faulty offset logic
// produced for America/New_York, the verifier finds the first difference
// (09 March 2025, 03:00 EDT is 07:00 UTC) with the embedded and the
// system data, because it asks the zone for each local day itself; and it
// rejects rules in the wrong fixed offset, or rules for a zone that is
// fixed only before 2025.
func TestVerifierReadsZoneItself(t *testing.T) {
	data := embeddedZoneData(t)
	cal := defaultCalendar()
	tests := []struct {
		name  string
		loc   *time.Location
		spec  string
		rules []string
		at    string // first difference; "" when the rules are right
		src   bool
	}{
		{"new york embedded", embeddedZone(t, data, "America/New_York"), "0 3 * * *", []string{"cron(0 8 * * ? *)"}, "2025-03-09T07:00:00Z", true},
		{"new york system", mustZone(t, "America/New_York"), "0 3 * * *", []string{"cron(0 8 * * ? *)"}, "2025-03-09T07:00:00Z", true},
		// In winter time all year, the first difference is in November.
		{"new york summer offset", mustZone(t, "America/New_York"), "0 3 * * *", []string{"cron(0 7 * * ? *)"}, "2000-01-01T07:00:00Z", false},
		{"tokyo wrong offset", embeddedZone(t, data, "Asia/Tokyo"), "0 3 * * *", []string{"cron(0 19 * * ? *)"}, "2000-01-01T18:00:00Z", true},
		{"tokyo right", embeddedZone(t, data, "Asia/Tokyo"), "0 3 * * *", []string{"cron(0 18 * * ? *)"}, "", false},
		{"london january only", embeddedZone(t, data, "Europe/London"), "0 3 * 1 *", []string{"cron(0 3 ? JAN * *)"}, "", false},
		{"london march", embeddedZone(t, data, "Europe/London"), "0 3 * 3 *", []string{"cron(0 3 * MAR ? *)"}, "2025-03-30T02:00:00Z", true},
		{"fixed zone", time.FixedZone("X", 5*3600+30*60), "0 3 * * *", []string{"cron(30 21 * * ? *)"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSched(t, tt.spec)
			_, mm, err := verifyEntry(cal, &s, tt.loc, tt.rules)
			if err != nil {
				t.Fatal(err)
			}
			if tt.at == "" {
				if mm != nil {
					t.Fatalf("unexpected mismatch at %s", mm.At.Format(time.RFC3339))
				}
				return
			}
			if mm == nil {
				t.Fatalf("no mismatch found, want one at %s", tt.at)
			}
			if got := mm.At.Format(time.RFC3339); got != tt.at || mm.SourceFires != tt.src {
				t.Errorf("mismatch at %s (entry fires: %v), want %s (%v)", got, mm.SourceFires, tt.at, tt.src)
			}
		})
	}
}

// TestZoneMemoKeepsDataApart: two locations with one name and different
// data never share facts; equal data does.
func TestZoneMemoKeepsDataApart(t *testing.T) {
	var m zoneMemo
	h := DefaultHorizon()
	a := time.FixedZone("Same", 3600)
	b := time.FixedZone("Same", 7200)
	c := time.FixedZone("Same", 3600)
	fa, fb, fc := m.facts(a, h), m.facts(b, h), m.facts(c, h)
	if fa == fb {
		t.Errorf("zones with other offsets share facts")
	}
	if fa != fc || m.facts(c, h) != fa {
		t.Errorf("equal zones do not share facts")
	}
	if len(m.byLoc) != 3 || len(m.byName["Same"]) != 2 {
		t.Errorf("memo holds %d locations and %d contents, want 3 and 2", len(m.byLoc), len(m.byName["Same"]))
	}
	if got := fb.offsets(); !slices.Equal(got, []int{7200}) {
		t.Errorf("offsets = %v, want [7200]", got)
	}
}
