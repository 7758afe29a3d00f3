package e2e

import (
	"maps"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/internal/choicecases"
)

// The page opens as Go does on every case of the shared table
// (consent/testdata/openings.json, Go's Portal.Opening): whether the
// banner asks, and what it publishes, with Global Privacy Control or
// without, a choice stored or none; before Go runs and with Go.
func TestThePageOpensAsGoDoes(t *testing.T) {
	cases := sharedTable(t, choicecases.LoadOpenings, "openings.json")
	portal := onPortalDomain(portalServer(t, nil))
	beforeAndWithGo(t, func(t *testing.T, goRuns bool, who string) {
		for _, c := range cases {
			p := newPage(t, 1280, 800)
			if c.GPC {
				p.beforeEveryPage(`Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true })`)
			}
			if c.Stored != "" {
				stored, _ := consent.ChoiceOf(partage, c.Stored, nil, time.Now())
				p.run(network.SetCookie(consent.CookieName, stored.Encode(partage)).WithURL(portal + "/"))
			}
			p.visitReady(portal+"/shared.html", goRuns)
			var got struct {
				State *struct {
					GPC        bool
					Categories map[string]bool
				}
			}
			p.eval(`({ state: consentBanner.get() })`, &got)
			asks := p.bannerVisible()
			gpc := got.State != nil && got.State.GPC
			var categories map[string]bool
			if got.State != nil {
				categories = got.State.Categories
			}
			if asks != c.Want.Asks || gpc != c.Want.GPC || !maps.Equal(categories, c.Want.Categories) {
				t.Errorf("%s: %s asks %v, publishes gpc %v and %v; want %v, %v and %v", c.Name, who, asks, gpc, categories, c.Want.Asks, c.Want.GPC, c.Want.Categories)
			}
		}
	})
}
