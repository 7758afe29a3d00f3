package console

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
)

func pau(t *testing.T) *consent.Portal {
	t.Helper()
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return list[0]
}

// What the form's inputs hold lands in the configuration, each kind of
// field as the host reads it.
func TestSetWritesWhatTheInputHolds(t *testing.T) {
	p := pau(t)
	for path, value := range map[string]string{
		"texts.fr.banner.title": "Vos cookies, vos choix",
		"revision":              "3",
		"languages":             "fr, en",
		"texts.en.charter.sections[0].paragraphs": "First paragraph.\nSecond, with a comma.",
		"categories[0].name.en":                   "Essential",
		"categories[1].exempt.ownAudienceOnly":    "true",
		"categories[1].description.fr":            "Mesure d'audience",
		"texts.fr.preferences.save":               "Enregistrer",
		"texts.fr.banner.continueWithout":         "Continuer sans accepter",
		"address":                                 "https://opendata.pau.fr",
		"categories[0].cookies[0].provider":       "Opendatasoft",
		"categories[0].cookies[0].purpose.fr":     "Se souvenir de l'utilisateur.",
	} {
		if err := Set(p, path, value); err != nil {
			t.Errorf("Set(%s): %v", path, err)
		}
	}
	if paragraphs := p.Texts["en"].Charter.Sections[0].Paragraphs; len(paragraphs) != 2 || paragraphs[1] != "Second, with a comma." {
		t.Errorf("paragraphs after Set: %q", paragraphs)
	}
	if err := Set(p, "categories[1].cookies", "a, b"); err == nil {
		t.Error("a list of cookies is set as text")
	}
	if p.Texts["fr"].Banner.Title != "Vos cookies, vos choix" || p.Revision != 3 || p.Categories[0].Name["en"] != "Essential" {
		t.Errorf("after Set: title %q, revision %d, name %q", p.Texts["fr"].Banner.Title, p.Revision, p.Categories[0].Name["en"])
	}
	if err := Set(p, "revision", "two"); err == nil {
		t.Error("a revision that is not a number is accepted")
	}
	if err := Set(p, "categories[9].id", "x"); err == nil || !strings.Contains(err.Error(), "no item 9") {
		t.Errorf("an item that does not exist: %v", err)
	}
	if err := Set(p, "nothing.here", "x"); err == nil {
		t.Error("a field that does not exist is accepted")
	}
	// An emptied translation is a missing one: the validator names it.
	if err := Set(p, "categories[0].name.en", ""); err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Categories[0].Name["en"]; ok {
		t.Error("an emptied text stays in its map")
	}
	if _, errs := Check(p); len(errs) == 0 || errs[0].Field != "categories[0].name.en" {
		t.Errorf("Check after emptying a name: %v", errs)
	}
}

func TestListsAreSplitAsTheyAreTyped(t *testing.T) {
	if got := SplitList("languages", " fr, en ,, "); !reflect.DeepEqual(got, []string{"fr", "en"}) {
		t.Errorf("languages: %q", got)
	}
	paragraphs := "First, with a comma.\n\nSecond."
	got := SplitList("texts.fr.charter.intro.paragraphs", paragraphs)
	if !reflect.DeepEqual(got, []string{"First, with a comma.", "Second."}) {
		t.Errorf("paragraphs: %q", got)
	}
	if back := JoinList("texts.fr.charter.intro.paragraphs", got); SplitList("x.paragraphs", back) == nil || !reflect.DeepEqual(SplitList("x.paragraphs", back), got) {
		t.Errorf("paragraphs joined: %q", back)
	}
}

