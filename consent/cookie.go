package consent

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// CookieName is the cookie that keeps the visitor's choice: Opendatasoft's
// own, which the platform's code reads and the charters list among the
// necessary cookies.
const CookieName = "cookies_preferences"

// FormatVersion is the version of this consent manager's fields in the
// cookie value.
const FormatVersion = 1

// The cookie holds URL-encoded JSON (encodeURIComponent of JSON.stringify,
// as Opendatasoft's code reads it with decodeURIComponent and JSON.parse):
// every platform key, true or false, the time of the choice in
// milliseconds, and this consent manager's own fields under "consent":
//
//	{"functional_cookies":false,"ga":false,"matomo":false,"xiti":false,
//	 "at":false,"piano":false,"eulerian":false,"timestamp":1795341600000,
//	 "consent":{"version":1,"revision":3,"id":"k7f2qpa9d3mz4x8c",
//	            "choices":{"statistics":false,"video/youtube":true}}}
//
// (on one line, without spaces). cookieJSON is that object; Encode writes
// its one canonical form, and Decode accepts nothing else for a value of
// its own.
type cookieJSON struct {
	FunctionalCookies *bool        `json:"functional_cookies,omitempty"`
	GA                *bool        `json:"ga,omitempty"`
	Matomo            *bool        `json:"matomo,omitempty"`
	Xiti              *bool        `json:"xiti,omitempty"`
	AT                *bool        `json:"at,omitempty"`
	Piano             *bool        `json:"piano,omitempty"`
	Eulerian          *bool        `json:"eulerian,omitempty"`
	Timestamp         *float64     `json:"timestamp,omitempty"`
	Consent           *consentJSON `json:"consent,omitempty"`
}

// consentJSON is this consent manager's part of the value.
type consentJSON struct {
	Version  int             `json:"version"`
	Revision int             `json:"revision"`
	ID       string          `json:"id"`
	Choices  map[string]bool `json:"choices"`
}

// platformKeys returns the platform keys of v by name (PlatformKeys).
func (v *cookieJSON) platformKeys() map[string]*bool {
	return map[string]*bool{"functional_cookies": v.FunctionalCookies, "ga": v.GA, "matomo": v.Matomo,
		"xiti": v.Xiti, "at": v.AT, "piano": v.Piano, "eulerian": v.Eulerian}
}

// Encode returns the cookie value of c on p.
func (c Choice) Encode(p *Portal) string {
	platform := p.PlatformValues(c)
	b := func(key string) *bool { v := platform[key]; return &v }
	stamp := float64(c.DecidedAt.UnixMilli())
	v := cookieJSON{
		FunctionalCookies: b("functional_cookies"), GA: b("ga"), Matomo: b("matomo"), Xiti: b("xiti"),
		AT: b("at"), Piano: b("piano"), Eulerian: b("eulerian"), Timestamp: &stamp,
		Consent: &consentJSON{Version: FormatVersion, Revision: c.Revision, ID: c.ID, Choices: c.Accepted},
	}
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // booleans, numbers and validated names always encode
	}
	return encodeURIComponent(string(data))
}

// encodeURIComponent is JavaScript's: everything but letters, digits and
// -_.!~*'() percent-encoded as UTF-8.
func encodeURIComponent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// ErrNoChoice is wrapped by every error of Decode: whatever the reason, the
// visitor has no valid choice and the banner must show.
var ErrNoChoice = errors.New("no valid choice")

// decodeError is an error of Decode: why the value holds no valid choice.
type decodeError struct{ why string }

func (e *decodeError) Error() string { return ErrNoChoice.Error() + ": " + e.why }
func (e *decodeError) Unwrap() error { return ErrNoChoice }

func noChoice(format string, args ...any) (Choice, error) {
	return Choice{}, &decodeError{fmt.Sprintf(format, args...)}
}

// errNoCookie is a first visit's error, built without fmt: in the browser,
// the first use of fmt costs a slow phone a long task of compiling.
var errNoCookie = &decodeError{"no " + CookieName + " cookie"}

