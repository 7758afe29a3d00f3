package main

import "runtime/debug"

// version is the host's version when the build sets it:
//
//	go build -ldflags "-X main.version=v1.4.0" ./cmd/consent-host
//
// Without it, hostVersion reads it from the build.
var version string

// hostVersion is the host's version: the one the build set (version), or
// the main module's, or else the commit it was built from, with
// "+modified" when the work tree had changes; "(devel)" when the build
// recorded none of them (go build -buildvcs=false).
func hostVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var revision string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision == "" {
		return "(devel)"
	}
	if modified {
		revision += "+modified"
	}
	return revision
}
