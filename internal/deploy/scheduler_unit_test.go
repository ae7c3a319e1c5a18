package deploy

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // CheckSchedules loads zones; the test must not depend on the host's

	"github.com/aws/aws-sdk-go-v2/aws"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/google/go-cmp/cmp"
)

var schedulerName = regexp.MustCompile(`^[0-9a-zA-Z\-_.]{1,64}$`)

func TestScheduleGroupName(t *testing.T) {
	for _, tc := range []struct{ id, prefix string }{
		{"batch/shop-batch", "cronbridge-batch-shop-batch-"},
		{"shop", "cronbridge-shop-"},
		{strings.Repeat("x", 300), "cronbridge-" + strings.Repeat("x", 44) + "-"},
		{"日本語/ジョブ", "cronbridge-"},
	} {
		got := ScheduleGroupName(tc.id)
		if !strings.HasPrefix(got, tc.prefix) || !schedulerName.MatchString(got) || got != ScheduleGroupName(tc.id) {
			t.Errorf("ScheduleGroupName(%q) = %q (%d characters), want %q + hash, within Scheduler's name rules", tc.id, got, len(got), tc.prefix)
		}
	}
	if ScheduleGroupName("batch/shop-batch") == ScheduleGroupName("batch-shop-batch") {
		t.Error("two tracking ids share a group")
	}
}

func TestScheduleNameLimits(t *testing.T) {
	long := strings.Repeat("nightly-report-", 8)
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		n := ScheduleName("shop-batch-", long, i, 3)
		if !schedulerName.MatchString(n) || seen[n] {
			t.Errorf("ScheduleName #%d = %q (%d characters): over the limit or not unique", i, n, len(n))
		}
		seen[n] = true
	}
	if n := ScheduleName("p-", "daily", 0, 1); n != "p-daily" {
		t.Errorf("one schedule: %q", n)
	}
}

// TestCheckSchedules: what Scheduler refuses and moto accepts.
func TestCheckSchedules(t *testing.T) {
	pos := crontab.Pos{Line: 7, Col: 1}
	for _, tc := range []struct {
		name  string
		sched SchedulerSchedule
		job   string
		want  string // "" for no finding, else a substring of the message
	}{
		{"valid", SchedulerSchedule{Expression: "cron(0 3 * * ? *)", Timezone: "America/New_York"}, "daily", ""},
		{"lord howe", SchedulerSchedule{Expression: "cron(30 2 ? * SUN *)", Timezone: "Australia/Lord_Howe", FlexibleWindowMinutes: 1}, "daily", ""},
		{"field out of range", SchedulerSchedule{Expression: "cron(61 3 * * ? *)", Timezone: "UTC"}, "daily", "bad Scheduler cron expression"},
		{"window max", SchedulerSchedule{Expression: "cron(0 3 * * ? *)", Timezone: "UTC", FlexibleWindowMinutes: 1440}, "daily", ""},
		{"unknown zone", SchedulerSchedule{Expression: "cron(0 3 * * ? *)", Timezone: "Mars/Olympus_Mons"}, "daily", `time zone "Mars/Olympus_Mons" is not in the time zone database`},
		{"go local", SchedulerSchedule{Expression: "cron(0 3 * * ? *)", Timezone: "Local"}, "daily", `time zone "Local" is not a zone name Scheduler accepts`},
		{"no zone", SchedulerSchedule{Expression: "cron(0 3 * * ? *)"}, "daily", `time zone "" is not a zone name Scheduler accepts`},
		{"window over", SchedulerSchedule{Expression: "cron(0 3 * * ? *)", Timezone: "UTC", FlexibleWindowMinutes: 1441}, "daily", "flexible window of 1441 minutes is outside Scheduler's 1 to 1440"},
		{"window negative", SchedulerSchedule{Expression: "cron(0 3 * * ? *)", Timezone: "UTC", FlexibleWindowMinutes: -1}, "daily", "flexible window of -1 minutes"},
		{"five fields", SchedulerSchedule{Expression: "cron(0 3 * * *)", Timezone: "UTC"}, "daily", "bad Scheduler cron expression"},
		{"not cron", SchedulerSchedule{Expression: "0 3 * * *", Timezone: "UTC"}, "daily", "bad Scheduler cron expression"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := schedDesired("x")
			d.Jobs = []DesiredJob{{Name: tc.job, Pos: pos, Schedules: []SchedulerSchedule{tc.sched}}}
			got := CheckSchedules(d)
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("findings for a valid schedule: %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Code != CodeSchedulerInvalid || got[0].Pos != pos || got[0].Severity != crontab.SeverityError ||
				!strings.Contains(got[0].Message, tc.want) || got[0].Hint == "" {
				t.Errorf("findings = %+v, want one %s at %v containing %q", got, CodeSchedulerInvalid, pos, tc.want)
			}
			// The rules backend has no schedules to check.
			d.Backend = ""
			if got := CheckSchedules(d); len(got) != 0 {
				t.Errorf("rules backend: %+v", got)
			}
			// MakePlan refuses the plan before any call.
			if _, err := MakePlan(schedDesired("x"), &Observed{TaskDefinition: observedTD("x")}, PlanOptions{}); err != nil {
				t.Errorf("valid desired state refused: %v", err)
			}
			d.Backend = BackendScheduler
			if _, err := MakePlan(d, &Observed{TaskDefinition: observedTD("x"), Scheduler: &ObservedScheduler{}}, PlanOptions{}); err == nil || !strings.Contains(err.Error(), CodeSchedulerInvalid) {
				t.Errorf("MakePlan err = %v", err)
			}
		})
	}
}

