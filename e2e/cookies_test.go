package e2e

import (
	"encoding/json"
	"maps"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/internal/cookiecases"
)

// The page reads cookies_preferences before Go runs (web/embed.js) and Go
// reads it again when it runs: on every case of the shared table
// (consent/testdata/cookies.json, which Go's own test reads too) both give
// what the table says, so that nothing the page accepts is refused by Go.
func TestThePageReadsTheCookieAsGoDoes(t *testing.T) {
	cases, err := cookiecases.Load("../consent/testdata/cookies.json")
	if err != nil {
		t.Fatal(err)
	}
	// Go runs at once on the charter pages, which hold the live charter.
	pages := map[string]string{"pau": hostURL + "/", "mesure": hostURL + "/portails/mesure/"}
	charters := map[string]string{"pau": hostURL + "/charte", "mesure": hostURL + "/portails/mesure/charte"}
	p := newPage(t, 1280, 800)
	// state sets the case's cookie, opens its page and returns what
	// window.consentBanner.get() publishes, once Go runs when goRuns.
	state := func(c cookiecases.Case, goRuns bool) *cookiecases.Want {
		t.Helper()
		p.run(network.DeleteCookies(consent.CookieName).WithURL(hostURL+"/"),
			network.SetCookie(consent.CookieName, c.Value(time.Now())).WithURL(hostURL+"/"))
		if goRuns {
			p.visit(charters[c.Portal])
			t.Logf("%s: waiting for Go", c.Name)
			p.waitGo()
		} else {
			p.visit(pages[c.Portal])
		}
		var published string
		p.eval(`JSON.stringify(consentBanner.get())`, &published)
		var got *cookiecases.Want
		if err := json.Unmarshal([]byte(published), &got); err != nil {
			t.Fatalf("%s: get() gave %s", c.Name, published)
		}
		return got
	}
	check := func(c cookiecases.Case, who string, got *cookiecases.Want) {
		t.Helper()
		switch {
		case c.Want == nil && got != nil:
			t.Errorf("%s: %s read a choice %+v, want none (the banner asks)", c.Name, who, *got)
		case c.Want != nil && got == nil:
			t.Errorf("%s: %s read no choice, want %+v", c.Name, who, *c.Want)
		case c.Want != nil && (!maps.Equal(got.Categories, c.Want.Categories) || got.PlatformBanner != c.Want.PlatformBanner):
			t.Errorf("%s: %s read %+v, want %+v", c.Name, who, *got, *c.Want)
		}
	}
	release := holdWasmResponses(t)
	for _, c := range cases {
		check(c, "the page before Go", state(c, false))
	}
	release()
	for _, c := range cases {
		check(c, "Go", state(c, true))
	}
}
