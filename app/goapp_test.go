package app_test

import (
	"testing"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Every go command builds go-app with the project's patches, not only the
// Makefile's: go.mod replaces go-app by third_party/go-app/v10, which
// scripts/go-app.sh makes from the published module and
// third_party/go-app/*.patch (make test checks the two agree). Built against
// go-app as published, this test fails: a quote in an attribute value ends
// the attribute and lets markup in (html-attributes.patch), and an emptied
// input keeps its old text (input-value.patch).
func TestGoAppIsBuiltPatched(t *testing.T) {
	for _, c := range []struct {
		patch string
		node  goapp.UI
		want  string
	}{
		{
			"html-attributes.patch",
			goapp.Img().Title(`<b>"é"</b>`).Alt(`x" onerror="alert(1)`),
			`<img alt="x&#34; onerror=&#34;alert(1)" title="&lt;b&gt;&#34;é&#34;&lt;/b&gt;">`,
		},
		{
			"input-value.patch",
			goapp.Input().Value(""),
			`<input value>`, // value="", as HTML writes it bare
		},
	} {
		if got := goapp.HTMLString(c.node); got != c.want {
			t.Errorf("go-app is built without third_party/go-app/%s (is go.mod's replace of go-app gone?):\n got %s\nwant %s", c.patch, got, c.want)
		}
	}
}
