#!/usr/bin/env bash
# make image-test: build the Action's image with BuildKit and with the
# legacy builder, cross-build it for linux/arm64, and run it the way
# GitHub's runner runs a docker action (internal/imagetest). README, "The
# image", says what this costs and what it leaves behind.
#
# Image registries are out of reach here, so the two base images the
# Dockerfile names are made locally under their real tags:
#   golang:1.26-bookworm             debootstrap's bookworm + this machine's Go
#   gcr.io/distroless/static-debian12 CA bundle, tzdata, /etc/passwd, /tmp
# Their file systems are cached in $CRONBRIDGE_IMAGE_CACHE (outside the
# repository), with the buildx plugin, so that only the first run pays for
# debootstrap and for compiling buildx.
#
# A Docker engine of its own is started when this runs as root: its own
# socket, data root and exec root under a temporary directory, vfs storage,
# no iptables, no bridge (containers use host networking), so it never
# touches another daemon. At the end it stops only that dockerd, by its
# pid, and removes the directory with every image in it. Not root, it uses
# the engine DOCKER_HOST reaches and removes the images it made there.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

cache=${CRONBRIDGE_IMAGE_CACHE:-/var/cache/cronbridge-image}
buildx_version=v0.19.3
go_version=$(sed -n 's/^ARG GO_VERSION=//p' Dockerfile)
builder_tag="golang:${go_version}-bookworm"
runtime_tag=gcr.io/distroless/static-debian12

log() { echo "image-test: $*"; }

# no_engine fails under CI=true and skips, saying why, elsewhere.
no_engine() {
	if [ "${CI:-}" = "true" ]; then
		echo "image-test: FAIL: no Docker engine could be started: $*" >&2
		exit 1
	fi
	echo "image-test: SKIP: no Docker engine could be started: $* (CI=true makes this a failure)"
	exit 0
}

