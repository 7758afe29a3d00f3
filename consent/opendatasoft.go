package consent

import (
	"slices"
	"time"
)

// PlatformKeys are the trackers Opendatasoft's own code reads from
// cookies_preferences (ods-labs/starterkit-huwise, src/utils/cookieUtils.ts),
// in the order the cookie lists them. The platform counts a tracker as
// allowed unless its key is false, and when the cookie is missing or cannot
// be read: every value written here holds every key, true or false.
var PlatformKeys = []string{"functional_cookies", "ga", "matomo", "xiti", "at", "piano", "eulerian"}

// PlatformChoiceDays is how long a choice made on Opendatasoft's own banner
// is honoured: the six months the platform keeps it.
const PlatformChoiceDays = DefaultLifetimeDays

// Opendatasoft says how the portal's choices read on the Opendatasoft
// platform, whose own code reads cookies_preferences.
type Opendatasoft struct {
	// Trackers maps each platform key ("ga", "xiti", …) to the purpose
	// that stands for it: an optional category ("statistics") or a service
	// ("video/youtube"). A key the map leaves out always reads false.
	Trackers map[string]string `json:"trackers,omitempty"`
	// HonourEarlierConsent honours a consent that a visitor gave on the
	// platform's own banner, before the portal used this consent manager.
	// Off by default: a refusal given there is honoured, a consent is
	// asked again.
	HonourEarlierConsent bool `json:"honourEarlierConsent,omitempty"`
}

// PlatformValues returns what each platform key must read for c: the
// mapped purpose allowed, false otherwise.
func (p *Portal) PlatformValues(c Choice) map[string]bool {
	values := map[string]bool{}
	for _, key := range PlatformKeys {
		purpose, ok := p.Opendatasoft.Trackers[key]
		values[key] = ok && c.Allows(p, purpose)
	}
	return values
}

func (p *Portal) checkOpendatasoft() error {
	for key, purpose := range p.Opendatasoft.Trackers {
		field := "opendatasoft.trackers." + key
		if !slices.Contains(PlatformKeys, key) {
			return problem(field, "%q is not a key Opendatasoft reads; the keys are %q", key, PlatformKeys)
		}
		cat, isCategory := p.Category(purpose)
		_, isPurpose := p.purpose(purpose)
		if !(isCategory && !cat.Required) && !isPurpose {
			return problem(field, "%q is not an optional category or a service (\"video/youtube\") of this portal", purpose)
		}
	}
	return nil
}

// platformChoice reads a value written by Opendatasoft's own banner: the
// platform keys and the time of the choice, none of this consent manager's
// fields. Each key reads as the platform reads it: allowed unless false. A
// purpose is accepted when the keys mapped to it are allowed and refused
// when they are false; keys of one purpose that disagree, or a consent that
// the configuration does not honour, ask again. A refusal is honoured for
// six months.
func (p *Portal) platformChoice(v cookieJSON, now time.Time) (Choice, error) {
	if v.Timestamp == nil {
		return noChoice("a value of Opendatasoft's banner without its timestamp")
	}
	c := Choice{Revision: p.Revision, DecidedAt: platformTime(*v.Timestamp), OnPlatformBanner: true, Accepted: map[string]bool{}}
	keys := v.platformKeys()
	consented := false
	for _, pu := range p.Purposes() {
		allowed, refused := 0, 0
		for key, purpose := range p.Opendatasoft.Trackers {
			if purpose != pu.Key && purpose != pu.Category.ID {
				continue
			}
			if b := keys[key]; b != nil && !*b {
				refused++
			} else {
				allowed++
			}
		}
		switch {
		case allowed > 0 && refused > 0:
			return noChoice("Opendatasoft's keys for %q disagree", pu.Key)
		case allowed == 0 && refused == 0:
			// Not on the platform's banner: as before any choice.
			c.Accepted[pu.Key] = pu.Category.Exempt != nil
		default:
			// A key set to false there objects to exempt measurement too.
			c.Accepted[pu.Key] = allowed > 0
			consented = consented || (allowed > 0 && pu.Category.Exempt == nil)
		}
	}
	if consented && !p.Opendatasoft.HonourEarlierConsent {
		return noChoice("a consent given on Opendatasoft's banner, which this portal asks again")
	}
	return c, checkAge(c, p, now)
}

// platformTime reads Opendatasoft's timestamp, in milliseconds as
// JavaScript's Date.now() gives it, or in seconds: 10^11 seconds is the
// year 5138, 10^11 milliseconds 1973.
func platformTime(stamp float64) time.Time {
	if stamp < 1e11 {
		return time.Unix(int64(stamp), 0).UTC()
	}
	return time.UnixMilli(int64(stamp)).UTC()
}
