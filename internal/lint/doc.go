// Package lint checks a parsed crontab for mistakes, dialect traps,
// migration hazards (what stops working when a job moves from a shared
// server to an EventBridge rule that starts an ECS task) and overlapping or
// heavy concurrent jobs.
//
// The design follows actionlint: one ordered registry of rules
// (registry.go), one file per rule (rule_cbNNN_<slug>.go), findings as
// values (crontab.Diagnostic) in a single sorted, de-duplicated stream that
// also carries the parser's and the converter's diagnostics. Codes are
// stable and never reused:
//
//	CB200-CB299  syntax, dialect and environment lines
//	CB300-CB399  semantic traps (the day-field OR rule, steps, never-firing entries)
//	CB400-CB499  migration to EventBridge + ECS (what the container loses)
//	CB500-CB599  overlap and concurrency (an event-sweep simulation)
//	CB600-CB699  cost and network
//
// Inline suppression: a "# cronbridge:ignore CODE[,CODE] reason" comment
// directly above an entry silences those codes on that entry; in the comment
// block at the top of the file it silences them file-wide. A suppression
// needs a reason and must name known codes; one that silences nothing is
// reported (info) so that stale suppressions get cleaned up.
//
// The package does not read files or the configuration file: callers map
// cronbridge.yaml to Config (internal/cli does) because the architecture
// keeps lint below config.
package lint
