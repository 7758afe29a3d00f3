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
//
// After each click the visitor sees the switches in step (Go redraws them
// at its next frame) before clicking the next one, as a visitor reads a
// switch before turning it: the switches are checked against Go's model
// after every click, not only after the last.
func TestTheDialogsSwitchesKeepInStepAsGosDo(t *testing.T) {
	cases := sharedTable(t, choicecases.LoadSwitchings, "switches.json")
	portal := onPortalDomain(portalServer(t, nil))
	beforeAndWithGo(t, func(t *testing.T, goRuns bool, who string) {
		for _, c := range cases {
			p := newPage(t, 1280, 800)
			var stored *consent.Choice
			if c.Stored != "" {
				choice, _ := consent.ChoiceOf(partage, c.Stored, nil, time.Now())
				stored = &choice
				p.run(network.SetCookie(consent.CookieName, choice.Encode(partage)).WithURL(portal + "/"))
			}
			p.visitReady(portal+"/shared.html", goRuns)
			p.eval(`consentBanner.showPreferences()`, nil)
			p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
			want := partage.Switches(stored)
			for i, key := range c.Clicks {
				p.click(`dialog.cb-dialog input.cb-switch[data-key="` + key + `"]`)
				partage.SetSwitch(want, key, !want[key])
				if i == len(c.Clicks)-1 && !maps.Equal(want, c.Want) {
					t.Fatalf("%s: Go's model gives %v, the table %v (go test ./consent)", c.Name, want, c.Want)
				}
				if got := switchesInStep(p, want); !maps.Equal(got, want) {
					t.Errorf("%s: after clicking %s, %s's switches are %v, want %v", c.Name, key, who, got, want)
					break
				}
			}
		}
	})
}

// switchesInStep reads the dialog's switches until they are want, for two
// seconds at most (Go redraws them at its next frame), and returns the last
// reading.
func switchesInStep(p *page, want map[string]bool) map[string]bool {
	var got map[string]bool
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		p.eval(`Object.fromEntries([...document.querySelectorAll("dialog.cb-dialog input.cb-switch")].map(i => [i.dataset.key, i.checked]))`, &got)
		if maps.Equal(got, want) || time.Now().After(deadline) {
			return got
		}
	}
}
