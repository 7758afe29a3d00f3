package consent_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
)

// exemptPortal is Pau with a second optional category: audience
// measurement the CNIL exempts from consent.
func exemptPortal(t *testing.T) *consent.Portal {
	t.Helper()
	p := *pau(t)
	audience := p.Categories[1]
	audience.ID = "audience"
	audience.Exempt = &consent.Exemption{OwnAudienceOnly: true}
	audience.Cookies = []consent.Cookie{{Name: "_pk_id.*", Provider: "Matomo", MaxAgeDays: 395,
		Service:  consent.Localized{"fr": "Mesure d'audience", "en": "Audience measurement"},
		Purpose:  consent.Localized{"fr": "Compter les visites", "en": "Count visits"},
		Duration: consent.Localized{"fr": "13 mois", "en": "13 months"}}}
	p.Categories = append(slices.Clone(p.Categories), audience)
	p.Lifetime = consent.Lifetime{ConsentDays: 182, RefusalDays: 200}
	return &p
}

func TestExemptAudienceMeasurement(t *testing.T) {
	p := exemptPortal(t)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	audience, _ := p.Category("audience")
	statistics, _ := p.Category("statistics")
	if !audience.AllowedByDefault() || statistics.AllowedByDefault() {
		t.Error("before any choice, exempt audience measurement runs and statistics do not")
	}
	refusal := consent.RejectAll(p, now)
	if !refusal.Allows(p, "audience") || refusal.Allows(p, "statistics") {
		t.Errorf("Tout refuser gives %v: it refuses what needs consent and leaves exempt measurement on", refusal.Accepted)
	}
	if got := p.LifetimeOf(refusal); got != 200*24*time.Hour {
		t.Errorf("a refusal with exempt measurement on is kept %v, want the refusal lifetime", got)
	}
	objection := consent.NewChoice(p, map[string]bool{"statistics": true}, now)
	if objection.Allows(p, "audience") {
		t.Error("a visitor who turned the exempt switch off still has it on")
	}
}

func TestExemptionConditionsAreChecked(t *testing.T) {
	for want, breakIt := range map[string]func(p *consent.Portal){
		"categories[2].exempt.ownAudienceOnly: the CNIL exempts audience measurement only when": func(p *consent.Portal) {
			p.Categories[2].Exempt.OwnAudienceOnly = false
		},
		"categories[2].cookies[0].maxAgeDays: 400: a cookie of exempt audience measurement lives from 1 to 395 days": func(p *consent.Portal) {
			p.Categories[2].Cookies[0].MaxAgeDays = 400
		},
		"categories[2].cookies[0].maxAgeDays: 0:": func(p *consent.Portal) {
			p.Categories[2].Cookies[0].MaxAgeDays = 0
		},
		"categories[0].exempt: a necessary category needs no exemption": func(p *consent.Portal) {
			p.Categories[0].Exempt = &consent.Exemption{OwnAudienceOnly: true}
		},
	} {
		p := exemptPortal(t)
		p.Categories = slices.Clone(p.Categories)
		p.Categories[2].Cookies = slices.Clone(p.Categories[2].Cookies)
		exempt := *p.Categories[2].Exempt
		p.Categories[2].Exempt = &exempt
		breakIt(p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}
