# syntax=docker/dockerfile:1
# Agora's production image: the bot as compiled JavaScript (`npm run build`) on Node 20, with
# production dependencies only, as a non-root user. Build: docker build -t agora .
# Run: docker run --env-file .env -v agora-data:/app/data agora   (or compose.yaml: bot + PostgreSQL)

# The toolchain better-sqlite3 falls back to when no prebuilt binary fits the platform.
FROM node:20-slim AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

# Compile with the dev dependencies (TypeScript); only dist/ leaves this stage.
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build

# Production dependencies only, native modules built here, so the runtime image carries no compiler.
FROM toolchain AS deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# package.json says "type": "module": dist/ is ES modules.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The shipped corpus; mount your own over /app/corpus (or set CORPUS_DIR) to serve another.
COPY corpus ./corpus
# data/: the SQLite database, index snapshots and the embeddings cache (DATABASE_PATH, INDEX_SNAPSHOT_DIR, EMBEDDINGS_CACHE_PATH).
RUN mkdir -p data && chown node:node data
USER node
VOLUME ["/app/data"]
# The bot needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (--env-file .env); without a token start.js
# would open the playground, which listens on 127.0.0.1 inside the container only.
# Node itself is PID 1 (no npm, no shell): SIGTERM reaches the bot, which finishes interactions in flight.
CMD ["node", "dist/src/start.js"]
