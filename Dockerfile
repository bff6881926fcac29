# Sealroom server image. Build: docker build -t sealroom .
# Run:   docker run -p 5000:5000 -v sealroom-data:/data sealroom

# --- build: compile the packages, the server, the web client and the API docs; sqlite3 is compiled here from source ---
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
COPY contracts/package.json contracts/
COPY sdk/package.json sdk/
COPY web/package.json web/
COPY cli/package.json cli/
RUN npm ci
COPY . .
RUN npm run build \
 && npm prune --omit=dev

# --- runtime: production dependencies and build output only, as the unprivileged `node` user ---
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data/resumable && chown -R node:node /data
WORKDIR /app
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=5000
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/spec spec
COPY --from=build /app/asyncapi.yaml /app/PROTOCOL.md ./
# The server's one workspace dependency (@sealroom/contracts) and the web client it serves; not the SDK or CLI.
COPY --from=build /app/contracts/package.json contracts/package.json
COPY --from=build /app/contracts/dist contracts/dist
COPY --from=build /app/web/dist web/dist
USER node
VOLUME /data
EXPOSE 5000
# tini is PID 1: it forwards SIGTERM to Node (which drains requests and closes the database) and reaps zombies.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["node", "dist/src/healthcheck.js"]
