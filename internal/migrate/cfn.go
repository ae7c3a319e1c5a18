package migrate

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cronbridge/cronbridge/internal/analysis"
	"github.com/cronbridge/cronbridge/internal/deploy"
	"github.com/cronbridge/cronbridge/internal/schedule"
)

// WriteCloudFormation writes cloudformation.yaml: one AWS::Events::Rule per
// rule of every migrated job, targeting the ECS cluster with the job's
// container command and environment as overrides. Account-specific IDs are
// template parameters, so the file deploys as it is
// (aws cloudformation deploy) or from CDK through CfnInclude. Rules start
// DISABLED unless RuleState says otherwise: the cutover enables them.
func (p *Plan) WriteCloudFormation(w io.Writer) error {
	if p.Scheduler() {
		return p.writeSchedulerCloudFormation(w)
	}
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\n")
	fmt.Fprintf(&b, "Description: %s\n", jsonString(truncate(fmt.Sprintf(
		"EventBridge rules that start the ECS tasks migrated by cronbridge from %s (schedules in UTC; source zone %s)",
		p.baseName(), p.Options.Zone), 1024)))
	migrated := p.Migrated()
	if len(migrated) > 0 {
		// Without rules the parameters would be unused (cfn-lint W2001).
		b.WriteString(cfnParameters)
	}
	b.WriteString("Resources:\n")
	ids := map[string]bool{}
	for _, j := range migrated {
		for i, expr := range j.Rules {
			id := logicalID(j.Name, i, len(j.Rules), ids)
			p.writeRule(&b, j, i, expr, id)
		}
	}
	if len(ids) == 0 {
		// A template needs at least one resource; with nothing migrated
		// the wait condition handle keeps the file valid and says so.
		b.WriteString("  NothingMigrated:\n    Type: AWS::CloudFormation::WaitConditionHandle\n")
	}
	b.WriteString("Outputs:\n")
	b.WriteString("  RuleCount:\n")
	fmt.Fprintf(&b, "    Description: number of EventBridge rules in this template\n    Value: %s\n", jsonString(strconv.Itoa(len(ids))))
	_, err := io.WriteString(w, b.String())
	return err
}

// cfnParameters are the IDs the user supplies. List<AWS::EC2::...::Id>
// makes the console offer the account's subnets and groups.
const cfnParameters = `Parameters:
  ClusterArn:
    Type: String
    Description: ARN of the ECS cluster the tasks run in
  TaskDefinitionArn:
    Type: String
    Description: task definition ARN, or the family ARN without a revision to run the latest revision
  ContainerName:
    Type: String
    Description: name of the container whose command each rule overrides
  EventsRoleArn:
    Type: String
    Description: IAM role EventBridge assumes to run tasks (see docs/iam-policy.json)
  SubnetIds:
    Type: List<AWS::EC2::Subnet::Id>
    Description: subnets of the tasks
  SecurityGroupIds:
    Type: List<AWS::EC2::SecurityGroup::Id>
    Description: security groups of the tasks
  AssignPublicIp:
    Type: String
    AllowedValues: [ENABLED, DISABLED]
    Default: DISABLED
    Description: ENABLED in public subnets (no NAT gateway needed to pull the image)
  RuleState:
    Type: String
    AllowedValues: [ENABLED, DISABLED]
    Default: DISABLED
    Description: create the rules disabled and enable them at the cutover minute
  DeadLetterQueueArn:
    Type: String
    Default: ""
    Description: optional SQS queue ARN for events that could not start a task
Conditions:
  HasDeadLetterQueue: !Not [!Equals [!Ref DeadLetterQueueArn, ""]]
`

func (p *Plan) writeRule(b *strings.Builder, j *Job, i int, expr, id string) {
	fmt.Fprintf(b, "  %s:\n", id)
	b.WriteString("    Type: AWS::Events::Rule\n")
	b.WriteString("    Properties:\n")
	fmt.Fprintf(b, "      Name: %s\n", jsonString(j.RuleNames[i]))
	fmt.Fprintf(b, "      Description: %s\n", jsonString(truncate(fmt.Sprintf("%s line %d: %s (%s)",
		p.baseName(), j.Entry.Line, j.Entry.ScheduleText(), j.Zone), 512)))
	fmt.Fprintf(b, "      ScheduleExpression: %s\n", jsonString(expr))
	b.WriteString("      State: !Ref RuleState\n")
	b.WriteString("      Targets:\n")
	fmt.Fprintf(b, "        - Id: %s\n", jsonString(truncate(j.Name, 64)))
	b.WriteString("          Arn: !Ref ClusterArn\n")
	b.WriteString("          RoleArn: !Ref EventsRoleArn\n")
	b.WriteString("          EcsParameters:\n")
	b.WriteString("            TaskDefinitionArn: !Ref TaskDefinitionArn\n")
	b.WriteString("            TaskCount: 1\n")
	b.WriteString("            LaunchType: FARGATE\n")
	b.WriteString("            PlatformVersion: LATEST\n")
	b.WriteString("            NetworkConfiguration:\n")
	b.WriteString("              AwsVpcConfiguration:\n")
	b.WriteString("                AssignPublicIp: !Ref AssignPublicIp\n")
	b.WriteString("                Subnets: !Ref SubnetIds\n")
	b.WriteString("                SecurityGroups: !Ref SecurityGroupIds\n")
	fmt.Fprintf(b, "          Input: !Sub %s\n", jsonString(p.overridesJSON(j)))
	b.WriteString("          RetryPolicy:\n")
	fmt.Fprintf(b, "            MaximumEventAgeInSeconds: %d\n", int(defaultMaxEventAge.Seconds()))
	fmt.Fprintf(b, "            MaximumRetryAttempts: %d\n", defaultMaxRetryAttempts)
	b.WriteString("          DeadLetterConfig: !If [HasDeadLetterQueue, {Arn: !Ref DeadLetterQueueArn}, !Ref \"AWS::NoValue\"]\n")
}

