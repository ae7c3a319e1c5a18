package prcheck

import (
	"context"
	"errors"
	"fmt"
)

// Analyzer turns one version of the crontab (and its config, nil when
// there is none) into a Snapshot. name is the crontab's repository path;
// the error is for internal failures only (findings go into the Snapshot).
type Analyzer func(ctx context.Context, name string, crontab, config []byte) (*Snapshot, error)

// Input names the files and the two versions to compare.
type Input struct {
	// Crontab and Config are repository paths (slash-separated, relative
	// to the root); Config may be empty.
	Crontab, Config string
	// HeadCrontab and HeadConfig are the head's contents (the checkout).
	HeadCrontab, HeadConfig []byte
	// BaseRef is the base commit; Base reads from it. A nil Base (no
	// pull request) compares against nothing: every job is "added".
	BaseRef string
	Base    Source
}

// Result is the comparison.
type Result struct {
	Base        *Snapshot // nil when the base has no crontab
	Head        *Snapshot
	Changes     []Change
	Findings    Findings
	BaseMissing bool
}

// Run analyzes both versions and compares them.
func Run(ctx context.Context, in Input, analyze Analyzer) (*Result, error) {
	if analyze == nil {
		return nil, errors.New("prcheck: no analyzer")
	}
	head, err := analyze(ctx, in.Crontab, in.HeadCrontab, in.HeadConfig)
	if err != nil {
		return nil, fmt.Errorf("analyze the head: %w", err)
	}
	res := &Result{Head: head}
	if in.Base != nil {
		cb, err := ReadOptional(ctx, in.Base, in.BaseRef, in.Crontab)
		if err != nil {
			return nil, fmt.Errorf("read the base crontab: %w", err)
		}
		if cb == nil {
			res.BaseMissing = true
		} else {
			cfg, err := ReadOptional(ctx, in.Base, in.BaseRef, in.Config)
			if err != nil {
				return nil, fmt.Errorf("read the base config: %w", err)
			}
			if res.Base, err = analyze(ctx, in.Crontab, cb, cfg); err != nil {
				return nil, fmt.Errorf("analyze the base: %w", err)
			}
		}
	} else {
		res.BaseMissing = true
	}
	res.Changes = Diff(res.Base, res.Head)
	res.Findings = SplitFindings(res.Base, res.Head)
	return res, nil
}
