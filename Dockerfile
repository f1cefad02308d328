# One image for every ledger process; the command picks the service:
#   serve | projectors | kafka-ingest | ingest <file> | replay <projection> | payouts run ...
# tsx runs the server's TypeScript sources; the console (SPEC §10) is built with Vite in a stage
# of its own (its build tools are dev dependencies) and copied to dist/console, where the server
# looks for it (services/http/console.ts).
FROM node:20-slim AS console
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY console ./console
COPY domain ./domain
COPY services/http/consoleRoutes.ts ./services/http/
RUN NODE_ENV=production npx vite build --config console/vite.config.ts

FROM node:20-slim AS deps
WORKDIR /app
# better-sqlite3 (embedded store, engine snapshots) downloads a prebuilt binary; the toolchain is
# only the fallback when none matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    LEDGER_DATA_DIR=/data
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY domain ./domain
COPY infra ./infra
COPY projections ./projections
COPY services ./services
COPY --from=console /app/dist/console ./dist/console
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# A V8 old-space cap makes the heap collect earlier instead of growing lazily (README, Benchmark).
ENV NODE_OPTIONS=--max-old-space-size=256
EXPOSE 8080
ENTRYPOINT ["npx", "tsx", "services/cli.ts"]
CMD ["serve"]
