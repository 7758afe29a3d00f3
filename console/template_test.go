package console

import (
	"strings"
	"testing"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
)

// builtinIdentities are the shipped portals' names and hosts, as a host
// serving them tells the console (Boot.Configs).
func builtinIdentities(t *testing.T) []HostConfig {
	t.Helper()
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var configs []HostConfig
	for _, p := range list {
		configs = append(configs, HostConfig{ID: p.ID, Identity: p.Identity()})
	}
	return configs
}

// A new configuration is the team's own: nothing in it names another
// portal, its necessary category lists the consent cookie, and once its
// id, names and address are typed it is valid, its banner titled with
// the name typed.
func TestNewConfigurationNamesOnlyThePortalBeingMade(t *testing.T) {
	c := &Configurator{Boot: Boot{Lang: "fr", Configs: builtinIdentities(t)}}
	c.New()
	if others := c.portal.NamingOthers(c.others()); len(others) != 0 {
		t.Errorf("the template names other portals: %v", others)
	}
	var listed bool
	for _, k := range c.portal.Categories[0].Cookies {
		listed = listed || k.Name == consent.CookieName
	}
	if !listed {
		t.Error("the template's necessary category does not list the consent cookie")
	}
	if got := c.portal.Texts["fr"].Banner.Title; got != "Cookies sur ce portail" {
		t.Errorf("before a name, the banner says %q", got)
	}

	// Nothing is red before the team types; the summary says what is next.
	if c.err == nil || c.err.Field != "id" {
		t.Fatalf("the summary's error is %v, want the id to fill in", c.err)
	}
	if msg := c.errorAt("id"); msg != "" {
		t.Errorf("the id is marked %q before it was touched", msg)
	}
	if !strings.Contains(c.err.ProblemIn(c.Boot.Lang), "lettres minuscules") {
		t.Errorf("the French console says %q", c.err.ProblemIn(c.Boot.Lang))
	}

	c.set("id", "Rennes")
	if msg := c.errorAt("id"); !strings.Contains(msg, "doit faire de 1 à 40 caractères") {
		t.Errorf("a touched id that is wrong says %q", msg)
	}
	c.set("id", "rennes")
	c.set("name.fr", "Open Data Rennes")
	c.set("name.en", "Rennes Open Data")
	c.set("address", "https://data.rennesmetropole.fr")
	if c.err != nil {
		t.Fatalf("the new configuration, filled in, is refused: %v", c.errs)
	}
	for lang, want := range map[string]string{"fr": "Cookies sur Open Data Rennes", "en": "Cookies on Rennes Open Data"} {
		if got := c.portal.Texts[lang].Banner.Title; got != want {
			t.Errorf("%s: the banner says %q, want %q", lang, got, want)
		}
	}
	if got := c.portal.Texts["fr"].Charter.Intro; !strings.Contains(got, "sur Open Data Rennes,") {
		t.Errorf("the charter's introduction says %q", got)
	}

	// A text the team rewrote is theirs: a new name leaves it.
	c.set("texts.fr.banner.title", "Vos cookies")
	c.set("name.fr", "Rennes Métropole")
	if got := c.portal.Texts["fr"].Banner.Title; got != "Vos cookies" {
		t.Errorf("a rewritten title became %q", got)
	}
	if got := c.portal.Texts["fr"].Charter.Intro; !strings.Contains(got, "sur Rennes Métropole,") {
		t.Errorf("the charter's introduction did not follow the name: %q", got)
	}

	// Pau's name typed in a text is refused, in French, at its field.
	c.set("texts.fr.banner.body", "Bienvenue sur Open Data Pau.")
	if msg := c.errorAt("texts.fr.banner.body"); !strings.Contains(msg, `"Open Data Pau" nomme le portail "pau"`) {
		t.Errorf("a text naming Pau says %q", msg)
	}
}

// An opened configuration's errors are a file's, written before: each
// shows at its field at once.
func TestAnOpenedConfigurationShowsItsErrorsAtOnce(t *testing.T) {
	c := &Configurator{Boot: Boot{Lang: "en"}}
	c.Load("rennes.json", []byte(`{"id": "Rennes!", "revision": 1, "languages": ["fr"]}`))
	if msg := c.errorAt("id"); !strings.Contains(msg, "must be 1 to 40 lower-case letters") {
		t.Errorf("the opened file's id says %q", msg)
	}
}
