//go:build js && wasm

package bridge

import (
	"syscall/js"

	"github.com/opendata-consent/consent/consent"
)

// Page is the portal's page as the client's start and its root use it
// (app.Page, app.ChoiceStore, set by app.Start): it reads the visitor's
// stored choice from document.cookie and publishes it, gives the main
// thread back between the start's tasks, and stores every choice the
// visitor makes in Go's banner, dialog or charter.
type Page struct {
	// Receipts is true when the host keeps consent receipts (Boot.Receipts
	// names its endpoint): every choice then queues one.
	Receipts bool
}

// PublishStored reads the visitor's stored choice as Go reads it, nil when
// there is none or it is invalid, and makes it the page's current one; with
// none, a browser sending Global Privacy Control (when the portal honours
// it) publishes its refusal. gpc tells whether that signal counts.
func (*Page) PublishStored(p *consent.Portal) (stored *consent.Choice, gpc bool) {
	if c, err := StoredChoice(p); err == nil {
		stored = &c
	}
	sent := GPC()
	if opening := p.Opening(stored, sent); opening.GPC {
		PublishGPC(opening.Categories)
	} else {
		Publish(p, stored, nil)
	}
	gpc = sent && !p.IgnoreGlobalPrivacyControl
	return stored, gpc
}

// Yield gives the browser its main thread back until its next task (Yield).
func (*Page) Yield() { Yield() }

// Store stores c, the visitor's new choice, as the loader stores one made
// before Go ran (web/loader.js), in the same order: the cookie written (its
// stale copies deleted first), the cookies of the categories c refuses
// deleted, c made the page's current choice with a consent:change event
// saying what it withdrew from previous and which cookies went, then its
// receipt queued for the loader to send, when the host keeps receipts.
func (pg *Page) Store(p *consent.Portal, c consent.Choice, previous *consent.Choice) {
	doc := js.Global().Get("document")
	storing := p.Store(c, previous, PageLocation(), doc.Get("cookie").String())
	for _, assignment := range storing.Assignments {
		doc.Set("cookie", assignment)
	}
	Publish(p, &c, &Change{Withdrawn: storing.Withdrawn, Cleared: storing.Cleared})
	if pg.Receipts {
		SendReceipt(p, c)
	}
}
