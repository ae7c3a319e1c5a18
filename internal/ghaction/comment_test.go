package ghaction

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cronbridge/cronbridge/internal/ghaction/ghtest"
	"github.com/cronbridge/cronbridge/internal/testtool"
)

// specCache loads GitHub's OpenAPI description once per test binary: it is
// 13 MB of JSON.
type specCache struct {
	once sync.Once
	spec *ghtest.Spec
	err  error
}

func (c *specCache) get(t *testing.T) *ghtest.Spec {
	t.Helper()
	c.once.Do(func() {
		var p string
		if p, c.err = ghtest.SpecPath(os.Getenv, "../.."); c.err == nil {
			c.spec, c.err = ghtest.LoadSpec(p)
		}
	})
	if c.err != nil {
		// SpecPath's error means the npm tools are not installed;
		// LoadSpec's means they are broken, which always fails.
		if !errors.Is(c.err, ghtest.ErrNoSpec) {
			t.Fatal(c.err)
		}
		testtool.Unavailable(t, c.err)
	}
	return c.spec
}

func newStandIn(t *testing.T, specs *specCache) *ghtest.Server {
	t.Helper()
	s := ghtest.NewServer(specs.get(t))
	t.Cleanup(func() {
		s.Close()
		for _, v := range s.Violations() {
			t.Errorf("request the real API would reject: %s", v)
		}
	})
	return s
}

// TestAgainstStandIn runs every test that talks to the stand-in; they share
// one load of the OpenAPI description.
func TestAgainstStandIn(t *testing.T) {
	var specs specCache
	t.Run("Upsert", func(t *testing.T) { testUpsert(t, &specs) })
	t.Run("UpsertHonoursContext", func(t *testing.T) { testUpsertHonoursContext(t, &specs) })
	t.Run("UpdateIfExists", func(t *testing.T) { testUpdateIfExists(t, &specs) })
	t.Run("ContentsReader", func(t *testing.T) { testContentsReader(t, &specs) })
	t.Run("StalledEndpoint", func(t *testing.T) { testStalledEndpoint(t, &specs) })
}

// testStalledEndpoint: a GitHub that accepts the connection and never
// answers must end each call with a clear error within its timeout, not
// hang the check until the job is killed.
func testStalledEndpoint(t *testing.T, specs *specCache) {
	const timeout = 200 * time.Millisecond
	calls := []struct {
		name string
		call func(url string) error
	}{
		{"comment", func(url string) error {
			c, err := NewGitHubCommenter(url, "t", nil)
			if err != nil {
				return err
			}
			c.Attempts, c.Backoff, c.Timeout = 2, time.Millisecond, timeout
			return c.Upsert(context.Background(), "a", "b", 1, Marker+"\nhi")
		}},
		{"contents", func(url string) error {
			r, err := NewContentsReader(url, "t", "a", "b", nil)
			if err != nil {
				return err
			}
			r.Attempts, r.Backoff, r.Timeout = 2, time.Millisecond, timeout
			_, err = r.ReadFile(context.Background(), "b4se", "crontab")
			return err
		}},
	}
	for _, tt := range calls {
		t.Run(tt.name, func(t *testing.T) {
			s := newStandIn(t, specs)
			s.StallNext(100)
			start := time.Now()
			done := make(chan error, 1)
			go func() { done <- tt.call(s.URL) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("still waiting after 10s: no timeout on GitHub calls")
			}
			// Two attempts of 200ms each, plus slack for a loaded machine.
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v, want about 2 x %v", d, timeout)
			}
			if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "200ms") {
				t.Errorf("err = %v, want ErrTimeout naming the 200ms timeout", err)
			}
			if n := len(s.Requests()); n != 2 {
				t.Errorf("%d requests, want 2 (bounded retries): %q", n, s.Requests())
			}
		})
	}
}

