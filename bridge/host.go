//go:build js && wasm

package bridge

import "syscall/js"

// HostPage remembers what go-app's engine changes on the page so that it can
// be given back: go-app sets window.onclick (it intercepts every link for its
// router), window.onpopstate and window.onresize, and scrolls to the URL's
// fragment when it starts. None of that may change how the portal behaves.
type HostPage struct {
	handlers map[string]js.Value
	scrollX  js.Value
	scrollY  js.Value
}

var goappHandlers = []string{"onclick", "onpopstate", "onresize"}

// goappGlobals are the functions go-app's engine publishes on window.
var goappGlobals = []string{"goappNav", "goappOnUpdate", "goappOnAppInstallChange"}

// SaveHostPage records the page's handlers and scroll position. Call it
// before go-app starts.
func SaveHostPage() *HostPage {
	w := js.Global()
	h := &HostPage{handlers: map[string]js.Value{}, scrollX: w.Get("scrollX"), scrollY: w.Get("scrollY")}
	for _, name := range goappHandlers {
		h.handlers[name] = w.Get(name)
	}
	return h
}

// PrepareMount gives go-app the element it mounts on, document.body's first
// element child: an empty one of its own, so that the painted banner stays
// until Go's root takes its place (app.Takeover). Call it just before
// go-app starts.
func PrepareMount() {
	doc := js.Global().Get("document")
	doc.Get("body").Call("prepend", doc.Call("createElement", "div"))
}

// RestoreHandlers gives the page its own handlers back and removes go-app's
// globals. Call it as go-app's first component mounts.
func (h *HostPage) RestoreHandlers() {
	w := js.Global()
	for name, v := range h.handlers {
		w.Set(name, v)
	}
	for _, name := range goappGlobals {
		w.Delete(name)
	}
}

// RestoreScroll undoes go-app's scroll to the URL's fragment. Call it in a
// deferred function of go-app's first mount: go-app queues its scroll
// before.
func (h *HostPage) RestoreScroll() {
	w := js.Global()
	if !w.Get("scrollX").Equal(h.scrollX) || !w.Get("scrollY").Equal(h.scrollY) {
		w.Call("scrollTo", h.scrollX, h.scrollY)
	}
}
