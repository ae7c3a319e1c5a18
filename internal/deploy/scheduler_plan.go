package deploy

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
)

// ActionSwitch is an owned rule of a job that moves to EventBridge
// Scheduler: disabled in the switch minute, then deleted (see
// scheduler_switch.go). It is counted as a deletion.
const ActionSwitch Action = "switch"

// SchedulerPlan is the Scheduler side of a plan: the group of the tracking
// id and its schedules. Its JSON form is part of the plan's contract
// (docs/deploy.md).
type SchedulerPlan struct {
	Group     GroupChange      `json:"group"`
	Schedules []ScheduleChange `json:"schedules"`
	Counts    Counts           `json:"counts"`
	// SwitchAt is the minute from which the schedules of the jobs that
	// move from rules run (their StartDate); the rules are disabled in the
	// minute before it. Nil when no enabled rule is switched.
	SwitchAt *time.Time `json:"switch_at,omitempty"`
}

// GroupChange is the plan for the schedule group: create (with its
// ownership tags), update (tags repaired), delete (pruned), unchanged or
// conflict (it exists and is not this tracking id's: deploy refuses).
type GroupChange struct {
	Name    string   `json:"name"`
	Action  Action   `json:"action"`
	Changes []Change `json:"changes"`

	arn  string
	tags map[string]string // Create: all; Update: the ones to put
}

// ScheduleChange is the plan for one schedule. Changes are relative to
// the schedule's final state; fields are "expression", "timezone",
// "state", "description", "flexible_window_minutes", "start_date",
// "end_date", "kms_key_arn", "action_after_completion" and
// "target[cronbridge-ecs-task].<path>" (as a rule's target).
type ScheduleChange struct {
	Name       string   `json:"name"`
	Job        string   `json:"job,omitempty"`
	Expression string   `json:"expression,omitempty"`
	Timezone   string   `json:"timezone,omitempty"`
	Action     Action   `json:"action"`
	Changes    []Change `json:"changes"`

	spec     *scheduleSpec
	observed *ObservedSchedule
	// switching: the job moves from rules; the schedule is written
	// DISABLED with StartDate SwitchAt first (pre), and enabled in the
	// switch minute after the job's rules are disabled.
	switching bool
	pre       bool
}

// scheduleSpec is the desired state of one schedule.
type scheduleSpec struct {
	Name, Job, Expression, Timezone, State, Description string
	FlexibleWindowMinutes                               int
	StartDate                                           *time.Time
	Target                                              schedtypes.Target
}

func (sp *SchedulerPlan) hasChanges() bool {
	if sp == nil {
		return false
	}
	g := sp.Group.Action
	return g == ActionCreate || g == ActionUpdate || g == ActionDelete || sp.Counts.Create+sp.Counts.Update+sp.Counts.Delete > 0
}

