package consent_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/opendata-consent/consent/consent"
)

// modePortal is Pau with a second optional category, videos.
func modePortal(t *testing.T) *consent.Portal {
	t.Helper()
	p := *pau(t)
	video := p.Categories[1]
	video.ID = "video"
	p.Categories = append(slices.Clone(p.Categories), video)
	return &p
}

func TestConsentModeSignals(t *testing.T) {
	p := modePortal(t)
	p.ConsentMode = map[string][]string{
		"analytics_storage":  {"statistics"},
		"ad_storage":         {"video"},
		"ad_personalization": {"video", "statistics"},
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	wantDefault := []string{"ad_storage", "analytics_storage", "ad_user_data", "ad_personalization"}
	if got := p.ConsentModeDefault(); !slices.Equal(got, wantDefault) {
		t.Errorf("default signals %q, want v2's four %q", got, wantDefault)
	}
	onlyStats := consent.NewChoice(p, map[string]bool{"statistics": true}, now)
	want := map[string]bool{"analytics_storage": true, "ad_storage": false, "ad_user_data": false, "ad_personalization": false}
	if got := p.ConsentModeGranted(onlyStats); !maps.Equal(got, want) {
		t.Errorf("statistics only grants %v, want %v (ad_user_data maps to nothing: always denied)", got, want)
	}
	all := consent.AcceptAll(p, now)
	want = map[string]bool{"analytics_storage": true, "ad_storage": true, "ad_user_data": false, "ad_personalization": true}
	if got := p.ConsentModeGranted(all); !maps.Equal(got, want) {
		t.Errorf("accepting all grants %v, want %v", got, want)
	}
	if got := p.ConsentModeGranted(consent.RejectAll(p, now)); slices.Contains(slices.Collect(maps.Values(got)), true) {
		t.Errorf("a refusal grants %v", got)
	}
}

func TestConsentModeConfigurationErrors(t *testing.T) {
	for wantErr, mapping := range map[string]map[string][]string{
		`consentMode.ads_storage: not a Consent Mode signal`: {"ads_storage": {"statistics"}},
		`consentMode.ad_storage: no category "ads"`:          {"ad_storage": {"ads"}},
		`consentMode.ad_storage: "necessary" is necessary`:   {"ad_storage": {"necessary"}},
		`consentMode.analytics_storage: list the categories`: {"analytics_storage": {}},
	} {
		p := modePortal(t)
		p.ConsentMode = mapping
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("consentMode %v: error %v, want %q", mapping, err, wantErr)
		}
	}
}
