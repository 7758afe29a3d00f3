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
// origin.
func WriteChoice(p *consent.Portal, c consent.Choice) {
	secure := js.Global().Get("location").Get("protocol").String() == "https:"
	js.Global().Get("document").Set("cookie", consent.SetCookie(p, c, secure))
}
