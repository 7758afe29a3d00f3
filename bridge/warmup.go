//go:build js && wasm

package bridge

import "syscall/js"

// WarmUp is what the portal's loader (web/loader.js) hands to the client it
// runs in a Web Worker ahead of Go's start on the page, in
// self.consentWarmUp: the page's configuration, language, cookies and
// address, for the client to run the code of that start once, off the
// page's main thread.
type WarmUp struct {
	Config, Lang, Cookie, Page string
}

// ReadWarmUp returns the worker's warm-up request, and false when this
// client runs on the page itself.
func ReadWarmUp() (WarmUp, bool) {
	w := js.Global().Get("consentWarmUp")
	if w.Type() != js.TypeObject {
		return WarmUp{}, false
	}
	str := func(name string) string {
		if v := w.Get(name); v.Type() == js.TypeString {
			return v.String()
		}
		return ""
	}
	return WarmUp{Config: str("config"), Lang: str("lang"), Cookie: str("cookie"), Page: str("page")}, true
}
