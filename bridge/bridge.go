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
	// DialogOpen is true when the visitor opened the preferences before Go
	// ran, Draft their switches by purpose key.
	DialogOpen bool
	Draft      map[string]bool
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
	draft := map[string]bool{}
	if d := b.Get("draft"); d.Type() == js.TypeObject {
		keys := js.Global().Get("Object").Call("keys", d)
		for i := 0; i < keys.Length(); i++ {
			key := keys.Index(i).String()
			draft[key] = d.Get(key).Truthy()
		}
	}
	return Boot{
		Config:        str("config"),
		Lang:          str("lang"),
		DialogOpen:    b.Get("dialogOpen").Truthy(),
		Draft:         draft,
		CharterTarget: str("charterTarget"),
		CharterHref:   str("charterHref"),
		Receipts:      str("receipts"),
	}, nil
}
