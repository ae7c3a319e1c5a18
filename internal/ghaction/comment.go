package ghaction

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v75/github"
)

// Marker is the hidden first line of cronbridge's pull-request comment. The
// comment that starts with it is the sticky one: updated in place on every
// run, never duplicated.
const Marker = "<!-- cronbridge:pr-check -->"

// MaxCommentLen is GitHub's limit on a comment body (65,536 characters).
const MaxCommentLen = 65536

// Commenter keeps one sticky comment on a pull request.
type Commenter interface {
	// Upsert makes body the text of the pull request's sticky comment:
	// it updates the comment that starts with Marker, or creates one.
	// body must start with Marker.
	Upsert(ctx context.Context, owner, repo string, pr int, body string) error
}

// Updater is implemented by Commenters that can update the sticky comment
// without creating one: with comment: auto, a pull request that changes no
// schedule gets no new comment, but an existing one is updated (a later
// push that reverts the changes says so).
type Updater interface {
	// UpdateIfExists updates the sticky comment and reports whether there
	// was one.
	UpdateIfExists(ctx context.Context, owner, repo string, pr int, body string) (bool, error)
}

// ErrReadOnlyToken is returned (wrapped) when the token may not write
// comments on a pull request from a fork: GitHub answers 403 "Resource not
// accessible by integration" to a fork's read-only token. Callers log
// ReadOnlyMessage and carry on.
var ErrReadOnlyToken = errors.New("the token is read-only")

// ErrForbidden is returned (wrapped) when GitHub answers 403 to a comment
// on a pull request that is not from a fork: the workflow's token lacks
// the permission (pull-requests: write), which the message says.
var ErrForbidden = errors.New("permission missing")

// ErrTimeout is returned (wrapped) when GitHub did not answer one request
// within its timeout, after the bounded retries.
var ErrTimeout = errors.New("no answer from GitHub")

// DefaultTimeout bounds one GitHub request. GitHub answers these calls in
// well under a second; 30 s absorbs a slow runner without letting a stalled
// endpoint hold a job for long.
const DefaultTimeout = 30 * time.Second

// ActionsBot is the login GitHub shows as the author of comments written
// with the workflow's GITHUB_TOKEN.
const ActionsBot = "github-actions[bot]"

// ReadOnlyMessage is the log line for ErrReadOnlyToken.
const ReadOnlyMessage = "no comment: the token is read-only (pull request from a fork)"

// GitHubCommenter is the Commenter on GitHub's REST API.
type GitHubCommenter struct {
	client *github.Client
	// Attempts bounds the tries of one Upsert when GitHub answers 5xx.
	Attempts int
	// Backoff is the wait before the second try; it doubles after each.
	Backoff time.Duration
	// Timeout bounds each request (DefaultTimeout when zero): a stalled
	// GitHub ends the call with ErrTimeout instead of hanging the job.
	Timeout time.Duration
	// Fork says the pull request comes from a fork, whose workflow token
	// GitHub makes read-only: a 403 is then ErrReadOnlyToken, otherwise
	// ErrForbidden (the workflow lacks a permission).
	Fork bool
	// Author is the login the token writes comments as. Empty means ask
	// GitHub (GET /user), falling back to ActionsBot for the workflow's
	// installation token, which GET /user refuses.
	Author string
}

var (
	_ Commenter = (*GitHubCommenter)(nil)
	_ Updater   = (*GitHubCommenter)(nil)
)

// NewGitHubCommenter returns a Commenter for the API at apiURL (the runner's
// GITHUB_API_URL, e.g. https://api.github.com) authenticated with token.
// httpClient may be nil.
func NewGitHubCommenter(apiURL, token string, httpClient *http.Client) (*GitHubCommenter, error) {
	c, err := NewClient(apiURL, token, httpClient)
	if err != nil {
		return nil, err
	}
	return &GitHubCommenter{client: c, Attempts: 4, Backoff: time.Second, Timeout: DefaultTimeout}, nil
}

// NewClient returns a go-github client for apiURL with token.
func NewClient(apiURL, token string, httpClient *http.Client) (*github.Client, error) {
	c := github.NewClient(httpClient)
	if token != "" {
		c = c.WithAuthToken(token)
	}
	if apiURL != "" {
		u, err := url.Parse(strings.TrimSuffix(apiURL, "/") + "/")
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("github api url %q is not an absolute URL", apiURL)
		}
		c.BaseURL = u
	}
	return c, nil
}

// Upsert implements Commenter.
func (g *GitHubCommenter) Upsert(ctx context.Context, owner, repo string, pr int, body string) error {
	_, err := g.write(ctx, owner, repo, pr, body, true)
	return err
}

// UpdateIfExists implements Updater.
func (g *GitHubCommenter) UpdateIfExists(ctx context.Context, owner, repo string, pr int, body string) (bool, error) {
	return g.write(ctx, owner, repo, pr, body, false)
}

// write updates the sticky comment, or creates it when create is set, and
// reports whether a comment was written. On a 5xx answer it waits and starts over from
// the search, so that a create that did succeed before the error is found
// and updated rather than duplicated.
func (g *GitHubCommenter) write(ctx context.Context, owner, repo string, pr int, body string, create bool) (bool, error) {
	if !strings.HasPrefix(body, Marker) {
		return false, errors.New("comment body must start with the marker")
	}
	var wrote bool
	err := withRetries(ctx, g.Attempts, g.Backoff, func() error {
		var err error
		wrote, err = g.writeOnce(ctx, owner, repo, pr, body, create)
		return err
	})
	if statusOf(err) == http.StatusForbidden {
		if g.Fork {
			return false, fmt.Errorf("pull request comment: %w", ErrReadOnlyToken)
		}
		return false, fmt.Errorf("pull request comment: GitHub answered 403 (%s): the token may not write comments on this pull request; give the job `permissions: pull-requests: write`: %w", githubMessage(err), ErrForbidden)
	}
	return wrote, err
}

