package e2e

import (
	"testing"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
)

func builtin(t *testing.T, id string) *consent.Portal {
	t.Helper()
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no built-in portal %q", id)
	return nil
}
