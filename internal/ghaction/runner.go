package ghaction

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	githubactions "github.com/sethvargo/go-githubactions"
)

// Runner writes to the runner's channels: the log (stdout), the
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Every method returns an
// error instead of panicking (go-githubactions panics on a failed write).
type Runner struct {
	out    io.Writer
	getenv func(string) string
	// random fills delimiters and stop-commands tokens; crypto/rand in
	// production, a fixed reader in tests that need stable output.
	random io.Reader
	// FullReport is the path of the file holding the complete report
	// (relative to the workspace): a summary cut to GitHub's limit names it.
	FullReport string
}

// NewRunner returns a Runner that logs to stdout and finds the runner's
// files through getenv.
func NewRunner(stdout io.Writer, getenv func(string) string) *Runner {
	return &Runner{out: stdout, getenv: getenv, random: rand.Reader}
}

// token returns a fresh random token that does not occur in any of avoid.
func (r *Runner) token(prefix string, avoid ...string) (string, error) {
	for {
		b := make([]byte, 16)
		if _, err := io.ReadFull(r.random, b); err != nil {
			return "", fmt.Errorf("random token: %w", err)
		}
		t := prefix + hex.EncodeToString(b)
		clash := false
		for _, a := range avoid {
			clash = clash || strings.Contains(a, t)
		}
		if !clash {
			return t, nil
		}
	}
}

// outputName is what the runner accepts as an output name (action.yml's
// outputs are kebab-case).
var outputName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// SetOutput appends name=value to the GITHUB_OUTPUT file. A value with a
// line break is written as a heredoc with a random delimiter chosen not to
// occur in the value, so that a value cannot end the heredoc early and
// forge other outputs. Outside a runner (GITHUB_OUTPUT unset) it does
// nothing.
func (r *Runner) SetOutput(name, value string) error {
	if !outputName.MatchString(name) {
		return fmt.Errorf("set output: invalid output name %q", name)
	}
	path := r.getenv("GITHUB_OUTPUT")
	if path == "" {
		return nil
	}
	var rec string
	if strings.ContainsAny(value, "\r\n") {
		delim, err := r.token("ghadelimiter_", value)
		if err != nil {
			return fmt.Errorf("set output %s: %w", name, err)
		}
		rec = name + "<<" + delim + "\n" + value + "\n" + delim + "\n"
	} else {
		rec = name + "=" + value + "\n"
	}
	if err := appendFile(path, rec); err != nil {
		return fmt.Errorf("set output %s: %w", name, err)
	}
	return nil
}

// AddSummary appends Markdown to the job summary (GITHUB_STEP_SUMMARY).
// The file stays within MaxSummarySize: Markdown that does not fit is cut
// (see FitMarkdown) and ends with a note naming FullReport. Outside a
// runner it does nothing.
func (r *Runner) AddSummary(markdown string) error {
	path := r.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	if !strings.HasSuffix(markdown, "\n") {
		markdown += "\n"
	}
	room := MaxSummarySize - summarySize(path)
	if len(markdown) > room {
		note := FullReportNote(r.FullReport, "")
		if room < len(note) {
			return nil // full already, and an earlier cut left its note
		}
		markdown = FitMarkdown(markdown, room, note)
	}
	if err := appendFile(path, markdown); err != nil {
		return fmt.Errorf("step summary: %w", err)
	}
	return nil
}

func appendFile(path, s string) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = io.WriteString(f, s)
	return err
}

// Level is an annotation's level.
type Level string

// The runner's annotation levels.
const (
	LevelNotice  Level = "notice"
	LevelWarning Level = "warning"
	LevelError   Level = "error"
)

// Annotation is a message the runner attaches to a file and line of the
// pull request's diff. Line and Col are 1-based; zero means none.
type Annotation struct {
	Level   Level
	File    string
	Line    int
	Col     int
	Title   string
	Message string
}

// Annotate writes one annotation as a workflow command. The properties and
// the message are escaped as the toolkit does: line breaks become %0A, so
// the message cannot start a new command, and ':' and ',' in properties
// cannot end a property early.
func (r *Runner) Annotate(a Annotation) error {
	switch a.Level {
	case LevelNotice, LevelWarning, LevelError:
	default:
		return fmt.Errorf("annotate: unknown level %q", a.Level)
	}
	props := githubactions.CommandProperties{}
	if a.File != "" {
		props["file"] = a.File
	}
	if a.Line > 0 {
		props["line"] = strconv.Itoa(a.Line)
	}
	if a.Col > 0 {
		props["col"] = strconv.Itoa(a.Col)
	}
	if a.Title != "" {
		props["title"] = a.Title
	}
	cmd := &githubactions.Command{Name: string(a.Level), Message: a.Message, Properties: props}
	return r.println(cmd.String())
}

// Mask tells the runner to replace secret with *** in the rest of the log.
// The secret itself goes only into the add-mask command, which the runner
// does not print. Multi-line secrets are masked line by line, as the
// toolkit advises.
func (r *Runner) Mask(secret string) error {
	for _, line := range strings.FieldsFunc(secret, func(c rune) bool { return c == '\n' || c == '\r' }) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		cmd := &githubactions.Command{Name: "add-mask", Message: line}
		if err := r.println(cmd.String()); err != nil {
			return err
		}
	}
	return nil
}

// Logf writes a line of the action's own text to the log. Never pass
// untrusted text through it: use LogUntrusted.
func (r *Runner) Logf(format string, args ...any) error {
	return r.println(fmt.Sprintf(format, args...))
}

