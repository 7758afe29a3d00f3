// Package deploy holds no Go code: it is the folder of the files that run
// the consent host in production, and of their tests (deploy_test.go).
//
//   - Dockerfile: the container image, FROM scratch around the static
//     binary (make build), run by a numeric user without privileges;
//     rootfs.tar.gz holds its directories, with their owners and modes.
//   - consent-host.service: the systemd unit, with systemd's sandbox.
//   - Caddyfile, nginx.conf: a TLS proxy in front of the host.
//
// README.md in this folder says how to use each. The tests build the image
// with podman and run it (the receipt store on a volume, kept across
// containers), check the unit with systemd-analyze verify and score its
// sandbox with systemd-analyze security; make test runs them.
package deploy
