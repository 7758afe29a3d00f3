package consent_test

import (
	"encoding/json"
	"errors"
	"net/url"
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

// The value is what Opendatasoft's code reads (decodeURIComponent, then
// JSON.parse; a tracker is allowed unless its key is false) with this
// consent manager's fields beside the platform's.
func TestEncodedValueIsDocumentedFormat(t *testing.T) {
	p := pau(t)
	c := consent.AcceptAll(p, now)
	want := `{"functional_cookies":false,"ga":true,"matomo":true,"xiti":true,"at":true,"piano":true,"eulerian":true,"timestamp":1795341600000,` +
		`"consent":{"version":1,"revision":1,"id":"` + c.ID + `","choices":{"statistics":true}}}`
	got, err := url.PathUnescape(c.Encode(p))
	if err != nil || got != want {
		t.Errorf("got %q (%v), want %q", got, err, want)
	}
	if strings.ContainsAny(c.Encode(p), `{}":, ;`) || len(c.Encode(p)) > 512 {
		t.Errorf("%q is not URL-encoded, or not well under 1 KB", c.Encode(p))
	}
	var platform map[string]any
	if err := json.Unmarshal([]byte(got), &platform); err != nil {
		t.Fatal(err)
	}
	for _, key := range consent.PlatformKeys {
		if _, ok := platform[key].(bool); !ok {
			t.Errorf("platform key %q is %v: a missing key reads as consent on the platform", key, platform[key])
		}
	}
	if len(c.ID) != 16 || strings.Trim(c.ID, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		t.Errorf("consent id %q is not 16 base32 characters", c.ID)
	}
	if other := consent.AcceptAll(p, now); other.ID == c.ID {
		t.Error("two choices share a consent id")
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
	got := consent.SetCookie(p, c, consent.Location{Secure: true})
	want := "cookies_preferences=" + c.Encode(p) + "; Path=/; Max-Age=15724800; SameSite=Lax; Secure"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if strings.Contains(consent.SetCookie(p, c, consent.Location{}), "Secure") {
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
