package ghaction

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"time"

	"github.com/google/go-github/v75/github"
)

// ContentsReader reads files of a repository at a commit through the
// contents API: the pull-request check uses it for the base version of the
// crontab when the checkout has no history (actions/checkout fetches one
// commit by default).
type ContentsReader struct {
	client      *github.Client
	owner, repo string
	// Attempts and Backoff bound the retries on 5xx, as for comments.
	Attempts int
	Backoff  time.Duration
	// Timeout bounds each request (DefaultTimeout when zero).
	Timeout time.Duration
}

// NewContentsReader returns a reader of owner/repo on the API at apiURL.
func NewContentsReader(apiURL, token, owner, repo string, httpClient *http.Client) (*ContentsReader, error) {
	c, err := NewClient(apiURL, token, httpClient)
	if err != nil {
		return nil, err
	}
	return &ContentsReader{client: c, owner: owner, repo: repo, Attempts: 4, Backoff: time.Second, Timeout: DefaultTimeout}, nil
}

// ReadFile returns the file at name (slash-separated, relative to the
// repository root) at commit ref. A missing file is an error wrapping
// fs.ErrNotExist: a pull request that adds the crontab has no base version.
func (r *ContentsReader) ReadFile(ctx context.Context, ref, name string) ([]byte, error) {
	name = path.Clean(name)
	var file *github.RepositoryContent
	err := withRetries(ctx, r.Attempts, r.Backoff, func() error {
		return call(ctx, r.Timeout, func(ctx context.Context) error {
			var err error
			file, _, _, err = r.client.Repositories.GetContents(ctx, r.owner, r.repo, name, &github.RepositoryContentGetOptions{Ref: ref})
			return err
		})
	})
	if statusOf(err) == http.StatusNotFound {
		return nil, fmt.Errorf("read %s at %s: %w", name, ref, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s at %s: %w", name, ref, err)
	}
	if file == nil {
		return nil, fmt.Errorf("read %s at %s: it is a directory", name, ref)
	}
	s, err := file.GetContent()
	if err != nil {
		return nil, fmt.Errorf("read %s at %s: %w", name, ref, err)
	}
	return []byte(s), nil
}
