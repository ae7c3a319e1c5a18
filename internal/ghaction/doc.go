// Package ghaction is cronbridge's GitHub Actions runtime: it reads the
// action's inputs, writes outputs, the step summary, annotations and masks
// through the runner's documented channels, and keeps one sticky comment on
// a pull request through the REST API.
//
// It is the only package that imports github.com/sethvargo/go-githubactions
// and github.com/google/go-github; it takes plain data in (strings,
// Annotation values) so that nothing else in the module needs to know how
// the runner parses its log.
//
// Crontab text comes from pull requests and is untrusted. Three rules keep
// it inert:
//   - outputs go through SetOutput, which uses a fresh random delimiter for
//     every multi-line value (go-githubactions uses a fixed one, which a
//     value can forge);
//   - annotations escape their properties and message as the toolkit does,
//     so a message can never start a new log line;
//   - any other echo of crontab text to the log goes through LogUntrusted,
//     which suspends workflow commands with the runner's stop-commands
//     mechanism and a random token.
//
// The sticky comment is adopted only when its author is the identity the
// token acts as (GET /user, or github-actions[bot] for the workflow's
// installation token, which GET /user refuses), so a person's comment that
// quotes the marker is never edited. Every request has its own timeout and
// bounded retries. The step summary stays within GitHub's 1 MiB and the
// comment within 65,536 characters; a cut one ends with a note naming the
// report file, never the other (both hold the same Markdown).
package ghaction
