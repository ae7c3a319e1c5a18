// Package shellcmd understands the command part of a crontab entry: the text
// cron hands to /bin/sh after '%' handling (crontab.Entry.Shell).
//
// It does two jobs, both built on a real shell parser (mvdan.cc/sh/v3/syntax)
// rather than regular expressions, because crontab commands quote, chain and
// nest in ways a regular expression cannot follow (whenever's '\” quoting,
// '#' inside quotes, "2>&1 >> log" order):
//
//   - Analyze reports facts the linter needs (commands, assignments, cd
//     targets, redirections and where they write, locks, sudo, date tests,
//     variables, wrappers, the Rails shape of a command, and the traps of
//     moving a command from cron into a task: data output files, bash-only
//     syntax, mail, dates in file names, relative paths, login shells, a
//     trailing &), each with its position in the command. Analyze is linear
//     in the command's size.
//   - Rewrite turns a crontab command into an ECS container command (an exec
//     array plus environment), or, when that cannot be done without changing
//     what runs, falls back to ["sh", "-c", original] (["bash", "-c", ...]
//     when the crontab's SHELL is bash) and says why.
//
// Parse does both from one parse: it analyzes the command and keeps the
// syntax trees for Parsed.Rewrite. The analysis model (internal/analysis)
// parses each job's command once this way and shares it with naming, the
// app-root guess, the rewrite and lint. Analyze alone streams the parse
// statement by statement, so a large command's tree is never whole in
// memory; both give the same Analysis (FuzzParsed).
//
// The package imports no other cronbridge package: callers pass the command
// as a string and map positions back to the crontab with RawColumn.
//
// Parse failures are values (Analysis.Errors, RewriteResult.Reason), never
// panics or Go errors: a crontab line that is not valid shell is a finding.
package shellcmd
