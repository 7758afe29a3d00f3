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
