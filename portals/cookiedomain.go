package portals

import (
	"net/url"

	"golang.org/x/net/publicsuffix"

	"github.com/opendata-consent/consent/consent"
)

// CheckCookieDomains refuses a cookieDomain that is a public suffix, as
// browsers do (a cookie for "gouv.fr" would be every French ministry's):
// the portal's pages would keep no choice at all. files[i] names
// portals[i]'s file in the error. It is the host's check, not
// consent.Validate's: the list of public suffixes (and the net/http it
// brings) stays out of the visitors' and the console's WebAssembly.
func CheckCookieDomains(portals []*consent.Portal, files []string) error {
	for i, p := range portals {
		if p.CookieDomain == "" {
			continue
		}
		if suffix, _ := publicsuffix.PublicSuffix(p.CookieDomain); suffix != p.CookieDomain {
			continue
		}
		own := "data." + p.CookieDomain
		if u, err := url.Parse(p.Address); err == nil {
			if d, err := publicsuffix.EffectiveTLDPlusOne(u.Hostname()); err == nil {
				own = d
			}
		}
		ce := consent.Problem("cookieDomain", "%q is a public suffix, shared by sites of other owners: name your own domain, such as %q", p.CookieDomain, own)
		ce.File, ce.Lang = files[i], p.Languages[0]
		return ce
	}
	return nil
}
