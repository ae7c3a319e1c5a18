package simulate

import (
	"time"

	"github.com/cronbridge/cronbridge/internal/crontab"
)

// Job is one scheduled job as the simulation sees it.
type Job struct {
	// Name identifies the job in every result; names should be unique.
	// Ties in the output are broken by name, then by start instant.
	Name string
	// Pos is where the job is defined (its crontab entry), for diagnostics.
	Pos crontab.Pos
	// Starts are the instants the job starts at. They need not be sorted.
	// Starts at or after Options.To are ignored; starts before
	// Options.From still occupy the window while they run (pass them to
	// get a steady state at the window's beginning) but are not reported.
	Starts []time.Time
	// Duration is the expected run time; 0 means unknown. Jobs with an
	// unknown duration still count for start storms and the profile's
	// start counts, but not for overlap, concurrency or resources: they are
	// listed in Result.Unknown so that reports say what was not checked.
	Duration time.Duration
	// CPU is the task's CPU in Fargate units (1024 = 1 vCPU); 0 = unknown.
	CPU int
	// MemoryMiB is the task's memory in MiB; 0 = unknown.
	MemoryMiB int
}

// Options set the window, the budgets and the storm threshold. A zero
// budget means "no budget": nothing is reported as over it.
type Options struct {
	// From and To bound the window [From, To). A zero From means the
	// earliest start, a zero To the latest end.
	From, To time.Time
	// Loc is the zone for local times: the hour-of-week profile and the
	// busiest day are computed in it. Nil means UTC.
	Loc *time.Location
	// MaxConcurrent is the budget of concurrently running jobs.
	MaxConcurrent int
	// MaxVCPU is the budget of summed vCPU (CPU units / 1024), for
	// example the account's Fargate On-Demand vCPU quota.
	MaxVCPU float64
	// MaxMemoryMiB is the budget of summed memory in MiB.
	MaxMemoryMiB int
	// StartStorm is the number of distinct jobs starting in one minute
	// that makes a storm. 0 means the default, 3.
	StartStorm int
	// StaggerStep is the unit of the staggered proposal for storms.
	// 0 means the default, 5 minutes.
	StaggerStep time.Duration
}

// DefaultStartStorm is the storm threshold used when Options.StartStorm is 0.
const DefaultStartStorm = 3

// DefaultStaggerStep is the proposal step used when Options.StaggerStep is 0.
const DefaultStaggerStep = 5 * time.Minute

// Result is everything the simulation found. Every slice is sorted as its
// doc comment says, so that output is deterministic.
type Result struct {
	// From and To are the window actually simulated.
	From, To time.Time
	// Loc is the zone of the profile and the busiest day (never nil).
	Loc *time.Location

	// SelfOverlaps lists, per job, the first run in the window that starts
	// before the job's previous run can have finished. Sorted by Start,
	// then Job.
	SelfOverlaps []SelfOverlap

	// Peaks are the window's maxima of running jobs, summed vCPU and
	// summed memory (each at the first instant it is reached).
	Peaks Peaks

	// OverBudget lists each maximal interval during which a budget is
	// exceeded, sorted by Start, then Resource.
	OverBudget []Excess

	// Storms lists every minute in the window at which at least
	// Options.StartStorm distinct jobs start, sorted by Minute.
	Storms []Storm

	// Stagger is the proposal for all storms at once: one offset per job
	// (a job's schedule moves as a whole, so one job gets one offset even
	// when it takes part in several storms). Sorted by Job.
	Stagger []Shift
	// StaggerCheck is the simulation of the proposal: it shows whether
	// the proposal itself leaves storms or raises the peaks.
	StaggerCheck *Check

	// Unknown lists, sorted, the jobs without a duration: overlap,
	// concurrency and resources were not checked for them.
	Unknown []string
	// UnknownResources lists, sorted, the jobs with a duration but without
	// CPU or memory: the vCPU or memory sums are lower bounds.
	UnknownResources []string

	// Profile is the week's shape in Loc, Monday 00:00 first.
	Profile Profile
	// BusiestDay is the local date with the highest peak of running jobs
	// (ties: more starts, then the earlier date), with its runs.
	BusiestDay BusiestDay
}

