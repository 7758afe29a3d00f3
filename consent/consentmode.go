package consent

import (
	"maps"
	"slices"
)

// ConsentModeSignals are the consent types Google's tags read (Consent Mode
// v2): the four that v2 requires first, then the optional ones.
var ConsentModeSignals = []string{
	"ad_storage", "analytics_storage", "ad_user_data", "ad_personalization",
	"functionality_storage", "personalization_storage", "security_storage",
}

// ConsentModeDefault returns every signal a portal sends, v2's four first,
// then the others it maps, in ConsentModeSignals order: all of them are
// "denied" until the visitor accepts.
func (p *Portal) ConsentModeDefault() []string {
	if len(p.ConsentMode) == 0 {
		return nil
	}
	var signals []string
	for i, s := range ConsentModeSignals {
		if _, mapped := p.ConsentMode[s]; i < 4 || mapped {
			signals = append(signals, s)
		}
	}
	return signals
}

func (p *Portal) checkConsentMode() error {
	for _, s := range slices.Sorted(maps.Keys(p.ConsentMode)) {
		field := "consentMode." + s
		if !slices.Contains(ConsentModeSignals, s) {
			return problem(field, "not a Consent Mode signal (one of %v)", ConsentModeSignals)
		}
		if len(p.ConsentMode[s]) == 0 {
			return problem(field, "list the categories that grant it, e.g. [\"statistics\"]")
		}
		for _, cat := range p.ConsentMode[s] {
			c, ok := p.Category(cat)
			if !ok {
				return problem(field, "no category %q", cat)
			}
			if c.Required {
				return problem(field, "%q is necessary: map signals to the categories a visitor accepts", cat)
			}
		}
	}
	return nil
}
