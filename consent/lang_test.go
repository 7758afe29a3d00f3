package consent_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/opendata-consent/consent/consent"
)

// LanguageCase is a case of testdata/languages.json, which the page runs
// too (e2e/languages_test.go).
type languageCase struct {
	Name, HTML string
	Browser    []string
	Want       string
}

func TestLanguageCasesSharedWithThePage(t *testing.T) {
	data, err := os.ReadFile("testdata/languages.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		Portal string
		Cases  []languageCase
	}
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	p, err := consent.LoadFile("testdata/" + table.Portal + ".json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range table.Cases {
		if got := p.PickLanguage(append([]string{c.HTML}, c.Browser...)...); got != c.Want {
			t.Errorf("%s: %q", c.Name, got)
		}
	}
}
