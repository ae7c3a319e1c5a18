// Command oraclecheck is a CI-only cross-check of the converter against
// Debian's own cron: it parses every *.crontab file of a corpus with the
// Debian dialect, converts every valid entry in Asia/Tokyo, and compares
// the fire times the Debian cron oracle computes for the entry with the
// union of the emitted EventBridge rules' fire times over a window of
// more than three years that contains a leap day.
//
//	go run ./internal/tools/oraclecheck -oracle /tmp/debian-cron-oracle/harness -corpus ../shared/corpus/real-world
//
// It prints one line per difference and a summary line, and exits 1 on any
// difference or crash (each file is processed under recover, so one bad
// file cannot hide the others), 2 on usage errors.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// The comparison window (UTC): 2027-12-01 to 2031-01-01 holds 29 February
// 2028, every month boundary and three year boundaries.
var (
	windowStart = time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC)
	windowEnd   = time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
)

// tokyoOffsetMinutes is Asia/Tokyo's fixed offset, as the oracle wants it.
const tokyoOffsetMinutes = 540

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// counts is the summary.
type counts struct {
	files, entries, diffs, crashes, refused int
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("oraclecheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	oracle := fs.String("oracle", "", "path to the Debian cron oracle harness (built by debian-cron-oracle/build.sh)")
	corpus := fs.String("corpus", "", "directory of *.crontab files")
	verbose := fs.Bool("v", false, "also list entries the converter refused")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *oracle == "" || *corpus == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: oraclecheck -oracle HARNESS -corpus DIR")
		return 2
	}
	files, err := filepath.Glob(filepath.Join(*corpus, "*.crontab"))
	if err != nil || len(files) == 0 {
		fmt.Fprintf(stderr, "oraclecheck: no *.crontab files in %s\n", *corpus)
		return 2
	}
	slices.Sort(files)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		fmt.Fprintf(stderr, "oraclecheck: %v\n", err)
		return 2
	}
	var c counts
	for _, f := range files {
		c.files++
		if err := checkFile(f, *oracle, tokyo, &c, stdout, *verbose); err != nil {
			c.crashes++
			fmt.Fprintf(stdout, "%s: crash: %v\n", f, err)
		}
	}
	if c.refused > 0 {
		fmt.Fprintf(stdout, "oraclecheck: %d entries the converter refuses (see -v) were not compared\n", c.refused)
	}
	fmt.Fprintf(stdout, "oraclecheck: %d files, %d entries compared, %d differences, %d crashes\n",
		c.files, c.entries, c.diffs, c.crashes)
	if c.diffs > 0 || c.crashes > 0 {
		return 1
	}
	return 0
}

// systemFormat reports whether a corpus file is a system crontab (with a
// user field), following the corpus's grouping: 038-056 are /etc/crontab
// and /etc/cron.d files, 067-071 BSD and system files with mistakes.
func systemFormat(path string) bool {
	n, err := strconv.Atoi(strings.TrimSuffix(filepath.Base(path), ".crontab"))
	if err != nil {
		return false
	}
	return (n >= 38 && n <= 56) || (n >= 67 && n <= 71)
}

// job is one converted entry waiting for the oracle.
type job struct {
	e     *crontab.Entry
	sched string // the schedule text fed to the oracle
	rules []string
}

