package consent

import (
	"net/netip"
	"slices"
	"strings"
)

// Matches reports whether the cookie called name is this configured cookie.
// A configured name ending in "*" stands for every name that starts with
// what precedes it: "_pk_id.*" is Matomo's "_pk_id.1.a1b2".
func (k Cookie) Matches(name string) bool {
	if prefix, ok := strings.CutSuffix(k.Name, "*"); ok {
		return strings.HasPrefix(name, prefix)
	}
	return k.Name == name
}

// CookiesToClear returns, among the names of the cookies a page holds, those
// that the configuration lists under a category c refuses: a choice never
// leaves behind a cookie it does not allow. Necessary cookies are never
// returned.
func (p *Portal) CookiesToClear(c Choice, present []string) []string {
	var clear []string
	for _, cat := range p.Categories {
		if c.Allows(p, cat.ID) || c.allowsSome(p, cat) {
			continue
		}
		for _, name := range present {
			for _, k := range cat.Cookies {
				if k.Matches(name) && !slices.Contains(clear, name) {
					clear = append(clear, name)
				}
			}
		}
	}
	return clear
}

// Withdrawn returns the purposes (categories, or services) that before
// accepted and after refuses.
func (p *Portal) Withdrawn(before *Choice, after Choice) []string {
	var withdrawn []string
	if before == nil {
		return nil
	}
	for _, pu := range p.Purposes() {
		if before.Accepted[pu.Key] && !after.Accepted[pu.Key] {
			withdrawn = append(withdrawn, pu.Key)
		}
	}
	return withdrawn
}

// CookieNames returns the names of the cookies in a Cookie header or in
// document.cookie, each once.
func CookieNames(header string) []string {
	var names []string
	for _, part := range strings.Split(header, ";") {
		name, _, _ := strings.Cut(strings.TrimSpace(part), "=")
		if name != "" && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

// ClearCookie returns the document.cookie assignments that delete the cookie
// called name wherever a script of the page at hostname could have set it:
// for the page's host alone, for its domain and for its parent domain
// (a tag on opendata.pau.fr often sets its cookies on .pau.fr).
func ClearCookie(name, hostname string) []string {
	const expired = "=; Path=/; Max-Age=0"
	assignments := []string{name + expired}
	if hostname == "" || isAddress(hostname) || !strings.Contains(hostname, ".") {
		return assignments // localhost or an address: no domain cookie exists
	}
	assignments = append(assignments, name+expired+"; Domain="+hostname)
	if _, parent, _ := strings.Cut(hostname, "."); strings.Contains(parent, ".") {
		assignments = append(assignments, name+expired+"; Domain="+parent)
	}
	return assignments
}

// isAddress reports whether host is an IP address, IPv6 in brackets or not.
func isAddress(host string) bool {
	_, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil
}

// allowsSome reports whether c accepts at least one service of cat: the
// category's cookies then stay, since they may be that service's.
func (c Choice) allowsSome(p *Portal, cat Category) bool {
	for _, s := range cat.Services {
		if c.Accepted[ServiceKey(cat, s)] {
			return true
		}
	}
	return false
}

// ClearEverywhere returns the document.cookie assignments that delete the
// cookie called name at every path of the page at pathname (a cookie set
// by another page's script may sit at "/portails" as well as at "/") and
// for the host, its domain and its parent domain. Run before writing the
// visitor's choice, it leaves a single cookies_preferences however many
// stale copies the page had.
func ClearEverywhere(name, hostname, pathname string) []string {
	var assignments []string
	for _, path := range ancestorPaths(pathname) {
		for _, a := range ClearCookie(name, hostname) {
			assignments = append(assignments, strings.Replace(a, "; Path=/;", "; Path="+path+";", 1))
		}
	}
	return assignments
}

// ancestorPaths returns "/" and every prefix of pathname ending at a
// segment, with and without its trailing slash.
func ancestorPaths(pathname string) []string {
	paths := []string{"/"}
	for i := 1; i < len(pathname); i++ {
		if pathname[i] == '/' {
			paths = append(paths, pathname[:i], pathname[:i+1])
		}
	}
	if !strings.HasSuffix(pathname, "/") && strings.Count(pathname, "/") > 0 && pathname != "/" {
		paths = append(paths, pathname)
	}
	return slices.Compact(paths)
}
