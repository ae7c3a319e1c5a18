// Package escape is the one place where untrusted text (crontab commands,
// job names, file names and values from a pull request or from AWS) is
// made inert for the media cronbridge writes: one-line text for terminals
// and CI logs (control characters and bidirectional overrides shown as
// visible escapes, so a carriage return cannot forge a workflow command),
// and GitHub-flavored Markdown (inline text, code spans, table cells and
// code blocks) for the PR comment, the job summary and MIGRATION.md.
//
// It imports no cronbridge package, so every package may use it; keeping
// one copy means a fix (or a fuzz finding) applies to every output.
package escape
