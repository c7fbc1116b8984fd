# syntax=docker/dockerfile:1
# One image for the API (default command) and the scheduled poller (command overridden to
# `node dist/adapters/runtime/poll-once.js` by the CloudFormation task definition).
#
# Node.js 24, the active LTS, at an exact version: a rebuild gives the same runtime until
# someone changes it here (both stages). Node 20 reached end of life in April 2026, and AWS
# SDK releases from January 2027 need Node 22 or later. The code and tests also run on 20.

FROM node:24.11.1-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Only what runs: the layers of the service (tsconfig.build.json), no tests, scripts or template code.
COPY tsconfig.json tsconfig.build.json ./
COPY domain ./domain
COPY application ./application
COPY adapters ./adapters
RUN npm run build

FROM node:24.11.1-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The page's static files, served from beside dist/ (Leaflet comes from node_modules).
COPY web ./web
# Nothing is written to the image at run time: on AWS the store is DynamoDB, and the task
# definition mounts the root filesystem read-only.
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/adapters/runtime/main.js"]