// SelfOverlap is a run that starts while the previous run of the same job
// may still be running: EventBridge would start a second task.
type SelfOverlap struct {
	Job string
	Pos crontab.Pos
	// Start is the first overlapping run; PrevStart and PrevEnd are the
	// run it overlaps.
	Start, PrevStart, PrevEnd time.Time
	// Count is the number of overlapping runs of this job in the window.
	Count int
}

// Snapshot is the state of the simulation at one instant.
type Snapshot struct {
	At time.Time
	// Jobs are the names of the running jobs, sorted (a name appears
	// twice when two runs of the job overlap).
	Jobs      []string
	Count     int
	VCPU      float64
	MemoryMiB int
}

// Peaks holds the snapshot at the first instant of each maximum. A peak
// with Count 0 means nothing with a known duration runs in the window.
type Peaks struct {
	Concurrent Snapshot // maximum Count
	VCPU       Snapshot // maximum VCPU
	Memory     Snapshot // maximum MemoryMiB
}

// Resource names a budgeted quantity.
type Resource string

// The budgeted resources: running jobs, summed vCPU, summed memory (MiB).
const (
	ResourceJobs   Resource = "jobs"
	ResourceVCPU   Resource = "vcpu"
	ResourceMemory Resource = "memory"
)

// Excess is a maximal interval [Start, End) during which a resource is
// over its budget.
type Excess struct {
	Resource   Resource
	Start, End time.Time
	Budget     float64
	// Peak is the snapshot at the first instant of the interval's maximum.
	Peak Snapshot
}

// Storm is a minute at which many distinct jobs start. Storms with the same
// jobs share their Jobs and Proposal slices (capped at their length, so an
// append copies): treat them as read-only.
type Storm struct {
	Minute time.Time
	// Jobs are the jobs starting in that minute, sorted.
	Jobs []string
	// Proposal is the offset proposed for each of Jobs, in the same order
	// (a subset of Result.Stagger).
	Proposal []Shift
}

// Shift proposes to start a job Offset later than now. Unresolved is set
// when no offset below one hour avoided every storm; the job then keeps
// Offset 0. In Analyze's Proposal, Offset is a whole number of minutes,
// possibly negative, that keeps the job within its hour, and Unresolved
// is never set (only jobs that move are listed).
type Shift struct {
	Job        string
	Offset     time.Duration
	Unresolved bool
}

// Check summarizes a re-simulation with the proposed offsets applied.
type Check struct {
	// Storms is the number of storm minutes left.
	Storms int
	// Peaks are the peaks with the proposal applied.
	Peaks Peaks
	// OverBudget is the number of over-budget intervals with the proposal.
	OverBudget int
	// SelfOverlaps is the number of jobs that self-overlap (a uniform
	// shift cannot change it; kept so the check is complete).
	SelfOverlaps int
	// OK reports that the proposal leaves fewer storms than before and
	// raises neither a peak nor the number of over-budget intervals.
	OK bool
}

// HoursPerWeek is the number of buckets of a Profile.
const HoursPerWeek = 7 * 24

// Profile has one bucket per hour of the week in the result's zone;
// bucket 0 is Monday 00:00-01:00, bucket 167 Sunday 23:00-24:00. When the
// window is longer than a week, peaks are maxima over all weeks and Starts
// is the sum.
type Profile struct {
	Hours [HoursPerWeek]Hour
}

// Hour is one bucket of a Profile.
type Hour struct {
	PeakJobs      int
	PeakVCPU      float64
	PeakMemoryMiB int
	Starts        int
}

// BusiestDay is one local date and the runs that touch it, for a Gantt chart.
type BusiestDay struct {
	// Date is local midnight of the day in Result.Loc (zero when no job
	// starts in the window).
	Date     time.Time
	PeakJobs int
	Starts   int
	// Runs are the runs overlapping the day, sorted by Start, then Job.
	Runs []Run
}

// Run is one run of a job. End equals Start when the duration is unknown.
type Run struct {
	Job        string
	Start, End time.Time
	Unknown    bool
}
