//go:build js && wasm

package bridge

import (
	"syscall/js"
	"time"

	"github.com/opendata-consent/consent/consent"
)

// StoredChoice reads the visitor's choice from document.cookie.
func StoredChoice(p *consent.Portal) (consent.Choice, error) {
	return consent.StoredChoice(js.Global().Get("document").Get("cookie").String(), p, time.Now())
}

// WriteChoice stores c in the cookies_preferences cookie of the page's own
// origin, after deleting any stale copy at another path or domain, so that
// a malformed or duplicated cookie is repaired by the next choice.
func WriteChoice(p *consent.Portal, c consent.Choice) {
	location := js.Global().Get("location")
	doc := js.Global().Get("document")
	for _, assignment := range consent.ClearEverywhere(consent.CookieName, location.Get("hostname").String(), location.Get("pathname").String()) {
		doc.Set("cookie", assignment)
	}
	doc.Set("cookie", consent.SetCookie(p, c, location.Get("protocol").String() == "https:"))
}

// ClearRefused deletes the cookies that c refuses (those the configuration
// lists under a refused category) for the page's host, its domain and its
// parent domain, and returns their names.
func ClearRefused(p *consent.Portal, c consent.Choice) []string {
	doc := js.Global().Get("document")
	hostname := js.Global().Get("location").Get("hostname").String()
	cleared := p.CookiesToClear(c, consent.CookieNames(doc.Get("cookie").String()))
	for _, name := range cleared {
		for _, assignment := range consent.ClearCookie(name, hostname) {
			doc.Set("cookie", assignment)
		}
	}
	return cleared
}
