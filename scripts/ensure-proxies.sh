#!/usr/bin/env bash
# Makes sure nginx and Caddy are there for the test that puts each in front
# of the host with the configurations of deploy/ (TestBehindTLSProxies in
# cmd/consent-host), installing Debian's packages when this machine can (root
# with apt-get); says what to do otherwise. The test runs them itself, as
# subprocesses on loopback ports: the system services are not needed.
set -euo pipefail
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v caddy >/dev/null 2>&1 || missing+=(caddy)
[ ${#missing[@]} = 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "nginx or Caddy is missing: installing Debian's ${missing[*]} (the test of deploy/nginx.conf and deploy/Caddyfile needs them)"
  apt-get update -qq -o DPkg::Lock::Timeout=600
  # nginx-light is the smallest build with TLS and HTTP/2; nginx, its
  # successor on newer releases, does as well.
  if [[ " ${missing[*]} " == *" nginx-light "* ]] && ! apt-cache show nginx-light >/dev/null 2>&1; then
    missing=("${missing[@]/nginx-light/nginx}")
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
  if [ -d /run/systemd/system ]; then
    echo "Debian starts the nginx and caddy services it installs, on port 80; the test needs neither (systemctl disable --now nginx caddy stops them)"
  fi
  { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } && command -v caddy >/dev/null 2>&1 && exit 0
fi
echo "The test of deploy/nginx.conf and deploy/Caddyfile needs nginx and Caddy. Install them with: sudo apt-get install -y nginx-light caddy (nginx on releases without nginx-light; Caddy also from https://caddyserver.com/docs/install)" >&2
exit 1
