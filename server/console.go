// The console's pages: the configurator (/console/, package console in
// its own WebAssembly), and how every console page is written, under its
// strict Content-Security-Policy. The statistics are console_stats.go's,
// their chart console_chart.go's, their CSV console_csv.go's, signing in
// session.go's, the pages' texts console_texts.go's.

package server

import (
	"html/template"
	"net/http"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/console"
)

// configuratorPage is what pages/console.html shows: the page that starts
// the configurator (package console), with its boot data.
type configuratorPage struct {
	T                       *consoleTexts
	CSS, Script, Wasm, Exec string
	Boot                    console.Boot
	// Configurator is the configurator as its WebAssembly first draws
	// it, its controls disabled and saying it loads: the page shows what
	// it will be, and no click is taken and lost before Go runs.
	Configurator template.HTML
}

// configurator serves the configurator's page. It reads nothing from the
// receipts and writes nothing: it needs no token.
func (s *Server) configurator(w http.ResponseWriter, r *http.Request) {
	t := consoleLanguage(r)
	page := configuratorPage{T: t, CSS: "../" + s.consoleCSSPath, Script: "../" + s.consoleJSPath, Wasm: "../" + s.consoleWasmPath, Exec: "../" + s.execPath,
		Boot: console.Boot{Lang: t.Lang, CSS: console.Stylesheets{Banner: "../" + s.bannerCSSPath, Consent: "../" + s.cssPath, Console: "../" + s.consoleCSSPath, Dark: "../" + s.darkCSSPath}}}
	for _, p := range s.order {
		page.Boot.Configs = append(page.Boot.Configs, console.HostConfig{ID: p.ID, URL: "../" + s.configs[p.ID], Identity: p.Identity()})
	}
	page.Configurator = template.HTML(app.HTMLString(&console.Configurator{Boot: page.Boot}))
	s.renderConsole(w, r, http.StatusOK, page)
}

// consoleCSP is the console pages' policy: their own files only, nothing
// inline; the configurator runs its WebAssembly and frames its previews,
// whose documents it writes itself (srcdoc inherits this policy).
const consoleCSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func (s *Server) renderConsole(w http.ResponseWriter, r *http.Request, status int, page any) {
	name := "stats.html"
	if _, ok := page.(configuratorPage); ok {
		name = "console.html"
	}
	s.writePage(w, r, status, name, page, pageHeaders{cache: "private, no-store", referrer: "same-origin", policy: consoleCSP})
}
