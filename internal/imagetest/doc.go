// Package imagetest builds the Action's image (the repository's Dockerfile)
// and runs it the way GitHub's runner runs a docker action: the workspace,
// /github/workflow and /github/file_commands mounted, INPUT_* variables
// with their hyphens, GITHUB_* paths as they are inside the container, and
// host networking to reach the loopback stand-ins for GitHub (ghtest) and
// AWS (moto).
//
// The tests are behind the imagetest build tag because they need a Docker
// engine; .ci/image-test.sh (make image-test) provides one and runs them.
// Asked for with the tag, they never skip: without an engine they fail.
package imagetest
