// Package jobs gives every crontab entry a stable job name: the key that
// config sections, EventBridge rule names, reports and PR comments use.
//
// A name comes, in order of precedence, from a "# cronbridge: name=..."
// annotation above the entry, from a config matcher (jobs.<name>.match, a
// substring of the command), or from the command itself: the rails runner
// target, the rake task, the script name, else the first command word.
//
// Names must survive edits that do not change what a job is: reordering
// lines and changing schedules never rename anything, because derived names
// depend only on the command, and collisions between different commands
// are resolved by a short hash of the normalized command, never by line
// order. See Assign for the one case that needs the schedule.
//
// Command builds the container command of an entry, the one builder that
// plan, deploy and migrate share: it rewrites the shell command with
// internal/shellcmd and carries the standard input cron feeds from "%".
// AppRoot guesses the application directory the commands cd into.
package jobs