// TestSchedulerTargetRoundTrip: a rule target converted to a schedule
// target and back normalizes to the same fields, and the tags take
// RunTask's shape.
func TestSchedulerTargetRoundTrip(t *testing.T) {
	d := testDesired("x")
	for _, j := range d.Jobs {
		rt := buildTarget(d, j, tdARN1, clusterARN(d.Cluster, tdARN1))
		st, err := schedulerTarget(rt)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(flattenTarget(rt), flattenScheduleTarget(st)); diff != "" {
			t.Errorf("job %s: round trip (-rule +schedule):\n%s", j.Name, diff)
		}
		if len(st.EcsParameters.Tags) == 0 || st.EcsParameters.Tags[0]["key"] != TagJob || st.EcsParameters.Tags[0]["value"] != j.Name {
			t.Errorf("job %s: tags %v", j.Name, st.EcsParameters.Tags)
		}
	}
	// A tag set by hand as a raw map still shows in the diff.
	st := schedtypes.Target{Arn: aws.String("c"), EcsParameters: &schedtypes.EcsParameters{TaskDefinitionArn: aws.String("td"), Tags: []map[string]string{{"team": "x"}}}}
	if got := flattenScheduleTarget(st)["EcsParameters.Tags.team"]; got != "x" {
		t.Errorf("raw map tag: %q", got)
	}
}

func TestNextSafeSwitch(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		name  string
		exprs []string
		from  string
		want  string // "" for an error
	}{
		{"no rules", nil, "2026-12-03T10:00:30Z", "2026-12-03T10:01:00Z"},
		{"on a boundary", nil, "2026-12-03T10:01:00Z", "2026-12-03T10:01:00Z"},
		{"rule at the minute itself", []string{"cron(0 18 * * ? *)"}, "2026-12-03T17:59:10Z", "2026-12-03T18:00:00Z"},
		{"rule in the window", []string{"cron(0 18 * * ? *)"}, "2026-12-03T18:00:30Z", "2026-12-03T18:02:00Z"},
		{"even minutes", []string{"cron(0/2 * * * ? *)"}, "2026-12-03T10:00:30Z", "2026-12-03T10:02:00Z"},
		{"two rules", []string{"cron(1 10 * * ? *)", "cron(2 10 * * ? *)"}, "2026-12-03T10:01:30Z", "2026-12-03T10:04:00Z"},
		{"every minute", []string{"cron(* * * * ? *)"}, "2026-12-03T10:00:00Z", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := nextSafeSwitch(tc.exprs, at(tc.from))
			if tc.want == "" {
				if err == nil || !strings.Contains(err.Error(), "a job is due every minute") {
					t.Errorf("got %s, %v; want an error", got, err)
				}
				return
			}
			if err != nil || !got.Equal(at(tc.want)) {
				t.Errorf("got %s, %v; want %s", got, err, tc.want)
			}
		})
	}
}

// schedObservedFor is the observed state after a converged Scheduler
// deploy of d at revision 1.
func schedObservedFor(t testing.TB, d Desired) *Observed {
	t.Helper()
	specs, err := desiredSchedules(d, tdARN1, clusterARN(d.Cluster, tdARN1))
	if err != nil {
		t.Fatal(err)
	}
	g := ScheduleGroupName(d.TrackingID)
	os := &ObservedScheduler{Group: &ObservedGroup{Name: g, ARN: "arn:aws:scheduler:ap-northeast-1:123456789012:schedule-group/" + g, State: "ACTIVE", Tags: groupTags(d)}}
	for _, s := range specs {
		os.Schedules = append(os.Schedules, ObservedSchedule{Name: s.Name, Expression: s.Expression, Timezone: s.Timezone, State: s.State,
			Description: s.Description, FlexibleWindowMinutes: s.FlexibleWindowMinutes, Target: s.Target})
	}
	return &Observed{TaskDefinition: observedTD(d.Image), Scheduler: os}
}

