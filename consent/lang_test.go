package consent_test

import (
	"testing"

	"github.com/opendata-consent/consent/internal/choicecases"
)

// Go picks the banner's language as the shared table says
// (testdata/languages.json): the page's own code is held to it too
// (e2e/languages_test.go).
func TestLanguageCasesSharedWithThePage(t *testing.T) {
	p, cases := sharedTable(t, choicecases.LoadLanguages, "testdata/languages.json")
	for _, c := range cases {
		if got := p.PickLanguage(append([]string{c.HTML}, c.Browser...)...); got != c.Want {
			t.Errorf("%s: %q", c.Name, got)
		}
	}
}
