//go:build js && wasm

package bridge

import (
	"syscall/js"

	"github.com/opendata-consent/consent/consent"
)

// SendReceipt hands the receipt of c (a consent.ReceiptRequest) to the
// page's script (web/loader.js), which sends receipts made before and after
// Go alike: it keeps each until the host has acknowledged it and sends it
// again on a later page when the network failed. The browser's
// JSON.stringify writes the body, which keeps Go's JSON encoder out of the
// client.
func SendReceipt(p *consent.Portal, c consent.Choice) {
	r := consent.NewReceiptRequest(p, c)
	choices := map[string]any{}
	for k, v := range r.Choices {
		choices[k] = v
	}
	body := js.Global().Get("JSON").Call("stringify", js.ValueOf(map[string]any{
		"consentId": r.ConsentID, "portal": r.Portal, "revision": r.Revision, "choices": choices, "decidedAt": r.DecidedAt,
	}))
	API().Call("_receipt", body)
}
