package e2e

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Configured texts are text everywhere: the pre-rendered banner that
// embed.js inserts, the dialog the loader inserts, the dialog and the banner
// once Go runs (on the charter page), the charter
// (rendered by the host without JavaScript and by Go), in element content
// and in attributes (aria labels, the table headings' data-label). Every
// text of testdata/hostile.json ends with `"><img src=x onerror=pwned=1>`
// and markup: no markup of theirs becomes an element or an attribute,
// nothing in them runs, and they read exactly as written.
func TestHostileConfigurationTextsStayText(t *testing.T) {
	texts := hostile.Texts["fr"]
	p := newPage(t, 1280, 800)
	p.visit(hostURL + "/portails/hostile/")
	var title string
	p.eval(`document.getElementById("cb-banner-title").textContent`, &title)
	if title != texts.Banner.Title {
		t.Errorf("pre-rendered banner title reads %q, want %q", title, texts.Banner.Title)
	}
	assertNothingInjected(t, p, "the demo page, banner pre-rendered by the host")
	p.waitLoader()
	assertHostileDialog(t, p, "the host's dialog")
	p.screenshot("hostile-dialog")
	assertNothingInjected(t, p, "the demo page with the host's dialog open")
	p.key(kb.Escape)
	p.run(chromedp.WaitNotPresent("dialog.cb-dialog[open]", chromedp.ByQuery))

	// The charter page, where Go runs: the host's rendering, then Go's.
	release := holdWasmResponses(t)
	p.visit(hostURL + "/portails/hostile/charte")
	assertCharterHeadings(t, p, "the host's charter")
	assertNothingInjected(t, p, "the charter page, rendered by the host")
	release()
	p.waitGo()
	var heading string
	p.eval(`document.querySelector("[data-consent-charter] h2").textContent`, &heading)
	if heading != texts.Charter.Sections[0].Heading {
		t.Errorf("charter heading reads %q", heading)
	}
	assertCharterHeadings(t, p, "Go's charter")
	assertNothingInjected(t, p, "the charter page once Go runs")
	assertHostileDialog(t, p, "Go's dialog")
	assertNothingInjected(t, p, "the charter page with Go's dialog open")
	p.click(`dialog [data-cb-action="reject-all"]`)
	if errs := p.consoleErrors(); len(errs) > 0 {
		t.Errorf("console: %q", errs)
	}
	// The host's own rendering, as a browser without JavaScript gets it.
	res, err := http.Get(hostURL + "/portails/hostile/charte")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if strings.Contains(string(body), "<img src=x") || !strings.Contains(string(body), "&#34;&gt;&lt;img src=x onerror=pwned=1&gt;") {
		t.Error("the host's charter page does not escape the configured markup")
	}
}

// assertHostileDialog opens the preferences from the banner and checks that
// the configured texts read exactly as written.
func assertHostileDialog(t *testing.T, p *page, which string) {
	t.Helper()
	texts := hostile.Texts["fr"]
	p.click(`.cb-banner [data-cb-action="customise"]`)
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	var dialog struct{ Title, Category, Description, CloseLabel string }
	p.eval(`({ title: document.getElementById("cb-banner-title").textContent,
		category: document.querySelector('label[for="cb-pref-statistics"]').textContent,
		description: document.getElementById("cb-pref-statistics-desc").textContent,
		closeLabel: document.querySelector("dialog.cb-dialog [aria-label]").getAttribute("aria-label") })`, &dialog)
	if dialog.Title != texts.Banner.Title || dialog.Category != hostile.Categories[1].Name["fr"] || dialog.Description != hostile.Categories[1].Description["fr"] {
		t.Errorf("%s: the texts read %+v", which, dialog)
	}
	if dialog.CloseLabel != texts.Preferences.Close {
		t.Errorf("%s: the close button is labelled %q, want %q", which, dialog.CloseLabel, texts.Preferences.Close)
	}
}

// assertNothingInjected fails when a configured text became an element or
// an attribute, or ran.
func assertNothingInjected(t *testing.T, p *page, where string) {
	t.Helper()
	var injected struct {
		Pwned    any
		Elements int
		Handlers int
	}
	p.eval(`({ pwned: window.pwned,
		elements: document.querySelectorAll("#cb-root script, #cb-root img, #cb-root iframe, #cb-root b, [data-consent-charter] script, [data-consent-charter] img, [data-consent-charter] iframe, [data-consent-charter] b").length,
		handlers: document.querySelectorAll("[onerror], [onload], [onclick]").length })`, &injected)
	if injected.Pwned != nil || injected.Elements != 0 || injected.Handlers != 0 {
		t.Errorf("%s: configured markup became %d elements and %d event attributes, or ran (window.pwned = %v)", where, injected.Elements, injected.Handlers, injected.Pwned)
	}
}

// assertCharterHeadings checks the cookie tables' data-label attributes (the
// column headings a phone shows beside each cell) against the configuration.
func assertCharterHeadings(t *testing.T, p *page, where string) {
	t.Helper()
	var labels []string
	p.eval(`[...new Set([...document.querySelectorAll("[data-consent-charter] td[data-label]")].map(td => td.dataset.label))]`, &labels)
	want := hostile.Texts["fr"].Table.Provider
	if len(labels) == 0 || !slices.Contains(labels, want) {
		t.Errorf("%s: the table cells' labels are %q, want them to include %q", where, labels, want)
	}
}
