package consent_test

import (
	"testing"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/internal/choicecases"
)

// Go picks the banner's language as the shared table says
// (testdata/languages.json): the page's own code is held to it too
// (e2e/languages_test.go).
func TestLanguageCasesSharedWithThePage(t *testing.T) {
	id, cases, err := choicecases.LoadLanguages("testdata/languages.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := consent.LoadFile("testdata/" + id + ".json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if got := p.PickLanguage(append([]string{c.HTML}, c.Browser...)...); got != c.Want {
			t.Errorf("%s: %q", c.Name, got)
		}
	}
}
