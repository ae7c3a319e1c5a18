// Package schedule converts crontab schedules, read in a fixed-offset
// source zone such as Asia/Tokyo, into the smallest set found of Amazon
// EventBridge rule expressions in UTC that fire at exactly the same
// minutes, and proves it.
//
// The conversion follows cron-semantics.md §4: the entry's minutes are
// split by the UTC day shift they get (previous day, same day, next day);
// each group's UTC dates are expressed with the safe subset of EventBridge
// syntax (numbers, ranges, lists, exact steps, a bare "L", "w#k", weekday
// names, year lists for leap years); rules with identical dates merge.
// Weekdays restricted to some months, moved to another UTC date, get year
// lists over EventBridge's 1970-2199 for the months whose first or last day
// belongs to the neighbouring local month (at most ten rules, else the
// entry is refused). The AND quirk (a day field starting with '*' next to
// a restricted one) converts only to "w#k" rules on the same UTC date, and
// zones whose offset changes from 2025 on are refused.
//
// Every conversion is verified before it is returned, by code that shares
// nothing with the converter's reading of the zone (verify.go): the
// verifier asks the zone for every local day's midnight and noon with
// time.Date, splits the entry's minutes into UTC days with its own
// arithmetic, compares the entry's fire times with the union of the
// emitted rules' over DefaultHorizon (2000-2104) by UTC day, with day
// predicates evaluated as bitsets over a precomputed calendar, and checks
// each candidate minute's instant on any day from 2025 on where the zone
// does not keep its offset. A difference is a bug and returns a
// *MismatchError. The converter itself finds the zone's offsets by
// sampling instants (zone.go), never with Time.ZoneBounds, so that the
// system and the embedded zone data (time/tzdata) give the same answers.
//
// ConvertScheduler (scheduler.go, groundwork for issue #14, not wired yet)
// converts an entry to EventBridge Scheduler cron expressions in its own
// zone, with cronie's behaviour at clock changes modelled and verified
// against Scheduler's documented one (scheduler_verify.go).
//
// Fires and Next evaluate a schedule in its own zone (for simulations),
// RuleFires evaluates an emitted expression, and Describe renders a
// schedule in English or Japanese.
package schedule
