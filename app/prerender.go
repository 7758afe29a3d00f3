package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/consent"
)

// PrerenderRoot returns the HTML of r in its first state, as the browser's
// first render draws it: the host sends it for the embed script to paint
// before the WebAssembly runs. go-app escapes every text and attribute.
func PrerenderRoot(r *Root) string {
	r.OnInit()
	return app.HTMLString(r)
}

// PrerenderCharter returns the HTML of the charter for a page read without
// JavaScript, showing the stored choice (nil when there is none).
func PrerenderCharter(p *consent.Portal, lang string, stored *consent.Choice) string {
	return app.HTMLString(&Charter{Portal: p, Lang: lang, Choice: stored, Draft: switches(p, stored)})
}
