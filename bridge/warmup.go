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
// client runs on the page itself. Only a worker, which has no document, is
// asked: on the page, the global name could be anything of the portal's (an
// element's id is a window property), and the client would not start.
func ReadWarmUp() (WarmUp, bool) {
	w := js.Global().Get("consentWarmUp")
	if js.Global().Get("document").Type() != js.TypeUndefined || w.Type() != js.TypeObject {
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

// UseStandInDocument makes the loader's stand-in document (web/src/gostart.js)
// the worker's document, for go-app to mount the root on in the warm-up
// (app.WarmUpMount), and says whether there was one. Called after
// ReadWarmUp, which tells a worker by its having no document.
func UseStandInDocument() bool {
	standIn := js.Global().Get("consentWarmUp").Get("document")
	if standIn.Type() != js.TypeFunction {
		return false
	}
	js.Global().Set("document", standIn)
	return true
}

// ReportWarmUp tells the worker how the warm-up ended, for the loader to
// say on the page's console why it failed: the worker's own console is
// not the one a portal's team looks at.
func ReportWarmUp(err error) {
	w := js.Global().Get("consentWarmUp")
	w.Set("done", true)
	if err != nil {
		w.Set("error", err.Error())
	}
}
