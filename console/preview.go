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
}

// PreviewDocument returns the document a preview frame shows: the banner,
// the open dialog or the charter of p in lang, rendered by the components
// visitors get, with the host's stylesheets. p must be valid (Check).
func PreviewDocument(p *consent.Portal, lang, view string, css Stylesheets) string {
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
	for _, href := range []string{css.Console, css.Banner, css.Consent} {
		b.WriteString(`<link rel="stylesheet" href="` + html.EscapeString(href) + `">`)
	}
	b.WriteString(`</head><body class="preview-page">` + body + `</body></html>`)
	return b.String()
}
