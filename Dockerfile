# syntax=docker/dockerfile:1
# gitops-medic: the GitHub App server (`medic serve`). Two stages: the first compiles TypeScript with
# every dependency, the second holds only production dependencies, the compiled dist/ and the bundled
# runbooks, policies and templates, and runs as a non-root user.
# Pin the base image by digest in your own build (node:20-bookworm-slim@sha256:…) for reproducibility.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# `prepare` runs tsc, which needs the sources: install without scripts, then build explicitly.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run tsc, which is not installed here (dist/ comes from the build stage).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY runbooks ./runbooks
COPY policies ./policies
COPY templates ./templates
COPY app.yml ./
# The files stay owned by root and read-only to the app; it writes nowhere but /tmp.
# Numeric user (the image's `node` user) so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
CMD ["node", "bin/medic.js", "serve"]
