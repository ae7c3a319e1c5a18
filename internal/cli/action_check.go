package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cronbridge/cronbridge/internal/config"
	"github.com/cronbridge/cronbridge/internal/crontab"
	"github.com/cronbridge/cronbridge/internal/ghaction"
	"github.com/cronbridge/cronbridge/internal/lint"
	"github.com/cronbridge/cronbridge/internal/prcheck"
)

// check is `command: check`: parse, convert and lint the crontab, compare
// it with the pull request's base, annotate, summarize, comment. It needs
// no AWS credentials.
func (a *actionRun) check(ctx context.Context) int {
	in, ev := a.in, a.ev
	var headCfg []byte
	var err error
	if in.Config != "" {
		if _, headCfg, err = readInput(a.sub(nil, nil), a.ws.abs(in.Config)); err != nil {
			return a.failure("read config: %v", a.ws.relError(err))
		}
	}
	crontabFile := a.ws.abs(a.checkCrontab(headCfg))
	_, head, err := readInput(a.sub(nil, nil), crontabFile)
	if err != nil {
		return a.failure("read crontab: %v", a.ws.relError(err))
	}
	now := time.Now()
	// CRONBRIDGE_NOW pins "now" (RFC 3339) so that next runs in tests are
	// reproducible, like convert's --now.
	if s := a.env.Getenv("CRONBRIDGE_NOW"); s != "" {
		if now, err = time.Parse(time.RFC3339, s); err != nil {
			return a.usage("CRONBRIDGE_NOW: %v", err)
		}
	}
	crontabPath, configPath := a.ws.repoPath(crontabFile), ""
	if in.Config != "" {
		configPath = a.ws.repoPath(in.Config)
	}
	pin := prcheck.Input{Crontab: crontabPath, Config: configPath, HeadCrontab: head, HeadConfig: headCfg}
	if ev.IsPullRequest() {
		var fallback prcheck.Source
		if in.Token != "" {
			cr, err := ghaction.NewContentsReader(ev.APIURL, in.Token, ev.Owner, ev.Repo, nil)
			if err != nil {
				return a.failure("%v", err)
			}
			fallback = cr
		}
		src, how := prcheck.ChooseSource(ctx, prcheck.GitSource{Dir: a.ws.root}, ev.BaseSHA, fallback)
		if src == nil {
			return a.failure("the base commit %s is not in the checkout and there is no github-token to read it through the API", ev.BaseSHA)
		}
		_ = a.r.Logf("cronbridge: comparing with the base %s (read from the %s)", shortSHA(ev.BaseSHA), how)
		pin.Base, pin.BaseRef = src, ev.BaseSHA
	}
	// The analyzer reads the same model and lint.FromConfig mapping as
	// `cronbridge lint`, so lint and the check agree.
	an := prcheck.NewAnalyzer(prcheck.Options{Zone: in.Timezone, Dialect: in.Dialect, ConfigName: configPath, Now: now})
	res, err := prcheck.Run(ctx, pin, an)
	if err != nil {
		return a.failure("%v", err)
	}

	diags, err := lint.AtLeast(res.Head.Diagnostics, in.MinSeverity)
	if err != nil {
		return a.usage("min-severity: %v", err)
	}
	// The comment and the summary hide the same findings.
	res.Findings.New, _ = lint.AtLeast(res.Findings.New, in.MinSeverity)
	res.Findings.Existing, _ = lint.AtLeast(res.Findings.Existing, in.MinSeverity)
	for _, d := range diags {
		if d.Severity < crontab.SeverityWarning {
			continue // info findings are in the summary; annotations are for what needs action
		}
		if err := a.r.Annotate(annotationFor(d)); err != nil {
			return a.failure("%v", err)
		}
	}
	// The findings as text, for the log: they quote crontab text, so
	// workflow commands are suspended around them.
	if len(diags) > 0 {
		var b strings.Builder
		for _, d := range diags {
			b.WriteString(d.String())
			b.WriteByte('\n')
		}
		if err := a.r.LogUntrusted(b.String()); err != nil {
			return a.failure("%v", err)
		}
	}

	rep := prcheck.Report{
		File: crontabPath, Zone: res.Head.Zone, Changes: res.Changes, Findings: res.Findings,
		Gantt: res.Head.Gantt, BaseMissing: res.BaseMissing, NoBase: !ev.IsPullRequest(),
	}
	if ev.Owner != "" && ev.HeadSHA != "" {
		rep.BlobURL = strings.TrimSuffix(ev.ServerURL, "/") + "/" + ev.Owner + "/" + ev.Repo + "/blob/" + ev.HeadSHA + "/" + crontabPath
	}
	rep.Plan, rep.PlanNote = a.checkPlan(ctx)
	// The report file has everything; the summary and the comment are
	// bounded (GitHub drops a summary over 1 MiB and refuses a comment
	// over 65,536 characters) and point at the file for the rest.
	full := rep
	full.Full = true
	mdPath, err := a.ws.outputFile("report.md", []byte(prcheck.Markdown(full)))
	if err != nil {
		return a.failure("%v", err)
	}
	rep.FullReport = mdPath
	a.r.FullReport = mdPath
	md := prcheck.Markdown(rep)
	if err := a.r.AddSummary(md); err != nil {
		return a.failure("%v", err)
	}
	a.comment(ctx, md, prcheck.HasChanges(res.Changes) || len(res.Findings.New) > 0, mdPath)

	errorsN := 0
	for _, d := range diags {
		if d.Severity == crontab.SeverityError {
			errorsN++
		}
	}
	if err := a.setOutputs([][2]string{
		{"findings", strconv.Itoa(len(diags))},
		{"errors", strconv.Itoa(errorsN)},
		{"changed", strconv.FormatBool(prcheck.HasChanges(res.Changes))},
		{"report-markdown", mdPath},
	}); err != nil {
		return a.failure("%v", err)
	}
	counts := prcheck.Counts(res.Changes)
	_ = a.r.Logf("cronbridge: %d changed, %d added, %d removed, %d unchanged; %d findings (%d new), %d errors",
		counts[prcheck.Changed], counts[prcheck.Added], counts[prcheck.Removed], counts[prcheck.Unchanged],
		len(diags), len(res.Findings.New), errorsN)
	return failOnExit(in.FailOn, diags)
}

