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
//
// Every conversion is verified before it is returned: the entry's fire
// times in its zone and the union of the emitted rules' fire times are
// compared over DefaultHorizon (2000-2104), by UTC day, with day predicates
// evaluated as bitsets over a precomputed calendar. A difference is a bug
// and returns a *MismatchError.
//
// Fires and Next evaluate a schedule in its own zone (for simulations),
// RuleFires evaluates an emitted expression, and Describe renders a
// schedule in English or Japanese.
package schedule
