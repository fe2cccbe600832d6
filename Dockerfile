# PbxHub in a container: the self-contained single-file binary of scripts/publish.sh on Microsoft's runtime-deps
# image (glibc, ICU, tzdata, CA certificates; no .NET). NOT BUILT OR RUN HERE: Docker does not run on the machine
# this was written on; see docs/deployment.md §12 for what was and was not tried.
#   docker build -t pbxhub .            (docker buildx build --platform linux/arm64 … for arm64)
#   docker run -p 8080:8080 -v pbxhub-data:/var/lib/pbxhub pbxhub
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
COPY . .
RUN rid="linux-$([ "$TARGETARCH" = "arm64" ] && echo arm64 || echo x64)" \
 && PBXHUB_PUBLISH_DIR=/out ./scripts/publish.sh "$rid" \
 && cp "/out/$rid/pbxhub" /pbxhub

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
COPY --from=build /pbxhub /usr/local/bin/pbxhub
# The data folder (SQLite database and the key ring, data/keys) is the volume; the single-file binary unpacks
# SQLite's native library under DOTNET_BUNDLE_EXTRACT_BASE_DIR at first start. The image's user "app" (uid 1654)
# owns both.
RUN mkdir -p /var/lib/pbxhub/data /var/lib/pbxhub/.bundle && chown -R app:app /var/lib/pbxhub
ENV DOTNET_BUNDLE_EXTRACT_BASE_DIR=/var/lib/pbxhub/.bundle
WORKDIR /var/lib/pbxhub
USER app
VOLUME /var/lib/pbxhub
EXPOSE 8080
# No HEALTHCHECK: the image has no curl; point the orchestrator at /readyz (200 once the database is migrated).
ENTRYPOINT ["/usr/local/bin/pbxhub"]
CMD ["serve", "--data", "/var/lib/pbxhub/data", "--urls", "http://0.0.0.0:8080"]