// checkCrontab is the crontab check compares: the crontab input, else the
// config's first crontab (relative to the config), else "crontab". The
// comparison covers one file; the log says so when the config lists more.
func (a *actionRun) checkCrontab(cfgSrc []byte) string {
	if a.in.Crontab != "" || cfgSrc == nil {
		return a.crontab()
	}
	cfg, _ := config.Parse(a.in.Config, cfgSrc) // its findings are reported by the analysis
	if len(cfg.Crontab) == 0 {
		return a.crontab()
	}
	first := filepath.Join(filepath.Dir(a.in.Config), filepath.FromSlash(cfg.Crontab[0]))
	if len(cfg.Crontab) > 1 {
		_ = a.r.Annotate(ghaction.Annotation{Level: ghaction.LevelNotice, Title: "cronbridge",
			Message: fmt.Sprintf("check compares %s, the config's first crontab; set the crontab input to check another", first)})
	}
	return first
}

// failOnExit applies fail-on to the head's findings: the whole crontab must
// be deployable, so findings already present count too.
func failOnExit(failOn string, diags []crontab.Diagnostic) int {
	min := crontab.SeverityError
	switch failOn {
	case ghaction.FailOnNever:
		return ExitOK
	case ghaction.FailOnWarning:
		min = crontab.SeverityWarning
	}
	for _, d := range diags {
		if d.Severity >= min {
			return ExitFindings
		}
	}
	return ExitOK
}

