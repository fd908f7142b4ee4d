# dr in a container: built with the Swift toolchain image, run on Debian slim with the
# runtime libraries and the PostgreSQL client tools of one major version.
#
#   docker build -t dr --build-arg PG_MAJOR=15 .
#
# PG_MAJOR must be at least the major version of every server the policies dump (an older
# pg_dump refuses a newer server). Base images are pinned by tag; pin them by digest
# (image@sha256:...) in your registry for reproducible builds.
ARG SWIFT_IMAGE=swift:6.3.1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-20251117-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      libpq-dev libbz2-dev libzstd-dev libcurl4-openssl-dev libssl-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Plugins Plugins
COPY Sources Sources
COPY Tests Tests
# The commit dr --version names (.git is not sent to the build): --build-arg DR_REVISION=$(git rev-parse HEAD).
ARG DR_REVISION=unknown
RUN DR_REVISION="${DR_REVISION}" swift build -c release --product dr --static-swift-stdlib \
 && install -D .build/release/dr /out/dr

FROM ${RUNTIME_IMAGE}
ARG PG_MAJOR=15
# Runtime libraries, and pg_dump/pg_restore/psql of PG_MAJOR from the PostgreSQL project's
# Debian repository (which carries every supported major version).
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      ca-certificates curl gnupg libpq5 libcurl4 libbz2-1.0 libzstd1 libssl3 \
 && curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc | gpg --dearmor -o /usr/share/keyrings/pgdg.gpg \
 && echo "deb [signed-by=/usr/share/keyrings/pgdg.gpg] http://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "postgresql-client-${PG_MAJOR}" \
 && apt-get purge -y curl gnupg && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/dr --create-home dr
ENV DR_PG_BINDIR=/usr/lib/postgresql/${PG_MAJOR}/bin \
    DR_POLICY_DIR=/etc/dr/policies
COPY --from=build /out/dr /usr/local/bin/dr
COPY policies/example.yaml /usr/share/doc/dr/example.yaml
USER dr
WORKDIR /var/lib/dr
ENTRYPOINT ["dr"]
EXPOSE 17187
CMD ["worker", "--listen", "0.0.0.0:17187"]
