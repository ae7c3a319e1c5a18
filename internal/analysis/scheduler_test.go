package analysis

import (
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

func codesOf(m *Model) string {
	var c []string
	for _, d := range m.Diagnostics() {
		c = append(c, d.Code)
	}
	return strings.Join(c, " ")
}

// TestSchedulerBackend: with backend scheduler a zone with daylight
// saving time converts (no CB102), JST's month-boundary case needs no
// refusal (no CB104), each job carries its schedules with its zone, and
// only the Scheduler converter's findings reach the diagnostics.
func TestSchedulerBackend(t *testing.T) {
	tests := []struct {
		name, zone, backend, src string
		codes                    string
		schedules                []string // expression@zone per schedule, first job
		deployable               bool
	}{
		{"rules refuses DST", "America/New_York", "rules", "0 3 * * * /bin/a\n", "CB102", nil, false},
		{"scheduler DST", "America/New_York", "scheduler", "0 3 * * * /bin/a\n", "", []string{"cron(0 3 * * ? *)@America/New_York"}, true},
		{"scheduler gap", "America/New_York", "scheduler", "30 2 * * * /bin/a\n", "CB112",
			[]string{"cron(30 2 * * ? *)@America/New_York", "cron(0 7 ? MAR 1#2 2025-2104)@UTC"}, true},
		{"scheduler repeated", "Europe/London", "scheduler", "30 1 * 10 0 /bin/a\n", "CB110", []string{"cron(30 1 ? OCT SUN *)@Europe/London"}, true},
		// JST weekdays read in UTC move to the day before: rules need
		// care at month boundaries (CB104), Scheduler reads them in JST.
		{"scheduler month boundary", "Asia/Tokyo", "scheduler", "0 8 1 1 1 /bin/a\n", "CB105",
			[]string{"cron(0 8 1 JAN ? *)@Asia/Tokyo", "cron(0 8 ? JAN MON *)@Asia/Tokyo"}, true},
		{"scheduler CRON_TZ other zone", "Asia/Tokyo", "scheduler", "CRON_TZ=America/New_York\n30 2 * * * /bin/a\n", "",
			[]string{"cron(30 2 * * ? *)@America/New_York"}, true},
		{"scheduler reboot", "Asia/Tokyo", "scheduler", "@reboot /bin/a\n", "CB100", nil, false},
		// A daemon in a DST zone and a CRON_TZ job elsewhere: not modelled.
		{"scheduler daemon zone with DST", "Europe/London", "scheduler", "CRON_TZ=Asia/Tokyo\n0 9 * * * /bin/a\n", "CB113",
			[]string{"cron(0 9 * * ? *)@Asia/Tokyo"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Analyze([]Source{{Name: "ct", Src: []byte(tt.src)}}, Options{Zone: tt.zone, Backend: tt.backend})
			if err != nil {
				t.Fatal(err)
			}
			if m.Backend != tt.backend || m.SchedulerBackend() != (tt.backend == "scheduler") {
				t.Errorf("backend %q", m.Backend)
			}
			if got := codesOf(m); got != tt.codes {
				t.Errorf("codes %q, want %q", got, tt.codes)
			}
			j := m.Jobs[0]
			if j.Deployable() != tt.deployable {
				t.Errorf("Deployable = %v, want %v", j.Deployable(), tt.deployable)
			}
			if tt.backend == "rules" {
				return
			}
			if strings.Contains(tt.codes, "CB113") && j.Scheduler.Exact {
				t.Error("CB113: the conversion must not be called exact")
			}
			ss, err := j.Schedules()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range ss {
				got = append(got, s.Expression+"@"+s.Timezone)
				if s.Supplementary != (s.Timezone == "UTC") {
					t.Errorf("%s: Supplementary = %v", s.Expression, s.Supplementary)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.schedules, " ") {
				t.Errorf("schedules %v, want %v", got, tt.schedules)
			}
			if len(j.Scheduler.Schedules) != len(ss) || len(j.Conversion.Rules) != 0 {
				t.Errorf("j.Scheduler has %d schedules, j.Conversion %d rules", len(j.Scheduler.Schedules), len(j.Conversion.Rules))
			}
		})
	}
}

// TestCronClock: which cron behaviour at clock changes each job gets.
func TestCronClock(t *testing.T) {
	src := "0 3 * * * /bin/a\nCRON_TZ=America/New_York\n0 3 * * * /bin/b\nCRON_TZ=Asia/Tokyo\n0 3 * * * /bin/c\n"
	m, err := Analyze([]Source{{Name: "ct", Src: []byte(src)}}, Options{Zone: "Asia/Tokyo", Backend: "scheduler"})
	if err != nil {
		t.Fatal(err)
	}
	want := []schedule.CronClock{schedule.DaemonZone, schedule.JobZone, schedule.SameZoneCronTZ}
	for i, j := range m.Jobs {
		if got := j.CronClock(); got != want[i] {
			t.Errorf("job %d: clock %v, want %v", i, got, want[i])
		}
	}
}

// TestSchedulerConversionLazy: under backend rules the Scheduler
// conversion is computed on demand (for a switch of backends) and
// memoized per model; its findings do not join the diagnostics.
func TestSchedulerConversionLazy(t *testing.T) {
	m, err := Analyze([]Source{{Name: "ct", Src: []byte("30 2 * * * /bin/a\n30 2 * * * /bin/b\n")}}, Options{Zone: "America/New_York"})
	if err != nil {
		t.Fatal(err)
	}
	if got := codesOf(m); got != "CB102 CB102" {
		t.Errorf("codes %q", got)
	}
	a, errA := m.Jobs[0].SchedulerConversion()
	b, errB := m.Jobs[1].SchedulerConversion()
	if errA != nil || errB != nil || len(a.Schedules) != 2 || !a.Exact {
		t.Fatalf("%+v %v %v", a, errA, errB)
	}
	if &a.Schedules[0] != &b.Schedules[0] {
		t.Error("the second job's conversion was not memoized")
	}
}

// TestFlexibleWindow: cronie's RANDOM_DELAY becomes the window unless
// the config sets one; debian ignores the variable; bad values give none.
func TestFlexibleWindow(t *testing.T) {
	dur := func(d time.Duration) *time.Duration { return &d }
	tests := []struct {
		name, dialect, src string
		cfg                *time.Duration
		want               int
	}{
		{"none", "cronie", "0 3 * * * /bin/a\n", nil, 0},
		{"random delay", "cronie", "RANDOM_DELAY=30\n0 3 * * * /bin/a\n", nil, 30},
		{"last wins", "cronie", "RANDOM_DELAY=30\nRANDOM_DELAY=5\n0 3 * * * /bin/a\n", nil, 5},
		{"max", "cronie", "RANDOM_DELAY=1440\n0 3 * * * /bin/a\n", nil, 1440},
		{"too long", "cronie", "RANDOM_DELAY=1441\n0 3 * * * /bin/a\n", nil, 0},
		{"not a number", "cronie", "RANDOM_DELAY=ten\n0 3 * * * /bin/a\n", nil, 0},
		{"debian", "debian", "RANDOM_DELAY=30\n0 3 * * * /bin/a\n", nil, 0},
		{"config wins", "cronie", "RANDOM_DELAY=30\n0 3 * * * /bin/a\n", dur(10 * time.Minute), 10},
		{"config off", "cronie", "RANDOM_DELAY=30\n0 3 * * * /bin/a\n", dur(0), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &config.Config{Backend: "scheduler", Defaults: config.Settings{FlexibleWindow: tt.cfg}}
			m, err := Analyze([]Source{{Name: "ct", Src: []byte(tt.src)}}, Options{Config: cfg, Zone: "Asia/Tokyo", Dialect: tt.dialect})
			if err != nil {
				t.Fatal(err)
			}
			j := m.Jobs[0]
			if j.Settings.FlexibleWindowMinutes != tt.want {
				t.Errorf("window %d, want %d", j.Settings.FlexibleWindowMinutes, tt.want)
			}
			ss, err := j.Schedules()
			if err != nil || len(ss) != 1 || ss[0].FlexibleWindowMinutes != tt.want {
				t.Errorf("schedules %+v %v", ss, err)
			}
		})
	}
}

// TestBackendOption: an unknown backend is a usage error.
func TestBackendOption(t *testing.T) {
	_, err := Analyze(nil, Options{Backend: "cron"})
	if _, ok := err.(*OptionError); !ok {
		t.Errorf("err = %v, want an *OptionError", err)
	}
}
