# Wirehook container image: built with the Swift toolchain, run on a slim image as a non-root user.
#   docker build -t wirehook .
#   docker run -p 8080:8080 -v wirehook-data:/var/lib/wirehook wirehook
# (docs/deploy.md; not built on the machine this was written on, which has no Docker engine.)

# The toolchain this project is built and tested with (Swift 6.3).
FROM swift:6.3-bookworm AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev && rm -rf /var/lib/apt/lists/*
# Dependencies first, so a source change does not fetch them again.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product wirehook --static-swift-stdlib \
    && install -D "$(swift build -c release --show-bin-path)/wirehook" /out/wirehook

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl libsqlite3-0 tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/wirehook --shell /usr/sbin/nologin wirehook \
    && install -d -o wirehook -g wirehook -m 0700 /var/lib/wirehook
COPY --from=build /out/wirehook /usr/local/bin/wirehook
USER wirehook
WORKDIR /var/lib/wirehook
ENV WIREHOOK_HOST=0.0.0.0 \
    WIREHOOK_PORT=8080 \
    WIREHOOK_DATA_DIR=/var/lib/wirehook \
    WIREHOOK_LOG_FORMAT=json
VOLUME ["/var/lib/wirehook"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${WIREHOOK_PORT}/healthz" || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/wirehook"]
CMD ["serve"]
