# One image for every service (migrate, processor, api); docker-compose.yml picks the command.
# Build: docker build -t openledger-indexer .

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY abi ./abi
COPY schema ./schema
COPY migrations ./migrations
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/lib ./lib
COPY --from=build --chown=node:node /app/abi ./abi
COPY --from=build --chown=node:node /app/schema ./schema
COPY --from=build --chown=node:node /app/migrations ./migrations
USER node
# GraphQL API (node lib/api/main.js), its metrics (API_METRICS_PORT in docker-compose.yml) and the
# processor's Prometheus metrics.
EXPOSE 4350 9091 3000
CMD ["node", "--max-semi-space-size=64", "lib/api/main.js"]
