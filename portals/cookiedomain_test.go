package portals

import (
	"errors"
	"strings"
	"testing"

	"github.com/opendata-consent/consent/consent"
)

func TestAPublicSuffixIsRefusedAtStartUp(t *testing.T) {
	list, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p := list[0]
	p.Address, p.CookieDomain = "https://opendata.pau.gouv.fr", "gouv.fr"
	for _, lang := range p.Languages {
		p.Texts[lang].Charter.CookieScope = "%s"
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate leaves the public suffix to the host: %v", err)
	}
	err = CheckCookieDomains([]*consent.Portal{p}, []string{"pau.json"})
	var ce *consent.ConfigError
	if !errors.As(err, &ce) || ce.Field != "cookieDomain" || !strings.Contains(ce.Error(), `pau.json: cookieDomain: "gouv.fr" is a public suffix`) || !strings.Contains(ce.Error(), `such as "pau.gouv.fr"`) {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(ce.In("fr"), "est un suffixe public") {
		t.Errorf("in French: %q", ce.In("fr"))
	}
	p.CookieDomain = "pau.gouv.fr"
	if err := CheckCookieDomains([]*consent.Portal{p}, []string{"pau.json"}); err != nil {
		t.Errorf("the portal's own domain is refused: %v", err)
	}
}
