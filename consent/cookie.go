package consent

import (
	"fmt"
	"strings"
	"time"
)

// CookieValues returns every value of the cookie called name in a Cookie
// header or in document.cookie, in the order given (the most specific path
// first). A page can hold several: one per path or domain that set it.
func CookieValues(header, name string) []string {
	var values []string
	for _, part := range strings.Split(header, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && k == name {
			values = append(values, strings.Trim(v, `"`))
		}
	}
	return values
}

// StoredChoice returns the first valid choice among the cookie values of a
// Cookie header or document.cookie, or an error wrapping ErrNoChoice that
// says why the last candidate was refused.
func StoredChoice(header string, p *Portal, now time.Time) (Choice, error) {
	values := CookieValues(header, CookieName)
	if len(values) == 0 {
		return Choice{}, fmt.Errorf("%w: no %s cookie", ErrNoChoice, CookieName)
	}
	var err error
	for _, v := range values {
		var c Choice
		if c, err = Decode(v, p, now); err == nil {
			return c, nil
		}
	}
	return Choice{}, err
}

// SetCookie returns the document.cookie assignment that stores c: Path=/,
// SameSite=Lax, Secure on https, and a Max-Age of the choice's lifetime.
func SetCookie(p *Portal, c Choice, secure bool) string {
	s := fmt.Sprintf("%s=%s; Path=/; Max-Age=%d; SameSite=Lax", CookieName, c.Encode(p), int(p.LifetimeOf(c).Seconds()))
	if secure {
		s += "; Secure"
	}
	return s
}
