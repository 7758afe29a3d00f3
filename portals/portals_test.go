package portals

import (
	"os"
	"strings"
	"testing"
)

func TestBuiltinPortalsAreValidAndPauComesFirst(t *testing.T) {
	portals, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(portals) != 2 || portals[0].ID != "pau" || portals[1].ID != "aveyron" {
		t.Fatalf("want pau then aveyron, got %v", portals)
	}
}

// The charters the default configuration reproduces list four necessary
// cookies, with their providers and purposes: the configuration must carry
// them word for word.
func TestBuiltinPortalsCarryTheSeedCookies(t *testing.T) {
	portals, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range portals {
		necessary := p.Categories[0]
		var names []string
		for _, c := range necessary.Cookies {
			names = append(names, c.Name)
			if c.Provider != "Opendatasoft" {
				t.Errorf("%s: %s provided by %q", p.ID, c.Name, c.Provider)
			}
		}
		if got := strings.Join(names, " "); got != "sessionid django_language csrftoken cookies_preferences" {
			t.Errorf("%s: necessary cookies %q", p.ID, got)
		}
	}
}

func TestBuiltinTextsMatchTheSeedCharters(t *testing.T) {
	seeds := map[string]string{"pau": "000_63d233ed430e440d.txt", "aveyron": "001_5bfeaecfef081f67.txt"}
	portals, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range portals {
		seed, err := os.ReadFile("../../shared/seeds/" + seeds[p.ID])
		if os.IsNotExist(err) {
			t.Skip("the reference charters are in ../shared/seeds, beside the repository")
		}
		if err != nil {
			t.Fatal(err)
		}
		fr := p.Texts["fr"].Charter
		texts := []string{fr.Title, fr.Intro, fr.Usage, p.Address, p.Categories[0].Name.In("fr")}
		for _, s := range fr.Sections {
			texts = append(texts, s.Heading)
			texts = append(texts, s.Paragraphs...)
		}
		for _, c := range p.Categories[0].Cookies {
			texts = append(texts, c.Service.In("fr"), c.Purpose.In("fr"))
		}
		for _, text := range texts {
			if !strings.Contains(string(seed), text) {
				t.Errorf("%s: %q is not in the published charter", p.ID, text)
			}
		}
	}
}
