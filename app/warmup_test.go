package app_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/app"
	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
)

// The warm-up runs every step of the client's start, whatever the visitor's
// cookie says: a step it skipped would be compiled on the page's main thread
// again, in the long tasks the worker is there to shorten. What it cannot
// run is said.
func TestWarmUpRunsEveryStep(t *testing.T) {
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	const page = "https://opendata.pau.fr/pages/charte-cookies/"
	// Pau with audience measurement exempt from consent, which a refusal
	// leaves on.
	exempt := *list[0]
	exempt.ID = "pau-exempt"
	audience := exempt.Categories[1]
	audience.ID, audience.Exempt = "audience", &consent.Exemption{OwnAudienceOnly: true}
	exempt.Categories = append(slices.Clone(exempt.Categories), audience)
	for _, p := range append(list, &exempt) {
		config, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		accepted, _, _ := strings.Cut(consent.SetCookie(p, consent.AcceptAll(p, time.Now()), consent.Location{Secure: true}), ";")
		for name, cookie := range map[string]string{
			"first visit": "",
			"accepted":    accepted,
			"malformed":   consent.CookieName + "=%7Bnot-json",
			"two copies":  accepted + "; " + consent.CookieName + "=x",
		} {
			if err := app.WarmUp(config, "fr", cookie, page); err != nil {
				t.Errorf("%s, %s: %v", p.ID, name, err)
			}
		}
	}
	if err := app.WarmUp([]byte(`{"id":`), "fr", "", page); err == nil || !strings.Contains(err.Error(), "configuration") {
		t.Errorf("a configuration cut short: %v, want an error naming it", err)
	}
	config, _ := json.Marshal(list[0])
	if err := app.WarmUp(config, "fr", "", "http://[::1"); err == nil || !strings.Contains(err.Error(), "address") {
		t.Errorf("an address that does not parse: %v, want an error naming it", err)
	}
}