work=$(mktemp -d /tmp/cronbridge-image.XXXXXX)
dockerd_pid=""
made_images=()
# unmount_under removes the mounts a daemon may leave under its roots (also
# one that failed to start: it bind-mounts its data root), deepest first.
unmount_under() {
	awk -v w="$1/" 'index($2, w) == 1 || $2 == substr(w, 1, length(w) - 1) {print $2}' /proc/mounts |
		sort -r | xargs -r -n1 umount -l
}
cleanup() {
	local rc=$?
	set +e
	if [ -n "$dockerd_pid" ]; then
		kill "$dockerd_pid" 2>/dev/null
		for _ in $(seq 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
		kill -9 "$dockerd_pid" 2>/dev/null
		wait "$dockerd_pid" 2>/dev/null
	elif [ ${#made_images[@]} -gt 0 ]; then
		docker rmi -f "${made_images[@]}" >/dev/null
	fi
	unmount_under "$work"
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "image-test: FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT TERM

# --- the engine -------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
	if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
		command -v apt-get >/dev/null || no_engine "dockerd is not installed and there is no apt-get to install it"
		log "installing Debian's docker.io"
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io; } >"$work/apt.log" 2>&1 ||
			{ tail -20 "$work/apt.log"; no_engine "apt-get install docker.io failed"; }
	fi
	export DOCKER_HOST="unix://$work/docker.sock"
	# overlay2 where the kernel allows it (vfs copies the whole file system
	# for every layer and container: several times slower), else vfs, which
	# works everywhere.
	for driver in ${CRONBRIDGE_DOCKER_STORAGE:-overlay2 vfs}; do
		unmount_under "$work/data"
		unmount_under "$work/exec"
		rm -rf "$work/data" "$work/exec"
		dockerd --storage-driver="$driver" --iptables=false --ip6tables=false --bridge=none \
			--data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/dockerd.pid" \
			-H "$DOCKER_HOST" >"$work/dockerd-$driver.log" 2>&1 &
		dockerd_pid=$!
		for _ in $(seq 120); do
			docker version >/dev/null 2>&1 && break
			kill -0 "$dockerd_pid" 2>/dev/null || break
			sleep 0.5
		done
		docker version >/dev/null 2>&1 && break
		kill "$dockerd_pid" 2>/dev/null || true
		wait "$dockerd_pid" 2>/dev/null || true
		dockerd_pid=""
		log "dockerd with $driver storage did not start: $(tail -1 "$work/dockerd-$driver.log")"
	done
	[ -n "$dockerd_pid" ] || no_engine "dockerd did not start with any of: ${CRONBRIDGE_DOCKER_STORAGE:-overlay2 vfs}"
	log "started dockerd $(docker version --format '{{.Server.Version}}') with $driver storage (pid $dockerd_pid) on $DOCKER_HOST"
else
	docker version >/dev/null 2>&1 || no_engine "not root (cannot start dockerd) and no engine reachable at ${DOCKER_HOST:-the default socket}"
	log "using the running engine at ${DOCKER_HOST:-the default socket}"
fi

mkdir -p "$cache"

# --- buildx (BuildKit's client) ---------------------------------------------
export DOCKER_CONFIG="$work/docker-config"
mkdir -p "$DOCKER_CONFIG/cli-plugins"
plugin="$cache/docker-buildx-$buildx_version"
if [ ! -x "$plugin" ]; then
	log "compiling buildx $buildx_version (first run only)"
	GOBIN="$work/gobin" go install "github.com/docker/buildx/cmd/buildx@$buildx_version"
	mv "$work/gobin/buildx" "$plugin"
fi
cp "$plugin" "$DOCKER_CONFIG/cli-plugins/docker-buildx"
docker buildx version >/dev/null

# --- base images ------------------------------------------------------------
have() { docker image inspect "$1" >/dev/null 2>&1; }

# The Debian mirror is the one apt uses here (deb822 or one-line sources).
mirror=${CRONBRIDGE_DEBIAN_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
	sed -n -E 's#^(URIs:|deb)[[:space:]]+(\[[^]]*\][[:space:]]+)?(https?://[^[:space:]]*/debian)/?([[:space:]].*)?$#\3#p' | head -1 || true)}
mirror=${mirror:-http://deb.debian.org/debian}

host_go=$(go env GOROOT)
host_go_version=$(go env GOVERSION)
case "$host_go_version" in
go"$go_version"|go"$go_version".*) ;;
*) echo "image-test: FAIL: the Dockerfile wants Go $go_version, this machine has $host_go_version" >&2; exit 1 ;;
esac

if ! have "$builder_tag"; then
	builder_tar="$cache/builder-$host_go_version.tar"
	if [ ! -s "$builder_tar" ]; then
		rootfs="$cache/bookworm-minbase.tar"
		if [ ! -s "$rootfs" ]; then
			command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } >"$work/apt.log" 2>&1
			log "debootstrap bookworm from $mirror (first run only)"
			debootstrap --variant=minbase bookworm "$work/bookworm" "$mirror" >"$work/debootstrap.log" 2>&1 ||
				{ tail -20 "$work/debootstrap.log"; echo "image-test: FAIL: debootstrap" >&2; exit 1; }
			rm -rf "$work/bookworm/var/cache/apt/archives"/*.deb "$work/bookworm/var/lib/apt/lists"/*
			tar --numeric-owner -C "$work/bookworm" -cf "$rootfs.tmp" . && mv "$rootfs.tmp" "$rootfs"
			rm -rf "$work/bookworm"
		fi
		log "making $builder_tag from bookworm and $host_go_version"
		mkdir -p "$work/builder"
		tar --numeric-owner -C "$work/builder" -xf "$rootfs"
		mkdir -p "$work/builder/usr/local" "$work/builder/etc/ssl/certs" "$work/builder/go"
		cp -a "$host_go" "$work/builder/usr/local/go"
		cp /etc/ssl/certs/ca-certificates.crt "$work/builder/etc/ssl/certs/"
		tar --numeric-owner -C "$work/builder" -cf "$builder_tar.tmp" .
		mv "$builder_tar.tmp" "$builder_tar"
		rm -rf "$work/builder"
	fi
	# The environment of the official golang image, and this machine's
	# module proxy settings so that `go mod download` goes where go does here.
	docker import \
		--change 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		--change 'ENV GOPATH=/go' --change 'ENV GOTOOLCHAIN=local' \
		--change "ENV GOPROXY=$(go env GOPROXY)" --change "ENV GOSUMDB=$(go env GOSUMDB)" \
		--change 'WORKDIR /go' "$builder_tar" "$builder_tag" >/dev/null
	made_images+=("$builder_tag")
fi

# distroless/static's content: CA certificates, tzdata, passwd and group
# with root, nobody and nonroot, and a world-writable /tmp.
make_runtime_rootfs() {
	local r="$work/runtime"
	rm -rf "$r" && mkdir -p "$r/etc/ssl/certs" "$r/usr/share" "$r/tmp" "$r/home/nonroot" "$r/root"
	chmod 1777 "$r/tmp"
	cp /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/"
	cp -a /usr/share/zoneinfo "$r/usr/share/"
	printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$r/etc/passwd"
	printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$r/etc/group"
	tar --numeric-owner --owner=0 --group=0 -C "$r" -cf "$work/runtime.tar" .
	rm -rf "$r"
}
if ! have "$runtime_tag"; then
	make_runtime_rootfs
	docker import "$work/runtime.tar" "$runtime_tag" >/dev/null
	made_images+=("$runtime_tag")
fi

# --- build and run (internal/imagetest) ---------------------------------------
mkdir -p "$work/gotmp"
log "building and running the image (go test -tags imagetest ./internal/imagetest)"
TMPDIR="$work/gotmp" go test -tags imagetest -count=1 -timeout 60m -v ./internal/imagetest/ 2>&1 | tee "$work/imagetest.log" |
	grep -E '^(=== RUN|\s*--- (PASS|FAIL|SKIP)|\s+image_test\.go|PASS|FAIL|ok )' || true
grep -q '^ok ' "$work/imagetest.log" || { tail -80 "$work/imagetest.log"; echo "image-test: FAIL: internal/imagetest" >&2; exit 1; }

# --- linux/arm64 under BuildKit ------------------------------------------------
# Only the runtime stage is arm64 (the build stage runs on the build
# platform and cross-compiles), so an arm64 runtime base is all it needs.
# The classic image store holds one platform per tag: an own engine's
# amd64 runtime base is replaced by an arm64 one (nothing else uses it); on
# a shared engine BuildKit pulls the real one.
if [ -n "$dockerd_pid" ]; then
	[ -s "$work/runtime.tar" ] || make_runtime_rootfs
	mkdir -p "$work/arm64-base"
	mv "$work/runtime.tar" "$work/arm64-base/"
	printf 'FROM scratch\nADD runtime.tar /\n' >"$work/arm64-base/Dockerfile"
	docker buildx build --platform linux/arm64 --load -t "$runtime_tag" "$work/arm64-base" >"$work/arm64-base.log" 2>&1 ||
		{ tail -20 "$work/arm64-base.log"; echo "image-test: FAIL: arm64 runtime base" >&2; exit 1; }
fi
log "cross-building linux/arm64 with BuildKit"
start=$(date +%s)
docker buildx build --platform linux/arm64 --network host --build-arg VERSION=image-test \
	-o "type=tar,dest=$work/arm64.tar" . >"$work/arm64.log" 2>&1 ||
	{ tail -30 "$work/arm64.log"; echo "image-test: FAIL: linux/arm64 build" >&2; exit 1; }
# ELF e_machine (bytes 18-19, little endian) 183 is AArch64.
tar -xf "$work/arm64.tar" -C "$work" cronbridge
machine=$(od -An -tu2 -j18 -N2 "$work/cronbridge" | tr -d ' ')
[ "$machine" = 183 ] || { echo "image-test: FAIL: the linux/arm64 image's /cronbridge has ELF machine $machine, want 183 (AArch64)" >&2; exit 1; }
log "linux/arm64 build: /cronbridge is an AArch64 executable ($(( $(date +%s) - start )) s)"

sed -n -E 's/^\s+image_test\.go:[0-9]+: //p' "$work/imagetest.log"
echo "image-test: all scenarios passed for both builders; linux/arm64 cross-build checked"
