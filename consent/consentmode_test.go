package consent_test

import (
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
