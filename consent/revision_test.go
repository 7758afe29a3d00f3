package consent_test

import (
	"testing"

	"github.com/opendata-consent/consent/consent"
)

func TestAsksAgainWhenWhatIsConsentedToChanges(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(p *consent.Portal)
		want   bool
	}{
		{"nothing", func(p *consent.Portal) {}, false},
		{"the banner's title", func(p *consent.Portal) { p.Texts["fr"].Banner.Title = "Vos cookies" }, false},
		{"a category's name", func(p *consent.Portal) { p.Categories[1].Name = consent.Localized{"fr": "Mesure", "en": "Measure"} }, false},
		{"a cookie's duration", func(p *consent.Portal) {
			p.Categories[0].Cookies[0].Duration = consent.Localized{"fr": "2 ans", "en": "2 years"}
		}, true},
		{"a new cookie", func(p *consent.Portal) {
			p.Categories[1].Cookies = append(p.Categories[1].Cookies, consent.Cookie{Name: "_ga"})
		}, true},
		{"a new category", func(p *consent.Portal) { p.Categories = append(p.Categories, consent.Category{ID: "video"}) }, true},
		{"a service", func(p *consent.Portal) { p.Categories[1].Services = []consent.Service{{ID: "youtube"}} }, true},
		{"an exemption", func(p *consent.Portal) { p.Categories[1].Exempt = &consent.Exemption{OwnAudienceOnly: true} }, true},
	} {
		before, after := pau(t), pau(t)
		tc.change(after)
		if got := consent.AsksAgain(before, after); got != tc.want {
			t.Errorf("%s changed: AsksAgain = %v, want %v", tc.name, got, tc.want)
		}
	}
}