// planScheduler fills p.Scheduler and turns the owned rules of jobs that
// now have schedules into ActionSwitch. It runs after the rules are
// planned (with no desired rule when d uses Scheduler) and is pure but for
// opts.Switch's clock, which only SwitchAt depends on.
func planScheduler(d Desired, o *Observed, p *Plan, opts PlanOptions) error {
	if !d.UsesScheduler() && o.Scheduler == nil {
		return nil
	}
	if d.UsesScheduler() {
		if ds := CheckSchedules(d); len(ds) > 0 {
			var msgs []string
			for _, x := range ds {
				msgs = append(msgs, x.Message)
			}
			return fmt.Errorf("EventBridge Scheduler would refuse %d schedules (%s): %s", len(ds), CodeSchedulerInvalid, strings.Join(msgs, "; "))
		}
	}
	os := o.Scheduler
	if os == nil {
		os = &ObservedScheduler{}
	}
	sp := &SchedulerPlan{Schedules: []ScheduleChange{}}
	p.Scheduler = sp
	group := ScheduleGroupName(d.TrackingID)
	sp.Group = GroupChange{Name: group, Action: ActionUnchanged, Changes: []Change{}}
	var specs []scheduleSpec
	if d.UsesScheduler() {
		var err error
		if specs, err = desiredSchedules(d, p.TaskDefinition.ARN, clusterARN(d.Cluster, p.TaskDefinition.CurrentARN)); err != nil {
			return err
		}
	}
	wantTags := groupTags(d)
	switch g := os.Group; {
	case g == nil && len(specs) == 0:
		sp.Group.Action = ActionUnchanged // nothing there, nothing wanted
		if !d.UsesScheduler() {
			p.Scheduler = nil // rules backend, no group: nothing to show
			return nil
		}
	case g == nil:
		sp.Group.Action, sp.Group.tags = ActionCreate, wantTags
		for _, k := range sortedKeys(wantTags) {
			sp.Group.Changes = append(sp.Group.Changes, Change{Op: "+", Field: "tags." + k, New: wantTags[k]})
		}
	case !g.Owned(d.TrackingID):
		if len(specs) > 0 {
			sp.Group.Action = ActionConflict
		} else {
			p.Scheduler = nil // not ours and not wanted: never read, never shown
			return nil
		}
	default:
		sp.Group.arn = g.ARN
		for _, k := range sortedKeys(wantTags) {
			if v, ok := g.Tags[k]; !ok || v != wantTags[k] {
				if sp.Group.tags == nil {
					sp.Group.tags = map[string]string{}
				}
				sp.Group.tags[k] = wantTags[k]
				sp.Group.Changes = append(sp.Group.Changes, change("tags."+k, g.Tags[k], wantTags[k]))
			}
		}
		if len(sp.Group.tags) > 0 {
			sp.Group.Action = ActionUpdate
		}
	}

	// Jobs that move from rules: owned rules of a job that now has
	// schedules. They are switched whether or not --prune is given: left
	// enabled, they would run the job a second time.
	scheduled := map[string]bool{}
	for _, s := range specs {
		scheduled[s.Job] = true
	}
	var busy []string // expressions of the enabled rules being switched
	switching := map[string]bool{}
	for i := range p.Rules {
		rc := &p.Rules[i]
		if rc.Action != ActionOrphan && rc.Action != ActionDelete || rc.observed == nil {
			continue
		}
		job := ruleJob(*rc.observed)
		if !scheduled[job] {
			continue
		}
		rc.Action, rc.Job = ActionSwitch, job
		rc.removeTargets = nil
		for _, t := range rc.observed.Targets {
			rc.removeTargets = append(rc.removeTargets, aws.ToString(t.Id))
		}
		rc.Changes = []Change{{Op: "-", Field: "schedule_expression", Old: rc.observed.ScheduleExpression}}
		switching[job] = true
		if rc.observed.State == string(ebtypes.RuleStateEnabled) {
			busy = append(busy, rc.observed.ScheduleExpression)
		}
	}
	if len(busy) > 0 {
		sw := opts.Switch.withDefaults()
		at, err := nextSafeSwitch(busy, sw.Now().Add(sw.Lead))
		if err != nil {
			return err
		}
		sp.SwitchAt = &at
	}

	observed := map[string]ObservedSchedule{}
	if os.Group.Owned(d.TrackingID) {
		for _, s := range os.Schedules {
			observed[s.Name] = s
		}
	}
	now := opts.Switch.withDefaults().Now()
	wanted := map[string]bool{}
	for i := range specs {
		s := &specs[i]
		wanted[s.Name] = true
		sc := ScheduleChange{Name: s.Name, Job: s.Job, Expression: s.Expression, Timezone: s.Timezone, spec: s, Changes: []Change{}}
		obs, exists := observed[s.Name]
		if exists {
			sc.observed = &obs
			// A future StartDate already set (a cutover, or a switch under
			// way) is kept unless the config sets another one: dropping it
			// would start the schedule early, alongside the server or the
			// rules.
			if s.StartDate == nil && obs.StartDate != nil && obs.StartDate.After(now) {
				s.StartDate = obs.StartDate
			}
		}
		if switching[s.Job] && sp.SwitchAt != nil && !(exists && obs.State == string(schedtypes.ScheduleStateEnabled)) {
			at := *sp.SwitchAt
			s.StartDate = &at
			sc.switching = true
		}
		if !exists {
			sc.Action = ActionCreate
			sc.Changes = diffSchedule(nil, s, now)
		} else {
			sc.Changes = diffSchedule(&obs, s, now)
			sc.Action = ActionUnchanged
			if len(sc.Changes) > 0 {
				sc.Action = ActionUpdate
			}
		}
		if sc.switching {
			// Written DISABLED with the StartDate first, unless it already is.
			sc.pre = !exists || obs.State != string(schedtypes.ScheduleStateDisabled) || !sameTime(obs.StartDate, s.StartDate) ||
				len(diffSchedule(&obs, withState(s, string(schedtypes.ScheduleStateDisabled)), now)) > 0
			if sc.Action == ActionUnchanged {
				sc.Action = ActionUpdate // enabled in the switch minute
			}
		}
		sp.Schedules = append(sp.Schedules, sc)
	}
	for _, obs := range os.Schedules {
		if wanted[obs.Name] || !os.Group.Owned(d.TrackingID) {
			continue
		}
		obs := obs
		sc := ScheduleChange{Name: obs.Name, Expression: obs.Expression, Timezone: obs.Timezone, Action: ActionOrphan, Changes: []Change{}, observed: &obs}
		if opts.Prune {
			sc.Action = ActionDelete
			sc.Changes = append(sc.Changes, Change{Op: "-", Field: "expression", Old: obs.Expression})
		}
		sp.Schedules = append(sp.Schedules, sc)
	}
	sort.Slice(sp.Schedules, func(i, j int) bool { return sp.Schedules[i].Name < sp.Schedules[j].Name })
	// The group goes when nothing of it is wanted any more, --prune
	// deletes what it holds, and no other prefix's schedules live in it.
	if os.Group.Owned(d.TrackingID) && len(specs) == 0 && opts.Prune && os.Others == 0 {
		sp.Group.Action = ActionDelete
		sp.Group.Changes = []Change{{Op: "-", Field: "group", Old: sp.Group.Name}}
	}
	for i := range sp.Schedules {
		switch sp.Schedules[i].Action {
		case ActionCreate:
			sp.Counts.Create++
		case ActionUpdate:
			sp.Counts.Update++
		case ActionDelete:
			sp.Counts.Delete++
		case ActionUnchanged:
			sp.Counts.Unchanged++
		case ActionOrphan:
			sp.Counts.Orphaned++
		}
		for j := range sp.Schedules[i].Changes {
			sp.Schedules[i].Changes[j] = discreet(sp.Schedules[i].Changes[j])
		}
	}
	return nil
}

