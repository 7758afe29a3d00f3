package consent_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/internal/choicecases"
)

// Go stores every choice of the shared table (testdata/choices.json) as
// the table says, to the byte: the page's own code is held to the same
// table in Chromium (e2e/choices_test.go).
func TestChoiceCasesSharedWithThePage(t *testing.T) {
	p, cases := sharedTable(t, choicecases.Load, "testdata/choices.json")
	if len(cases) < 4 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, c := range cases {
		hostname, pathname := c.Location()
		cookies := c.Cookies
		var previous *consent.Choice
		if c.Before != "" {
			before, ok := consent.ChoiceOf(p, c.Before, nil, time.Now())
			if !ok {
				t.Fatalf("%s: %q makes no choice", c.Name, c.Before)
			}
			previous = &before
			cookies = append(slices.Clone(cookies), consent.CookieName+"="+before.Encode(p))
		}
		switches := map[string]bool{}
		for _, key := range c.Switches {
			switches[key] = true
		}
		choice, ok := consent.ChoiceOf(p, c.Action, switches, time.Now())
		if !ok {
			t.Fatalf("%s: %q makes no choice", c.Name, c.Action)
		}
		s := p.Store(choice, previous, consent.Location{Hostname: hostname, Pathname: pathname}, strings.Join(cookies, "; "))
		if want := choicecases.Writes(c.Want.Writes, choice.Encode(p)); !slices.Equal(s.Assignments, want) {
			t.Errorf("%s: writes\n%q\nwant\n%q", c.Name, s.Assignments, want)
		}
		if got := choice.Categories(p); !maps.Equal(got, c.Want.Categories) {
			t.Errorf("%s: publishes %v, want %v", c.Name, got, c.Want.Categories)
		}
		if !slices.Equal(s.Withdrawn, c.Want.Withdrawn) || !slices.Equal(s.Cleared, c.Want.Cleared) {
			t.Errorf("%s: withdrawn %q and cleared %q, want %q and %q", c.Name, s.Withdrawn, s.Cleared, c.Want.Withdrawn, c.Want.Cleared)
		}
	}
}

// Go opens every case of the shared table (testdata/openings.json) as it
// says: the page's own code is held to it too (e2e/choices_test.go).
func TestOpeningCasesSharedWithThePage(t *testing.T) {
	p, cases := sharedTable(t, choicecases.LoadOpenings, "testdata/openings.json")
	for _, c := range cases {
		got := p.Opening(storedChoice(p, c.Stored), c.GPC)
		if got.Asks != c.Want.Asks || got.GPC != c.Want.GPC || !maps.Equal(got.Categories, c.Want.Categories) {
			t.Errorf("%s: %+v, want %+v", c.Name, got, c.Want)
		}
	}
}

// storedChoice is the choice a shared table's case stores before it
// begins: the one action makes (consent.ChoiceOf), or none for "".
func storedChoice(p *consent.Portal, action string) *consent.Choice {
	if action == "" {
		return nil
	}
	c, _ := consent.ChoiceOf(p, action, nil, time.Now())
	return &c
}

// sharedTable reads a table of cases the page runs too, with load, and the
// portal of testdata it names.
func sharedTable[T any](t *testing.T, load func(string) (string, []T, error), path string) (*consent.Portal, []T) {
	t.Helper()
	id, cases, err := load(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := consent.LoadFile("testdata/" + id + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return p, cases
}
