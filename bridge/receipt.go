//go:build js && wasm

package bridge

import (
	"syscall/js"

	"github.com/opendata-consent/consent/consent"
)

// SendReceipt posts the receipt of c (a consent.ReceiptRequest) to the
// host's endpoint with navigator.sendBeacon: the browser sends it even if
// the visitor leaves the page, and nothing waits for it (the cookie is
// already written). The body is text/plain, which a cross-origin beacon may
// carry without a preflight; the browser's JSON.stringify writes it, which
// keeps Go's JSON encoder out of the client.
func SendReceipt(endpoint string, p *consent.Portal, c consent.Choice) {
	nav := js.Global().Get("navigator")
	if nav.Get("sendBeacon").Type() != js.TypeFunction {
		return
	}
	r := consent.NewReceiptRequest(p, c)
	choices := map[string]any{}
	for k, v := range r.Choices {
		choices[k] = v
	}
	body := js.Global().Get("JSON").Call("stringify", js.ValueOf(map[string]any{
		"consentId": r.ConsentID, "portal": r.Portal, "revision": r.Revision, "choices": choices, "decidedAt": r.DecidedAt,
	}))
	nav.Call("sendBeacon", endpoint, body)
}
