package consent_test

import (
	"slices"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
)

// clearingPortal is Pau with Matomo's cookies under statistics and a video
// category.
func clearingPortal(t *testing.T) *consent.Portal {
	t.Helper()
	p := *pau(t)
	p.Categories = append(slices.Clone(p.Categories), consent.Category{ID: "video", Cookies: []consent.Cookie{{Name: "VISITOR_INFO1_LIVE"}}})
	p.Categories[1].Cookies = []consent.Cookie{{Name: "_pk_id.*"}, {Name: "_pk_ses.*"}}
	return &p
}

func TestCookieMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"csrftoken", "csrftoken", true},
		{"csrftoken", "csrftoken2", false},
		{"_pk_id.*", "_pk_id.1.a1b2", true},
		{"_pk_id.*", "_pk_id", false},
		{"_pk_id.*", "_pk_ses.1.a1b2", false},
	} {
		if got := (consent.Cookie{Name: tc.pattern}).Matches(tc.name); got != tc.want {
			t.Errorf("%q matches %q = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

func TestCookiesToClear(t *testing.T) {
	p := clearingPortal(t)
	now := time.Now()
	present := []string{"csrftoken", "cookies_preferences", "_pk_id.1.a1b2", "_pk_ses.1.a1b2", "VISITOR_INFO1_LIVE", "portal_theme"}

	got := p.CookiesToClear(consent.RejectAll(p, now), present)
	want := []string{"_pk_id.1.a1b2", "_pk_ses.1.a1b2", "VISITOR_INFO1_LIVE"}
	if !slices.Equal(got, want) {
		t.Errorf("refusing everything clears %q, want %q (never a necessary or unlisted cookie)", got, want)
	}
	if got := p.CookiesToClear(consent.AcceptAll(p, now), present); len(got) != 0 {
		t.Errorf("accepting everything clears %q, want nothing", got)
	}
	onlyVideo := consent.NewChoice(p, map[string]bool{"video": true}, now)
	if got := p.CookiesToClear(onlyVideo, present); !slices.Equal(got, want[:2]) {
		t.Errorf("accepting videos only clears %q, want the statistics cookies %q", got, want[:2])
	}
}

func TestWithdrawn(t *testing.T) {
	p := clearingPortal(t)
	now := time.Now()
	all := consent.AcceptAll(p, now)
	if got := p.Withdrawn(&all, consent.RejectAll(p, now)); !slices.Equal(got, []string{"statistics", "video"}) {
		t.Errorf("withdrawn after accepting all then refusing all = %q", got)
	}
	if got := p.Withdrawn(nil, consent.RejectAll(p, now)); got != nil {
		t.Errorf("a first refusal withdraws %q, want nothing", got)
	}
	onlyVideo := consent.NewChoice(p, map[string]bool{"video": true}, now)
	if got := p.Withdrawn(&onlyVideo, all); got != nil {
		t.Errorf("accepting more withdraws %q, want nothing", got)
	}
}

func TestCookieNames(t *testing.T) {
	got := consent.CookieNames("a=1; b=2;c=3; a=4; ; =x")
	if !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("CookieNames = %q", got)
	}
}

func TestClearCookie(t *testing.T) {
	for _, tc := range []struct {
		host string
		want []string
	}{
		{"opendata.pau.fr", []string{"_ga=; Path=/; Max-Age=0", "_ga=; Path=/; Max-Age=0; Domain=opendata.pau.fr", "_ga=; Path=/; Max-Age=0; Domain=pau.fr"}},
		{"pau.fr", []string{"_ga=; Path=/; Max-Age=0", "_ga=; Path=/; Max-Age=0; Domain=pau.fr"}},
		{"localhost", []string{"_ga=; Path=/; Max-Age=0"}},
		{"127.0.0.1", []string{"_ga=; Path=/; Max-Age=0"}},
		{"[::1]", []string{"_ga=; Path=/; Max-Age=0"}},
	} {
		if got := consent.ClearCookie("_ga", tc.host); !slices.Equal(got, tc.want) {
			t.Errorf("ClearCookie on %s = %q, want %q", tc.host, got, tc.want)
		}
	}
}

func TestClearEverywhere(t *testing.T) {
	got := consent.ClearEverywhere("cookies_preferences", "localhost", "/portails/essai/")
	want := []string{
		"cookies_preferences=; Path=/; Max-Age=0",
		"cookies_preferences=; Path=/portails; Max-Age=0",
		"cookies_preferences=; Path=/portails/; Max-Age=0",
		"cookies_preferences=; Path=/portails/essai; Max-Age=0",
		"cookies_preferences=; Path=/portails/essai/; Max-Age=0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("ClearEverywhere on /portails/essai/ =\n%q\nwant\n%q", got, want)
	}
	if got := consent.ClearEverywhere("c", "opendata.pau.fr", "/explore"); len(got) != 6 {
		t.Errorf("on opendata.pau.fr/explore: %q, want paths / and /explore for the host, its domain and pau.fr", got)
	}
}
