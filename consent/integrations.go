package consent

import (
	"slices"
)

// Integrations are the analytics tools a portal runs whose own consent
// APIs the consent manager drives from the visitor's choice (web/integrations.js;
// portals/README.md lists the exact calls). Each names the purpose it
// follows: a category id ("statistics") or a service key. A portal that
// declares none is sent no code for them.
type Integrations struct {
	Matomo  *Matomo  `json:"matomo,omitempty"`
	Piano   *Piano   `json:"piano,omitempty"`
	Clarity *Clarity `json:"clarity,omitempty"`
}

// Matomo's consent modes.
const (
	// MatomoCookies measures every visitor from the first page without
	// cookies (requireCookieConsent), with them once consented to.
	MatomoCookies = "cookies"
	// MatomoTracking sends nothing before consent (requireConsent).
	MatomoTracking = "tracking"
)

// Matomo is a Matomo tag (the _paq queue).
type Matomo struct {
	Purpose string `json:"purpose"`
	// Mode is MatomoCookies (the default) or MatomoTracking.
	Mode string `json:"mode,omitempty"`
}

// Piano Analytics' consent APIs.
const (
	// PianoConsent is the consent module of the Piano Analytics SDK 6.8
	// and later (window.pdl, pa.consent.setMode).
	PianoConsent = "consent"
	// PianoPrivacy is the privacy module of earlier SDKs
	// (pa.privacy.setMode).
	PianoPrivacy = "privacy"
)

// Piano is a Piano Analytics tag (formerly AT Internet, XiTi): the
// CNIL-exempt mode before and without consent, opt-in once consented to,
// opt-out once refused.
type Piano struct {
	Purpose string `json:"purpose"`
	// API is PianoConsent (the default) or PianoPrivacy, whichever the
	// portal's tag uses.
	API string `json:"api,omitempty"`
}

// Clarity is a Microsoft Clarity tag, driven by its consent v2 API.
type Clarity struct {
	Purpose string `json:"purpose"`
}

// Any tells whether the portal declares an integration.
func (in Integrations) Any() bool { return in.Matomo != nil || in.Piano != nil || in.Clarity != nil }

func (p *Portal) checkIntegrations() error {
	in := &p.Integrations
	if m := in.Matomo; m != nil {
		if m.Mode == "" {
			m.Mode = MatomoCookies
		}
		if m.Mode != MatomoCookies && m.Mode != MatomoTracking {
			return problem("integrations.matomo.mode", "%q is not %q (cookieless before consent) or %q (nothing sent before consent)", m.Mode, MatomoCookies, MatomoTracking)
		}
		if err := p.checkIntegrationPurpose("integrations.matomo.purpose", m.Purpose); err != nil {
			return err
		}
	}
	if pi := in.Piano; pi != nil {
		if pi.API == "" {
			pi.API = PianoConsent
		}
		if pi.API != PianoConsent && pi.API != PianoPrivacy {
			return problem("integrations.piano.api", "%q is not %q (SDK 6.8 and later) or %q (earlier SDKs)", pi.API, PianoConsent, PianoPrivacy)
		}
		if err := p.checkIntegrationPurpose("integrations.piano.purpose", pi.Purpose); err != nil {
			return err
		}
	}
	if c := in.Clarity; c != nil {
		if err := p.checkIntegrationPurpose("integrations.clarity.purpose", c.Purpose); err != nil {
			return err
		}
	}
	return nil
}

// checkIntegrationPurpose accepts what a visitor consents to: an optional
// category or one of its services.
func (p *Portal) checkIntegrationPurpose(field, key string) error {
	if keys := p.ConsentKeys(); !slices.Contains(keys, key) {
		return problem(field, "%q is not an optional category or service of this portal (one of %v)", key, keys)
	}
	return nil
}
