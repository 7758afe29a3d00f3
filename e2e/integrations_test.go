package e2e

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// vendorCalls returns the calls the stand-in vendor scripts
// (testdata/portal/vendors) recorded since the last look.
func (p *page) vendorCalls(seen *int) []string {
	p.t.Helper()
	var calls []string
	p.eval(`window.vendorCalls || []`, &calls)
	fresh := calls[min(*seen, len(calls)):]
	*seen = len(calls)
	return fresh
}

const (
	pianoEssential = `piano loaded {"requireConsent":"v2","consent":{"products":["PA"],"defaultPreset":{"PA":"essential"}}}`
	pianoOptIn     = `piano loaded {"requireConsent":"v2","consent":{"products":["PA"],"defaultPreset":{"PA":"opt-in"}}}`
	clarityDenied  = `clarity consentv2 {"ad_Storage":"denied","analytics_Storage":"denied"}`
	clarityGranted = `clarity consentv2 {"ad_Storage":"granted","analytics_Storage":"granted"}`
)

// Matomo, Piano Analytics and Microsoft Clarity, declared in the portal's
// configuration and their tags marked data-integration, get exactly these
// calls (recorded by stand-ins for the vendors' scripts, which cannot be
// fetched here): their defaults before their tags run, then the visitor's
// choice, each change once. For a first visit, a refusal, a consent, a
// withdrawal (Matomo's _pk_ cookies deleted) and a returning visit; with
// the current APIs and with the older ones (Matomo's tracking consent,
// Piano's privacy module).
func TestAnalyticsIntegrationsFollowTheChoice(t *testing.T) {
	for _, c := range []struct {
		page                                         string
		loaded                                       string
		first, refusal, consent, withdrawal, returns []string
	}{{
		page:       "outils",
		loaded:     "window.matomoLoaded && window.pianoLoaded && window.clarityLoaded",
		first:      []string{"matomo requireCookieConsent", "matomo trackPageView", clarityDenied, pianoEssential},
		refusal:    []string{"matomo forgetCookieConsentGiven", "piano consent.setMode opt-out", clarityDenied},
		consent:    []string{"matomo rememberCookieConsentGiven", "piano consent.setMode opt-in", clarityGranted},
		withdrawal: []string{"matomo forgetCookieConsentGiven", "piano consent.setMode opt-out", clarityDenied},
		returns:    []string{"matomo requireCookieConsent", "matomo rememberCookieConsentGiven", "matomo trackPageView", clarityDenied, clarityGranted, pianoOptIn},
	}, {
		page:       "outils-anciens",
		loaded:     "window.matomoLoaded && window.pianoLoaded",
		first:      []string{"matomo requireConsent", "matomo trackPageView", "piano loaded null", "piano privacy.setMode exempt"},
		refusal:    []string{"matomo forgetConsentGiven", "piano privacy.setMode optout"},
		consent:    []string{"matomo rememberConsentGiven", "piano privacy.setMode optin"},
		withdrawal: []string{"matomo forgetConsentGiven", "piano privacy.setMode optout"},
		returns:    []string{"matomo requireConsent", "matomo rememberConsentGiven", "matomo trackPageView", "piano loaded null", "piano privacy.setMode optin"},
	}} {
		t.Run(c.page, func(t *testing.T) {
			portal := portalServer(t, nil)
			url := portal + "/" + c.page + ".html"
			check := func(p *page, seen *int, when string, want []string) {
				t.Helper()
				// The vendors load in any order: each one's calls are
				// compared in theirs.
				byVendor := func(calls []string) map[string][]string {
					m := map[string][]string{}
					for _, call := range calls {
						vendor, _, _ := strings.Cut(call, " ")
						m[vendor] = append(m[vendor], call)
					}
					return m
				}
				got := p.vendorCalls(seen)
				if !maps.EqualFunc(byVendor(got), byVendor(want), slices.Equal) {
					t.Errorf("%s: calls %q, want %q", when, got, want)
				}
			}

			p := newPage(t, 1280, 800)
			p.visit(url)
			p.waitLoader()
			p.run(chromedp.Poll(c.loaded, nil))
			seen := 0
			check(p, &seen, "first visit", c.first)
			p.choose("accept-all")
			check(p, &seen, "Tout accepter", c.consent)
			// The cookie Matomo sets once consented to.
			p.eval(`document.cookie = "_pk_id.1.abcd=visitor; Path=/; Max-Age=3600"; true`, nil)
			p.click("#manage")
			p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
			p.click(`dialog.cb-dialog[open] [data-cb-action="reject-all"]`)
			p.run(chromedp.WaitNotPresent("dialog.cb-dialog[open]", chromedp.ByQuery))
			check(p, &seen, "withdrawal", c.withdrawal)
			if slices.Contains(p.cookieNames(portal), "_pk_id.1.abcd") {
				t.Error("Matomo's _pk_id cookie outlived the withdrawal")
			}

			p.click(`#manage`)
			p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
			p.click(`dialog.cb-dialog[open] [data-cb-action="accept-all"]`)
			p.run(chromedp.WaitNotPresent("dialog.cb-dialog[open]", chromedp.ByQuery))
			p.vendorCalls(&seen)
			p.visit(url)
			p.waitLoader()
			p.run(chromedp.Poll(c.loaded, nil))
			seen = 0
			check(p, &seen, "returning visit", c.returns)

			r := newPage(t, 1280, 800)
			r.visit(url)
			r.waitLoader()
			r.run(chromedp.Poll(c.loaded, nil))
			seen = 0
			r.vendorCalls(&seen)
			r.choose("reject-all")
			check(r, &seen, "Tout refuser", c.refusal)
			if errs := r.consoleErrors(); len(errs) > 0 {
				t.Errorf("console: %q", errs)
			}
		})
	}
}
