package e2e

import (
	"maps"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/internal/choicecases"
)

// The dialog's switches keep in step as Go's do on every case of the
// shared table (consent/testdata/switches.json, Go's Portal.SetSwitch):
// a category turning its services, a category on when all its services
// are; before Go runs and with Go.
func TestTheDialogsSwitchesKeepInStepAsGosDo(t *testing.T) {
	cases := sharedTable(t, choicecases.LoadSwitchings, "switches.json")
	portal := onPortalDomain(portalServer(t, nil))
	beforeAndWithGo(t, func(t *testing.T, goRuns bool, who string) {
		for _, c := range cases {
			p := newPage(t, 1280, 800)
			if c.Stored != "" {
				stored, _ := consent.ChoiceOf(partage, c.Stored, nil, time.Now())
				p.run(network.SetCookie(consent.CookieName, stored.Encode(partage)).WithURL(portal + "/"))
			}
			p.visitReady(portal+"/shared.html", goRuns)
			p.eval(`consentBanner.showPreferences()`, nil)
			p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
			for _, key := range c.Clicks {
				p.click(`dialog.cb-dialog input.cb-switch[data-key="` + key + `"]`)
			}
			// Go redraws the switches at its next frame: the visitor sees
			// them in step within it.
			var got map[string]bool
			for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				p.eval(`Object.fromEntries([...document.querySelectorAll("dialog.cb-dialog input.cb-switch")].map(i => [i.dataset.key, i.checked]))`, &got)
				if maps.Equal(got, c.Want) || time.Now().After(deadline) {
					break
				}
			}
			if !maps.Equal(got, c.Want) {
				t.Errorf("%s: %s's switches are %v, want %v", c.Name, who, got, c.Want)
			}
		}
	})
}
