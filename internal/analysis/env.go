package analysis

// Fate is what happens to a crontab environment line when its jobs move
// to ECS. There is one rule for every command: migrate writes the copied
// variables into the config, and plan and deploy straight from a crontab
// put the same variables into the task's environment, so no line is ever
// dropped silently.
type Fate int

const (
	// EnvCopied: the variable reaches the task's environment.
	EnvCopied Fate = iota
	// EnvReported: cron's own variable (PATH, SHELL, HOME, ...): the image
	// or the task defines it instead; reports say why (EnvReason).
	EnvReported
	// EnvMail: MAILTO and friends: cron mailed the output; on ECS the
	// output goes to the logs and failures to the alerts instead.
	EnvMail
)

// notCopied explains the environment names that are not handed to the
// container, and why.
var notCopied = map[string]string{
	"PATH":         "the image's PATH applies in the container; compare it with this one",
	"SHELL":        "not needed in the container: commands that need a shell run with bash -c when SHELL is bash, else with sh -c; the others run as exec arrays, without a shell",
	"HOME":         "the image defines the home directory",
	"LOGNAME":      "cron sets it to the crontab's owner; ECS does not",
	"USER":         "the image's USER applies in the container",
	"CRON_TZ":      "cron reads it for the schedule; the converted schedules already include the zone",
	"RANDOM_DELAY": "cronie's random start delay: EventBridge rules have no equivalent; with backend scheduler it becomes the flexible time window",
}

// mailVars are replaced by notifications, not copied.
var mailVars = map[string]bool{"MAILTO": true, "MAILFROM": true, "CONTENT_TYPE": true, "CONTENT_TRANSFER_ENCODING": true}

// EnvFate classifies a crontab variable by name.
func EnvFate(name string) Fate {
	switch {
	case mailVars[name]:
		return EnvMail
	case notCopied[name] != "":
		return EnvReported
	}
	return EnvCopied
}

// EnvReason says why a reported variable is not copied ("" for others).
func EnvReason(name string) string { return notCopied[name] }
