package deploy

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/cronbridge/cronbridge/internal/redact"
)

// PendingRevision stands for the ARN of the revision Apply will register;
// plans show it where a target will point at it (like terraform's
// "(known after apply)").
const PendingRevision = "(new revision)"

// Default retry policy of an EventBridge target: 24 hours, 185 attempts.
// Both sides of a diff are filled with it, so "no policy" and the explicit
// default compare equal.
const (
	DefaultMaximumEventAgeSeconds = 86400
	DefaultMaximumRetryAttempts   = 185
)

// maxDescription is EventBridge's limit on rule descriptions.
const maxDescription = 512

// Action is what a plan does to one rule.
type Action string

// The actions. Orphan is an owned rule the config no longer wants, kept
// because --prune was not given. Conflict is a wanted rule name that
// exists but is not owned by this tracking id: deploy refuses to touch it.
const (
	ActionCreate    Action = "create"
	ActionUpdate    Action = "update"
	ActionDelete    Action = "delete"
	ActionUnchanged Action = "unchanged"
	ActionOrphan    Action = "orphan"
	ActionConflict  Action = "conflict"
)

// Plan is the normalized difference between desired and observed state.
// Its JSON form is the contract documented in docs/deploy.md.
type Plan struct {
	TaskDefinition TaskDefinitionChange `json:"task_definition"`
	Rules          []RuleChange         `json:"rules"`
	Counts         Counts               `json:"counts"`
	Prune          bool                 `json:"prune"`
	// Changed is HasChanges: whether applying the plan changes AWS.
	Changed bool `json:"changed"`
	// Quota is the rules-per-bus check, made only when the plan adds
	// rules (nil otherwise: no calls are spent on it).
	Quota *Quota `json:"quota,omitempty"`
	// Scheduler is the EventBridge Scheduler side (scheduler_plan.go):
	// set for the scheduler backend, and for the rules backend when
	// --prune finds this tracking id's schedule group.
	Scheduler *SchedulerPlan `json:"scheduler,omitempty"`
	// Alerts plans the alert resources other than rules (nil: none
	// configured or deployed); the alert rules are in Rules.
	Alerts *AlertsPlan `json:"alerts,omitempty"`

	// What Apply needs and the JSON does not show.
	desired Desired
	td      *ecstypes.TaskDefinition
	tdTags  []ecstypes.Tag
}

// TaskDefinitionChange says whether a new revision is registered.
type TaskDefinitionChange struct {
	Family       string `json:"family"`
	Container    string `json:"container"`
	CurrentARN   string `json:"current_arn"`
	CurrentImage string `json:"current_image"`
	Image        string `json:"image"`
	Register     bool   `json:"register"`
	// ARN is the revision the targets point at: CurrentARN, or
	// PendingRevision until Apply has registered the new one.
	ARN string `json:"arn"`
}

// Quota compares the rules the default event bus (the only one that
// takes schedule expressions) would hold after the plan with the quota of
// rules per bus.
type Quota struct {
	EventBus string `json:"event_bus"`
	// Rules is the count on the bus now, every owner's; After is Rules
	// plus the plan's creations minus its deletions.
	Rules int `json:"rules"`
	After int `json:"after"`
	Limit int `json:"limit"`
}

// Exceeded reports whether the plan would go over the quota.
func (q *Quota) Exceeded() bool { return q != nil && q.After > q.Limit }

// checkQuota counts the rules on the plan's bus when the plan adds rules,
// fills p.Quota and returns an error when the plan would exceed the quota:
// EventBridge would refuse the rules past it with LimitExceededException
// halfway through the apply, leaving those jobs without rules.
func checkQuota(ctx context.Context, c Clients, p *Plan) error {
	if p.Counts.Create <= p.Counts.Delete {
		return nil
	}
	d := p.desired
	rules, err := listRules(ctx, c.Events, "")
	if err != nil {
		return fmt.Errorf("count the rules on the default event bus for the quota check: %w", err)
	}
	p.Quota = &Quota{EventBus: "default", Rules: len(rules), After: len(rules) + p.Counts.Create - p.Counts.Delete, Limit: d.ruleQuota()}
	if p.Quota.Exceeded() {
		return fmt.Errorf("the plan needs %d rules on event bus %s (%d there now, %d to create, %d to delete), over the quota of %d rules per bus: "+
			"raise the quota (Service Quotas, Amazon EventBridge, \"Maximum number of rules\") and set aws.rule_quota, or remove jobs",
			p.Quota.After, p.Quota.EventBus, p.Quota.Rules, p.Counts.Create, p.Counts.Delete, p.Quota.Limit)
	}
	return nil
}

