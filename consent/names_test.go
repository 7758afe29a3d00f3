package consent

import "testing"

func TestNames(t *testing.T) {
	for _, c := range []struct {
		check func(string) bool
		name  string
		ok    []string
		bad   []string
	}{
		{validID, "id", []string{"pau", "a", "aveyron-12", "open_data", "a234567890123456789012345678901234567890"[:40]},
			[]string{"", "Pau", "1pau", "-pau", "pau fr", "pau.fr", "é", "a2345678901234567890123456789012345678901"}},
		{validLang, "language", []string{"fr", "en", "oci"}, []string{"", "f", "fren", "FR", "f1", "fr-FR"}},
		{validCookieName, "cookie name", []string{"csrftoken", "_pk_id.*", "cookies_preferences", "a!#$%&'*+-.^_`|~Z9"},
			[]string{"", "a b", "a=b", "a;b", "a,b", `a"b`, "é", "a\tb", "a(b)"}},
	} {
		for _, s := range c.ok {
			if !c.check(s) {
				t.Errorf("%q refused as a %s", s, c.name)
			}
		}
		for _, s := range c.bad {
			if c.check(s) {
				t.Errorf("%q accepted as a %s", s, c.name)
			}
		}
	}
}
