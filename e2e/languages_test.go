package e2e

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/opendata-consent/consent/internal/choicecases"
)

// The page picks the banner's language as Go does, on every case of the
// shared table (consent/testdata/languages.json, which Go's own test
// reads), before Go runs; once Go runs, it speaks the page's pick: Go
// reads it from the page (boot.lang) instead of picking again from the
// page's signals, so the two cannot disagree on a page. Go's own pick on
// the table is held natively (consent/lang_test.go).
func TestThePagePicksTheLanguageAsGoDoes(t *testing.T) {
	cases := sharedTable(t, choicecases.LoadLanguages, "languages.json")
	portal := onPortalDomain(portalServer(t, nil))
	beforeAndWithGo(t, func(t *testing.T, goRuns bool, who string) {
		for _, c := range cases {
			p := newPage(t, 1280, 800)
			languages, _ := json.Marshal(append([]string{}, c.Browser...))
			p.beforeEveryPage(`Object.defineProperty(Navigator.prototype, "languages", { get: () => ` + string(languages) + ` });
				Object.defineProperty(Navigator.prototype, "language", { get: () => ` + string(languages) + `[0] });`)
			query := url.Values{"htmllang": {c.HTML}}
			if goRuns {
				query.Set("charte", "")
			}
			p.visit(portal + "/shared.html?" + query.Encode())
			if goRuns {
				p.waitGo()
			} else {
				p.waitLoader()
			}
			var got string
			p.eval(`document.getElementById("cb-root").lang`, &got)
			if got != c.Want {
				t.Errorf("%s: %s speaks %q, want %q as Go", c.Name, who, got, c.Want)
			}
		}
	})
}