// Counts of rules per action.
type Counts struct {
	Create    int `json:"create"`
	Update    int `json:"update"`
	Delete    int `json:"delete"`
	Unchanged int `json:"unchanged"`
	Orphaned  int `json:"orphaned"`
	// Switched counts the rules (included in Delete) of jobs that move to
	// EventBridge Scheduler.
	Switched int `json:"switched,omitempty"`
}

// RuleChange is the plan for one rule.
type RuleChange struct {
	Name    string   `json:"name"`
	Job     string   `json:"job,omitempty"`
	Action  Action   `json:"action"`
	Changes []Change `json:"changes"`

	// Apply steps.
	putRule       bool
	tags          map[string]string // tags to add or fix with TagResource
	putTarget     bool
	removeTargets []string
	spec          *ruleSpec
	arn           string // observed rule ARN (for TagResource)
	observed      *ObservedRule
	// alert is set for an alert rule (alerts_plan.go); alertTargets are
	// the ids of its targets to put.
	alert        *alertRuleSpec
	alertTargets []string
}

// Change is one field of a rule or target: Op is "+" (added), "-"
// (removed) or "~" (changed). Fields are "schedule_expression", "state",
// "description", "tags.<key>", "target[<id>].<path>".
//
// Hidden reports that Old was withheld: an environment value in a
// target's Input exists in AWS and may hold a secret that the config, and
// so the pull request, does not show; plans are posted in comments.
type Change struct {
	Op     string `json:"op"`
	Field  string `json:"field"`
	Old    string `json:"old,omitempty"`
	New    string `json:"new,omitempty"`
	Hidden bool   `json:"hidden,omitempty"`
}

// PlanOptions tune MakePlan.
type PlanOptions struct {
	// Prune deletes owned rules the config no longer wants.
	Prune bool
	// Switch is the clock for the switch from rules to Scheduler.
	Switch SwitchOptions
}

// HasChanges reports whether Apply would make any call that changes AWS.
func (p *Plan) HasChanges() bool {
	return p.TaskDefinition.Register || p.Counts.Create+p.Counts.Update+p.Counts.Delete > 0 || p.Alerts.changed() || p.Scheduler.hasChanges()
}

// Conflicts returns the rules deploy refuses to touch.
func (p *Plan) Conflicts() []RuleChange {
	var out []RuleChange
	for _, r := range p.Rules {
		if r.Action == ActionConflict {
			out = append(out, r)
		}
	}
	return out
}

// ruleSpec is the desired state of one rule.
type ruleSpec struct {
	Name, Job, ScheduleExpression, State, Description string
	Tags                                              map[string]string
	Target                                            ebtypes.Target
}

