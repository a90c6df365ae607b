# syntax=docker/dockerfile:1
# Emporium's one image: `emporium serve` (the single node) or `emporium serve <service>`
# (catalog, inventory, users, orders, notifications, gateway, realtime) — docs/deploy.md.
#   docker build -t emporium .        (podman: podman build --format docker -t emporium .)

# --- build: the official Swift image, a release binary with the Swift runtime linked in ---
FROM swift:6.3-bookworm AS build
# Debian's versions are not pinned: a point release replaces them (security fixes), and a pin
# would make the build fail on the next one.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libvips-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The build directory is a cache mount: a rebuild compiles only what changed (BuildKit).
RUN --mount=type=cache,target=/src/.build \
    swift build -c release --product emporium --static-swift-stdlib -Xlinker -s \
    && mkdir -p /staging \
    && bin="$(swift build -c release --show-bin-path)" \
    && cp "$bin/emporium" /staging/ \
    && cp -R "$bin"/*.resources /staging/

# --- runtime: Debian slim with libvips' runtime libraries, non-root ---
FROM debian:bookworm-slim AS runtime
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libvips42 ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/emporium --create-home emporium
COPY --from=build /staging/ /app/
USER 10001:10001
ENV EMPORIUM_HOST=0.0.0.0 \
    EMPORIUM_PORT=8080 \
    EMPORIUM_DATA_DIR=/var/lib/emporium
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/health/live"]
ENTRYPOINT ["/app/emporium"]
CMD ["serve"]
