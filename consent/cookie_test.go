package consent_test

import (
	"errors"
	"maps"
	"testing"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/internal/cookiecases"
)

// The cases of testdata/cookies.json, which the page's reading before Go
// must agree with too (e2e/cookies_test.go).
func TestCookieCasesSharedWithThePage(t *testing.T) {
	cases, err := cookiecases.Load("testdata/cookies.json")
	if err != nil {
		t.Fatal(err)
	}
	mesure, err := consent.LoadFile("../e2e/testdata/mesure.json")
	if err != nil {
		t.Fatal(err)
	}
	portals := map[string]*consent.Portal{"pau": pau(t), "mesure": mesure}
	for _, c := range cases {
		p := portals[c.Portal]
		got, err := consent.Decode(c.Value(now), p, now)
		switch {
		case c.Want == nil && err == nil:
			t.Errorf("%s: read as a choice %v, want the banner to ask", c.Name, got.Categories(p))
		case c.Want == nil && !errors.Is(err, consent.ErrNoChoice):
			t.Errorf("%s: unclear error %v", c.Name, err)
		case c.Want != nil && err != nil:
			t.Errorf("%s: %v", c.Name, err)
		case c.Want != nil:
			if !maps.Equal(got.Categories(p), c.Want.Categories) || got.OnPlatformBanner != c.Want.PlatformBanner {
				t.Errorf("%s: read %v (platform banner %v), want %v (%v)", c.Name, got.Categories(p), got.OnPlatformBanner, c.Want.Categories, c.Want.PlatformBanner)
			}
		}
	}
	if len(cases) < 40 {
		t.Errorf("%d cases: the table lost some", len(cases))
	}
}
