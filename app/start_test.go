package app_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/app"
	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
)

// recordingPage is an app.Page that hands out the cookie it was given and
// records what the start and the root ask of it.
type recordingPage struct {
	cookie string
	yields int
	stores []stored
}

type stored struct {
	choice   consent.Choice
	previous *consent.Choice
}

func (r *recordingPage) PublishStored(p *consent.Portal) (*consent.Choice, bool) {
	if c, err := consent.StoredChoice(r.cookie, p, time.Now()); err == nil {
		return &c, false
	}
	return nil, false
}

func (r *recordingPage) Yield() { r.yields++ }

func (r *recordingPage) Store(p *consent.Portal, c consent.Choice, previous *consent.Choice) {
	r.stores = append(r.stores, stored{c, previous})
}

// The start decodes the configuration, gives the page its thread back, and
// returns a root that continues from the stored choice and stores every
// choice on the page, with the one it replaces (for consent:change's
// "withdrawn").
func TestStartMakesARootThatStoresEachChoiceOnThePage(t *testing.T) {
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p := list[0]
	config, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	accepted := consent.AcceptAll(p, time.Now())
	cookie, _, _ := strings.Cut(consent.SetCookie(p, accepted, consent.Location{Secure: true}), ";")
	page := &recordingPage{cookie: cookie}
	root, err := app.Start(config, "en-GB", page)
	if err != nil {
		t.Fatal(err)
	}
	if page.yields != 1 || root.Lang != "en" || !root.Live || root.Stored == nil || root.Stored.ID != accepted.ID || root.Choices != page {
		t.Fatalf("after the start: %d yields, root in %q, live %v, stored %+v, choices stored by %T; want 1 yield, a live root in en continuing from the stored choice, storing on the page",
			page.yields, root.Lang, root.Live, root.Stored, root.Choices)
	}

	root.Decide(app.ActionRejectAll)
	root.Decide(app.ActionAcceptAll)
	if len(page.stores) != 2 {
		t.Fatalf("%d choices stored, want 2", len(page.stores))
	}
	refusal, acceptance := page.stores[0], page.stores[1]
	if refusal.choice.Accepted["statistics"] || refusal.previous == nil || refusal.previous.ID != accepted.ID {
		t.Errorf("Tout refuser stored %+v in place of %+v, want a refusal in place of the stored acceptance", refusal.choice, refusal.previous)
	}
	if !acceptance.choice.Accepted["statistics"] || acceptance.previous == nil || acceptance.previous.ID != refusal.choice.ID {
		t.Errorf("Tout accepter stored %+v in place of %+v, want an acceptance in place of the refusal", acceptance.choice, acceptance.previous)
	}
	if root.Stored == nil || root.Stored.ID != acceptance.choice.ID {
		t.Errorf("the root shows %+v, want the last choice stored", root.Stored)
	}
}

// A configuration that does not decode stops the start before its first
// yield, with an error naming it; the host's root, with no store, decides
// all the same.
func TestStartStopsOnABadConfigurationAndARootNeedsNoStore(t *testing.T) {
	page := &recordingPage{}
	if _, err := app.Start([]byte(`{"id":`), "fr", page); err == nil || !strings.Contains(err.Error(), "configuration") || page.yields != 0 {
		t.Errorf("a configuration cut short: %v after %d yields, want an error naming it before any", err, page.yields)
	}
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	root := &app.Root{Portal: list[0], Lang: "fr"}
	root.Decide(app.ActionRejectAll)
	if root.Stored == nil || root.Stored.Accepted["statistics"] {
		t.Errorf("a root with no store shows %+v after Tout refuser, want the refusal", root.Stored)
	}
}
