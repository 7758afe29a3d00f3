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

// PageLocation is where the page stores a choice (consent.Portal.Store).
func PageLocation() consent.Location {
	location := js.Global().Get("location")
	return consent.Location{
		Hostname: location.Get("hostname").String(),
		Pathname: location.Get("pathname").String(),
		Secure:   location.Get("protocol").String() == "https:",
	}
}
