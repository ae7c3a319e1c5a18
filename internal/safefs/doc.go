// Package safefs reads and writes repository files in the workspace
// without letting the repository's content choose which file that is.
//
// A pull request controls the crontab and the config the check reads, and
// the paths they name. Committed as a symbolic link, a crontab can point at
// a private key, ~/.netrc, .git/config (where actions/checkout keeps the
// token) or /dev/zero; a link at .cronbridge/report.md would make the
// action overwrite any file it can write. So every path here is relative
// to a root (the workspace), walked one component at a time with openat
// and O_NOFOLLOW, and refused when it leaves the root, goes into .git,
// passes through any symbolic link or names anything but a regular file.
// Reads are bounded by a size limit named in the error.
//
// Links that stay inside the workspace are refused too: they are rare in
// crontab repositories, and allowing them would need a second rule for
// .git and other sensitive in-workspace paths.
package safefs
