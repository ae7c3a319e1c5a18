package ghtest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// ReadOnlyMessage is what GitHub answers, with 403, to a write made with the
// read-only token of a pull request from a fork.
const ReadOnlyMessage = "Resource not accessible by integration"

// MaxBody is GitHub's limit on a comment body, in characters; the real API
// answers 422 to a longer one.
const MaxBody = 65536

// ActionsBot is the login GitHub shows as the author of what the
// workflow's GITHUB_TOKEN writes.
const ActionsBot = "github-actions[bot]"

// Comment is an issue comment held by the stand-in.
type Comment struct {
	ID     int64
	Body   string
	Author string // the author's login
}

// Server is the stand-in. Its zero value is not usable: call NewServer.
type Server struct {
	// URL is the API root to pass as GITHUB_API_URL.
	URL  string
	srv  *httptest.Server
	spec *Spec

	mu         sync.Mutex
	nextID     int64
	comments   map[string][]Comment // "owner/repo#pr"
	files      map[string][]byte    // "owner/repo@ref:path"
	fail       []int                // statuses for the next requests
	readOnly   bool
	stall      int    // requests still to stall
	user       string // login behind the token; "" is an installation token
	stop       chan struct{}
	violations []string
	log        []string
}

// NewServer starts a stand-in that checks requests against spec.
func NewServer(spec *Spec) *Server {
	s := &Server{spec: spec, nextID: 1000, comments: map[string][]Comment{}, files: map[string][]byte{}, stop: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server; stalled requests end first.
func (s *Server) Close() {
	close(s.stop)
	s.srv.Close()
}

// AddComments appends comments written by ActionsBot to a pull request's
// conversation.
func (s *Server) AddComments(owner, repo string, pr int, bodies ...string) {
	s.AddCommentsBy(owner, repo, pr, ActionsBot, bodies...)
}

// AddCommentsBy appends comments written by author (a login).
func (s *Server) AddCommentsBy(owner, repo string, pr int, author string, bodies ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := issueKey(owner, repo, pr)
	for _, b := range bodies {
		s.nextID++
		s.comments[k] = append(s.comments[k], Comment{ID: s.nextID, Body: b, Author: author})
	}
}

// SetUser makes the token act as the user login, as a personal access
// token does: GET /user answers that login, and comments are written by
// it. The default, "", is the workflow's installation token: GET /user
// answers 403, as GitHub does for installation tokens, and comments are
// written by ActionsBot.
func (s *Server) SetUser(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user = login
}

// StallNext makes the next n requests hang without an answer until the
// client gives up (or the server closes): a stalled endpoint.
func (s *Server) StallNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stall += n
}

// Comments returns a pull request's comments, oldest first.
func (s *Server) Comments(owner, repo string, pr int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Comment(nil), s.comments[issueKey(owner, repo, pr)]...)
}

// AddFile makes a file readable through the contents API at ref.
func (s *Server) AddFile(owner, repo, ref, path string, content []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[owner+"/"+repo+"@"+ref+":"+path] = content
}

// FailNext makes the next n requests fail with status (a 5xx, say).
func (s *Server) FailNext(status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.fail = append(s.fail, status)
	}
}

// SetReadOnly makes every write answer 403 as GitHub does for a fork's token.
func (s *Server) SetReadOnly(ro bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readOnly = ro
}

// Violations returns the requests that the OpenAPI description rejects.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// Requests returns "METHOD path?query status" for every request, in order.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