// Group and EndGroup fold the lines between them in the log.
func (r *Runner) Group(title string) error {
	return r.println((&githubactions.Command{Name: "group", Message: title}).String())
}

// EndGroup ends a Group.
func (r *Runner) EndGroup() error {
	return r.println((&githubactions.Command{Name: "endgroup"}).String())
}

// LogUntrusted echoes text that may contain workflow commands (crontab
// lines from a pull request) to the log with command processing suspended:
// "::stop-commands::<token>" before and "::<token>::" after, with a fresh
// random token that text does not contain, so the text cannot resume
// processing itself.
func (r *Runner) LogUntrusted(text string) error {
	tok, err := r.token("cronbridge-", text)
	if err != nil {
		return err
	}
	if err := r.println("::stop-commands::" + tok); err != nil {
		return err
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	if _, err := io.WriteString(r.out, text); err != nil {
		return fmt.Errorf("log: %w", err)
	}
	return r.println("::" + tok + "::")
}

func (r *Runner) println(s string) error {
	if _, err := io.WriteString(r.out, s+"\n"); err != nil {
		return fmt.Errorf("log: %w", err)
	}
	return nil
}

// Event is what cronbridge needs from the workflow run's context.
type Event struct {
	Name       string // GITHUB_EVENT_NAME
	Owner      string
	Repo       string
	APIURL     string // GITHUB_API_URL
	ServerURL  string // GITHUB_SERVER_URL
	RunID      int64
	SHA        string
	Workspace  string
	PR         int    // pull request number; 0 outside pull_request events
	BaseSHA    string // the pull request's base commit
	HeadSHA    string
	BaseRef    string
	Fork       bool // the head repository differs from the base repository
	HasPayload bool
}

// RunURL is the address of the workflow run, where the job summary is.
func (e *Event) RunURL() string {
	if e.Owner == "" || e.RunID == 0 {
		return ""
	}
	return strings.TrimSuffix(e.ServerURL, "/") + "/" + e.Owner + "/" + e.Repo + "/actions/runs/" + strconv.FormatInt(e.RunID, 10)
}

// IsPullRequest reports a pull_request or pull_request_target event with a
// pull request number.
func (e *Event) IsPullRequest() bool {
	return (e.Name == "pull_request" || e.Name == "pull_request_target") && e.PR > 0
}

// ReadEvent reads the run's context through getenv and parses the event
// payload at GITHUB_EVENT_PATH.
func ReadEvent(getenv func(string) string) (*Event, error) {
	gc, err := githubactions.New(githubactions.WithGetenv(getenv)).Context()
	if err != nil {
		return nil, fmt.Errorf("read the run context: %w", err)
	}
	ev := &Event{
		Name: gc.EventName, APIURL: gc.APIURL, ServerURL: gc.ServerURL,
		RunID: gc.RunID, SHA: gc.SHA, Workspace: gc.Workspace, BaseRef: gc.BaseRef,
		HasPayload: gc.Event != nil,
	}
	ev.Owner, ev.Repo = gc.Repo()
	pr, ok := gc.Event["pull_request"].(map[string]any)
	if !ok {
		return ev, nil
	}
	if n, ok := pr["number"].(float64); ok {
		ev.PR = int(n)
	} else if n, ok := gc.Event["number"].(float64); ok {
		ev.PR = int(n)
	}
	base, _ := pr["base"].(map[string]any)
	head, _ := pr["head"].(map[string]any)
	ev.BaseSHA, _ = base["sha"].(string)
	ev.HeadSHA, _ = head["sha"].(string)
	if ref, _ := base["ref"].(string); ref != "" {
		ev.BaseRef = ref
	}
	ev.Fork = repoName(head) != repoName(base)
	if ev.PR == 0 {
		return nil, errors.New("read the event payload: pull_request without a number")
	}
	return ev, nil
}

func repoName(side map[string]any) string {
	repo, _ := side["repo"].(map[string]any)
	name, _ := repo["full_name"].(string)
	return name
}

// UntrustedWriter returns a writer for untrusted text that arrives over
// time (a job's logs while it runs), with command processing suspended
// until Close. LogUntrusted picks a token the text does not contain; a
// stream's text is not known in advance, so the token is fresh and random
// (128 bits) and is printed only in the log, which the job writing the
// text cannot read while it runs.
func (r *Runner) UntrustedWriter() (io.WriteCloser, error) {
	tok, err := r.token("cronbridge-")
	if err != nil {
		return nil, err
	}
	if err := r.println("::stop-commands::" + tok); err != nil {
		return nil, err
	}
	return &untrustedWriter{r: r, tok: tok}, nil
}

type untrustedWriter struct {
	r      *Runner
	tok    string
	closed bool
	// lineOpen: the last write did not end a line, so Close ends it
	// before resuming (the resume command must start a line).
	lineOpen bool
}

func (w *untrustedWriter) Write(p []byte) (int, error) {
	if w.closed {
		return 0, errors.New("log: write after close")
	}
	if len(p) > 0 {
		w.lineOpen = p[len(p)-1] != '\n'
	}
	n, err := w.r.out.Write(p)
	if err != nil {
		return n, fmt.Errorf("log: %w", err)
	}
	return n, nil
}

// Close resumes command processing.
func (w *untrustedWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.lineOpen {
		if err := w.r.println(""); err != nil {
			return err
		}
	}
	return w.r.println("::" + w.tok + "::")
}
