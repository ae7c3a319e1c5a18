# The cronbridge action's image: a static binary on distroless.
#
# Build stage: the module download is its own layer so that source changes
# do not re-download modules.
ARG GO_VERSION=1.26
# The build stage runs on the builder's own platform and cross-compiles
# (pure Go, CGO off), so the multi-arch release does not emulate arm64.
# BuildKit sets BUILDPLATFORM, TARGETOS and TARGETARCH; the legacy builder
# (DOCKER_BUILDKIT=0: nektos/act, older self-hosted runners) sets none and
# rejects an empty --platform. The default "linux" names the host's own
# architecture, and empty TARGETOS/TARGETARCH leave Go's defaults: a
# native build.
ARG BUILDPLATFORM=linux
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# CGO off and -trimpath: a static, reproducible binary. Time zone data is
# compiled in (main.go imports time/tzdata), so the final image needs none.
RUN CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/cronbridge .

# distroless/static has CA certificates (for the AWS and GitHub APIs),
# /etc/passwd and nothing else: no shell is needed at run time. There is no
# USER instruction: GitHub runs Docker actions as the image's default user
# and documents that USER must not be set, because the workspace and the
# runner's files are owned by root.
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/cronbridge /cronbridge
ENTRYPOINT ["/cronbridge"]
