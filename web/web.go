// Package web holds the consent manager's static assets: the embed script
// (embed.js), the stylesheets (banner.css, carried by the embed script, and
// consent.css, for the dialog and the charter), the host's page templates
// (pages/) and, in dist/, what the Makefile builds: the WebAssembly client
// with its brotli and gzip variants and Go's wasm_exec.js.
package web

import "embed"

// Files are the assets, built ones included; the host embeds them all.
//
//go:embed embed.js banner.css consent.css demo.css pages/*.html all:dist
var Files embed.FS
