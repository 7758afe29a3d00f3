package app

import (
	"strings"
	"time"

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
	return compact(app.HTMLString(&Charter{Portal: p, Lang: lang, Choice: stored, Draft: p.Switches(stored)}))
}

// PrerenderLiveCharter returns the HTML of the charter as Go renders it in
// the browser, its controls included, for the page's script to show and
// make work before Go runs: the stored choice (nil when there is none), its
// date in the visitor's time zone, "saved" said after a save from it.
func PrerenderLiveCharter(p *consent.Portal, lang string, stored *consent.Choice, visitor *time.Location, saved bool) string {
	return compact(app.HTMLString(&Charter{Portal: p, Lang: lang, Choice: stored, Draft: p.Switches(stored), Live: true, Saved: saved, Location: visitor}))
}

// PrerenderPlaceholders returns the HTML of the placeholder of each key an
// element of the page can be gated by (Portal.ConsentKeys), for the page's
// script to put in place of a gated element.
func PrerenderPlaceholders(p *consent.Portal, lang string) map[string]string {
	html := map[string]string{}
	for _, key := range p.ConsentKeys() {
		html[key] = compact(app.HTMLString(&Placeholder{Portal: p, Lang: lang, Key: key}))
	}
	return html
}

// PrerenderPreferences returns the HTML of the preferences dialog, closed,
// for the page's script to open before Go runs: the same component Go
// renders, its switches set as before any choice (the script sets them from
// the stored choice when it opens the dialog). The paragraph that says why
// Global Privacy Control refused the optional categories is there; the
// script removes it for a browser that does not send the signal.
func PrerenderPreferences(p *consent.Portal, lang string) string {
	return compact(app.HTMLString(&Preferences{Portal: p, Lang: lang, GPC: true, Listed: true, Draft: p.Switches(nil)}))
}

// PrerenderOpenPreferences returns the HTML of the preferences dialog,
// open, as a visitor without Global Privacy Control sees it before any
// choice: for a preview (the console's), where no script opens it.
func PrerenderOpenPreferences(p *consent.Portal, lang string) string {
	html := compact(app.HTMLString(&Preferences{Portal: p, Lang: lang, Listed: true, Draft: p.Switches(nil)}))
	return strings.Replace(html, "<dialog ", "<dialog open ", 1)
}

// compact drops the indentation go-app puts between tags: the DOM go-app
// builds in the browser has no such whitespace, so the painted banner and
// the one Go takes over lay out alike, and the embed script is smaller.
// Texts are untouched: go-app escapes "<" and ">" in them. (No regexp: this
// package is in the WebAssembly client too, which has no other use for it.)
func compact(html string) string {
	var b strings.Builder
	b.Grow(len(html))
	for i := 0; i < len(html); i++ {
		b.WriteByte(html[i])
		if html[i] != '>' {
			continue
		}
		// Skip the whitespace after '>' when a '<' follows it.
		j := i + 1
		for j < len(html) && strings.IndexByte(" \t\n\r\f\v", html[j]) >= 0 {
			j++
		}
		if j > i+1 && j < len(html) && html[j] == '<' {
			i = j - 1
		}
	}
	return b.String()
}
