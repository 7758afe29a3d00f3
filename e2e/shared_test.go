package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/opendata-consent/consent/consent"
)

// A portal whose choice holds across its own sites (cookieDomain): a
// refusal on www.portail.consent.test, where a stale host-only copy of the
// cookie sat, leaves one cookie, for the domain; data.portail.consent.test
// then asks nothing, publishes the refusal, Opendatasoft's own code reads
// it there, and its charter says where the choice holds.
func TestAChoiceHoldsAcrossThePortalsSites(t *testing.T) {
	server := portalServer(t, nil)
	port := server[strings.LastIndex(server, ":"):]
	www, data := "http://www.portail.consent.test"+port, "http://data.portail.consent.test"+port
	p := newPage(t, 1280, 800)
	p.run(network.SetCookie(consent.CookieName, "stale").WithURL(www + "/"))
	p.visit(www + "/shared.html")
	p.waitLoader()
	p.click(`.cb-banner [data-cb-action="reject-all"]`)
	var copies int
	p.run(chromedp.Poll(`document.cookie.split("; ").filter(c => c.startsWith("`+consent.CookieName+`=")).length`, &copies))
	if copies != 1 {
		t.Errorf("on www, %d copies of the cookie after the choice, want 1 (the stale host-only one deleted)", copies)
	}

	p.visit(data + "/opendatasoft.html?portal=partage")
	p.waitLoader()
	var state struct {
		Categories map[string]bool
	}
	var platformAllowsGA bool
	p.eval(`consentBanner.get()`, &state)
	p.eval(`platformAllows("ga")`, &platformAllowsGA)
	if p.bannerVisible() || state.Categories["statistics"] || !state.Categories["necessary"] || platformAllowsGA {
		t.Errorf("on data, the banner shows %v, the page publishes %v, Opendatasoft's code allows ga %v: the choice made on www does not hold", p.bannerVisible(), state.Categories, platformAllowsGA)
	}

	p.visit(data + "/opendatasoft.html?portal=partage&charte")
	p.waitGo()
	var scope string
	p.run(chromedp.Text(".cb-charter .cb-cookie-scope", &scope, chromedp.ByQuery))
	if scope != "Ce choix vaut pour tous les sites de portail.consent.test." {
		t.Errorf("the charter says %q", scope)
	}
	p.run(chromedp.ScrollIntoView(".cb-charter .cb-cookie-scope", chromedp.ByQuery))
	p.screenshot("charter-shared-choice")
}