// MakePlan computes the plan. It is pure: the same inputs give the same
// plan, with rules sorted by name and changes sorted by field.
func MakePlan(d Desired, o *Observed, opts PlanOptions) (*Plan, error) {
	if o == nil || o.TaskDefinition == nil {
		return nil, fmt.Errorf("plan: no observed task definition")
	}
	td := o.TaskDefinition
	cur, ok := containerImage(td, d.Container)
	if !ok {
		return nil, fmt.Errorf("task definition %s has no container %q (containers: %s)", aws.ToString(td.TaskDefinitionArn), d.Container, strings.Join(containerNames(td), ", "))
	}
	p := &Plan{Prune: opts.Prune, desired: d, td: td, tdTags: o.TaskDefinitionTags}
	p.TaskDefinition = TaskDefinitionChange{
		Family: d.Family, Container: d.Container, CurrentARN: aws.ToString(td.TaskDefinitionArn),
		CurrentImage: cur, Image: cur, ARN: aws.ToString(td.TaskDefinitionArn),
	}
	if d.Image != "" && d.Image != cur {
		p.TaskDefinition.Image = d.Image
		p.TaskDefinition.Register = true
		p.TaskDefinition.ARN = PendingRevision
	}
	specs := desiredRules(d, p.TaskDefinition.ARN, clusterARN(d.Cluster, aws.ToString(td.TaskDefinitionArn)))
	if d.UsesScheduler() {
		specs = nil // the jobs run on schedules (planScheduler)
	}
	// "<job>-<n>" can collide with another job's name ("daily" with two
	// rules and a job called "daily-2"): refuse rather than let one job
	// overwrite the other's rule.
	byName := map[string]string{}
	for _, s := range specs {
		if other, dup := byName[s.Name]; dup {
			return nil, fmt.Errorf("jobs %q and %q both need the rule name %q: give one of them another name", other, s.Job, s.Name)
		}
		byName[s.Name] = s.Job
	}
	observed := map[string]ObservedRule{}
	for _, r := range o.Rules {
		observed[r.Name] = r
	}
	wanted := map[string]bool{}
	for i := range specs {
		s := &specs[i]
		wanted[s.Name] = true
		or, exists := observed[s.Name]
		switch {
		case !exists:
			p.Rules = append(p.Rules, createChange(s))
		case !or.Owned(d.TrackingID):
			p.Rules = append(p.Rules, RuleChange{Name: s.Name, Job: s.Job, Action: ActionConflict, Changes: []Change{}})
		default:
			p.Rules = append(p.Rules, updateChange(s, or))
		}
	}
	for _, or := range o.Rules {
		if wanted[or.Name] || !or.Owned(d.TrackingID) || isAlertRule(d.RulePrefix, or.Name) {
			continue // never touch a rule cronbridge does not own; alert rules are planned below
		}
		or := or
		rc := RuleChange{Name: or.Name, Action: ActionOrphan, Changes: []Change{}, observed: &or}
		if opts.Prune {
			rc.Action = ActionDelete
			rc.Changes = append(rc.Changes, Change{Op: "-", Field: "schedule_expression", Old: or.ScheduleExpression})
			for _, t := range or.Targets {
				rc.removeTargets = append(rc.removeTargets, aws.ToString(t.Id))
			}
		}
		p.Rules = append(p.Rules, rc)
	}
	jobRules := make([]string, 0, len(specs))
	for _, s := range specs {
		jobRules = append(jobRules, s.Name)
	}
	alertRules, alertsPlan, err := planAlerts(d, o, aws.ToString(td.TaskDefinitionArn), td, jobRules, opts)
	if err != nil {
		return nil, err
	}
	p.Rules = append(p.Rules, alertRules...)
	p.Alerts = alertsPlan
	sort.Slice(p.Rules, func(i, j int) bool { return p.Rules[i].Name < p.Rules[j].Name })
	if err := planScheduler(d, o, p, opts); err != nil {
		return nil, err
	}
	for _, r := range p.Rules {
		switch r.Action {
		case ActionCreate:
			p.Counts.Create++
		case ActionUpdate:
			p.Counts.Update++
		case ActionDelete:
			p.Counts.Delete++
		case ActionUnchanged:
			p.Counts.Unchanged++
		case ActionOrphan:
			p.Counts.Orphaned++
		case ActionSwitch:
			p.Counts.Delete++
			p.Counts.Switched++
		}
	}
	for i := range p.Rules {
		for j := range p.Rules[i].Changes {
			p.Rules[i].Changes[j] = discreet(p.Rules[i].Changes[j])
		}
	}
	p.Changed = p.HasChanges()
	return p, nil
}

// discreet withholds what only AWS knows and may be secret, and redacts
// credentials written in values: the plan is rendered into PR comments
// and job summaries. An environment value in a target's Input as AWS has
// it (Old) may have been set there by hand and be a secret the config
// never held: it is withheld, its variable's name still shows. Only the
// displayed Change is affected; the comparison and Apply work on the
// unredacted targets.
func discreet(c Change) Change {
	if c.Old != "" && strings.HasPrefix(c.Field, "target[") && strings.Contains(c.Field, "].Input.") && strings.Contains(c.Field, ".environment") {
		c.Old, c.Hidden = "", true
		if c.Op == "~" {
			c.New = ""
		}
	}
	c.Old = redact.String(c.Old)
	c.New = redact.String(c.New)
	return c
}