func testUpsert(t *testing.T, specs *specCache) {
	const owner, repo, pr = "acme", "batch", 12
	body := func(s string) string { return Marker + "\n" + s }
	filler := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("looks good %d", i)
		}
		return out
	}
	tests := []struct {
		name     string
		existing []string
		fail     int // 5xx answers before success
		readOnly bool
		fork     bool
		user     string              // login behind the token; "" is GITHUB_TOKEN
		others   map[string][]string // comments by other authors, after existing
		wantErr  error
		wantMsg  string
		want     []string // bodies after Upsert
		wantReqs []string
	}{
		{
			name:     "create",
			existing: []string{"first!"},
			want:     []string{"first!", body("new")},
			wantReqs: []string{"GET /user 403", "GET /repos/acme/batch/issues/12/comments?per_page=100 200", "POST /repos/acme/batch/issues/12/comments 201"},
		},
		{
			name:     "update in place",
			existing: []string{"first!", body("old"), "> " + body("quoted, not ours")},
			want:     []string{"first!", body("new"), "> " + body("quoted, not ours")},
			wantReqs: []string{"GET /user 403", "GET /repos/acme/batch/issues/12/comments?per_page=100 200", "PATCH /repos/acme/batch/issues/comments/1002 200"},
		},
		{
			name:     "marker on page 2",
			existing: append(filler(130), body("old")),
			want:     append(filler(130), body("new")),
			wantReqs: []string{
				"GET /user 403",
				"GET /repos/acme/batch/issues/12/comments?per_page=100 200",
				"GET /repos/acme/batch/issues/12/comments?page=2&per_page=100 200",
				"PATCH /repos/acme/batch/issues/comments/1131 200",
			},
		},
		{
			name:     "5xx retried without duplicating",
			existing: []string{body("old")},
			fail:     2,
			want:     []string{body("new")},
			wantReqs: []string{
				"GET /user 502",
				"GET /user 502",
				"GET /user 403",
				"GET /repos/acme/batch/issues/12/comments?per_page=100 200",
				"PATCH /repos/acme/batch/issues/comments/1001 200",
			},
		},
		{
			name:     "5xx bounded",
			fail:     10,
			wantErr:  errSentinel5xx,
			wantReqs: []string{"GET /user 502", "GET /user 502", "GET /user 502"},
		},
		{
			name:     "fork token is read-only",
			existing: []string{"hi"},
			readOnly: true,
			fork:     true,
			wantErr:  ErrReadOnlyToken,
			want:     []string{"hi"},
			wantReqs: []string{"GET /user 403", "GET /repos/acme/batch/issues/12/comments?per_page=100 200", "POST /repos/acme/batch/issues/12/comments 403"},
		},
		{
			// Same 403 on the base repository's own pull request: the
			// workflow lacks pull-requests: write; "fork" would mislead.
			name:     "403 without a fork is a missing permission",
			existing: []string{"hi"},
			readOnly: true,
			wantErr:  ErrForbidden,
			wantMsg:  "pull-requests: write",
			want:     []string{"hi"},
			wantReqs: []string{"GET /user 403", "GET /repos/acme/batch/issues/12/comments?per_page=100 200", "POST /repos/acme/batch/issues/12/comments 403"},
		},
		{
			name:     "marker comment by someone else is not adopted",
			others:   map[string][]string{"mallory": {body("mine, edit me")}},
			want:     []string{body("mine, edit me"), body("new")},
			wantReqs: []string{"GET /user 403", "GET /repos/acme/batch/issues/12/comments?per_page=100 200", "POST /repos/acme/batch/issues/12/comments 201"},
		},
		{
			name:     "personal token adopts its user's comment only",
			user:     "octocat",
			existing: []string{body("the bot's, from before")},
			others:   map[string][]string{"octocat": {body("old")}},
			want:     []string{body("the bot's, from before"), body("new")},
			wantReqs: []string{"GET /user 200", "GET /repos/acme/batch/issues/12/comments?per_page=100 200", "PATCH /repos/acme/batch/issues/comments/1002 200"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStandIn(t, specs)
			s.AddComments(owner, repo, pr, tt.existing...)
			for author, bodies := range tt.others {
				s.AddCommentsBy(owner, repo, pr, author, bodies...)
			}
			s.FailNext(502, tt.fail)
			s.SetReadOnly(tt.readOnly)
			s.SetUser(tt.user)
			c, err := NewGitHubCommenter(s.URL, "ghs_token", nil)
			if err != nil {
				t.Fatal(err)
			}
			c.Attempts, c.Backoff, c.Fork = 3, time.Millisecond, tt.fork
			err = c.Upsert(context.Background(), owner, repo, pr, body("new"))
			switch {
			case tt.wantErr == errSentinel5xx:
				if err == nil || !strings.Contains(err.Error(), "502") {
					t.Errorf("err = %v, want the 502 after 3 attempts", err)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("err = %v, want %v", err, tt.wantErr)
				}
				if tt.wantErr != ErrReadOnlyToken && errors.Is(err, ErrReadOnlyToken) {
					t.Errorf("err = %v: reported as a fork's read-only token", err)
				}
				if err != nil && !strings.Contains(err.Error(), tt.wantMsg) {
					t.Errorf("err = %v, want it to say %q", err, tt.wantMsg)
				}
			case err != nil:
				t.Fatal(err)
			}
			var got []string
			for _, c := range s.Comments(owner, repo, pr) {
				got = append(got, c.Body)
			}
			if strings.Join(got, "\x00") != strings.Join(tt.want, "\x00") {
				t.Errorf("comments = %q\nwant %q", got, tt.want)
			}
			if reqs := s.Requests(); strings.Join(reqs, "\n") != strings.Join(tt.wantReqs, "\n") {
				t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(reqs, "\n"), strings.Join(tt.wantReqs, "\n"))
			}
		})
	}
}