func (g *GitHubCommenter) writeOnce(ctx context.Context, owner, repo string, pr int, body string, create bool) (bool, error) {
	author, err := g.identity(ctx)
	if err != nil {
		return false, err
	}
	id, err := g.find(ctx, owner, repo, pr, author)
	if err != nil {
		return false, err
	}
	c := &github.IssueComment{Body: github.Ptr(body)}
	if id != 0 {
		err := call(ctx, g.Timeout, func(ctx context.Context) error {
			_, _, err := g.client.Issues.EditComment(ctx, owner, repo, id, c)
			return err
		})
		if err != nil {
			return false, fmt.Errorf("update comment %d on %s/%s#%d: %w", id, owner, repo, pr, err)
		}
		return true, nil
	}
	if !create {
		return false, nil
	}
	err = call(ctx, g.Timeout, func(ctx context.Context) error {
		_, _, err := g.client.Issues.CreateComment(ctx, owner, repo, pr, c)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("create comment on %s/%s#%d: %w", owner, repo, pr, err)
	}
	return true, nil
}

// identity returns the login the token writes comments as, asking GitHub
// once. GET /user names the user of a personal access token; GitHub
// refuses it with 403 to an installation token such as the workflow's
// GITHUB_TOKEN, whose comments are written by ActionsBot. (A GitHub App's
// own installation token writes as "<app>[bot]": set Author for it.)
func (g *GitHubCommenter) identity(ctx context.Context) (string, error) {
	if g.Author != "" {
		return g.Author, nil
	}
	var u *github.User
	err := call(ctx, g.Timeout, func(ctx context.Context) error {
		var err error
		u, _, err = g.client.Users.Get(ctx, "")
		return err
	})
	switch {
	case err == nil && u.GetLogin() != "":
		g.Author = u.GetLogin()
	case err == nil || statusOf(err) == http.StatusForbidden:
		g.Author = ActionsBot
	default:
		return "", fmt.Errorf("find the token's user: %w", err)
	}
	return g.Author, nil
}

// find returns the id of the oldest comment by author that starts with
// Marker, going through every page (a busy pull request has more than one
// page of comments, and the sticky comment is usually on the first one,
// but not always). 0 means none. A marked comment by anyone else is never
// adopted: anyone can paste the marker, and editing a person's comment
// with the workflow's token would put words in their mouth.
func (g *GitHubCommenter) find(ctx context.Context, owner, repo string, pr int, author string) (int64, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		var cs []*github.IssueComment
		var resp *github.Response
		err := call(ctx, g.Timeout, func(ctx context.Context) error {
			var err error
			cs, resp, err = g.client.Issues.ListComments(ctx, owner, repo, pr, opts)
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("list comments on %s/%s#%d: %w", owner, repo, pr, err)
		}
		for _, c := range cs {
			if strings.HasPrefix(c.GetBody(), Marker) && strings.EqualFold(c.GetUser().GetLogin(), author) {
				return c.GetID(), nil
			}
		}
		if resp.NextPage == 0 {
			return 0, nil
		}
		opts.Page = resp.NextPage
	}
}

// call makes one GitHub request with its own deadline of timeout
// (DefaultTimeout when zero). When that deadline, not ctx's, ended the
// request, the error is ErrTimeout naming the timeout.
func call(ctx context.Context, timeout time.Duration, fn func(context.Context) error) error {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := fn(rctx)
	if err != nil && ctx.Err() == nil && errors.Is(rctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w within %v", ErrTimeout, timeout)
	}
	return err
}

// githubMessage is GitHub's own words in an error answer.
func githubMessage(err error) string {
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Message != "" {
		return er.Message
	}
	return http.StatusText(statusOf(err))
}

// withRetries calls fn until it succeeds, fails with something other than
// a 5xx or a request timeout, or has been called attempts times, waiting backoff before the
// second call and doubling the wait after each. It gives up early when ctx
// ends.
func withRetries(ctx context.Context, attempts int, backoff time.Duration, fn func() error) error {
	wait := backoff
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !retryable(err) || attempt >= max(attempts, 1) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (after %v)", ctx.Err(), err)
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func statusOf(err error) int {
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// retryable: a 5xx, or a request that timed out (a write that did land
// is found by the next attempt's search, so it is not duplicated). Rate
// limiting also answers 403, but go-github reports it as *RateLimitError
// or *AbuseRateLimitError, not *ErrorResponse, so statusOf never mistakes
// it for a missing permission.
func retryable(err error) bool { return statusOf(err) >= 500 || errors.Is(err, ErrTimeout) }

// TruncateComment keeps body within MaxCommentLen characters, ending a
// cut body with a pointer to the job summary at runURL.
//
// Deprecated: the summary holds the same Markdown, cut the same way, so
// the pointer can be false. Use FitComment with FullReportNote.
func TruncateComment(body, runURL string) string {
	note := "\n---\n**The report is too long for a comment.** "
	if runURL != "" {
		note += "The full report is in the [job summary](" + runURL + ")."
	} else {
		note += "The full report is in the job summary."
	}
	return FitMarkdown(body, MaxCommentLen, note)
}
