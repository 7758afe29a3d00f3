// Package web holds the consent manager's static assets: the embed script
// (embed.js) and its second script (loader.js, which starts the
// WebAssembly client), each bundled with the ES modules of src/ it imports
// (src/protocol.ts declares what they and Go say to each other), the
// stylesheets (banner.css, carried by the embed script, and
// consent.css, for the dialog and the charter; demo.css for the host's own
// pages) and the host's page templates (pages/). The host serves what the
// Makefile builds from them in dist/: the minified script and stylesheets,
// the WebAssembly client with its brotli and gzip variants, Go's
// wasm_exec.js.
package web

import "embed"

// Files are the page templates and the built files; the host embeds them.
//
//go:embed pages/*.html all:dist
var Files embed.FS
