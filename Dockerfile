# syntax=docker/dockerfile:1

# ---- build: install all deps, compile TypeScript, drop dev deps ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

COPY package.json package-lock.json ./
RUN npm ci

COPY . .
RUN npm run build \
 && npm prune --omit=dev \
 && mkdir -p demo/recordings

# ---- runtime: compiled output + production node_modules only ----
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    RECORDINGS_DIR=/app/demo-recordings \
    npm_config_update_notifier=false

COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Demo recordings (if any are committed); also the mount point of the shared volume.
COPY --from=build --chown=node:node /app/demo/recordings ./demo-recordings

USER node
EXPOSE 3000
CMD ["npm", "start"]
