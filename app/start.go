package app

import "github.com/opendata-consent/consent/consent"

// Page is the page the client starts on, as its start reads it and as Root
// stores the visitor's choices on it. On the portal's page it is the page
// itself (bridge.Page, through syscall/js); in the warm-up's worker, which
// has no page, it is the copy of the page's cookies and address the loader
// hands over, and it writes and tells nothing (WarmUp).
type Page interface {
	ChoiceStore
	// PublishStored reads the visitor's stored choice from the page's
	// cookies, strictly (nil when there is none or it is invalid), and
	// whether Global Privacy Control counts (the browser sends it and p
	// honours it); it makes that the page's current state
	// (consentBanner.get(): the stored choice, or with none the refusal
	// the signal stands for).
	PublishStored(p *consent.Portal) (stored *consent.Choice, gpc bool)
	// Yield ends the current task of the start, for the page's input,
	// paint and scripts to run before it goes on.
	Yield()
}

// Start is the client's start, up to go-app's: it decodes the host's
// portal configuration, reads the visitor's stored choice on page, and
// returns the Root that will take the page over, in lang (or the portal's
// nearest), storing its choices on page. cmd/consent-wasm runs it on the
// portal's page, then go-app; WarmUp runs it in the loader's worker first,
// so that the page's start runs Go code the browser has compiled already:
// one function for both, so that the two cannot drift apart.
//
// It is cut into two tasks at page.Yield: decoding, then the stored choice.
// The host serves a configuration only once it has validated it (its
// lifetimes' defaults filled in), under a name that is its hash: it is
// decoded strictly and not validated again. Validating is cheap natively,
// but in the browser the first call of each Go function pays for compiling
// it: on a slow phone that was one long task (docs/performance.md).
func Start(config []byte, lang string, page Page) (*Root, error) {
	portal, err := consent.DecodePortal("the host's portal configuration", config)
	if err != nil {
		return nil, err
	}
	page.Yield()
	stored, gpc := page.PublishStored(portal)
	return &Root{
		Portal:  portal,
		Lang:    portal.PickLanguage(lang),
		Live:    true,
		Stored:  stored,
		GPC:     gpc,
		Choices: page,
		Yield:   page.Yield,
	}, nil
}
