package app

import (
	"regexp"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/consent"
)

// PrerenderRoot returns the HTML of r in its first state, as the browser's
// first render draws it: the host sends it for the embed script to paint
// before the WebAssembly runs. go-app escapes every text and attribute.
func PrerenderRoot(r *Root) string {
	r.OnInit()
	return compact(app.HTMLString(r))
}

// PrerenderCharter returns the HTML of the charter for a page read without
// JavaScript, showing the stored choice (nil when there is none).
func PrerenderCharter(p *consent.Portal, lang string, stored *consent.Choice) string {
	return compact(app.HTMLString(&Charter{Portal: p, Lang: lang, Choice: stored, Draft: switches(p, stored)}))
}

var indentation = regexp.MustCompile(`>\s+<`)

// compact drops the indentation go-app puts between tags: the DOM go-app
// builds in the browser has no such whitespace, so the painted banner and
// the one Go takes over lay out alike, and the embed script is smaller.
// Texts are untouched: go-app escapes "<" and ">" in them.
func compact(html string) string { return indentation.ReplaceAllString(html, "><") }
