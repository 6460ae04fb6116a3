#!/usr/bin/env bash
# Builds the OCI image glust:<version> from Debian packages and the Maven build, and writes it to
# target/glust-<version>.oci.tar (podman save --format oci-archive; `podman load` and Docker 25+
# `docker load` read it) and target/glust-<version>.docker.tar (docker-archive: any `docker load`;
# unlike the OCI archive it keeps the HEALTHCHECK, a field the OCI image format lacks).
# See docs/deploy.md.
#
#   packaging/build-image.sh [--skip-maven | --offline] [--rebuild-base]
#
#   --skip-maven    use the existing bootstrap/target/glust.jar instead of running Maven
#   --offline       run Maven offline (-o)
#   --rebuild-base  rebuild the Debian base layer even if it is in local storage already
#
# Needs mmdebstrap, podman and buildah (Debian packages) and the Debian mirror, no registry. Run as
# root (tested); as another user mmdebstrap picks its unshare mode and podman its rootless storage
# (untested). The image is for the machine's architecture (amd64 or arm64: the jar carries the
# embedded PostgreSQL for both).
# Two layers: the base (Debian bookworm, essential packages + openjdk-17-jre-headless, no apt, no
# docs, no man pages, a user glust 10001:10001, /var/lib/glust owned by it), made once with
# mmdebstrap and kept in local storage as glust-base:bookworm-<hash of this script> (--rebuild-base
# for Debian's security updates); the application (the jar) on top.
set -euo pipefail
script=$(realpath "$0")
cd "$(dirname "$script")/.."

skip_maven=false
maven_offline=()
rebuild_base=false
for arg in "$@"; do
  case "$arg" in
    --skip-maven) skip_maven=true ;;
    --offline) maven_offline=(-o) ;;
    --rebuild-base) rebuild_base=true ;;
    *) echo "usage: $0 [--skip-maven | --offline] [--rebuild-base]" >&2; exit 2 ;;
  esac
done
for tool in mmdebstrap podman buildah; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is missing (apt-get install -y mmdebstrap podman buildah)" >&2; exit 1; }
done

suite=bookworm
# Tagged with this script's hash: a change here makes a new base rather than reusing a stale one.
base_image="glust-base:$suite-$(sha256sum "$script" | cut -c1-12)"
uid=10001
data_dir=/var/lib/glust
app_dir=/opt/glust
# The project's own version: the first <version> after the <parent> block of the root pom.
version=$(awk '/<parent>/{p=1} /<\/parent>/{p=0; next} !p && /<version>/ {gsub(/.*<version>|<\/version>.*/, ""); print; exit}' pom.xml)
[ -n "$version" ] || { echo "$0: no project version in pom.xml" >&2; exit 1; }
image="glust:$version"
archive="target/glust-$version.oci.tar"
docker_archive="target/glust-$version.docker.tar"
started=$(date +%s)

if ! $skip_maven; then
  mvn "${maven_offline[@]}" -B -q -DskipTests package
fi
jar=bootstrap/target/glust.jar
[ -f "$jar" ] || { echo "$0: $jar is missing (run without --skip-maven)" >&2; exit 1; }

if $rebuild_base || ! podman image exists "$base_image"; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # essential: Debian's Essential:yes set (coreutils, bash, dpkg, ...) without apt; the JRE and its
  # dependencies (ca-certificates, tzdata, ...) on top. Docs, man pages and translations are not
  # unpacked; copyright files stay. openjdk's postinst registers man pages with
  # update-alternatives, which fails unless man1 exists (an empty directory). The merged-usr hook
  # makes /usr merged with usr-is-merged instead of usrmerge, which would bring perl (50 MB).
  # Two files of the JRE package are dropped: ct.sym (javac's --release data) and the CDS archive
  # for heaps over 32 GB without compressed oops (20 MB together; nothing here uses them).
  mmdebstrap --quiet --variant=essential --include=openjdk-17-jre-headless \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/lintian/*' \
    --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook="echo 'glust:x:$uid:$uid:Glust:$data_dir:/usr/sbin/nologin' >> \"\$1/etc/passwd\"" \
    --customize-hook="echo 'glust:x:$uid:' >> \"\$1/etc/group\"" \
    --customize-hook="mkdir -p \"\$1$data_dir\" \"\$1$app_dir\" && chown $uid:$uid \"\$1$data_dir\"" \
    --customize-hook='rm -f "$1"/usr/lib/jvm/java-17-openjdk-*/lib/ct.sym "$1"/usr/lib/jvm/java-17-openjdk-*/lib/server/classes_nocoops.jsa' \
    --customize-hook='rm -rf "$1"/var/cache/* "$1"/var/lib/apt/lists/* "$1"/var/log/* "$1"/usr/share/man "$1"/usr/share/doc-base' \
    "$suite" "$work/rootfs.tar"
  podman import --quiet "$work/rootfs.tar" "$base_image" >/dev/null
fi

container=$(buildah from --quiet "$base_image")
trap 'buildah rm "$container" >/dev/null 2>&1 || true; rm -rf "${work:-/nonexistent}"' EXIT
buildah copy --quiet --chmod 0444 "$container" "$jar" "$app_dir/glust.jar" >/dev/null
# The health check needs no curl: bash opens the TCP connection itself (/dev/tcp) and checks the
# status line of GET /health/readiness on GLUST_HTTP_PORT.
health='exec 3<>/dev/tcp/127.0.0.1/${GLUST_HTTP_PORT:-8080} && printf "GET /health/readiness HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3 && read -r -t 5 _ status _ <&3 && [ "$status" = 200 ]'
# JDK_JAVA_OPTIONS holds the JVM settings so that `-e JDK_JAVA_OPTIONS=...` replaces them without a
# new entrypoint: heap from the container's memory limit (60%: the rest for direct buffers,
# metaspace, threads and, with the embedded database, PostgreSQL), exit on OOM so the runtime
# restarts the container. The exec-form entrypoint makes java PID 1: SIGTERM reaches it and drains.
buildah config \
  --author "Glust" \
  --label "org.opencontainers.image.title=Glust" \
  --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.licenses=Apache-2.0" \
  --label "org.opencontainers.image.revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env GLUST_DATA_DIR="$data_dir" \
  --env JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError" \
  --user "$uid:$uid" \
  --workingdir "$data_dir" \
  --volume "$data_dir" \
  --port 4317 --port 4318 --port 8080 \
  --stop-signal SIGTERM \
  --entrypoint '["/usr/bin/java", "-jar", "/opt/glust/glust.jar"]' \
  --cmd '[]' \
  --healthcheck "CMD /bin/bash -c '$health'" \
  --healthcheck-interval 10s \
  --healthcheck-timeout 6s \
  --healthcheck-start-period 60s \
  --healthcheck-retries 3 \
  "$container"
# docker format: the OCI image config has no field for HEALTHCHECK, so an OCI-format commit would
# drop it; the docker-format config keeps it.
buildah commit --quiet --format docker --rm "$container" "$image" >/dev/null
trap 'rm -rf "${work:-/nonexistent}"' EXIT

mkdir -p target
rm -f "$archive" "$docker_archive"
podman save --quiet --format oci-archive -o "$archive" "$image"
podman save --quiet --format docker-archive -o "$docker_archive" "$image"
size=$(podman image inspect --format '{{.Size}}' "$image")
echo "built $image ($((size / 1000000)) MB) in $(($(date +%s) - started)) s; archives: $archive, $docker_archive ($(($(stat -c %s "$archive") / 1000000)) MB each)"