// annotationFor maps a diagnostic onto an annotation on its line.
func annotationFor(d crontab.Diagnostic) ghaction.Annotation {
	level := ghaction.LevelNotice
	switch d.Severity {
	case crontab.SeverityError:
		level = ghaction.LevelError
	case crontab.SeverityWarning:
		level = ghaction.LevelWarning
	}
	msg := d.Message
	if d.Hint != "" {
		msg += "\nhint: " + d.Hint
	}
	return ghaction.Annotation{Level: level, File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Title: "cronbridge " + d.Code, Message: msg}
}

// comment keeps the sticky comment per the comment input. Failures never
// fail the check: the summary and annotations carry the same report.
func (a *actionRun) comment(ctx context.Context, md string, worth bool, fullReport string) {
	in, ev := a.in, a.ev
	switch {
	case in.Comment == ghaction.CommentNever:
		return
	case !ev.IsPullRequest():
		name := ev.Name
		if name == "" {
			name = "no event"
		}
		_ = a.r.Logf("cronbridge: no comment: not a pull request event (%s)", name)
		return
	case in.Token == "":
		_ = a.r.Logf("cronbridge: no comment: the github-token input is empty")
		return
	}
	c, err := ghaction.NewGitHubCommenter(ev.APIURL, in.Token, nil)
	if err != nil {
		_ = a.r.Annotate(ghaction.Annotation{Level: ghaction.LevelWarning, Title: "cronbridge", Message: "no comment: " + err.Error()})
		return
	}
	// Only a fork's 403 is its read-only token; otherwise a permission is missing.
	c.Fork = ev.Fork
	body := ghaction.FitComment(ghaction.Marker+"\n"+md, ghaction.FullReportNote(fullReport, ev.RunURL()))
	if in.Comment == ghaction.CommentAuto && !worth {
		// Nothing to review: only bring an existing comment up to date
		// (a later push that reverted the changes says so).
		_, err = c.UpdateIfExists(ctx, ev.Owner, ev.Repo, ev.PR, body)
	} else {
		err = c.Upsert(ctx, ev.Owner, ev.Repo, ev.PR, body)
	}
	switch {
	case errors.Is(err, ghaction.ErrReadOnlyToken):
		_ = a.r.Logf("cronbridge: %s", ghaction.ReadOnlyMessage)
	case err != nil:
		_ = a.r.Annotate(ghaction.Annotation{Level: ghaction.LevelWarning, Title: "cronbridge", Message: "no comment: " + err.Error()})
	}
}

// checkPlan is the deploy plan for the comment. It is computed only when
// the job has AWS credentials and a config: check itself needs neither.
func (a *actionRun) checkPlan(ctx context.Context) (plan, note string) {
	if a.in.Config == "" {
		return "", ""
	}
	if !hasAWSCredentials(a.env.Getenv) {
		return "", "not computed (no AWS credentials in this job)"
	}
	var out strings.Builder
	if _, code := a.runDeploy(ctx, ghaction.CommandPlan, "text", &out); code != ExitOK {
		return "", "not computed (cronbridge plan failed; see the log)"
	}
	return out.String(), ""
}

// hasAWSCredentials reports whether the SDK's default chain has something
// to start from in the environment (configure-aws-credentials sets these).
func hasAWSCredentials(getenv func(string) string) bool {
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_PROFILE"} {
		if getenv(k) != "" {
			return true
		}
	}
	return false
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func (a *actionRun) failure(format string, args ...any) int {
	return a.report(ExitFailure, format, args...)
}

func (a *actionRun) usage(format string, args ...any) int {
	return a.report(ExitUsage, format, args...)
}

// report logs an error as an error annotation.
func (a *actionRun) report(code int, format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	// Only as an annotation: the runner reads workflow commands on stderr
	// too, and the annotation escapes the message.
	_ = a.r.Annotate(ghaction.Annotation{Level: ghaction.LevelError, Title: "cronbridge", Message: msg})
	return code
}
