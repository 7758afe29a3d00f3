package consent_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opendata-consent/consent/consent"
)

// pauJSON returns the built-in Pau configuration as a generic JSON tree, to
// break one field at a time.
func pauJSON(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("../portals/pau.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParseNamesTheFieldAndTheProblem(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(m map[string]any)
		want   string
	}{
		{"lifetime over 13 months", func(m map[string]any) { m["lifetime"] = map[string]any{"consentDays": 400} },
			"pau.json: lifetime.consentDays: 400 days"},
		{"refusal shorter than consent", func(m map[string]any) { m["lifetime"] = map[string]any{"consentDays": 182, "refusalDays": 30} },
			"pau.json: lifetime.refusalDays: 30 days is shorter than consentDays"},
		{"missing English text", func(m map[string]any) {
			m["texts"].(map[string]any)["en"].(map[string]any)["banner"].(map[string]any)["rejectAll"] = ""
		}, "pau.json: texts.en.banner.rejectAll: missing or empty"},
		{"javascript link", func(m map[string]any) { m["charterURL"] = "javascript:alert(1)" },
			"pau.json: charterURL: \"javascript:alert(1)\" must be an http:// or https:// address"},
		{"unknown field", func(m map[string]any) { m["colour"] = "red" }, `unknown field "colour"`},
		{"no revision", func(m map[string]any) { delete(m, "revision") }, "pau.json: revision: must be a whole number"},
		{"necessary not first", func(m map[string]any) {
			cats := m["categories"].([]any)
			m["categories"] = []any{cats[1], cats[0]}
		}, "pau.json: categories: the first category must be the necessary one"},
		{"cookie without purpose in English", func(m map[string]any) {
			cookie := m["categories"].([]any)[0].(map[string]any)["cookies"].([]any)[2].(map[string]any)
			delete(cookie["purpose"].(map[string]any), "en")
		}, "pau.json: categories[0].cookies[2].purpose.en: missing or empty"},
		{"necessary cookie without its justification", func(m map[string]any) {
			cookie := m["categories"].([]any)[0].(map[string]any)["cookies"].([]any)[2].(map[string]any)
			delete(cookie, "justification")
		}, "pau.json: categories[0].cookies[2].justification.fr: missing: a necessary cookie says why"},
		{"star inside a cookie name", func(m map[string]any) {
			cookie := m["categories"].([]any)[0].(map[string]any)["cookies"].([]any)[2].(map[string]any)
			cookie["name"] = "_pk_*_id"
		}, `pau.json: categories[0].cookies[2].name: "_pk_*_id": "*" may only end a name`},
		{"wrong type", func(m map[string]any) { m["revision"] = "one" }, "pau.json: revision: expected int, got a JSON string"},
		{"quote in the charter's URL", func(m map[string]any) { m["charterURL"] = `/charte"><img src=x onerror=alert(1)>` },
			`pau.json: charterURL: "/charte\"><img src=x onerror=alert(1)>": a URL has no '"'`},
		{"angle bracket in the address", func(m map[string]any) { m["address"] = "https://pau.fr/<script>" },
			`pau.json: address: "https://pau.fr/<script>": a URL has no '<'`},
		{"backslash path to another host", func(m map[string]any) { m["charterURL"] = `/\\evil.example` },
			`a URL has no '\\'`},
		{"space in a URL", func(m map[string]any) { m["charterURL"] = "/charte cookies" }, `a URL has no ' '`},
		{"control character in a URL", func(m map[string]any) { m["address"] = "https://pau.fr/\x00" }, `a URL has no '\x00'`},
		{"URL too long", func(m map[string]any) { m["charterURL"] = "/" + strings.Repeat("a", 600) }, "pau.json: charterURL: 601 characters: at most 500"},
		{"portal name too long", func(m map[string]any) { m["name"].(map[string]any)["fr"] = strings.Repeat("é", 151) },
			"pau.json: name.fr: 151 characters: at most 150"},
		{"banner text too long", func(m map[string]any) {
			m["texts"].(map[string]any)["fr"].(map[string]any)["banner"].(map[string]any)["body"] = strings.Repeat("a", 2001)
		}, "pau.json: texts.fr.banner.body: 2001 characters: at most 2000"},
		{"placeholder button without the service's name", func(m map[string]any) {
			m["texts"].(map[string]any)["en"].(map[string]any)["placeholder"].(map[string]any)["accept"] = "Allow and show"
		}, `pau.json: texts.en.placeholder.accept: "Allow and show" must name the service once, as %s`},
		{"integration of a necessary category", func(m map[string]any) {
			m["integrations"] = map[string]any{"matomo": map[string]any{"purpose": "necessary"}}
		}, `pau.json: integrations.matomo.purpose: "necessary" is not an optional category or service`},
		{"unknown Matomo mode", func(m map[string]any) {
			m["integrations"] = map[string]any{"matomo": map[string]any{"purpose": "statistics", "mode": "cookieless"}}
		}, `pau.json: integrations.matomo.mode: "cookieless" is not "cookies"`},
		{"unknown Piano API", func(m map[string]any) {
			m["integrations"] = map[string]any{"piano": map[string]any{"purpose": "statistics", "api": "smarttag"}}
		}, `pau.json: integrations.piano.api: "smarttag" is not "consent"`},
		{"unknown integration", func(m map[string]any) {
			m["integrations"] = map[string]any{"hotjar": map[string]any{"purpose": "statistics"}}
		}, `unknown field "hotjar"`},
		{"cookie purpose too long", func(m map[string]any) {
			cookie := m["categories"].([]any)[0].(map[string]any)["cookies"].([]any)[2].(map[string]any)
			cookie["purpose"].(map[string]any)["en"] = strings.Repeat("a", 2001)
		}, "pau.json: categories[0].cookies[2].purpose.en: 2001 characters: at most 2000"},
	}
	for _, c := range cases {
		m := pauJSON(t)
		c.break_(m)
		data, _ := json.Marshal(m)
		_, err := consent.Parse("pau.json", data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

func TestParseReportsTheLineOfASyntaxError(t *testing.T) {
	_, err := consent.Parse("broken.json", []byte("{\n  \"id\": \"pau\",\n  \"revision\": 1,,\n}"))
	var ce *consent.ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("got %v", err)
	}
}

func TestLoadDirectoryRefusesDuplicatePortals(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile("../portals/pau.json")
	os.WriteFile(filepath.Join(dir, "a.json"), data, 0o644)
	os.WriteFile(filepath.Join(dir, "b.json"), data, 0o644)
	_, err := consent.Load(dir)
	if err == nil || !strings.Contains(err.Error(), `b.json: id: portal "pau" is already defined in`) {
		t.Fatalf("got %v", err)
	}
	os.Remove(filepath.Join(dir, "b.json"))
	list, err := consent.Load(dir)
	if err != nil || len(list) != 1 {
		t.Fatalf("got %v, %v", list, err)
	}
}

// Problems lists every field that is wrong, in the file's order, each in
// the words Validate uses for the first: a configuration with a bad id, a
// cookie without its provider and a language without texts gets all three
// at once (and every text the language lacks).
func TestProblemsListsEveryWrongField(t *testing.T) {
	p := pau(t)
	p.ID = "Pau!"
	p.Categories[0].Cookies[1].Provider = " "
	p.Languages = append(p.Languages, "de")
	p.Name["de"] = "Offene Daten Pau"
	list := p.Problems()
	if len(list) < 3 {
		t.Fatalf("%d problems: %v", len(list), list)
	}
	if err, ok := p.Validate().(*consent.ConfigError); !ok || err.Error() != list[0].Error() {
		t.Errorf("Validate gives %v, not the first problem %v", err, list[0])
	}
	want := map[string]string{
		"id":                                `"Pau!" must be 1 to 40 lower-case letters, digits, '-' or '_', starting with a letter`,
		"categories[0].cookies[1].provider": "missing or empty",
		"categories[0].name.de":             `missing or empty: every language in "languages" needs it`,
		"texts.de":                          `missing: every language in "languages" needs its texts`,
	}
	seen := map[string]bool{}
	for i, pr := range list {
		if problem, ok := want[pr.Field]; ok && pr.Problem != problem {
			t.Errorf("%s: %q, want %q", pr.Field, pr.Problem, problem)
		}
		if seen[pr.Field] {
			t.Errorf("%s listed twice", pr.Field)
		}
		seen[pr.Field] = true
		if i > 0 && pr.Field == "id" {
			t.Error("the id, first in the file, is not the first problem")
		}
	}
	for field := range want {
		if !seen[field] {
			t.Errorf("no problem for %s in %v", field, list)
		}
	}
	// The texts of a language are checked text by text.
	p = pau(t)
	p.Texts["en"].Banner.Title, p.Texts["en"].Preferences.Save = "", ""
	fields := []string{}
	for _, pr := range p.Problems() {
		fields = append(fields, pr.Field)
	}
	if !slices.Equal(fields, []string{"texts.en.banner.title", "texts.en.preferences.save"}) {
		t.Errorf("two English texts emptied: %v", fields)
	}
}
