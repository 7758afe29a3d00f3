package consent_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/opendata-consent/consent/consent"
)

// servicesPortal is Pau with a video category consented to service by
// service.
func servicesPortal(t testing.TB) *consent.Portal {
	t.Helper()
	p := *pau(t)
	video := p.Categories[1]
	video.ID = "video"
	video.Cookies = []consent.Cookie{{Name: "VISITOR_INFO1_LIVE", Provider: "YouTube", Service: video.Name, Purpose: video.Name, Duration: video.Name}}
	video.Services = []consent.Service{
		{ID: "youtube", Name: consent.Localized{"fr": "YouTube", "en": "YouTube"}, Description: video.Description},
		{ID: "vimeo", Name: consent.Localized{"fr": "Vimeo", "en": "Vimeo"}, Description: video.Description},
	}
	p.Categories = append(slices.Clone(p.Categories), video)
	return &p
}

func TestConsentPerService(t *testing.T) {
	p := servicesPortal(t)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, pu := range p.Purposes() {
		keys = append(keys, pu.Key)
	}
	if !slices.Equal(keys, []string{"statistics", "video/youtube", "video/vimeo"}) {
		t.Fatalf("purposes %q", keys)
	}
	onlyYouTube := consent.NewChoice(p, map[string]bool{"video/youtube": true}, now)
	if !strings.HasSuffix(onlyYouTube.Encode(p), url.QueryEscape(`"choices":{"statistics":false,"video/vimeo":false,"video/youtube":true}}}`)) {
		t.Errorf("encoded %q", onlyYouTube.Encode(p))
	}
	back, err := consent.Decode(onlyYouTube.Encode(p), p, now)
	if err != nil || !back.Allows(p, "video/youtube") || back.Allows(p, "video/vimeo") || back.Allows(p, "video") {
		t.Errorf("decoded %+v (%v): YouTube allowed, Vimeo not, so the category as a whole not", back, err)
	}
	if consent.AcceptAll(p, now).Allows(p, "video") != true {
		t.Error("accepting all allows every service, so the category")
	}
	if got := p.CookiesToClear(onlyYouTube, []string{"VISITOR_INFO1_LIVE"}); len(got) != 0 {
		t.Errorf("a category with an accepted service keeps its cookies, cleared %q", got)
	}
	if got := p.CookiesToClear(consent.RejectAll(p, now), []string{"VISITOR_INFO1_LIVE"}); !slices.Equal(got, []string{"VISITOR_INFO1_LIVE"}) {
		t.Errorf("refusing every service clears the category's cookies, cleared %q", got)
	}
	old := strings.Replace(onlyYouTube.Encode(p), url.QueryEscape(`"video/vimeo":false,`), "", 1)
	if _, err := consent.Decode(old, p, now); err == nil {
		t.Error("a cookie missing a service's choice was accepted")
	}
}

func TestServicesAreValidated(t *testing.T) {
	p := servicesPortal(t)
	p.Categories[2].Services = append(slices.Clone(p.Categories[2].Services), p.Categories[2].Services[0])
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), `categories[2].services[2].id: "youtube" must be a new id`) {
		t.Errorf("a service listed twice: %v", err)
	}
}