func createChange(s *ruleSpec) RuleChange {
	rc := RuleChange{Name: s.Name, Job: s.Job, Action: ActionCreate, putRule: true, putTarget: true, spec: s}
	rc.Changes = append(rc.Changes,
		Change{Op: "+", Field: "schedule_expression", New: s.ScheduleExpression},
		Change{Op: "+", Field: "state", New: s.State})
	if s.Description != "" {
		rc.Changes = append(rc.Changes, Change{Op: "+", Field: "description", New: s.Description})
	}
	for _, k := range sortedKeys(s.Tags) {
		rc.Changes = append(rc.Changes, Change{Op: "+", Field: "tags." + k, New: s.Tags[k]})
	}
	rc.Changes = append(rc.Changes, diffFields("target["+TargetID+"]", nil, flattenTarget(s.Target))...)
	sortChanges(rc.Changes)
	return rc
}

func updateChange(s *ruleSpec, or ObservedRule) RuleChange {
	rc := RuleChange{Name: s.Name, Job: s.Job, spec: s, Changes: []Change{}, arn: or.ARN}
	field := func(name, old, new string) {
		if old != new {
			rc.putRule = true
			rc.Changes = append(rc.Changes, change(name, old, new))
		}
	}
	field("schedule_expression", or.ScheduleExpression, s.ScheduleExpression)
	field("state", or.State, s.State)
	field("description", or.Description, s.Description)
	field("event_pattern", or.EventPattern, "")
	field("role_arn", or.RoleARN, "")
	for _, k := range sortedKeys(s.Tags) {
		if v, ok := or.Tags[k]; !ok || v != s.Tags[k] {
			if rc.tags == nil {
				rc.tags = map[string]string{}
			}
			rc.tags[k] = s.Tags[k]
			rc.Changes = append(rc.Changes, change("tags."+k, or.Tags[k], s.Tags[k]))
		}
	}
	var mine *ebtypes.Target
	for i := range or.Targets {
		t := &or.Targets[i]
		if aws.ToString(t.Id) == TargetID {
			mine = t
			continue
		}
		// A target someone added by hand to a rule cronbridge owns: shown
		// and removed, because the config is the whole truth for owned rules.
		rc.removeTargets = append(rc.removeTargets, aws.ToString(t.Id))
		rc.Changes = append(rc.Changes, diffFields("target["+aws.ToString(t.Id)+"]", flattenTarget(*t), nil)...)
	}
	var old map[string]string
	if mine != nil {
		old = flattenTarget(*mine)
	}
	if tc := diffFields("target["+TargetID+"]", old, flattenTarget(s.Target)); len(tc) > 0 {
		rc.putTarget = true
		rc.Changes = append(rc.Changes, tc...)
	}
	sortChanges(rc.Changes)
	if len(rc.Changes) == 0 {
		rc.Action = ActionUnchanged
	} else {
		rc.Action = ActionUpdate
	}
	return rc
}

func change(field, old, new string) Change {
	switch {
	case old == "":
		return Change{Op: "+", Field: field, New: new}
	case new == "":
		return Change{Op: "-", Field: field, Old: old}
	}
	return Change{Op: "~", Field: field, Old: old, New: new}
}

func sortChanges(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Field < cs[j].Field })
}

// diffFields compares two flattened objects under prefix.
func diffFields(prefix string, old, new map[string]string) []Change {
	keys := map[string]bool{}
	for k := range old {
		keys[k] = true
	}
	for k := range new {
		keys[k] = true
	}
	var out []Change
	for _, k := range sortedKeys(keys) {
		o, ook := old[k]
		n, nok := new[k]
		switch {
		case ook && !nok:
			out = append(out, Change{Op: "-", Field: prefix + "." + k, Old: o})
		case !ook && nok:
			out = append(out, Change{Op: "+", Field: prefix + "." + k, New: n})
		case o != n:
			out = append(out, Change{Op: "~", Field: prefix + "." + k, Old: o, New: n})
		}
	}
	return out
}

