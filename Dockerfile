# The Drone / Woodpecker plugin image (SPEC §5): the committed bundle dist/drone on a Node 24 base, nothing
# else. No package manager runs here, so it builds offline and the image holds no node_modules.
# NODE_IMAGE lets a build use a local or mirrored base (tests use `containers.sh base-image`).
ARG NODE_IMAGE=node:24-alpine
FROM ${NODE_IMAGE}

LABEL org.opencontainers.image.title="build-timings" \
      org.opencontainers.image.description="Records Drone and Woodpecker build timings into an append-only CSV registry branch on GitHub, judges them against budgets and comments on the pull request." \
      org.opencontainers.image.licenses="MIT"

COPY dist/drone/ /app/

# The base image's non-root user; the plugin only reads the workspace and talks to the APIs.
USER node

ENTRYPOINT ["node", "/app/index.js"]
