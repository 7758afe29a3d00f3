#!/usr/bin/env bash
# Makes sure podman is there for the test that builds and runs the
# container image of deploy/Dockerfile (TestImage in deploy/), installing
# Debian's packages when this machine can (root with apt-get); says what to
# do otherwise. Besides podman: runc (Debian 12's crun refuses machines whose
# cgroup v2 hierarchy holds a controller next to the v1 ones) and
# slirp4netns (the test publishes a port without a bridge or firewall
# rules). The test keeps its images, containers and volumes in a temporary
# directory: no registry, no daemon, nothing left on the machine.
set -euo pipefail
missing=()
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v slirp4netns >/dev/null 2>&1 || missing+=(slirp4netns)
[ ${#missing[@]} = 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "podman, runc or slirp4netns is missing: installing Debian's ${missing[*]} (the test of deploy/Dockerfile needs them)"
  apt-get update -qq -o DPkg::Lock::Timeout=600
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
  command -v podman >/dev/null 2>&1 && command -v runc >/dev/null 2>&1 && command -v slirp4netns >/dev/null 2>&1 && exit 0
fi
echo "The test of deploy/Dockerfile needs podman, runc and slirp4netns. Install them with: sudo apt-get install -y podman runc slirp4netns" >&2
exit 1
