package ops

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cronbridge/cronbridge/internal/schedule"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// recorded reads testdata/history.jsonl: the events a history log group
// keeps for a week, with on daily-sales one missed fire (and a manual run
// that day, which must not fill it), one late run, one doubled fire and
// one failed run; cleanup ran fine every day.
func recorded(t *testing.T) []Run {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "history.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var runs []Run
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		r, ok, err := ParseTaskEvent(sc.Bytes(), "app")
		if err != nil || !ok {
			t.Fatalf("line %q: ok=%v err=%v", sc.Text(), ok, err)
		}
		runs = append(runs, r)
	}
	return runs
}

func expectedFires(t *testing.T, since, until time.Time) map[string][]time.Time {
	t.Helper()
	out := map[string][]time.Time{}
	for job, expr := range map[string]string{"daily-sales": "cron(0 18 * * ? *)", "cleanup": "cron(30 0 * * ? *)"} {
		fs, err := schedule.RuleFires(expr, since, until)
		if err != nil {
			t.Fatal(err)
		}
		out[job] = fs
	}
	return out
}

// TestAuditRecordedHistory: exactly one missed, one late, one doubled and
// one failed finding, on the right days, in every output format.
func TestAuditRecordedHistory(t *testing.T) {
	since := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	until := since.AddDate(0, 0, 7)
	fs := Audit(expectedFires(t, since, until), recorded(t), AuditOptions{Since: since, Until: until})
	var got []string
	for _, f := range fs {
		got = append(got, f.Job+" "+f.Kind+" "+f.Fire.Format("01-02"))
	}
	want := []string{"daily-sales missed 11-25", "daily-sales late 11-26", "daily-sales doubled 11-27", "daily-sales failed 11-28"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"audit.txt":  func(b *bytes.Buffer) error { return WriteAuditText(b, fs) },
		"audit.json": func(b *bytes.Buffer) error { return WriteAuditJSON(b, fs) },
		"audit.md":   func(b *bytes.Buffer) error { return WriteAuditMarkdown(b, fs) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", name), b.String())
	}
}

// TestAuditEdges: a fire time still within its grace is not missed yet,
// and a scheduled run before any fire time of the window is unexpected.
func TestAuditEdges(t *testing.T) {
	fire := time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC)
	exp := map[string][]time.Time{"j": {fire}}
	if fs := Audit(exp, nil, AuditOptions{Since: fire.Add(-time.Hour), Until: fire.Add(10 * time.Minute)}); len(fs) != 0 {
		t.Errorf("within grace: %+v, want nothing", fs)
	}
	if fs := Audit(exp, nil, AuditOptions{Since: fire.Add(-time.Hour), Until: fire.Add(20 * time.Minute)}); len(fs) != 1 || fs[0].Kind != Missed {
		t.Errorf("after grace: %+v, want missed", fs)
	}
	zero := int32(0)
	early := Run{Job: "j", TaskARN: "t1", CreatedAt: fire.Add(-30 * time.Minute), Result: Result{ExitCode: &zero}}
	fs := Audit(exp, []Run{early, {Job: "j", TaskARN: "t2", CreatedAt: fire.Add(time.Minute), Result: Result{ExitCode: &zero}}},
		AuditOptions{Since: fire.Add(-time.Hour), Until: fire.Add(time.Hour)})
	if len(fs) != 1 || fs[0].Kind != Unexpected || fs[0].Tasks[0] != "t1" {
		t.Errorf("early run: %+v, want one unexpected", fs)
	}
}

// TestStatusRecordedHistory: per job, the last runs newest first with
// result and duration, and the next run.
func TestStatusRecordedHistory(t *testing.T) {
	loc := time.FixedZone("JST", 9*3600)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	next := func(expr string) []time.Time {
		fs, err := schedule.RuleFires(expr, now, now.AddDate(0, 0, 2))
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	ss := Status([]JobSchedule{
		{Job: "daily-sales", Expressions: []string{"cron(0 18 * * ? *)"}, State: "ENABLED", Next: next("cron(0 18 * * ? *)")},
		{Job: "cleanup", Expressions: []string{"cron(30 0 * * ? *)"}, State: "ENABLED", Next: next("cron(30 0 * * ? *)")},
		{Job: "weekly", Expressions: []string{"cron(0 0 ? * MON *)"}},
	}, recorded(t), 4)
	if len(ss) != 3 || ss[1].Job != "daily-sales" || len(ss[1].Last) != 4 || !ss[1].Last[0].CreatedAt.After(ss[1].Last[1].CreatedAt) {
		t.Fatalf("status: %+v", ss)
	}
	var b bytes.Buffer
	if err := WriteStatusText(&b, ss, loc); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "status.txt"), b.String())
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