func withState(s *scheduleSpec, state string) *scheduleSpec {
	c := *s
	c.State = state
	return &c
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// ruleJob is the job an owned rule runs: the cronbridge:job tag of its
// target's tasks, else its task group (cronbridge:<job>).
func ruleJob(r ObservedRule) string {
	for _, t := range r.Targets {
		if ep := t.EcsParameters; ep != nil {
			for _, tg := range ep.Tags {
				if aws.ToString(tg.Key) == TagJob {
					return aws.ToString(tg.Value)
				}
			}
			if g, ok := strings.CutPrefix(aws.ToString(ep.Group), GroupPrefix); ok {
				return g
			}
		}
	}
	return ""
}

// groupTags are the group's tags: the config's, and the ownership tags.
func groupTags(d Desired) map[string]string {
	tags := copyMap(d.Tags)
	if tags == nil {
		tags = map[string]string{}
	}
	tags[TagManagedBy] = ManagedByThis
	tags[TagTrackingID] = d.TrackingID
	return tags
}

// desiredSchedules expands the jobs into one schedule per Scheduler
// expression, each with the job's rule target converted (schedulerTarget).
func desiredSchedules(d Desired, tdARN, cluster string) ([]scheduleSpec, error) {
	var out []scheduleSpec
	seen := map[string]string{}
	rd := d
	rd.RoleARN = d.schedulerRoleARN()
	for _, j := range d.Jobs {
		target, err := schedulerTarget(buildTarget(rd, j, tdARN, cluster))
		if err != nil {
			return nil, err
		}
		state := j.State
		if state == "" {
			state = string(schedtypes.ScheduleStateEnabled)
		}
		for i, s := range j.Schedules {
			name := ScheduleName(d.RulePrefix, j.Name, i, len(j.Schedules))
			if other, dup := seen[name]; dup {
				return nil, fmt.Errorf("jobs %q and %q both need the schedule name %q: give one of them another name", other, j.Name, name)
			}
			seen[name] = j.Name
			spec := scheduleSpec{Name: name, Job: j.Name, Expression: s.Expression, Timezone: s.Timezone, State: state,
				Description: description(j), FlexibleWindowMinutes: s.FlexibleWindowMinutes, Target: target}
			if !d.SchedulerStartDate.IsZero() {
				t := d.SchedulerStartDate.UTC()
				spec.StartDate = &t
			}
			out = append(out, spec)
		}
	}
	return out, nil
}

// diffSchedule compares an observed schedule (nil: none) with the spec.
// A StartDate in the past is not compared: it no longer changes anything.
func diffSchedule(o *ObservedSchedule, s *scheduleSpec, now time.Time) []Change {
	var old ObservedSchedule
	var oldTarget map[string]string
	if o != nil {
		old = *o
		oldTarget = flattenScheduleTarget(o.Target)
	}
	var out []Change
	field := func(name, ov, nv string) {
		if ov != nv {
			out = append(out, change(name, ov, nv))
		}
	}
	field("expression", old.Expression, s.Expression)
	field("timezone", old.Timezone, s.Timezone)
	field("state", old.State, s.State)
	field("description", old.Description, s.Description)
	field("flexible_window_minutes", windowText(old.FlexibleWindowMinutes), windowText(s.FlexibleWindowMinutes))
	if s.StartDate != nil && (o == nil || !sameTime(old.StartDate, s.StartDate)) {
		field("start_date", timeText(old.StartDate, now), timeText(s.StartDate, time.Time{}))
	}
	field("end_date", timeText(old.EndDate, time.Time{}), "")
	field("kms_key_arn", old.KmsKeyARN, "")
	field("action_after_completion", strings.TrimPrefix(old.ActionAfterCompletion, "NONE"), "")
	out = append(out, diffFields("target["+TargetID+"]", oldTarget, flattenScheduleTarget(s.Target))...)
	sortChanges(out)
	if out == nil {
		out = []Change{}
	}
	return out
}

func windowText(m int) string {
	if m == 0 {
		return ""
	}
	return strconv.Itoa(m)
}

// timeText is t in RFC 3339 UTC, "" when nil or not after notAfter.
func timeText(t *time.Time, notAfter time.Time) string {
	if t == nil || !t.After(notAfter) {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// schedulerConflict refuses a plan whose schedule group exists but is not
// this tracking id's.
func schedulerConflict(p *Plan) error {
	if p.Scheduler == nil || p.Scheduler.Group.Action != ActionConflict {
		return nil
	}
	return fmt.Errorf("schedule group %s exists but is not managed by cronbridge with tracking id %q: delete or rename it, or tag it %s=%s and %s=%s to adopt it",
		p.Scheduler.Group.Name, p.desired.TrackingID, TagManagedBy, ManagedByThis, TagTrackingID, p.desired.TrackingID)
}
