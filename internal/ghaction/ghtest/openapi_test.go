package ghtest

import (
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/cronbridge/cronbridge/internal/testtool"
)

// TestCheckRejects makes sure the validator can fail: each request here is
// one the real API would reject.
func TestCheck(t *testing.T) {
	p, err := SpecPath(os.Getenv, "../../..")
	if err != nil {
		testtool.Unavailable(t, err)
	}
	spec, err := LoadSpec(p)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path, query, body string
		want                      string // substring of the violation; "" means valid
	}{
		{"GET", "/repos/a/b/issues/1/comments", "per_page=100&page=2", "", ""},
		{"POST", "/repos/a/b/issues/1/comments", "", `{"body":"hi"}`, ""},
		{"PATCH", "/repos/a/b/issues/comments/9", "", `{"body":"hi"}`, ""},
		{"GET", "/repos/a/b/contents/ops/cron%20tab", "ref=abc", "", ""},
		{"GET", "/user", "", "", ""},
		{"DELETE", "/user", "", "", "has no DELETE operation"},
		{"GET", "/repos/a/b/issues/1/commentz", "", "", "no operation"},
		{"PUT", "/repos/a/b/issues/1/comments", "", `{"body":"x"}`, "has no PUT operation"},
		{"GET", "/repos/a/b/issues/one/comments", "", "", "is not an integer"},
		{"GET", "/repos/a/b/issues/1/comments", "per_page=ten", "", "per_page=\"ten\" is not an integer"},
		{"GET", "/repos/a/b/issues/1/comments", "perpage=10", "", "query parameter perpage is not in the description"},
		{"POST", "/repos/a/b/issues/1/comments", "", ``, "request body required"},
		{"POST", "/repos/a/b/issues/1/comments", "", `{"text":"hi"}`, "required property body missing"},
		{"POST", "/repos/a/b/issues/1/comments", "", `{"body":7}`, "body.body: a number is not of type string"},
		{"PATCH", "/repos/a/b/issues/comments/9", "", `[1]`, "an array is not of type object"},
		{"GET", "/repos/a/b/issues/1/comments", "", `{"body":"x"}`, "takes no request body"},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		got := strings.Join(spec.Check(tt.method, tt.path, q, []byte(tt.body)), "\n")
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("%s %s?%s %s:\n got %q\nwant %q", tt.method, tt.path, tt.query, tt.body, got, tt.want)
		}
	}
}
