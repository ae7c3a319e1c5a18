// Package ghtest is a loopback stand-in for the parts of GitHub's REST API
// that cronbridge calls. Every request it receives is checked against
// GitHub's official OpenAPI description (npm package @octokit/openapi), so
// the stand-in cannot drift from the real API: a request the real API would
// not accept is recorded as a violation and fails the test.
package ghtest
