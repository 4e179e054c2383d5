#!/usr/bin/env bash
# Builds the services' base image WITHOUT a Docker daemon or registry: Debian 12 (bookworm, minbase)
# with OpenJDK 17 JRE (headless) from Debian's own packages, written as a `docker save`-format tarball
# (manifest.json, config, one gzipped layer) that Jib reads as `tar://...` and `docker load` accepts.
#
#   sudo deploy/base-image/build-base-image.sh [output.tar]
#     default output: deploy/base-image/target/jre17-bookworm.tar (what the root pom's Jib config reads)
#   env: DEBIAN_MIRROR (default http://deb.debian.org/debian), DEBIAN_SUITE (default bookworm)
#
# Needs root (debootstrap chroots and mounts /proc), debootstrap, tar, gzip, sha256sum, python3.
# About 3-6 minutes and ~1 GB of scratch space; the tarball is ~90 MB.
#
# This exists because the build machine has no internet registry access. Where a registry is
# reachable, use a maintained JRE image instead and skip this script:
#   mvn ... jib:buildTar -Djib.from.image=eclipse-temurin:17-jre
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUTPUT="${1:-$ROOT/deploy/base-image/target/jre17-bookworm.tar}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE="${DEBIAN_SUITE:-bookworm}"
TAG="jit-broker/jre17-base:$SUITE"
# The services' user (uid 10001, primary group 0 so it can write the group-0 directories the image
# makes group-writable, the convention for images run under arbitrary uids).
APP_UID=10001
JAVA_HOME_DIR=/usr/lib/jvm/java-17-openjdk-amd64

die() { echo "build-base-image: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap)"
for tool in debootstrap tar gzip sha256sum python3; do
  command -v "$tool" >/dev/null || die "$tool is required (apt-get install $tool)"
done

WORK="$(mktemp -d /var/tmp/jit-base-image.XXXXXX)"
ROOTFS="$WORK/rootfs"
unmount_pseudo_filesystems() {
  local fs
  for fs in proc sys; do
    if mountpoint -q "$ROOTFS/$fs" 2>/dev/null; then umount -l "$ROOTFS/$fs"; fi
  done
}
cleanup() {
  unmount_pseudo_filesystems
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "build-base-image: debootstrap $SUITE (minbase + openjdk-17-jre-headless, curl for health checks over TLS) from $MIRROR"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates,curl \
  "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
  || { tail -30 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }

mountpoint -q "$ROOTFS/proc" || mount -t proc proc "$ROOTFS/proc"
chroot "$ROOTFS" "$JAVA_HOME_DIR/bin/java" -version 2>&1 | sed 's/^/build-base-image:   /' \
  || die "the JRE in the rootfs does not run"
JAVA_VERSION="$(chroot "$ROOTFS" dpkg-query -W -f='${Version}' openjdk-17-jre-headless)"

# The service user, and nothing the image does not need at run time.
echo "jitbroker:x:$APP_UID:0:jit-broker service:/nonexistent:/usr/sbin/nologin" >>"$ROOTFS/etc/passwd"
echo "jitbroker:!:19000::::::" >>"$ROOTFS/etc/shadow"
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb \
  "$ROOTFS"/var/log/* "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
  "$ROOTFS"/tmp/* "$ROOTFS"/root/.bash_history
unmount_pseudo_filesystems

# One layer: the whole root filesystem (a container runtime provides /dev, /proc and /sys).
LAYER="$WORK/layer.tar"
tar --numeric-owner --sort=name --xattrs -C "$ROOTFS" \
  --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$LAYER" .
DIFF_ID="sha256:$(sha256sum "$LAYER" | cut -d' ' -f1)"
mkdir -p "$WORK/image"
gzip -n -6 -c "$LAYER" >"$WORK/image/layer.tar.gz"
rm -f "$LAYER"

python3 - "$WORK/image" "$DIFF_ID" "$TAG" "$JAVA_HOME_DIR" "$SUITE" "$JAVA_VERSION" <<'PY'
import datetime, hashlib, json, os, sys
image_dir, diff_id, tag, java_home, suite, java_version = sys.argv[1:]
created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
config = {
    "architecture": "amd64",
    "os": "linux",
    "created": created,
    "config": {
        "Env": [
            "PATH=" + java_home + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "JAVA_HOME=" + java_home,
            "LANG=C.UTF-8",
        ],
        "WorkingDir": "/",
        "Labels": {
            "org.opencontainers.image.description":
                "Debian " + suite + " minbase with openjdk-17-jre-headless " + java_version
                + ", built by jit-broker deploy/base-image/build-base-image.sh",
        },
    },
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created": created, "created_by": "debootstrap --variant=minbase " + suite
                 + " + openjdk-17-jre-headless (deploy/base-image/build-base-image.sh)"}],
}
raw = json.dumps(config, indent=2).encode()
config_name = hashlib.sha256(raw).hexdigest() + ".json"
with open(os.path.join(image_dir, config_name), "wb") as out:
    out.write(raw)
with open(os.path.join(image_dir, "manifest.json"), "w") as out:
    json.dump([{"Config": config_name, "RepoTags": [tag], "Layers": ["layer.tar.gz"]}], out)
PY

mkdir -p "$(dirname "$OUTPUT")"
CONFIG_FILE="$(cd "$WORK/image" && ls -- *.json | grep -vx manifest.json)"
tar --numeric-owner --owner=0 --group=0 -C "$WORK/image" -cf "$OUTPUT.partial" manifest.json "$CONFIG_FILE" layer.tar.gz
mv "$OUTPUT.partial" "$OUTPUT"
echo "build-base-image: $OUTPUT ($(du -h "$OUTPUT" | cut -f1), $TAG, openjdk-17-jre-headless $JAVA_VERSION)"
