package migrate

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// codeSpanRE matches inline code spans (backtick runs and what they enclose).
var codeSpanRE = regexp.MustCompile("(`+)[^`]*?(`+)")

// TestHostileCommandsStayInert: MIGRATION.md is read on GitHub and in
// editors, and a crontab's commands are whatever the server had. Text that
// looks like HTML, a mention, a workflow command or a closing code fence
// must come out as text.
func TestHostileCommandsStayInert(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	src := "0 3 * * * echo '::error::pwned' && echo '</details><img src=x onerror=alert(1)>'\n" +
		"0 4 * * * notify @org/team '```' && echo '::add-mask::secret'\n" +
		"0 5 * * * echo " + long + "\n" +
		// A redirection target is quoted in lint's finding, in prose.
		"0 6 * * * echo hi >> '/tmp/</details><img src=x onerror=alert(1)> @org/team.log'\n"
	p, err := Analyze([]byte(src), Options{Name: "hostile.crontab", Zone: mustZone(t, "Asia/Tokyo")})
	if err != nil {
		t.Fatal(err)
	}
	files, err := p.Files()
	if err != nil {
		t.Fatal(err)
	}
	md := fileNamed(t, files, FileReport)
	// Inside code (fenced blocks and spans) the text is literal; outside,
	// it must not be raw HTML or a live mention.
	if !bytes.Contains(md, []byte("onerror")) {
		t.Fatal("the command is missing from MIGRATION.md")
	}
	inFence := false
	for i, line := range strings.Split(string(md), "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		prose := codeSpanRE.ReplaceAllString(line, "")
		for _, bad := range []string{"<img", "</details><img", "@org/team"} {
			if strings.Contains(prose, bad) {
				t.Errorf("MIGRATION.md line %d has %q outside code: %.120q", i+1, bad, line)
			}
		}
	}
	for i, line := range strings.Split(string(md), "\n") {
		if strings.HasPrefix(strings.TrimLeft(line, " \t"), "::") {
			t.Errorf("MIGRATION.md line %d starts a workflow command: %.80q", i+1, line)
		}
	}
	// Every code fence that opens is closed: an even number of fence lines.
	fences := 0
	for _, line := range strings.Split(string(md), "\n") {
		if strings.HasPrefix(line, "```") {
			fences++
		}
	}
	if fences%2 != 0 {
		t.Errorf("MIGRATION.md has %d fence lines: a fence is left open", fences)
	}
}