func issueKey(owner, repo string, pr int) string { return owner + "/" + repo + "#" + strconv.Itoa(pr) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	if s.stall > 0 {
		s.stall--
		s.log = append(s.log, r.Method+" "+r.URL.EscapedPath()+" stalled")
		s.mu.Unlock()
		// No lock held while stalled: other requests are served.
		select {
		case <-r.Context().Done():
		case <-s.stop:
		}
		return
	}
	defer s.mu.Unlock()
	status := s.handle(w, r, body)
	line := r.Method + " " + r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		line += "?" + r.URL.RawQuery
	}
	s.log = append(s.log, line+" "+strconv.Itoa(status))
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request, body []byte) int {
	path := r.URL.EscapedPath()
	if v := s.spec.Check(r.Method, path, r.URL.Query(), body); len(v) > 0 {
		s.violations = append(s.violations, v...)
		return writeError(w, http.StatusUnprocessableEntity, "request does not match the OpenAPI description")
	}
	if len(body) > 0 && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		s.violations = append(s.violations, r.Method+" "+path+": body without Content-Type application/json")
	}
	if a := r.Header.Get("Authorization"); !strings.HasPrefix(a, "Bearer ") && !strings.HasPrefix(a, "token ") {
		return writeError(w, http.StatusUnauthorized, "Requires authentication")
	}
	if len(s.fail) > 0 {
		st := s.fail[0]
		s.fail = s.fail[1:]
		return writeError(w, st, "Server Error")
	}
	if s.readOnly && r.Method != http.MethodGet {
		return writeError(w, http.StatusForbidden, ReadOnlyMessage)
	}
	if r.Method == http.MethodPost || r.Method == http.MethodPatch {
		var in struct{ Body string }
		if json.Unmarshal(body, &in) == nil && utf8.RuneCountInString(in.Body) > MaxBody {
			s.violations = append(s.violations, fmt.Sprintf("%s %s: body is %d characters, over GitHub's %d", r.Method, path, utf8.RuneCountInString(in.Body), MaxBody))
			return writeError(w, http.StatusUnprocessableEntity, "Validation Failed")
		}
	}
	author := s.user
	if author == "" {
		author = ActionsBot
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case path == "/user" && r.Method == http.MethodGet:
		if s.user == "" {
			// What GitHub answers to an installation token (GITHUB_TOKEN).
			return writeError(w, http.StatusForbidden, ReadOnlyMessage)
		}
		return writeJSON(w, http.StatusOK, map[string]any{"login": s.user, "id": 1, "type": "User"})
	case len(segs) == 6 && segs[0] == "repos" && segs[3] == "issues" && segs[5] == "comments":
		pr, _ := strconv.Atoi(segs[4])
		k := issueKey(segs[1], segs[2], pr)
		if r.Method == http.MethodPost {
			var in struct{ Body string }
			_ = json.Unmarshal(body, &in)
			s.nextID++
			c := Comment{ID: s.nextID, Body: in.Body, Author: author}
			s.comments[k] = append(s.comments[k], c)
			return writeJSON(w, http.StatusCreated, commentJSON(c))
		}
		return s.list(w, r, s.comments[k])
	case len(segs) == 6 && segs[0] == "repos" && segs[3] == "issues" && segs[4] == "comments" && r.Method == http.MethodPatch:
		id, _ := strconv.ParseInt(segs[5], 10, 64)
		var in struct{ Body string }
		_ = json.Unmarshal(body, &in)
		keys := make([]string, 0, len(s.comments))
		for k := range s.comments {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for i, c := range s.comments[k] {
				if c.ID == id {
					s.comments[k][i].Body = in.Body
					return writeJSON(w, http.StatusOK, commentJSON(s.comments[k][i]))
				}
			}
		}
		return writeError(w, http.StatusNotFound, "Not Found")
	case len(segs) >= 5 && segs[0] == "repos" && segs[3] == "contents" && r.Method == http.MethodGet:
		p, _ := url.PathUnescape(strings.Join(segs[4:], "/"))
		content, ok := s.files[segs[1]+"/"+segs[2]+"@"+r.URL.Query().Get("ref")+":"+p]
		if !ok {
			return writeError(w, http.StatusNotFound, "Not Found")
		}
		return writeJSON(w, http.StatusOK, map[string]any{
			"type": "file", "encoding": "base64", "size": len(content),
			"name": p[strings.LastIndex(p, "/")+1:], "path": p, "sha": fmt.Sprintf("%040x", len(content)),
			"content": base64.StdEncoding.EncodeToString(content),
		})
	}
	return writeError(w, http.StatusNotFound, "Not Found")
}

// list serves a page with GitHub's per_page/page parameters and Link header.
func (s *Server) list(w http.ResponseWriter, r *http.Request, all []Comment) int {
	q := r.URL.Query()
	per, page := 30, 1
	if v, err := strconv.Atoi(q.Get("per_page")); err == nil && v > 0 {
		per = min(v, 100)
	}
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
		page = v
	}
	start := min((page-1)*per, len(all))
	end := min(start+per, len(all))
	if end < len(all) {
		next := *r.URL
		next.Scheme, next.Host = "http", r.Host
		nq := next.Query()
		nq.Set("page", strconv.Itoa(page+1))
		next.RawQuery = nq.Encode()
		w.Header().Set("Link", "<"+next.String()+">; rel=\"next\"")
	}
	out := make([]any, 0, end-start)
	for _, c := range all[start:end] {
		out = append(out, commentJSON(c))
	}
	return writeJSON(w, http.StatusOK, out)
}

func commentJSON(c Comment) map[string]any {
	return map[string]any{
		"id": c.ID, "body": c.Body,
		"user": map[string]any{"login": c.Author, "type": userType(c.Author)},
	}
}

func userType(login string) string {
	if strings.HasSuffix(login, "[bot]") {
		return "Bot"
	}
	return "User"
}

func writeJSON(w http.ResponseWriter, status int, v any) int {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
	return status
}

func writeError(w http.ResponseWriter, status int, msg string) int {
	return writeJSON(w, status, map[string]any{
		"message":           msg,
		"documentation_url": "https://docs.github.com/rest",
	})
}
