//go:build js && wasm

// Package bridge is the consent manager's only contact with the browser
// through syscall/js: it reads what the embed script prepared, reads and
// writes the cookie, keeps go-app from taking over the host page's handlers,
// and exposes the page API. Everything it decides comes from package consent.
package bridge

import (
	"errors"
	"syscall/js"
)

// Boot is what web/embed.js hands to Go in window.consentBanner._boot.
type Boot struct {
	// Config is the portal configuration, as the host served it.
	Config string
	// Lang is the language the embed script painted the banner in.
	Lang string
	// CharterTarget is a selector for the page's data-consent-charter
	// element, "" when the page has none.
	CharterTarget string
	// CharterHref is where the banner's charter link goes.
	CharterHref string
	// Receipts is the host's receipt endpoint, "" when the host keeps none.
	Receipts string
}

// API returns the page's window.consentBanner object, created by the embed
// script.
func API() js.Value { return js.Global().Get("consentBanner") }

// ReadBoot reads the boot object the embed script left for Go.
func ReadBoot() (Boot, error) {
	boot := API()
	if boot.Type() != js.TypeObject || boot.Get("_boot").Type() != js.TypeObject {
		return Boot{}, errors.New("window.consentBanner._boot is missing: load the consent manager through embed.js")
	}
	b := boot.Get("_boot")
	str := func(name string) string {
		if v := b.Get(name); v.Type() == js.TypeString {
			return v.String()
		}
		return ""
	}
	return Boot{
		Config:        str("config"),
		Lang:          str("lang"),
		CharterTarget: str("charterTarget"),
		CharterHref:   str("charterHref"),
		Receipts:      str("receipts"),
	}, nil
}

// PageState is what the visitor left on the page before Go took over.
type PageState struct {
	// DialogOpen is true when the preferences dialog is open, Draft holds
	// its switches by purpose key.
	DialogOpen bool
	Draft      map[string]bool
}

// HandOver takes the page's state from the loader (consentBanner._handover,
// web/loader.js) at this instant, and the loader's painted root leaves the
// page: the visitor keeps acting while Go starts, so call it in the task
// that mounts Go's root in its place.
func HandOver() PageState {
	state := API().Call("_handover")
	return PageState{DialogOpen: state.Get("dialogOpen").Truthy(), Draft: switchPositions(state.Get("draft"))}
}

// HandOverCharter takes the page's charter from the loader, which stops
// keeping it live, and returns its switches as the visitor left them, by
// purpose key: call it in the task where Go's charter replaces it.
func HandOverCharter() map[string]bool {
	return switchPositions(API().Call("_handoverCharter"))
}

// switchPositions reads an object of switches by purpose key.
func switchPositions(v js.Value) map[string]bool {
	on := map[string]bool{}
	if v.Type() != js.TypeObject {
		return on
	}
	keys := js.Global().Get("Object").Call("keys", v)
	for i := 0; i < keys.Length(); i++ {
		key := keys.Index(i).String()
		on[key] = v.Get(key).Truthy()
	}
	return on
}