var errSentinel5xx = errors.New("5xx")

func testUpsertHonoursContext(t *testing.T, specs *specCache) {
	s := newStandIn(t, specs)
	s.FailNext(503, 5)
	c, err := NewGitHubCommenter(s.URL, "t", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Backoff = time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := c.Upsert(ctx, "a", "b", 1, Marker); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's deadline", err)
	}
}

func testUpdateIfExists(t *testing.T, specs *specCache) {
	for _, existing := range []bool{false, true} {
		s := newStandIn(t, specs)
		if existing {
			s.AddComments("a", "b", 3, Marker+"\nold")
		}
		c, err := NewGitHubCommenter(s.URL, "t", nil)
		if err != nil {
			t.Fatal(err)
		}
		wrote, err := c.UpdateIfExists(context.Background(), "a", "b", 3, Marker+"\nno schedule changes")
		if err != nil || wrote != existing {
			t.Errorf("existing %v: wrote %v, err %v", existing, wrote, err)
		}
		cs := s.Comments("a", "b", 3)
		if existing && (len(cs) != 1 || cs[0].Body != Marker+"\nno schedule changes") || !existing && len(cs) != 0 {
			t.Errorf("existing %v: comments %+v", existing, cs)
		}
	}
}

func TestUpsertRejectsBodyWithoutMarker(t *testing.T) {
	c, err := NewGitHubCommenter("http://127.0.0.1:1", "t", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Upsert(context.Background(), "a", "b", 1, "no marker"); err == nil {
		t.Error("a body without the marker could never be found again")
	}
}

func testContentsReader(t *testing.T, specs *specCache) {
	s := newStandIn(t, specs)
	s.AddFile("acme", "batch", "b4se", "ops/crontab", []byte("0 3 * * * /bin/true\n"))
	r, err := NewContentsReader(s.URL, "t", "acme", "batch", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.ReadFile(context.Background(), "b4se", "ops/crontab")
	if err != nil || string(got) != "0 3 * * * /bin/true\n" {
		t.Errorf("ReadFile = %q, %v", got, err)
	}
	if _, err := r.ReadFile(context.Background(), "b4se", "missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}
	s.FailNext(503, 1)
	r.Backoff = time.Millisecond
	if got, err := r.ReadFile(context.Background(), "b4se", "ops/crontab"); err != nil || len(got) == 0 {
		t.Errorf("after one 503: %q, %v; want a retry to succeed", got, err)
	}
}

func TestTruncateComment(t *testing.T) {
	const run = "https://github.com/acme/batch/actions/runs/42"
	long := Marker + "\n" + strings.Repeat("| job | `0 3 * * *` | 日本語 |\n", 4000)
	fenced := Marker + "\n```\n" + strings.Repeat("x", 100_000) + "\n```\n"
	tests := []struct {
		name, body string
		cut        bool
	}{
		{"short is unchanged", Marker + "\nhello", false},
		{"exactly at the limit", Marker + strings.Repeat("a", MaxCommentLen-len(Marker)), false},
		{"long table", long, true},
		{"one huge fenced line", fenced, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TruncateComment(tt.body, run)
			if !tt.cut {
				if got != tt.body {
					t.Error("changed a body within the limit")
				}
				return
			}
			if len(got) > MaxCommentLen || !utf8.ValidString(got) {
				t.Errorf("len %d > %d or invalid UTF-8", len(got), MaxCommentLen)
			}
			if !strings.HasPrefix(got, Marker) || !strings.Contains(got, "[job summary]("+run+")") {
				t.Errorf("lost the marker or the link: ...%q", got[max(0, len(got)-200):])
			}
			if strings.Count(got, "```")%2 != 0 {
				t.Error("left a code fence open")
			}
		})
	}
}
