package consent

import (
	"fmt"
	"time"
)

// Location is where a page stores a choice: what of location the cookie's
// writing depends on.
type Location struct {
	Hostname, Pathname string
	// Secure is an https page: the cookie is then Secure.
	Secure bool
}

// Storing is what storing a choice does to a page, worked out in Go once
// for the WebAssembly (bridge.Page), its warm-up (app.WarmUp) and the
// shared table of cases the page's own code is held to
// (testdata/choices.json).
type Storing struct {
	// Assignments are the document.cookie writes, in order: the consent
	// cookie's stale copies deleted, the choice written, then the cookies
	// of the categories it refuses deleted.
	Assignments []string
	// Withdrawn are the purposes the previous choice accepted and this
	// one refuses; Cleared the cookies deleted for it. consent:change
	// says both.
	Withdrawn, Cleared []string
}

// Store works out how a page at at, holding cookies (document.cookie),
// stores c, which replaces previous (nil for a first choice).
func (p *Portal) Store(c Choice, previous *Choice, at Location, cookies string) Storing {
	s := Storing{Assignments: ClearEverywhere(CookieName, at.Hostname, at.Pathname)}
	s.Assignments = append(s.Assignments, SetCookie(p, c, at))
	s.Cleared = p.CookiesToClear(c, CookieNames(cookies))
	for _, name := range s.Cleared {
		s.Assignments = append(s.Assignments, ClearCookie(name, at.Hostname)...)
	}
	s.Withdrawn = p.Withdrawn(previous, c)
	return s
}

// SetCookie returns the document.cookie assignment that stores c on a page
// at at: Path=/, SameSite=Lax, a Max-Age of the choice's lifetime, Secure
// on https, and Domain the portal's cookieDomain where the page is in it
// (CookieDomainFor): the choice then holds on every site of that domain.
func SetCookie(p *Portal, c Choice, at Location) string {
	s := fmt.Sprintf("%s=%s; Path=/; Max-Age=%d; SameSite=Lax", CookieName, c.Encode(p), int(p.LifetimeOf(c).Seconds()))
	if at.Secure {
		s += "; Secure"
	}
	if domain := p.CookieDomainFor(at.Hostname); domain != "" {
		s += "; Domain=" + domain
	}
	return s
}

// Actions a visitor takes in the banner, the dialog or the charter.
const (
	ActionAcceptAll = "accept-all"
	ActionRejectAll = "reject-all"
	// ActionContinue is "Continuer sans accepter": a refusal.
	ActionContinue = "continue"
	// ActionSave stores the dialog's switches.
	ActionSave = "save"
)

// ChoiceOf is the choice an action makes: every optional purpose accepted,
// or refused (exempt audience measurement kept), or, for ActionSave, those
// the switches accept (draft, by purpose key). ok is false for an action
// that makes no choice (opening the dialog).
func ChoiceOf(p *Portal, action string, draft map[string]bool, now time.Time) (c Choice, ok bool) {
	switch action {
	case ActionAcceptAll:
		return AcceptAll(p, now), true
	case ActionRejectAll, ActionContinue:
		return RejectAll(p, now), true
	case ActionSave:
		return NewChoice(p, draft, now), true
	}
	return Choice{}, false
}

// Opening is what a page shows and publishes before the visitor acts.
type Opening struct {
	// Asks is true when the banner asks: no choice is stored and Global
	// Privacy Control does not count.
	Asks bool
	// GPC is true when the browser's Global Privacy Control counts: it
	// sends it, the portal honours it, and no choice overrides it.
	GPC bool
	// Categories is what window.consentBanner.get() publishes: the stored
	// choice's, Global Privacy Control's refusal (necessary and exempt
	// categories on), or nil (nothing chosen yet).
	Categories map[string]bool
}

// Opening is what a page holding stored (nil for none) shows and publishes
// before the visitor acts, gpcSent telling whether the browser sends
// Global Privacy Control. The shared table testdata/openings.json holds
// the page's own code to it.
func (p *Portal) Opening(stored *Choice, gpcSent bool) Opening {
	switch {
	case stored != nil:
		return Opening{Categories: stored.Categories(p)}
	case gpcSent && !p.IgnoreGlobalPrivacyControl:
		categories := map[string]bool{}
		for _, cat := range p.Categories {
			categories[cat.ID] = cat.AllowedByDefault() && len(cat.Services) == 0
		}
		for _, pu := range p.Purposes() {
			categories[pu.Key] = pu.Category.AllowedByDefault()
		}
		return Opening{GPC: true, Categories: categories}
	}
	return Opening{Asks: true}
}
