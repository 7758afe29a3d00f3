package app

import (
	"fmt"
	"maps"
	"net/url"
	"time"

	"github.com/opendata-consent/consent/consent"
)

// WarmUp runs once, on a page's configuration, language, cookies and
// address, the Go code that the client's start on that page shares with it:
// decoding the configuration, reading the stored choice, parsing the page's
// address, the components' Render methods for the banner, the open dialog
// and the charter (rendered to HTML here, mounted there), then a refusal
// made, encoded, receipted and shown. It returns the first step that
// failed, nil when it ran them all.
//
// The client runs it in a Web Worker before it starts on the page
// (web/loader.js): the browser compiles each Go function the first time it
// is called, on the thread that calls it, and most of the client's start
// was that compiling; the module's compiled code is shared by its instances
// in the page's process, so the page's own start then runs that code
// already compiled. What needs a page (go-app's engine, mounting elements)
// is compiled on the page still. WarmUp touches no page, cookie jar or
// network: the worker has none of the page's.
func WarmUp(config []byte, lang, cookie, page string) error {
	portal, err := consent.DecodePortal("the host's portal configuration", config)
	if err != nil {
		return err
	}
	lang = portal.PickLanguage(lang)
	now := time.Now()
	var stored *consent.Choice
	if c, err := consent.StoredChoice(cookie, portal, now); err == nil {
		stored = &c
	}
	// go-app parses the page's address and prints it again as it starts.
	address, err := url.Parse(page)
	if err != nil {
		return fmt.Errorf("the page's address: %w", err)
	}
	_ = address.String()
	root := &Root{Portal: portal, Lang: lang, Stored: stored, Live: true, CharterTarget: "[data-consent-charter]", DialogOpen: true}
	PrerenderRoot(root)
	PrerenderLiveCharter(portal, lang, stored, time.Local, false)

	// "Tout refuser" as the client stores it: the cookie, the cookies it
	// clears, the page's state, the receipt, then the charter saying it.
	root.Decide(ActionRejectAll)
	c := consent.RejectAll(portal, now)
	_ = consent.ClearEverywhere(consent.CookieName, address.Hostname(), address.Path)
	_ = consent.SetCookie(portal, c, address.Scheme == "https")
	_ = portal.CookiesToClear(c, consent.CookieNames(cookie))
	_ = portal.Withdrawn(stored, c)
	_ = c.Categories(portal)
	_ = c.ExpiresAt(portal).UTC().Format(time.RFC3339)
	_ = consent.NewReceiptRequest(portal, c)
	// A refusal keeps what needs no consent (exempt measurement) on.
	if root.Stored == nil || !maps.Equal(root.Stored.Accepted, c.Accepted) {
		return fmt.Errorf("the refusal was not made: %+v", root.Stored)
	}
	PrerenderLiveCharter(portal, lang, &c, time.Local, true)
	return nil
}
