# syntax=docker/dockerfile:1
# Watchword's image: built with the dev dependencies, run with the production ones only, as a
# non-root user, on a read-only root filesystem (everything it writes goes to the /data volume).
# NODE_IMAGE may name a local or mirrored Node 20 image on Debian bookworm (the tests pass one when
# no registry is reachable; see README "Packaging").
ARG NODE_IMAGE=docker.io/library/node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 12 (the line that runs on Node 20) compiles when no prebuilt binary can be
# downloaded; argon2, sharp and better-sqlite3 13 ship theirs in their packages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Node's own headers, shipped in the image, rather than a download from nodejs.org.
ENV npm_config_nodedir=/usr/local
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
# Build, then drop the dev dependencies in place: the native modules already built are kept.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    WATCHWORD_HOST=0.0.0.0 \
    WATCHWORD_PORT=8080 \
    WATCHWORD_DATA_DIR=/data
# A fixed uid/gid, so that a volume's owner can be set from outside (chown 10001:10001).
RUN groupadd --system --gid 10001 watchword \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin watchword \
 && install -d -o 10001 -g 10001 -m 0700 /data
WORKDIR /app
# Owned by root and not writable by the user that runs it.
COPY --from=build /src/package.json /src/package-lock.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY packaging/healthcheck.mjs ./packaging/healthcheck.mjs
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "/app/packaging/healthcheck.mjs"]
ENTRYPOINT ["node", "/app/dist/node/cli/main.js"]
CMD ["serve"]
