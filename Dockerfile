# syntax=docker/dockerfile:1
# The connector service. Build:  docker build -t cosell-connector .
# Run (settings and secrets from the environment, the SQLite store on a volume; docs/OPERATIONS.md):
#   docker run -d --name cosell --env-file /etc/cosell/connector.env -v cosell-data:/var/lib/cosell \
#     -p 8787:8787 --stop-timeout 60 cosell-connector

# Node 22.13 or later: node:sqlite (the store) is available without a flag from 22.13.
ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: all dependencies, then the TypeScript compiled to dist/ ---
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Install scripts stay on: the `node` devDependency that `npm run` puts first on PATH is fetched by one.
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
# The connector alone: tsconfig.build.json compiles no test, fixture or sandbox stand-in into dist/.
COPY connector ./connector
RUN npm run build:connector

# --- deps: production dependencies only; none of them needs an install script ---
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime: Node, production dependencies and dist/, run as the unprivileged `node` user ---
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="Partner Center co-sell connector" \
      org.opencontainers.image.description="Syncs Salesforce opportunities with Microsoft Partner Center referrals."
ENV NODE_ENV=production \
    # node:sqlite prints an ExperimentalWarning on stderr at start; keep stderr for real problems.
    NODE_OPTIONS=--disable-warning=ExperimentalWarning \
    # Listen on every interface inside the container; publish the port (or put a TLS proxy) in front.
    COSELL_HOST=0.0.0.0 \
    COSELL_PORT=8787 \
    COSELL_STORE_PATH=/var/lib/cosell/cosell.sqlite \
    COSELL_PC_TOKEN_CACHE_FILE=/var/lib/cosell/partner-center-token.json
WORKDIR /app
# The volume's mount point must exist, owned by the user, before VOLUME: a new named volume copies its owner.
RUN mkdir -p /var/lib/cosell && chown node:node /var/lib/cosell && chmod 0700 /var/lib/cosell
# package.json marks dist/ as ES modules; code stays root-owned, so the service cannot rewrite itself.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY deploy/healthcheck.mjs ./deploy/healthcheck.mjs
USER node
VOLUME ["/var/lib/cosell"]
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "deploy/healthcheck.mjs"]
# `docker run <image> status` or `docker exec cosell node dist/connector/cli/index.js dead-letters list` reach the
# other commands; SIGTERM (docker stop) shuts down gracefully, handing unfinished work back to the queue.
ENTRYPOINT ["node", "dist/connector/cli/index.js"]
CMD ["start"]
