package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Configured texts are text everywhere: the pre-rendered banner, the banner
// once Go runs, the dialog, the charter (rendered by the host without
// JavaScript and by Go): no markup of theirs becomes an element, nothing in
// them runs, and they read exactly as written.
func TestHostileConfigurationTextsStayText(t *testing.T) {
	texts := hostile.Texts["fr"]
	p := newPage(t, 1280, 800)
	release := holdWasmResponses(t)
	p.visit(hostURL + "/portails/hostile/")
	var title string
	p.eval(`document.getElementById("cb-banner-title").textContent`, &title)
	if title != texts.Banner.Title {
		t.Errorf("pre-rendered banner title reads %q, want %q", title, texts.Banner.Title)
	}
	release()
	p.waitGo()
	p.click(`.cb-banner [data-cb-action="customise"]`)
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	p.screenshot("hostile-dialog")
	var dialog struct{ Title, Category, Description string }
	p.eval(`({ title: document.getElementById("cb-banner-title").textContent,
		category: document.querySelector('label[for="cb-pref-statistics"]').textContent,
		description: document.getElementById("cb-pref-statistics-desc").textContent })`, &dialog)
	if dialog.Title != texts.Banner.Title || dialog.Category != hostile.Categories[1].Name["fr"] || dialog.Description != hostile.Categories[1].Description["fr"] {
		t.Errorf("once Go runs, the texts read %+v", dialog)
	}
	p.click(`dialog [data-cb-action="reject-all"]`)

	p.visit(hostURL + "/portails/hostile/charte")
	p.waitGo()
	var heading string
	p.eval(`document.querySelector("[data-consent-charter] h2").textContent`, &heading)
	if heading != texts.Charter.Sections[0].Heading {
		t.Errorf("charter heading reads %q", heading)
	}
	var injected struct {
		Pwned    any
		Elements int
	}
	p.eval(`({ pwned: window.pwned, elements: document.querySelectorAll("#cb-root script, #cb-root img, #cb-root iframe, [data-consent-charter] script, [data-consent-charter] img, [data-consent-charter] iframe, [data-consent-charter] b").length })`, &injected)
	if injected.Pwned != nil || injected.Elements != 0 {
		t.Errorf("configured markup became elements (%d) or ran (window.pwned = %v)", injected.Elements, injected.Pwned)
	}
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
	if strings.Contains(string(body), "<script>window.pwned") || !strings.Contains(string(body), "&lt;script&gt;window.pwned") {
		t.Error("the host's charter page does not escape the configured markup")
	}
}
