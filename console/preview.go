package console

import (
	"html"
	"strings"

	"github.com/opendata-consent/consent/app"
	"github.com/opendata-consent/consent/consent"
)

// The preview's views.
const (
	ViewBanner      = "banner"
	ViewPreferences = "preferences"
	ViewCharter     = "charter"
)

// Stylesheets are the host's stylesheets a preview links: the banner's,
// the dialog's and charter's, the console's (the preview page's colours).
type Stylesheets struct {
	Banner  string `json:"banner"`
	Consent string `json:"consent"`
	Console string `json:"console"`
	// Dark holds the banner's and the dialog's dark rules outside their
	// media query (the host's darkRules): a frame's document follows the
	// team's system, not the theme they picked, without it.
	Dark string `json:"dark"`
}

// PreviewDocument returns the document a preview frame shows: the banner,
// the open dialog or the charter of p in lang, rendered by the components
// visitors get, with the host's stylesheets, dark or as the reader's
// system has it. p must be valid (Check).
func PreviewDocument(p *consent.Portal, lang, view string, dark bool, css Stylesheets) string {
	var body string
	switch view {
	case ViewPreferences:
		body = `<div id="` + app.RootID + `" class="cb" lang="` + html.EscapeString(lang) + `">` + app.PrerenderOpenPreferences(p, lang) + `</div>`
	case ViewCharter:
		body = `<main class="preview-charter">` + app.PrerenderCharter(p, lang, nil) + `</main>`
	default:
		body = app.PrerenderRoot(&app.Root{Portal: p, Lang: lang, CharterHref: "#"})
	}
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="` + html.EscapeString(lang) + `"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`)
	links, class := []string{css.Console, css.Banner, css.Consent}, "preview-page"
	if dark {
		links, class = append(links, css.Dark), "preview-page dark"
	}
	for _, href := range links {
		b.WriteString(`<link rel="stylesheet" href="` + html.EscapeString(href) + `">`)
	}
	b.WriteString(`</head><body class="` + class + `">` + body + `</body></html>`)
	return b.String()
}
