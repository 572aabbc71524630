# Folio in a container: a release build on the official Swift image, then a slim runtime.
#   docker build -t folio .
#   docker run -p 8080:8080 -v folio-data:/data -e FOLIO_PUBLIC_URL=https://files.example.com folio
FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
RUN swift build -c release --product folio --static-swift-stdlib \
    && mkdir /out \
    && cp .build/release/folio /out/ \
    && cp -R .build/release/folio_FolioCore.resources .build/release/folio_FolioServer.resources /out/

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libcurl4 libxml2 tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /data --shell /usr/sbin/nologin folio \
    && mkdir /data && chown folio /data
COPY --from=build /out/ /app/
USER folio
ENV FOLIO_DATA=/data FOLIO_HOST=0.0.0.0 FOLIO_PORT=8080 FOLIO_LOG_FORMAT=json
EXPOSE 8080
VOLUME /data
HEALTHCHECK --interval=30s --timeout=5s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ready <&3"]
ENTRYPOINT ["/app/folio"]
CMD ["serve"]