// A new category is the validator's first error, in its words and at its
// path, until it is filled; removing it gives the valid configuration back.
func TestAddAndRemoveItems(t *testing.T) {
	p := pau(t)
	if err := Add(p, "categories"); err != nil {
		t.Fatal(err)
	}
	want := pau(t)
	want.Categories = append(want.Categories, consent.Category{})
	wantErr := want.Validate().(*consent.ConfigError)
	if _, got := Check(p); len(got) == 0 || got[0].Field != "categories[2].id" || got[0].Problem != wantErr.Problem {
		t.Errorf("Check with a new category: %v, want %v first", got, wantErr)
	}
	if err := Add(p, "categories[2].cookies"); err != nil {
		t.Fatal(err)
	}
	if len(p.Categories[2].Cookies) != 1 {
		t.Errorf("the new category has %d cookies", len(p.Categories[2].Cookies))
	}
	if err := Remove(p, "categories[2]"); err != nil {
		t.Fatal(err)
	}
	if _, errs := Check(p); errs != nil {
		t.Errorf("after removing the new category: %v", errs)
	}
	if err := Remove(p, "categories[7]"); err == nil {
		t.Error("removing an item that does not exist succeeds")
	}
}

// A language removed takes its texts away everywhere; a language added
// asks for its texts, field by field.
func TestSetLanguages(t *testing.T) {
	p := pau(t)
	SetLanguages(p, "fr")
	if _, errs := Check(p); errs != nil {
		t.Fatalf("French alone: %v", errs)
	}
	if _, ok := p.Texts["en"]; ok || p.Categories[0].Name["en"] != "" {
		t.Error("English texts remain after English is removed")
	}
	SetLanguages(p, "fr, de")
	_, errs := Check(p)
	if len(errs) < 10 {
		t.Errorf("German added without its texts: %v", errs)
	}
	for _, err := range errs {
		if !strings.HasSuffix(err.Field, ".de") && !strings.HasPrefix(err.Field, "texts.de.") {
			t.Errorf("German added: %v is not about German", err)
		}
	}
}

// The download is the file the host starts with, and holds what was
// edited.
func TestDownloadIsWhatTheHostAccepts(t *testing.T) {
	p := pau(t)
	if err := Set(p, "texts.en.banner.title", "Your cookies"); err != nil {
		t.Fatal(err)
	}
	data := Download(p)
	back, err := consent.Parse("pau.json", data)
	if err != nil {
		t.Fatalf("the host refuses the download: %v", err)
	}
	if back.Texts["en"].Banner.Title != "Your cookies" || !bytes.HasSuffix(data, []byte("}\n")) {
		t.Errorf("the download: title %q", back.Texts["en"].Banner.Title)
	}
}

// The preview renders with the components visitors get: the texts as the
// team typed them, markup included, shown as text.
func TestPreviewShowsTextsAsText(t *testing.T) {
	p := pau(t)
	hostile := `<img src=x onerror=alert(1)> & "quotes"`
	if err := Set(p, "texts.fr.banner.title", hostile); err != nil {
		t.Fatal(err)
	}
	css := Stylesheets{Banner: "../assets/banner.css", Consent: "../assets/consent.css", Console: "../assets/console.css"}
	for view, want := range map[string]string{ViewBanner: "cb-banner", ViewPreferences: "<dialog", ViewCharter: "preview-charter"} {
		doc := PreviewDocument(Clone(p), "fr", view, false, css)
		if !strings.Contains(doc, want) || !strings.Contains(doc, `href="../assets/banner.css"`) {
			t.Errorf("%s preview lacks %q or the stylesheets", view, want)
		}
		if strings.Contains(doc, "<img src=x") {
			t.Errorf("%s preview renders the title as markup", view)
		}
	}
	if doc := PreviewDocument(Clone(p), "fr", ViewBanner, false, css); !strings.Contains(doc, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("the banner's title is not shown as text:\n%s", doc)
	}
	if doc := PreviewDocument(Clone(p), "en", ViewPreferences, false, css); !strings.Contains(doc, `lang="en"`) || !strings.Contains(doc, " open") {
		t.Error("the English preferences preview is not the open dialog in English")
	}
}
