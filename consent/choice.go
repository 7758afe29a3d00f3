package consent

import (
	"crypto/rand"
	"encoding/base32"
	"time"
)

// Choice is a visitor's decision on a portal's optional categories.
type Choice struct {
	Revision  int
	DecidedAt time.Time
	// ID identifies this choice, so that a request about it can be answered.
	// It is empty for a choice made on Opendatasoft's own banner.
	ID string
	// OnPlatformBanner marks a choice read from a value that Opendatasoft's
	// own banner wrote, before the portal used this consent manager.
	OnPlatformBanner bool
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

// ExpiresAt returns when c stops being valid on p.
func (c Choice) ExpiresAt(p *Portal) time.Time { return c.DecidedAt.Add(p.LifetimeOf(c)) }

// Categories returns what the page API publishes of c (the categories of
// window.consentBanner.get()): every category, true when c allows it, and
// every purpose by key ("video/youtube").
func (c Choice) Categories(p *Portal) map[string]bool {
	categories := map[string]bool{}
	for _, cat := range p.Categories {
		categories[cat.ID] = c.Allows(p, cat.ID)
	}
	for _, pu := range p.Purposes() {
		categories[pu.Key] = c.Accepted[pu.Key]
	}
	return categories
}
