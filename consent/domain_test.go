package consent_test

import (
	"strings"
	"testing"
)

// cookieDomain is checked as a browser would take it: a parent of the
// portal's host, of two labels at least, not a public suffix; and the
// charter says where the choice holds, in every language.
func TestCookieDomainIsTheDomainOfThePortalsOwnSites(t *testing.T) {
	for _, c := range []struct {
		domain, says string
	}{
		{"pau.fr", ""},
		{"opendata.pau.fr", ""},
		{"fr", `"fr" is not a domain`},
		{".pau.fr", `".pau.fr" is not a domain`},
		{"Pau.fr", `"Pau.fr" is not a domain`},
		{"agglo-pau.fr", `"agglo-pau.fr" is not "opendata.pau.fr" nor a domain above it`},
		{"data.opendata.pau.fr", `"data.opendata.pau.fr" is not "opendata.pau.fr" nor a domain above it`},
	} {
		p := pau(t)
		p.CookieDomain = c.domain
		for _, lang := range p.Languages {
			p.Texts[lang].Charter.CookieScope = "%s"
		}
		err := p.Validate()
		if c.says == "" && err != nil || c.says != "" && (err == nil || !strings.Contains(err.Error(), "cookieDomain: "+c.says)) {
			t.Errorf("cookieDomain %q: %v, want %q", c.domain, err, c.says)
		}
	}

	p := pau(t)
	p.CookieDomain = "pau.fr"
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "texts.fr.charter.cookieScope") {
		t.Errorf("a shared choice without the charter's sentence: %v", err)
	}
}

func TestTheCookieIsWrittenForTheDomainOnlyOnItsPages(t *testing.T) {
	p := pau(t)
	p.CookieDomain = "pau.fr"
	for host, want := range map[string]string{
		"opendata.pau.fr": "pau.fr",
		"pau.fr":          "pau.fr",
		"www.pau.fr":      "pau.fr",
		"agglo-pau.fr":    "",
		"localhost":       "",
		"127.0.0.1":       "",
	} {
		if got := p.CookieDomainFor(host); got != want {
			t.Errorf("on %s: Domain=%q, want %q", host, got, want)
		}
	}
}