// overridesJSON is the target's Input: deploy's TargetInput (so the
// template and the rules deploy puts carry the same overrides), as a
// Fn::Sub template in which ${ContainerName} is the only substitution
// (every other "${" is escaped as "${!", Fn::Sub's literal form).
func (p *Plan) overridesJSON(j *Job) string {
	// The container name is a placeholder encoded as "\u0000", which no
	// real command contains as JSON text.
	s := deploy.TargetInput("\x00", deploy.DesiredJob{Command: j.Command.Exec, Environment: j.Env, CPU: j.CPU, Memory: j.Memory})
	s = strings.ReplaceAll(s, "${", "${!")
	return strings.Replace(s, `"\u0000"`, `"${ContainerName}"`, 1)
}

// logicalID makes a CloudFormation logical ID (alphanumeric) from a job
// name: "daily-sales" gives DailySalesRule, its second rule
// DailySalesRule2. Names that collide after dropping '-' get a counter.
func logicalID(job string, i, n int, used map[string]bool) string {
	return logicalIDOf(job, "Rule", i, n, used)
}

// logicalIDOf is logicalID with another resource word ("Schedule").
func logicalIDOf(job, kind string, i, n int, used map[string]bool) string {
	var b strings.Builder
	for _, part := range strings.Split(job, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	base := b.String() + kind
	if base[0] >= '0' && base[0] <= '9' {
		base = "Job" + base
	}
	if n > 1 {
		base += strconv.Itoa(i + 1)
	}
	id := base
	for k := 2; used[id]; k++ {
		id = base + "X" + strconv.Itoa(k)
	}
	used[id] = true
	return id
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// writeSchedulerCloudFormation writes the template for backend scheduler:
// one AWS::Scheduler::ScheduleGroup and one AWS::Scheduler::Schedule per
// schedule of every migrated job, each read in its own zone
// (ScheduleExpressionTimezone), with the same ECS target as the rules
// template (network, launch type, overrides, retry policy, dead-letter
// queue) plus the task group "cronbridge:<job>" and the tag
// cronbridge:job that deploy puts on tasks. The group carries no
// managed-by tag: CloudFormation owns it, and cronbridge deploy's prune
// must never take it for its own.
func (p *Plan) writeSchedulerCloudFormation(w io.Writer) error {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\n")
	fmt.Fprintf(&b, "Description: %s\n", jsonString(truncate(fmt.Sprintf(
		"EventBridge Scheduler schedules that start the ECS tasks migrated by cronbridge from %s (schedules in their source zone, %s by default, daylight saving time included)",
		p.baseName(), p.Options.Zone), 1024)))
	migrated := p.Migrated()
	if len(migrated) > 0 {
		b.WriteString(schedulerParameters(p.defaultGroupName()))
	}
	b.WriteString("Resources:\n")
	ids := map[string]bool{}
	if len(migrated) > 0 {
		b.WriteString("  ScheduleGroup:\n")
		b.WriteString("    Type: AWS::Scheduler::ScheduleGroup\n")
		b.WriteString("    Properties:\n")
		b.WriteString("      Name: !Ref ScheduleGroupName\n")
		ids["ScheduleGroup"] = true
	}
	n := 0
	for _, j := range migrated {
		for i, s := range j.Schedules {
			id := logicalIDOf(j.Name, "Schedule", i, len(j.Schedules), ids)
			p.writeSchedule(&b, j, i, s, id)
			n++
		}
	}
	if n == 0 {
		b.WriteString("  NothingMigrated:\n    Type: AWS::CloudFormation::WaitConditionHandle\n")
	}
	b.WriteString("Outputs:\n")
	b.WriteString("  ScheduleCount:\n")
	fmt.Fprintf(&b, "    Description: number of EventBridge Scheduler schedules in this template\n    Value: %s\n", jsonString(strconv.Itoa(n)))
	_, err := io.WriteString(w, b.String())
	return err
}

// defaultGroupName is the schedule group's default name: the rule prefix
// without its trailing separators, else "cronbridge".
func (p *Plan) defaultGroupName() string {
	g := strings.TrimRight(p.RulePrefix, "-_.")
	if schedule.ValidateSchedulerName("schedule group", g) != nil {
		return "cronbridge"
	}
	return g
}

// schedulerParameters are cfnParameters for the Scheduler template: the
// role is Scheduler's, the state the schedules', and the group is named.
func schedulerParameters(group string) string {
	return `Parameters:
  ClusterArn:
    Type: String
    Description: ARN of the ECS cluster the tasks run in
  TaskDefinitionArn:
    Type: String
    Description: task definition ARN, or the family ARN without a revision to run the latest revision
  ContainerName:
    Type: String
    Description: name of the container whose command each schedule overrides
  SchedulerRoleArn:
    Type: String
    Description: IAM role EventBridge Scheduler assumes to run tasks; it trusts scheduler.amazonaws.com (see docs/iam-policy.json)
  SubnetIds:
    Type: List<AWS::EC2::Subnet::Id>
    Description: subnets of the tasks
  SecurityGroupIds:
    Type: List<AWS::EC2::SecurityGroup::Id>
    Description: security groups of the tasks
  AssignPublicIp:
    Type: String
    AllowedValues: [ENABLED, DISABLED]
    Default: DISABLED
    Description: ENABLED in public subnets (no NAT gateway needed to pull the image)
  ScheduleState:
    Type: String
    AllowedValues: [ENABLED, DISABLED]
    Default: DISABLED
    Description: create the schedules disabled and enable them at the cutover minute
  ScheduleGroupName:
    Type: String
    Default: ` + jsonString(group) + `
    AllowedPattern: "^[0-9a-zA-Z._-]{1,64}$"
    Description: name of the schedule group that holds the schedules
  DeadLetterQueueArn:
    Type: String
    Default: ""
    Description: optional SQS queue ARN for invocations that could not start a task
Conditions:
  HasDeadLetterQueue: !Not [!Equals [!Ref DeadLetterQueueArn, ""]]
`
}

func (p *Plan) writeSchedule(b *strings.Builder, j *Job, i int, s analysis.Schedule, id string) {
	fmt.Fprintf(b, "  %s:\n", id)
	b.WriteString("    Type: AWS::Scheduler::Schedule\n")
	b.WriteString("    Properties:\n")
	fmt.Fprintf(b, "      Name: %s\n", jsonString(j.ScheduleNames[i]))
	b.WriteString("      GroupName: !Ref ScheduleGroup\n")
	what := fmt.Sprintf("%s line %d: %s (%s)", p.baseName(), j.Entry.Line, j.Entry.ScheduleText(), j.Zone)
	if s.Supplementary {
		what += ", cron's run after a skipped hour"
	}
	fmt.Fprintf(b, "      Description: %s\n", jsonString(truncate(what, 512)))
	fmt.Fprintf(b, "      ScheduleExpression: %s\n", jsonString(s.Expression))
	fmt.Fprintf(b, "      ScheduleExpressionTimezone: %s\n", jsonString(s.Timezone))
	b.WriteString("      FlexibleTimeWindow:\n")
	if s.FlexibleWindowMinutes > 0 {
		b.WriteString("        Mode: FLEXIBLE\n")
		fmt.Fprintf(b, "        MaximumWindowInMinutes: %d\n", s.FlexibleWindowMinutes)
	} else {
		b.WriteString("        Mode: \"OFF\"\n")
	}
	b.WriteString("      State: !Ref ScheduleState\n")
	b.WriteString("      Target:\n")
	b.WriteString("        Arn: !Ref ClusterArn\n")
	b.WriteString("        RoleArn: !Ref SchedulerRoleArn\n")
	b.WriteString("        EcsParameters:\n")
	b.WriteString("          TaskDefinitionArn: !Ref TaskDefinitionArn\n")
	b.WriteString("          TaskCount: 1\n")
	b.WriteString("          LaunchType: FARGATE\n")
	b.WriteString("          PlatformVersion: LATEST\n")
	fmt.Fprintf(b, "          Group: %s\n", jsonString(truncate(deploy.GroupPrefix+j.Name, 255)))
	fmt.Fprintf(b, "          Tags:\n            - %s: %s\n", jsonString(deploy.TagJob), jsonString(j.Name))
	b.WriteString("          NetworkConfiguration:\n")
	b.WriteString("            AwsvpcConfiguration:\n")
	b.WriteString("              AssignPublicIp: !Ref AssignPublicIp\n")
	b.WriteString("              Subnets: !Ref SubnetIds\n")
	b.WriteString("              SecurityGroups: !Ref SecurityGroupIds\n")
	fmt.Fprintf(b, "        Input: !Sub %s\n", jsonString(p.overridesJSON(j)))
	b.WriteString("        RetryPolicy:\n")
	fmt.Fprintf(b, "          MaximumEventAgeInSeconds: %d\n", int(defaultMaxEventAge.Seconds()))
	fmt.Fprintf(b, "          MaximumRetryAttempts: %d\n", defaultMaxRetryAttempts)
	b.WriteString("        DeadLetterConfig: !If [HasDeadLetterQueue, {Arn: !Ref DeadLetterQueueArn}, !Ref \"AWS::NoValue\"]\n")
}
