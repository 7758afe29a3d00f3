package consent_test

import (
	"maps"
	"testing"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/internal/choicecases"
)

// Go keeps the switches in step on every case of the shared table
// (testdata/switches.json): the page's own code is held to it too
// (e2e/switches_test.go).
func TestSwitchCasesSharedWithThePage(t *testing.T) {
	p, cases := sharedTable(t, choicecases.LoadSwitchings, "testdata/switches.json")
	for _, c := range cases {
		on := p.Switches(storedChoice(p, c.Stored))
		for _, key := range c.Clicks {
			p.SetSwitch(on, key, !on[key])
		}
		if !maps.Equal(on, consent.Switches(c.Want)) {
			t.Errorf("%s: %v, want %v", c.Name, on, c.Want)
		}
	}
}