// Decode reads a cookie value and checks it against p at now. A value of
// this consent manager is read strictly: exactly what Encode writes for a
// choice on p's revision that is neither expired nor dated in the future;
// an unknown version, a malformed or truncated value, unknown, missing or
// repeated keys, wrong types, another revision, platform keys that disagree
// with the choices: all are an error wrapping ErrNoChoice. A value of
// Opendatasoft's own banner (platform keys and timestamp only) is read as
// platformChoice says.
func Decode(value string, p *Portal, now time.Time) (Choice, error) {
	if value == "" {
		return Choice{}, errNoCookie
	}
	text, err := url.PathUnescape(value)
	if err != nil {
		return noChoice("not URL-encoded: %.24q", value)
	}
	// Keys are compared exactly, as JavaScript reads them (encoding/json
	// would match "GA" to "ga"); a repeated key keeps its last value, as in
	// JSON.parse.
	var keys map[string]json.RawMessage
	var v cookieJSON
	if json.Unmarshal([]byte(text), &keys) != nil || json.Unmarshal([]byte(text), &v) != nil {
		return noChoice("not the JSON of a choice: %.24q", text)
	}
	for key := range keys {
		if !slices.Contains(PlatformKeys, key) && key != "timestamp" && key != "consent" {
			return noChoice("unknown key %.24q", key)
		}
	}
	if v.Consent == nil {
		return p.platformChoice(v, now)
	}
	cj := v.Consent
	switch {
	case cj.Version != FormatVersion:
		return noChoice("unknown format version %d", cj.Version)
	case cj.Revision != p.Revision:
		return noChoice("choice made on revision %d, configuration is at revision %d", cj.Revision, p.Revision)
	case !ValidConsentID(cj.ID):
		return noChoice("malformed consent id %.20q", cj.ID)
	case v.Timestamp == nil || *v.Timestamp <= 0:
		return noChoice("no time of the choice")
	}
	c := Choice{Revision: cj.Revision, DecidedAt: time.UnixMilli(int64(*v.Timestamp)).UTC(), ID: cj.ID, Accepted: cj.Choices}
	for key := range c.Accepted {
		if _, known := p.purpose(key); !known {
			return noChoice("%.24q is not an optional category or a service of %s", key, p.ID)
		}
	}
	for _, pu := range p.Purposes() {
		if _, ok := c.Accepted[pu.Key]; !ok {
			return noChoice("no choice for %q", pu.Key)
		}
	}
	// Whatever else differs from what Encode writes (platform keys that
	// disagree with the choices, keys repeated or out of order, spaces,
	// escapes, a fractional time) is not a value of this consent manager.
	if again := c.Encode(p); again != value {
		return noChoice("not in the form this consent manager writes")
	}
	return c, checkAge(c, p, now)
}

// ClockSkew is how far ahead of the reader's clock a choice's date may be:
// the visitor's clock, not the host's, dates the choice, and a phone's may
// run fast.
const ClockSkew = time.Hour

// checkAge refuses a choice dated in the future (beyond ClockSkew) or older
// than its lifetime.
func checkAge(c Choice, p *Portal, now time.Time) error {
	if c.DecidedAt.After(now.Add(ClockSkew)) {
		_, err := noChoice("choice dated in the future (%s)", c.DecidedAt.Format(time.RFC3339))
		return err
	}
	if expires := c.ExpiresAt(p); !now.Before(expires) {
		_, err := noChoice("choice expired on %s", expires.Format(time.RFC3339))
		return err
	}
	return nil
}

// MaxCookieCopies is how many copies of the consent cookie are read, the
// first ones. A browser shows a page at most a few, one per domain and path
// that set it; a Cookie header with more was not sent by a browser, and
// reading them all would let one request cost the host a decoding each.
const MaxCookieCopies = 8

// cookieValues returns the values of the cookie called name in a Cookie
// header or in document.cookie, in the order given (the most specific path
// first), the first max of them. A page can hold several: one per path or
// domain that set it.
func cookieValues(header, name string, max int) []string {
	var values []string
	for rest := header; rest != "" && len(values) < max; {
		var part string
		part, rest, _ = strings.Cut(rest, ";")
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && k == name {
			values = append(values, v)
		}
	}
	return values
}

// StoredChoice returns the first valid choice among the first
// MaxCookieCopies cookie values of a Cookie header or document.cookie, or
// an error wrapping ErrNoChoice that says why the last candidate was
// refused.
func StoredChoice(header string, p *Portal, now time.Time) (Choice, error) {
	values := cookieValues(header, CookieName, MaxCookieCopies)
	if len(values) == 0 {
		return Choice{}, errNoCookie
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