// desiredRules expands the jobs into one rule per expression.
func desiredRules(d Desired, tdARN, cluster string) []ruleSpec {
	var out []ruleSpec
	for _, j := range d.Jobs {
		for i, expr := range j.Expressions {
			name := RuleName(d.RulePrefix, j.Name, i, len(j.Expressions))
			tags := copyMap(d.Tags)
			if tags == nil {
				tags = map[string]string{}
			}
			tags[TagManagedBy] = ManagedByThis
			tags[TagTrackingID] = d.TrackingID
			state := j.State
			if state == "" {
				state = string(ebtypes.RuleStateEnabled)
			}
			out = append(out, ruleSpec{
				Name: name, Job: j.Name, ScheduleExpression: expr, State: state,
				Description: description(j), Tags: tags, Target: buildTarget(d, j, tdARN, cluster),
			})
		}
	}
	return out
}

// description is the rule's description: the job and its crontab line,
// with credentials written in the line redacted (descriptions are
// readable by anyone who can list rules, and end up in plans).
func description(j DesiredJob) string {
	s := "cronbridge job " + j.Name
	if j.Description != "" {
		s += ": " + redact.String(j.Description)
	}
	if len(s) > maxDescription {
		// Cut on a rune boundary: EventBridge counts characters.
		r := []rune(s)
		for len(string(r)) > maxDescription {
			r = r[:len(r)-1]
		}
		s = string(r)
	}
	return s
}

// buildTarget is the ECS target of one of the job's rules.
func buildTarget(d Desired, j DesiredJob, tdARN, cluster string) ebtypes.Target {
	ep := &ebtypes.EcsParameters{
		TaskDefinitionArn: aws.String(tdARN),
		TaskCount:         aws.Int32(1),
		NetworkConfiguration: &ebtypes.NetworkConfiguration{AwsvpcConfiguration: &ebtypes.AwsVpcConfiguration{
			Subnets:        d.Subnets,
			SecurityGroups: d.SecurityGroups,
			AssignPublicIp: ebtypes.AssignPublicIp(d.AssignPublicIP),
		}},
	}
	if d.LaunchType != "" {
		ep.LaunchType = ebtypes.LaunchType(d.LaunchType)
	}
	for _, cp := range d.CapacityProviderStrategy {
		ep.CapacityProviderStrategy = append(ep.CapacityProviderStrategy, ebtypes.CapacityProviderStrategyItem{
			CapacityProvider: aws.String(cp.Name), Weight: cp.Weight, Base: cp.Base,
		})
	}
	if d.PlatformVersion != "" {
		ep.PlatformVersion = aws.String(d.PlatformVersion)
	}
	if d.PropagateTags != "" && d.PropagateTags != "NONE" {
		ep.PropagateTags = ebtypes.PropagateTags(d.PropagateTags)
	}
	// The group and the job tag make every task attributable to its job,
	// whatever the task definition's tags are.
	ep.Group = aws.String(GroupPrefix + j.Name)
	tags := copyMap(d.Tags)
	if tags == nil {
		tags = map[string]string{}
	}
	tags[TagJob] = j.Name
	for _, k := range sortedKeys(tags) {
		ep.Tags = append(ep.Tags, ebtypes.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	t := ebtypes.Target{
		Id:            aws.String(TargetID),
		Arn:           aws.String(cluster),
		RoleArn:       aws.String(d.RoleARN),
		EcsParameters: ep,
	}
	if in := TargetInput(d.Container, j); in != "" {
		t.Input = aws.String(in)
	}
	if j.Retry != nil {
		t.RetryPolicy = &ebtypes.RetryPolicy{MaximumEventAgeInSeconds: j.Retry.MaximumEventAgeSeconds, MaximumRetryAttempts: j.Retry.MaximumRetryAttempts}
	}
	if j.DeadLetterARN != "" {
		t.DeadLetterConfig = &ebtypes.DeadLetterConfig{Arn: aws.String(j.DeadLetterARN)}
	}
	return t
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
