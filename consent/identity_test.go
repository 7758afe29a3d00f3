package consent_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opendata-consent/consent/consent"
)

// rennes is Pau's configuration given another id, name and address, its
// texts left as they were: what a team gets by copying a portal's file.
func rennes(t *testing.T) *consent.Portal {
	p := pau(t)
	p.ID, p.Address = "rennes", "https://data.rennesmetropole.fr"
	p.Name = consent.Localized{"fr": "Open Data Rennes Métropole", "en": "Rennes Métropole Open Data"}
	return p
}

func TestTextsNamingAnotherPortalAreRefused(t *testing.T) {
	others := map[string][]string{"pau": pau(t).Identity()}
	list := rennes(t).NamingOthers(others)
	var fields []string
	for _, e := range list {
		fields = append(fields, e.Field)
	}
	if !strings.Contains(strings.Join(fields, " "), "texts.fr.banner.title") || !strings.Contains(strings.Join(fields, " "), "texts.en.banner.title") {
		t.Fatalf("the banner's titles still say Pau, the problems are %v", list)
	}
	if got := list[0].ProblemIn("fr"); !strings.Contains(got, `"Open Data Pau"`) || !strings.Contains(got, "nomme le portail \"pau\"") {
		t.Errorf("the French problem %q does not name what was found", got)
	}

	// Rewritten, nothing is left; and a portal's own name, of which
	// another's is a part, is not taken for that other.
	r := rennes(t)
	for _, lang := range r.Languages {
		r.Texts[lang].Banner.Title = "Cookies — " + r.Name[lang]
	}
	if list := r.NamingOthers(map[string][]string{"pau": pau(t).Identity(), "od": {"Open Data", "Rennes Métropole"}}); len(list) != 0 {
		t.Errorf("a portal's own texts are refused: %v", list)
	}
	// A word that merely contains a name is not the name.
	r.Texts["fr"].Charter.Intro = "Les données de Paulhan et de Pauillac."
	if list := r.NamingOthers(map[string][]string{"pau": {"Paulhan"}}); len(list) != 1 {
		t.Errorf("Paulhan named in full is not found: %v", list)
	}
	if list := r.NamingOthers(map[string][]string{"x": {"Pauil"}}); len(list) != 0 {
		t.Errorf("a part of a word is taken for a name: %v", list)
	}
}

func TestLoadRefusesAPortalWhoseTextsNameAnother(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile("../portals/pau.json")
	os.WriteFile(filepath.Join(dir, "pau.json"), data, 0o644)
	copied := strings.NewReplacer(`"id": "pau"`, `"id": "rennes"`, `"fr": "Open Data Pau"`, `"fr": "Open Data Rennes"`, `"en": "Pau Open Data"`, `"en": "Rennes Open Data"`, "https://opendata.pau.fr", "https://data.rennesmetropole.fr").Replace(string(data))
	os.WriteFile(filepath.Join(dir, "rennes.json"), []byte(copied), 0o644)
	_, err := consent.Load(dir)
	var ce *consent.ConfigError
	if !errors.As(err, &ce) || !strings.HasSuffix(ce.File, "rennes.json") || ce.Field != "texts.fr.banner.title" || ce.Lang != "fr" {
		t.Fatalf("got %v (%#v)", err, ce)
	}
	if got := ce.In(ce.Lang); !strings.Contains(got, "texts.fr.banner.title: \"Open Data Pau\" nomme le portail \"pau\"") {
		t.Errorf("the host says %q", got)
	}
}

func TestTheNecessaryCategoryMustListTheConsentCookie(t *testing.T) {
	p := pau(t)
	cookies := p.Categories[0].Cookies
	for i, k := range cookies {
		if k.Name == consent.CookieName {
			p.Categories[0].Cookies = append(cookies[:i:i], cookies[i+1:]...)
		}
	}
	err := p.Validate()
	var ce *consent.ConfigError
	if !errors.As(err, &ce) || ce.Field != "categories[0].cookies" || !strings.Contains(ce.ProblemIn("fr"), `doit lister "cookies_preferences"`) {
		t.Fatalf("got %v", err)
	}
}
