package consent_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
)

func pau(t testing.TB) *consent.Portal {
	t.Helper()
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return list[0]
}

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	p := pau(t)
	for _, c := range []consent.Choice{consent.AcceptAll(p, now), consent.RejectAll(p, now)} {
		value := c.Encode(p)
		got, err := consent.Decode(value, p, now.Add(time.Hour))
		if err != nil {
			t.Fatalf("%s: %v", value, err)
		}
		if got.ID != c.ID || !got.DecidedAt.Equal(c.DecidedAt) || got.Accepted["statistics"] != c.Accepted["statistics"] || got.Revision != p.Revision {
			t.Errorf("%s decoded to %+v, want %+v", value, got, c)
		}
	}
}

func TestEncodedValueIsDocumentedFormat(t *testing.T) {
	p := pau(t)
	c := consent.AcceptAll(p, now)
	want := "1.1.1795341600." + c.ID + ".statistics=1"
	if got := c.Encode(p); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(c.ID) != 16 || strings.Trim(c.ID, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		t.Errorf("consent id %q is not 16 base32 characters", c.ID)
	}
	if other := consent.AcceptAll(p, now); other.ID == c.ID {
		t.Error("two choices share a consent id")
	}
}

func TestDecodeRefusesBadValues(t *testing.T) {
	p := pau(t)
	good := consent.RejectAll(p, now)
	id := good.ID
	cases := map[string]string{
		"empty":               "",
		"garbage":             "hello",
		"unknown version":     "2.1.1795341600." + id + ".statistics=0",
		"truncated":           "1.1.1795341600." + id,
		"truncated choices":   "1.1.1795341600." + id + ".statistics=",
		"older revision":      "1.0.1795341600." + id + ".statistics=0",
		"newer revision":      "1.2.1795341600." + id + ".statistics=0",
		"revision not number": "1.x.1795341600." + id + ".statistics=0",
		"date not number":     "1.1.yesterday." + id + ".statistics=0",
		"bad consent id":      "1.1.1795341600.ABC!.statistics=0",
		"unknown category":    "1.1.1795341600." + id + ".statistics=0&ads=1",
		"necessary category":  "1.1.1795341600." + id + ".necessary=0&statistics=0",
		"missing category":    "1.1.1795341600." + id + ".",
		"duplicated":          "1.1.1795341600." + id + ".statistics=0&statistics=1",
		"bit not 0 or 1":      "1.1.1795341600." + id + ".statistics=yes",
		"future date":         "1.1.1895341600." + id + ".statistics=0",
		"extra field":         "1.1.1795341600." + id + ".statistics=0.x",
		"4 KB of garbage":     strings.Repeat("A", 4096),
	}
	for name, value := range cases {
		if _, err := consent.Decode(value, p, now); !errors.Is(err, consent.ErrNoChoice) {
			t.Errorf("%s: %q decoded (err %v)", name, value, err)
		}
	}
}

func TestChoiceExpiresAfterItsLifetime(t *testing.T) {
	p := pau(t)
	c := consent.AcceptAll(p, now)
	v := c.Encode(p)
	if _, err := consent.Decode(v, p, now.Add(181*24*time.Hour)); err != nil {
		t.Errorf("valid after 181 days: %v", err)
	}
	if _, err := consent.Decode(v, p, now.Add(182*24*time.Hour)); !errors.Is(err, consent.ErrNoChoice) {
		t.Error("a choice of 6 months is still valid after 182 days")
	}
}

func TestRefusalLastsAsLongAsConsent(t *testing.T) {
	p := pau(t)
	if a, r := p.LifetimeOf(consent.AcceptAll(p, now)), p.LifetimeOf(consent.RejectAll(p, now)); a != r || a != 182*24*time.Hour {
		t.Errorf("consent kept %v, refusal %v", a, r)
	}
}

func TestStoredChoicePicksTheValidCookieAmongSeveral(t *testing.T) {
	p := pau(t)
	c := consent.AcceptAll(p, now)
	header := "sessionid=abc; cookies_preferences=garbage; cookies_preferences=" + c.Encode(p) + "; csrftoken=x"
	got, err := consent.StoredChoice(header, p, now)
	if err != nil || got.ID != c.ID {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := consent.StoredChoice("cookies_preferences=garbage", p, now); !errors.Is(err, consent.ErrNoChoice) {
		t.Error("a garbage cookie counted as a choice")
	}
}

func TestSetCookieAttributes(t *testing.T) {
	p := pau(t)
	c := consent.RejectAll(p, now)
	got := consent.SetCookie(p, c, true)
	want := "cookies_preferences=" + c.Encode(p) + "; Path=/; Max-Age=15724800; SameSite=Lax; Secure"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if strings.Contains(consent.SetCookie(p, c, false), "Secure") {
		t.Error("Secure on http: the browser would drop the cookie")
	}
}

func TestPickLanguage(t *testing.T) {
	p := pau(t)
	cases := []struct {
		wanted []string
		want   string
	}{
		{nil, "fr"},
		{[]string{"en-GB"}, "en"},
		{[]string{"", "de", "en-US", "fr"}, "en"},
		{[]string{"FR-fr"}, "fr"},
		{[]string{"es"}, "fr"},
	}
	for _, c := range cases {
		if got := p.PickLanguage(c.wanted...); got != c.want {
			t.Errorf("%q: got %s, want %s", c.wanted, got, c.want)
		}
	}
}
