package consent

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CookieName is the cookie that keeps the visitor's choice, the name the
// Opendatasoft charters already list among the necessary cookies.
const CookieName = "cookies_preferences"

// FormatVersion is the version of the cookie value written by Encode.
//
// The value is five fields separated by dots, all of them cookie-safe:
//
//	1.3.1795392000.k7f2qpa9d3mz4x8c.statistics=1&video=0
//	│ │ │          │                └ choices: optional category = 1 (accepted) or 0 (refused), in configuration order
//	│ │ │          └ consent id: 16 random base32 characters, the visitor's proof of consent
//	│ │ └ date of the choice, Unix seconds (UTC)
//	│ └ configuration revision the choice was made on
//	└ format version
const FormatVersion = 1

// Choice is a visitor's decision on a portal's optional categories.
type Choice struct {
	Revision  int
	DecidedAt time.Time
	// ID identifies this choice, so that a request about it can be answered.
	ID string
	// Accepted holds every purpose of the configuration (Portal.Purposes),
	// by key.
	Accepted map[string]bool
}

// NewChoice returns a choice on p's purposes made at now, with a fresh
// consent id. Purposes missing from accepted are refused.
func NewChoice(p *Portal, accepted map[string]bool, now time.Time) Choice {
	c := Choice{Revision: p.Revision, DecidedAt: now.UTC().Truncate(time.Second), ID: newConsentID(), Accepted: map[string]bool{}}
	for _, pu := range p.Purposes() {
		c.Accepted[pu.Key] = accepted[pu.Key]
	}
	return c
}

// AcceptAll returns a choice that accepts every optional category of p.
func AcceptAll(p *Portal, now time.Time) Choice { return NewChoice(p, all(p, true), now) }

// RejectAll returns a choice that refuses every category of p that needs
// consent; exempt audience measurement stays on (only its own switch
// objects to it).
func RejectAll(p *Portal, now time.Time) Choice {
	exempt := map[string]bool{}
	for _, pu := range p.Purposes() {
		exempt[pu.Key] = pu.Category.Exempt != nil
	}
	return NewChoice(p, exempt, now)
}

func all(p *Portal, v bool) map[string]bool {
	m := map[string]bool{}
	for _, pu := range p.Purposes() {
		m[pu.Key] = v
	}
	return m
}

// AcceptsAny reports whether at least one optional category is accepted.
func (c Choice) AcceptsAny() bool {
	for _, ok := range c.Accepted {
		if ok {
			return true
		}
	}
	return false
}

// Allows reports whether the choice lets a category's cookies be set, or a
// service ("video/youtube") run. Required categories are always allowed; a
// category that lists services is allowed when all of them are.
func (c Choice) Allows(p *Portal, key string) bool {
	cat, ok := p.Category(key)
	if !ok {
		pu, ok := p.purpose(key)
		return ok && c.Accepted[pu.Key]
	}
	if cat.Required {
		return true
	}
	if len(cat.Services) == 0 {
		return c.Accepted[key]
	}
	for _, s := range cat.Services {
		if !c.Accepted[ServiceKey(cat, s)] {
			return false
		}
	}
	return true
}

var consentIDEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// ValidConsentID reports whether id has the form of a consent id: 16
// base32 characters (10 random bytes).
func ValidConsentID(id string) bool {
	b, err := consentIDEncoding.DecodeString(id)
	return err == nil && len(b) == 10 && len(id) == 16
}

func newConsentID() string {
	var b [10]byte
	// crypto/rand never fails on the platforms Go supports (browsers included).
	_, _ = rand.Read(b[:])
	return consentIDEncoding.EncodeToString(b[:])
}

// Encode returns the cookie value of c, its categories in p's order.
func (c Choice) Encode(p *Portal) string {
	var choices []string
	for _, pu := range p.Purposes() {
		bit := "0"
		if c.Accepted[pu.Key] {
			bit = "1"
		}
		choices = append(choices, pu.Key+"="+bit)
	}
	return fmt.Sprintf("%d.%d.%d.%s.%s", FormatVersion, c.Revision, c.DecidedAt.Unix(), c.ID, strings.Join(choices, "&"))
}

// ErrNoChoice is wrapped by every error of Decode: whatever the reason, the
// visitor has no valid choice and the banner must show.
var ErrNoChoice = errors.New("no valid choice")

// Decode reads a cookie value written by Encode and checks it against p at
// now. It is strict: an unknown version, a malformed or truncated value, a
// choice made on another revision, one missing or adding a category, or one
// older than its lifetime is an error wrapping ErrNoChoice.
func Decode(value string, p *Portal, now time.Time) (Choice, error) {
	fail := func(format string, args ...any) (Choice, error) {
		return Choice{}, fmt.Errorf("%w: %s", ErrNoChoice, fmt.Sprintf(format, args...))
	}
	if value == "" {
		return fail("no %s cookie", CookieName)
	}
	fields := strings.Split(value, ".")
	if len(fields) != 5 {
		return fail("expected 5 dot-separated fields, got %d", len(fields))
	}
	if fields[0] != strconv.Itoa(FormatVersion) {
		return fail("unknown format version %.8q", fields[0])
	}
	revision, err := strconv.Atoi(fields[1])
	if err != nil || revision < 1 {
		return fail("malformed revision %.12q", fields[1])
	}
	if revision != p.Revision {
		return fail("choice made on revision %d, configuration is at revision %d", revision, p.Revision)
	}
	seconds, err := strconv.ParseInt(fields[2], 10, 64)
	if err != nil || seconds <= 0 {
		return fail("malformed date %.16q", fields[2])
	}
	c := Choice{Revision: revision, DecidedAt: time.Unix(seconds, 0).UTC(), ID: fields[3], Accepted: map[string]bool{}}
	if !ValidConsentID(c.ID) {
		return fail("malformed consent id %.20q", c.ID)
	}
	var pairs []string
	if fields[4] != "" {
		pairs = strings.Split(fields[4], "&")
	}
	for _, pair := range pairs {
		id, bit, ok := strings.Cut(pair, "=")
		_, known := p.purpose(id)
		switch {
		case !ok || (bit != "0" && bit != "1"):
			return fail("malformed category choice %.24q", pair)
		case !known:
			return fail("category %.24q is not an optional category of %s", id, p.ID)
		}
		if _, seen := c.Accepted[id]; seen {
			return fail("category %q appears twice", id)
		}
		c.Accepted[id] = bit == "1"
	}
	for _, pu := range p.Purposes() {
		if _, ok := c.Accepted[pu.Key]; !ok {
			return fail("no choice for category %q", pu.Key)
		}
	}
	if c.DecidedAt.After(now.Add(time.Hour)) {
		return fail("choice dated in the future (%s)", c.DecidedAt.Format(time.RFC3339))
	}
	if expires := c.DecidedAt.Add(p.LifetimeOf(c)); !now.Before(expires) {
		return fail("choice expired on %s", expires.Format(time.RFC3339))
	}
	return c, nil
}

// ExpiresAt returns when c stops being valid on p.
func (c Choice) ExpiresAt(p *Portal) time.Time { return c.DecidedAt.Add(p.LifetimeOf(c)) }
