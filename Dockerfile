# One image for every ledger process; the command picks the service:
#   serve | projectors | kafka-ingest | ingest <file> | replay <projection> | payouts run ...
# The image runs the compiled JavaScript and the built console (`npm run build` → dist/), as
# `npm start` does; its build tools are dev dependencies, pruned after the build. Node is
# the entry point itself: a SIGTERM from `docker stop` reaches the ledger, which stops cleanly
# (requests in flight answered, engine snapshot saved) instead of being killed after the timeout.
FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 (embedded store, engine snapshots) downloads a prebuilt binary; the toolchain is
# only the fallback when none matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY domain ./domain
COPY infra ./infra
COPY projections ./projections
COPY services ./services
COPY workload ./workload
COPY tests/bench ./tests/bench
# The console (SPEC §10): built by Vite into dist/console, where the server looks for it.
COPY console ./console
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    LEDGER_DATA_DIR=/data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# The V8 flags of `npm start`: the old-space cap (the heap collects earlier instead of growing lazily) and
# V8's helper threads sized to the machine's cores, not 4 (README, Running it; Benchmark).
ENTRYPOINT ["node", "--max-old-space-size=256", "--v8-pool-size=0", "dist/services/cli.js"]
CMD ["serve"]
