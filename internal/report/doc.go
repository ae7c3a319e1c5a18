// Package report renders findings and simulation results for people and
// machines: compiler-style text, JSON, SARIF 2.1.0, GitHub workflow
// annotations, Markdown, Mermaid Gantt charts and an SVG concurrency
// profile.
//
// Every renderer takes plain data ([]crontab.Diagnostic, []crontab.CodeDoc,
// concurrency results), sorts it the same way and writes to an io.Writer,
// so output is deterministic and the package does no I/O of its own.
//
// Crontab text is untrusted: it can come from a pull request. Each renderer
// neutralizes it for its medium, so that a command cannot inject workflow
// commands into a GitHub log, break out of a Markdown table or code span,
// inject HTML or mention people.
package report