func checkFile(path, oracle string, tokyo *time.Location, c *counts, out io.Writer, verbose bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, _ := crontab.Parse(path, src, crontab.Options{Dialect: crontab.DialectDebian, System: systemFormat(path)})
	var jobs []job
	for _, e := range f.Entries {
		if !e.Valid || e.Reboot {
			continue
		}
		res, err := schedule.Convert(e, tokyo)
		if err != nil {
			var mm *schedule.MismatchError
			if errors.As(err, &mm) {
				c.diffs++
				fmt.Fprintf(out, "%s:%d: verifier: %v\n", path, e.Line, err)
				continue
			}
			return fmt.Errorf("%s:%d: %w", path, e.Line, err)
		}
		if !res.Exact {
			c.refused++
			if verbose {
				fmt.Fprintf(out, "%s:%d: not converted: %s\n", path, e.Line, findingText(res))
			}
			continue
		}
		j := job{e: e, sched: e.ScheduleText()}
		for _, r := range res.Rules {
			j.rules = append(j.rules, r.Expression)
		}
		jobs = append(jobs, j)
	}
	if len(jobs) == 0 {
		return nil
	}
	oracleFires, err := runOracle(oracle, jobs)
	if err != nil {
		return err
	}
	for i, j := range jobs {
		c.entries++
		want, ok := oracleFires[i]
		if !ok {
			c.diffs++
			fmt.Fprintf(out, "%s:%d: %q: Debian cron rejects the entry but it was converted\n", path, j.e.Line, j.sched)
			continue
		}
		got, err := ruleFires(j.rules)
		if err != nil {
			c.diffs++
			fmt.Fprintf(out, "%s:%d: %q: %v\n", path, j.e.Line, j.sched, err)
			continue
		}
		if msg := diff(want, got); msg != "" {
			c.diffs++
			fmt.Fprintf(out, "%s:%d: %q -> %s: %s\n", path, j.e.Line, j.sched, strings.Join(j.rules, " + "), msg)
		}
	}
	return nil
}

func findingText(r schedule.Result) string {
	var s []string
	for _, f := range r.Findings {
		s = append(s, f.Code+" "+f.Message)
	}
	return strings.Join(s, "; ")
}

// runOracle feeds every schedule with a dummy command to the harness and
// returns the fire times (Unix minutes) by input index; indexes the oracle
// rejects ("ERR i") are absent.
func runOracle(oracle string, jobs []job) (map[int][]int64, error) {
	var in bytes.Buffer
	for _, j := range jobs {
		in.WriteString(j.sched + " true\n")
	}
	cmd := exec.Command(oracle, strconv.FormatInt(windowStart.Unix(), 10), strconv.FormatInt(windowEnd.Unix(), 10),
		strconv.Itoa(tokyoOffsetMinutes))
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("oracle: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	res := map[int][]int64{}
	sc := bufio.NewScanner(bytes.NewReader(outb))
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || f[0] == "ERR" {
			continue
		}
		i, err := strconv.Atoi(f[0])
		if err != nil {
			return nil, fmt.Errorf("oracle output %q: %w", sc.Text(), err)
		}
		mins := make([]int64, 0, len(f)-1)
		for _, x := range f[1:] {
			v, err := strconv.ParseInt(x, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("oracle output: %w", err)
			}
			mins = append(mins, v)
		}
		slices.Sort(mins)
		res[i] = mins
	}
	return res, sc.Err()
}

// ruleFires is the sorted set union of the rules' fires, in Unix minutes.
func ruleFires(rules []string) ([]int64, error) {
	var all []int64
	for _, r := range rules {
		ts, err := schedule.RuleFires(r, windowStart, windowEnd)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			all = append(all, t.Unix()/60)
		}
	}
	slices.Sort(all)
	return slices.Compact(all), nil
}

// diff describes the first difference between two sorted sets, or "".
func diff(want, got []int64) string {
	at := func(m int64) string { return time.Unix(m*60, 0).UTC().Format(time.RFC3339) }
	i, j := 0, 0
	for i < len(want) || j < len(got) {
		switch {
		case j >= len(got) || (i < len(want) && want[i] < got[j]):
			return fmt.Sprintf("Debian cron fires at %s but the rules do not (%d vs %d fires)", at(want[i]), len(want), len(got))
		case i >= len(want) || got[j] < want[i]:
			return fmt.Sprintf("the rules fire at %s but Debian cron does not (%d vs %d fires)", at(got[j]), len(want), len(got))
		}
		i++
		j++
	}
	return ""
}
