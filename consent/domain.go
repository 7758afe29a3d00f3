package consent

import (
	"net/url"
	"strings"
)

// checkCookieDomain accepts a domain the browser lets the portal's pages
// write a cookie for: a name of two labels at least ("rennes.fr", not
// "fr"), equal to the host of address or above it. Whether it is a public
// suffix ("gouv.fr", shared by sites of other owners) is the host's check
// (portals.CheckCookieDomains), whose list neither WebAssembly
// need carry.
func checkCookieDomain(domain, address string) error {
	const field = "cookieDomain"
	if !validDomain(domain) {
		return problem(field, "%q is not a domain", domain)
	}
	u, err := url.Parse(address)
	if err != nil || u.Hostname() == "" {
		// The address's own error is said at its field.
		return nil
	}
	if host := u.Hostname(); !InCookieDomain(host, domain) {
		return problem(field, "%q is not %q nor a domain above it: the browser would refuse the cookie", domain, host)
	}
	return nil
}

// validDomain tells a lower-case domain name of two labels at least, each
// of letters, digits and inner hyphens.
func validDomain(s string) bool {
	labels := strings.Split(s, ".")
	if len(labels) < 2 || len(s) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// InCookieDomain tells whether a page of hostname may write a cookie for
// domain: hostname is domain or a name under it. A page elsewhere (a test
// server, another origin embedding the banner) writes the cookie for its
// own host: the browser would refuse the domain.
func InCookieDomain(hostname, domain string) bool {
	return domain != "" && (hostname == domain || strings.HasSuffix(hostname, "."+domain))
}

// CookieDomainFor is the Domain attribute's value for a cookie written on
// a page of hostname: p's cookieDomain where the page is in it, "" (the
// page's host alone) otherwise.
func (p *Portal) CookieDomainFor(hostname string) string {
	if InCookieDomain(hostname, p.CookieDomain) {
		return p.CookieDomain
	}
	return ""
}
