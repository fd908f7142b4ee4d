# dr in a container: built with the Swift toolchain image, run on Debian slim with the
# runtime libraries, tini as PID 1, and PostgreSQL's server and client programs of one major
# version, so the default verification (a scratch cluster: initdb, pg_ctl, postgres) runs
# inside the image, and lbzip2, which encodes bzip2 backups (a program of its own, run once
# per chunk: backup.compression.encoder auto finds it on PATH).
#
#   docker build -t dr --build-arg PG_MAJOR=15 \
#     --build-arg VERSION=0.1.0 --build-arg REVISION="$(git rev-parse HEAD)" .
#
# PG_MAJOR must be at least the major version of every server the policies dump (an older
# pg_dump refuses a newer server). 15 comes from Debian itself; any other major from the
# PostgreSQL project's Debian repository (which carries every supported one). More majors:
# install their server and client programs (or mount them) and list their bin directories in
# DR_PG_BINDIR, colon-separated: dr takes the one of the dump's major (or the closest newer).
# The runtime packages are listed once, in scripts/lib/packages.sh (dr_image_packages);
# scripts/test-image builds this image's root filesystem from the same list without Docker
# and runs dr verify in it. Base images are pinned by tag; pin them by digest
# (image@sha256:...) in your registry for reproducible builds.
ARG SWIFT_IMAGE=swift:6.3.1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-20251117-slim

FROM ${SWIFT_IMAGE} AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
COPY scripts/lib/packages.sh /tmp/dr-packages.sh
RUN . /tmp/dr-packages.sh \
 && apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${DR_BUILD_PACKAGES[@]}" \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Plugins Plugins
COPY Sources Sources
COPY Tests Tests
# The man page and the shell completions are generated from the command definitions
# (swift-argument-parser's generate-manual plugin and --generate-completion-script).
# The commit dr --version names (.git is not sent to the build): REVISION, as for the labels.
ARG REVISION=unknown
RUN DR_REVISION="${REVISION}" swift build -c release --product dr --static-swift-stdlib \
 && install -D .build/release/dr /out/usr/local/bin/dr \
 && swift package --disable-sandbox generate-manual --configuration release \
 && install -D -m 644 .build/plugins/GenerateManual/outputs/dr/dr.1 /out/usr/local/share/man/man1/dr.1 \
 && mkdir -p /out/usr/share/bash-completion/completions /out/usr/share/zsh/vendor-completions \
      /out/usr/share/fish/vendor_completions.d \
 && /out/usr/local/bin/dr --generate-completion-script bash > /out/usr/share/bash-completion/completions/dr \
 && /out/usr/local/bin/dr --generate-completion-script zsh > /out/usr/share/zsh/vendor-completions/_dr \
 && /out/usr/local/bin/dr --generate-completion-script fish > /out/usr/share/fish/vendor_completions.d/dr.fish

FROM ${RUNTIME_IMAGE}
ARG PG_MAJOR=15
ARG VERSION=0.1.0
ARG REVISION=unknown
# OCI labels: pass where the source lives and its licence (SPDX) when you publish the image
ARG SOURCE=
ARG LICENSES=NOASSERTION
LABEL org.opencontainers.image.title="dr" \
      org.opencontainers.image.description="PostgreSQL backups to S3, proven by test restores, with a one-command failover" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="${LICENSES}"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
COPY scripts/lib/packages.sh /tmp/dr-packages.sh
# The PostgreSQL project's repository only for a major Debian does not carry; then
# postgresql-common, told to make no cluster of its own (dr makes a throwaway one per
# verification); then the image's packages.
RUN . /tmp/dr-packages.sh \
 && mapfile -t packages < <(dr_image_packages "${PG_MAJOR}") \
 && apt-get update -q \
 && if [ "${PG_MAJOR}" != 15 ]; then \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends curl gnupg \
      && curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc | gpg --dearmor -o /usr/share/keyrings/pgdg.gpg \
      && echo "deb [signed-by=/usr/share/keyrings/pgdg.gpg] http://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
           > /etc/apt/sources.list.d/pgdg.list \
      && apt-get purge -y curl gnupg && apt-get autoremove -y \
      && apt-get update -q; \
    fi \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql-common \
 && sed -ri 's/^#?\s*create_main_cluster\b.*$/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}" \
 && rm -rf /var/lib/apt/lists/* /tmp/dr-packages.sh \
 && groupadd --system --gid 10001 dr \
 && useradd --system --uid 10001 --gid dr --home-dir /var/lib/dr --create-home dr \
 && mkdir -p /etc/dr/policies
ENV DR_PG_BINDIR=/usr/lib/postgresql/${PG_MAJOR}/bin \
    DR_POLICY_DIR=/etc/dr/policies
COPY --from=build /out/ /
COPY examples/policy.yaml /usr/share/doc/dr/example.yaml
USER dr
WORKDIR /var/lib/dr
# tini reaps the orphans of pg_dump, pg_restore and a scratch cluster's postgres, and passes
# SIGTERM on to dr (the worker then stops gracefully).
ENTRYPOINT ["tini", "--", "dr"]
EXPOSE 17187
CMD ["worker", "--listen", "0.0.0.0:17187"]
# The worker's own health, asked by dr itself (no curl in the image); the port is CMD's.
HEALTHCHECK --interval=30s --timeout=15s --start-period=60s --retries=3 \
  CMD ["dr", "worker", "--probe", "http://127.0.0.1:17187/healthz"]