func TestSchedulerMakePlan(t *testing.T) {
	clock := SwitchOptions{Now: func() time.Time { return time.Date(2026, 12, 3, 9, 0, 30, 0, time.UTC) }}
	base := schedDesired("shop:v1")
	if p, err := MakePlan(base, schedObservedFor(t, base), PlanOptions{Switch: clock}); err != nil || p.HasChanges() || p.Scheduler.Counts.Unchanged != 4 {
		t.Fatalf("converged: %v %+v", err, p)
	}
	// A future StartDate (a cutover) is kept, never shown as a change;
	// a past one is no change either.
	o := schedObservedFor(t, base)
	future, past := clock.Now().Add(time.Hour), clock.Now().Add(-time.Hour)
	o.Scheduler.Schedules[0].StartDate, o.Scheduler.Schedules[1].StartDate = &future, &past
	p, err := MakePlan(base, o, PlanOptions{Switch: clock})
	if err != nil || p.HasChanges() {
		t.Fatalf("start dates: %v %s", err, p.Summary())
	}
	d := schedDesired("shop:v2")
	p, err = MakePlan(d, o, PlanOptions{Switch: clock})
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range p.Scheduler.Schedules {
		if sc.Name == o.Scheduler.Schedules[0].Name && !sameTime(sc.spec.StartDate, &future) {
			t.Errorf("update drops the future StartDate: %v", sc.spec.StartDate)
		}
		if sc.Name == o.Scheduler.Schedules[1].Name && sc.spec.StartDate != nil {
			t.Errorf("update writes a past StartDate: %v", sc.spec.StartDate)
		}
	}
	// A field set by hand on an owned schedule is shown and removed.
	o = schedObservedFor(t, base)
	o.Scheduler.Schedules[2].KmsKeyARN = "arn:aws:kms:ap-northeast-1:123456789012:key/k"
	p, err = MakePlan(base, o, PlanOptions{Switch: clock})
	if err != nil || p.Scheduler.Counts.Update != 1 || p.Scheduler.Schedules[2].Changes[0].Field != "kms_key_arn" {
		t.Errorf("hand-set field: %v %+v", err, p.Scheduler.Schedules[2])
	}
	// Two jobs needing one schedule name.
	d = schedDesired("x")
	d.Jobs = append(d.Jobs, DesiredJob{Name: "month-end-1", Schedules: []SchedulerSchedule{{Expression: "cron(0 0 * * ? *)", Timezone: "UTC"}}})
	if _, err := MakePlan(d, &Observed{TaskDefinition: observedTD("x")}, PlanOptions{Switch: clock}); err == nil || !strings.Contains(err.Error(), "both need the schedule name") {
		t.Errorf("name collision: %v", err)
	}
}

// TestSchedulerRender checks the three formats of a plan that switches a
// rules config to Scheduler against golden files (go test -update).
func TestSchedulerRender(t *testing.T) {
	clock := SwitchOptions{Now: func() time.Time { return time.Date(2026, 12, 3, 17, 58, 30, 0, time.UTC) }}
	rules := testDesired("shop:v1")
	o := observedFor(rules) // the rules of the jobs, converged
	d := schedDesired("shop:v2")
	d.Jobs = d.Jobs[1:] // cleanup dropped: its rule is an orphan (no --prune)
	// One schedule exists already (an interrupted switch), one unknown.
	so := schedObservedFor(t, schedDesired("shop:v1"))
	so.Scheduler.Schedules = append(so.Scheduler.Schedules[1:2], ObservedSchedule{Name: "shop-batch-gone", Expression: "cron(0 1 * * ? *)", Timezone: "Asia/Tokyo", State: "ENABLED"})
	so.Scheduler.Schedules[0].State = "DISABLED"
	o.Scheduler = so.Scheduler
	p, err := MakePlan(d, o, PlanOptions{Switch: clock})
	if err != nil {
		t.Fatal(err)
	}
	// 18:00 UTC is daily-sales' rule: the switch cannot be 18:00's window.
	if p.Scheduler.SwitchAt == nil || !p.Scheduler.SwitchAt.Equal(time.Date(2026, 12, 3, 18, 2, 0, 0, time.UTC)) {
		t.Errorf("switch at %v", p.Scheduler.SwitchAt)
	}
	for _, f := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"scheduler_plan.txt", func(b *bytes.Buffer) error { return p.WriteText(b) }},
		{"scheduler_plan.json", func(b *bytes.Buffer) error { return p.WriteJSON(b) }},
		{"scheduler_plan.md", func(b *bytes.Buffer) error { return p.WriteMarkdown(b) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", f.file)
		if *update {
			if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), b.String()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", f.file, diff)
		}
	}
	var js map[string]any
	var b bytes.Buffer
	if err := p.WriteJSON(&b); err != nil || json.Unmarshal(b.Bytes(), &js) != nil || js["scheduler"] == nil {
		t.Errorf("JSON has no scheduler part: %v", err)
	}
	_ = ebtypes.RuleStateEnabled
}
