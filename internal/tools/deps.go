//go:build tools

// Package tools pins modules that the packages being written will import,
// so that `go mod tidy` keeps them while the work is in flight. Remove an
// import here once real code imports the module.
package tools

import (
	_ "github.com/aws/aws-sdk-go-v2/config"
	_ "github.com/aws/aws-sdk-go-v2/service/ecs"
	_ "github.com/aws/aws-sdk-go-v2/service/eventbridge"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/google/go-github/v75/github"
	_ "github.com/lnquy/cron"
	_ "github.com/robfig/cron/v3"
	_ "github.com/sethvargo/go-githubactions"
	_ "github.com/winebarrel/cronplan/v2"
	_ "gopkg.in/yaml.v3"
	_ "mvdan.cc/sh/v3/syntax"
)
