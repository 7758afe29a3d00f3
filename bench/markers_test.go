package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The pages the Makefile's bench targets refresh hold the markers each
// mode writes between: docs/performance.md the benchmark's, the
// statistics', Lighthouse's and the load run's, docs/testing.md the fuzz
// run's.
func TestTheDocsHoldTheMarkersTheBenchWrites(t *testing.T) {
	for doc, modes := range map[string][]string{
		"../docs/performance.md": {"all", "stats", "load", "lighthouse"},
		"../docs/testing.md":     {"fuzz"},
	} {
		for _, mode := range modes {
			if err := checkMarkers(doc, markersOf[mode]...); err != nil {
				t.Errorf("-mode %s: %v", mode, err)
			}
		}
	}
}

// A table replaces what its markers held, and nothing else.
func TestReplaceBetweenMarkers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "page.md")
	page := "before\n<!-- bench -->\nold\n<!-- stats -->\nold stats\n<!-- /stats -->\n<!-- /bench -->\nafter\n"
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := replaceBetweenMarkers(path, "stats", "new stats"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := strings.Replace(page, "old stats", "new stats", 1); string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if err := replaceBetweenMarkers(path, "load", "table"); err == nil || !strings.Contains(err.Error(), "<!-- load -->") {
		t.Errorf("a page without the load markers: %v", err)
	}
}
