// Package config loads cronbridge.yaml, the one file that says which
// crontab to migrate, where its jobs run in AWS and how lint judges them.
//
// The file is decoded through yaml.v3's Node tree rather than straight into
// structs so that every problem (unknown key, wrong type, bad enum value,
// duration or ARN) becomes a crontab.Diagnostic with file:line:col, and so
// that later stages (lint, deploy) can point back at the line that set a
// value through Config.Pos. Loading never fails on bad content: the error
// return of Load is reserved for I/O.
//
// The schema is documented twice, in docs/cronbridge.schema.json (JSON
// Schema draft 2020-12) and in docs/cronbridge.example.yaml; tests keep
// both in step with the Go structs in this package.
package config
