//go:build js && wasm

package bridge

import (
	"syscall/js"
	"time"

	"github.com/opendata-consent/consent/consent"
)

// Commands of the page API that Go carries out (web/embed.js queues them
// until Go is ready).
const (
	CommandShow            = "show"
	CommandShowPreferences = "showPreferences"
	// CommandStored tells Go that the page stored a choice (a placeholder
	// accepted, web/loader.js): Go reads it and shows it.
	CommandStored = "stored"
)

// Serve makes Go the receiver of the page API: run is called, on Go's side,
// for every command, those queued before Go was ready first.
func Serve(run func(command string)) {
	api := API()
	receive := js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) > 0 && args[0].Type() == js.TypeString {
			run(args[0].String())
		}
		return nil
	})
	queue := api.Get("_queue")
	api.Set("_go", receive)
	api.Set("_queue", js.Global().Get("Array").New())
	if queue.Type() == js.TypeObject {
		for i := 0; i < queue.Length(); i++ {
			receive.Invoke(queue.Index(i))
		}
	}
}

// Change says what a new choice did, for the page: the categories it
// withdrew and the cookies it deleted.
type Change struct {
	Withdrawn []string
	Cleared   []string
}

// Publish makes c the page's current choice: window.consentBanner.get()
// returns it. When change is not nil, c was just made: a consent:change
// event carrying it (and, under "withdrawn" and "cleared", what it took
// back) is dispatched on document.
func Publish(p *consent.Portal, c *consent.Choice, change *Change) {
	state := js.Null()
	if c != nil {
		categories := map[string]any{}
		for key, allowed := range c.Categories(p) {
			categories[key] = allowed
		}
		fields := map[string]any{
			"id":         c.ID,
			"revision":   c.Revision,
			"decidedAt":  c.DecidedAt.UTC().Format(time.RFC3339),
			"expiresAt":  c.ExpiresAt(p).UTC().Format(time.RFC3339),
			"categories": categories,
		}
		if c.OnPlatformBanner {
			fields["platformBanner"] = true
		}
		state = js.ValueOf(fields)
	}
	API().Set("_state", state)
	if change == nil {
		return
	}
	detail := js.Global().Get("Object").Call("assign", js.ValueOf(map[string]any{}), state)
	detail.Set("withdrawn", jsArray(change.Withdrawn))
	detail.Set("cleared", jsArray(change.Cleared))
	event := js.Global().Get("CustomEvent").New("consent:change", js.ValueOf(map[string]any{"detail": detail}))
	js.Global().Get("document").Call("dispatchEvent", event)
}

// jsArray converts a Go string slice for js.ValueOf, which takes []any.
func jsArray(list []string) []any {
	values := make([]any, len(list))
	for i, s := range list {
		values[i] = s
	}
	return values
}

// GPC reports whether the browser sends Global Privacy Control.
func GPC() bool {
	return js.Global().Get("navigator").Get("globalPrivacyControl").Equal(js.ValueOf(true))
}

// PublishGPC makes the refusal that Global Privacy Control stands for the
// page's current state, as web/embed.js does before Go runs: no consent id,
// every category that needs consent refused, and gpc set.
func PublishGPC(allowed map[string]bool) {
	categories := map[string]any{}
	for key, on := range allowed {
		categories[key] = on
	}
	API().Set("_state", js.ValueOf(map[string]any{"gpc": true, "categories": categories}))
}

// Ready tells the embed script that Go has taken over.
func Ready() {
	API().Set("_ready", true)
	js.Global().Get("document").Call("dispatchEvent", js.Global().Get("CustomEvent").New("consent:ready"))
}

// Fail reports, once and clearly, why Go cannot run the consent manager; the
// pre-rendered banner stays and keeps clicks for a later page.
func Fail(err error) {
	js.Global().Get("console").Call("error", "consent manager: "+err.Error())
}
