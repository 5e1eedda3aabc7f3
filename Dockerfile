# The Drone / Woodpecker plugin image (drone-plugin/README.md "The image", docs/security.md): the committed bundle dist/drone on a distroless
# Node 24 base, nothing else: no shell, no package manager, so it builds offline, holds no node_modules and
# gives an attacker in the step nothing to run. NODE_IMAGE lets a build use a local or mirrored base (tests
# use `containers.sh base-image`); a node:24-alpine base still works, as `node` is found on either's PATH.
ARG NODE_IMAGE=gcr.io/distroless/nodejs24-debian12:nonroot
FROM ${NODE_IMAGE}

LABEL org.opencontainers.image.title="build-timings" \
      org.opencontainers.image.description="Records Drone and Woodpecker build timings into an append-only CSV registry branch on GitHub, judges them against budgets and comments on the pull request." \
      org.opencontainers.image.licenses="MIT"

# Owned by root and read-only for the user that runs it: the plugin never writes next to itself.
COPY --chmod=0555 dist/drone/ /app/

# distroless keeps node at /nodejs/bin/node, outside the usual PATH.
ENV PATH=/nodejs/bin:${PATH} \
    NODE_ENV=production

# A fixed non-root UID (distroless's `nonroot`), whatever users the base defines. The plugin reads the
# workspace and writes only the card (DRONE_CARD_PATH) and the system temp dir, so the container runs with
# --read-only and --user 65532.
USER 65532:65532

ENTRYPOINT ["node", "/app/index.js"]
