package app_test

import (
	"strings"
	"testing"

	"github.com/opendata-consent/consent/app"
	"github.com/opendata-consent/consent/portals"
)

// The pre-rendered banner is what a visitor sees before Go runs: it carries
// the three actions for the embed script and escapes every configured text.
func TestPrerenderedBanner(t *testing.T) {
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p := list[0]
	p.Texts["fr"].Banner.Body = `<script>alert("x")</script> & "quotes"`
	html := app.PrerenderRoot(&app.Root{Portal: p, Lang: "fr", CharterHref: "/charte"})

	for _, want := range []string{
		`id="cb-root"`,
		`data-cb-action="accept-all"`, `data-cb-action="reject-all"`, `data-cb-action="customise"`,
		"Tout accepter", "Tout refuser", "Personnaliser", `href="/charte"`,
		`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34;`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("pre-rendered banner lacks %s", want)
		}
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "hidden") {
		t.Errorf("pre-rendered banner is hidden or carries markup from the configuration:\n%s", html)
	}
	if strings.Contains(html, "<dialog") {
		t.Error("the dialog is pre-rendered: it only exists once Go runs")
	}
}

// A configured text that lands in an attribute (the dialog's close label,
// the table headings' data-label) stays inside it: a quote is written as
// &#34;, not as go-app once wrote it (\"), which HTML does not take as an
// escape and which let the rest of the text add an element.
func TestPrerenderedAttributesAreEscaped(t *testing.T) {
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p := list[0]
	p.Texts["fr"].Table.Provider = `Éditeur "><img src=x onerror=alert(1)>`
	html := app.PrerenderCharter(p, "fr", nil)
	if want := `data-label="Éditeur &#34;&gt;&lt;img src=x onerror=alert(1)&gt;"`; !strings.Contains(html, want) {
		t.Errorf("the charter's table lacks %s", want)
	}
	if strings.Contains(html, "<img") || strings.Contains(html, `\"`) || strings.Contains(html, `\u00`) {
		t.Errorf("an attribute let markup out or is written as a Go string:\n%s", html)
	}
	if again := app.PrerenderCharter(p, "fr", nil); again != html {
		t.Error("the same charter pre-renders to different bytes (attributes in map order)")
	}
}

// A category without cookies says so in the dialog at once, rather than
// behind a "Voir les cookies (0)" that opens on nothing.
func TestADialogCategoryWithoutCookiesSaysSo(t *testing.T) {
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p := list[0]
	p.Categories[1].Cookies = nil
	html := app.PrerenderPreferences(p, "fr")
	if strings.Contains(html, "(0)") || !strings.Contains(html, `<p class="cb-empty">Aucun cookie`) {
		t.Errorf("the dialog of a category without cookies: %q", html)
	}
	if n := strings.Count(html, `class="cb-details"`); n != len(p.Categories)-1 {
		t.Errorf("%d cookie lists, want one for each category with cookies (%d)", n, len(p.Categories)-1)
	}
}
