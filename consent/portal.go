// Package consent is the consent model shared by the host and the WebAssembly
// client: a portal's configuration, the stored choice of a visitor and the
// decisions taken from them. It has no browser and no server code, so that it
// is tested natively and behaves the same on both sides.
package consent

import (
	"fmt"
	"time"
)

// Portal is the configuration of one portal: who it is, which cookies it sets
// and every text that the banner, the preferences dialog and the charter show.
// It is read from a JSON file documented in portals/README.md.
type Portal struct {
	// ID names the portal in URLs and in the embed snippet (data-portal).
	ID string `json:"id"`
	// Revision is raised whenever the cookies or their purposes change: a
	// choice stored under another revision is asked again.
	Revision int `json:"revision"`
	// RevisedAt, when set, is the day the revision took effect
	// ("2026-11-01"): a receipt of a choice dated before it is refused.
	RevisedAt string `json:"revisedAt,omitempty"`
	// Name is the portal's name as shown to visitors.
	Name Localized `json:"name"`
	// Address is the portal's public address, quoted by the charter.
	Address string `json:"address"`
	// CharterURL is the portal's own charter page, if it has one; the
	// banner links to the host's charter page otherwise.
	CharterURL string `json:"charterURL,omitempty"`
	// CookieDomain, when set, shares the visitor's choice across the
	// portal's own sites: the cookie is written for this domain, a parent
	// of the address's host ("rennes.fr" for "data.rennes.fr"), never a
	// public suffix, on every page whose host is in it. The charter says
	// so (texts.*.charter.cookieScope).
	CookieDomain string `json:"cookieDomain,omitempty"`
	// Languages lists the languages of every text; the first one is the
	// default when neither the page nor the browser asks for another.
	Languages []string `json:"languages"`
	// Lifetime says how long a choice is remembered.
	Lifetime Lifetime `json:"lifetime"`
	// Categories are the purposes a visitor consents to, necessary first.
	Categories []Category `json:"categories"`
	// ConsentMode, when set, makes the embed script send Google Consent
	// Mode v2 signals: every signal "denied" before any tag runs, then each
	// signal granted when the visitor accepts all the categories it lists
	// here, e.g. {"analytics_storage": ["statistics"]}. The tags themselves
	// stay gated until consent (the "basic" mode).
	ConsentMode map[string][]string `json:"consentMode,omitempty"`
	// IgnoreGlobalPrivacyControl turns off what the consent manager does
	// when a browser sends Global Privacy Control: by default, a visitor
	// whose browser sends it starts with every optional category refused,
	// sees no banner, and the preferences dialog says why.
	IgnoreGlobalPrivacyControl bool `json:"ignoreGlobalPrivacyControl,omitempty"`
	// Opendatasoft says which platform trackers each purpose stands for in
	// the cookie that the platform's own code reads.
	Opendatasoft Opendatasoft `json:"opendatasoft"`
	// Integrations are the analytics tools whose consent APIs follow the
	// visitor's choice (integrations.go).
	Integrations Integrations `json:"integrations,omitzero"`
	// Texts holds the interface texts, by language.
	Texts map[string]*Texts `json:"texts"`
}

// Lifetime is how long a choice is kept, in days. A refusal is never kept
// shorter than a consent, and neither longer than MaxLifetimeDays.
type Lifetime struct {
	ConsentDays int `json:"consentDays"`
	RefusalDays int `json:"refusalDays"`
}

const (
	// DefaultLifetimeDays is six months, the CNIL's recommended practice.
	DefaultLifetimeDays = 182
	// MaxLifetimeDays is thirteen months, the CNIL's ceiling.
	MaxLifetimeDays = 395
)

// Category is one purpose: necessary cookies, audience measurement, …
type Category struct {
	ID       string `json:"id"`
	Required bool   `json:"required,omitempty"`
	// Exempt declares audience measurement that the CNIL exempts from
	// consent: it runs before any choice and after "Tout refuser", the
	// dialog and the charter list it as exempt, and a visitor can still
	// object to it with its switch.
	Exempt      *Exemption `json:"exempt,omitempty"`
	Name        Localized  `json:"name"`
	Description Localized  `json:"description"`
	Cookies     []Cookie   `json:"cookies"`
	// Services, when listed, are consented to one by one: the category
	// counts as accepted when all of them are.
	Services []Service `json:"services,omitempty"`
}

// Exemption is what a portal states about exempt audience measurement; the
// CNIL's other conditions (a cookie kept at most 13 months) are checked on
// the category's cookies.
type Exemption struct {
	// OwnAudienceOnly states that the data only measures the portal's own
	// audience: not combined with other data, not passed on to others.
	OwnAudienceOnly bool `json:"ownAudienceOnly"`
}

// Cookie is one cookie as the charter's table lists it.
type Cookie struct {
	Name     string    `json:"name"`
	Provider string    `json:"provider"`
	Service  Localized `json:"service"`
	Purpose  Localized `json:"purpose"`
	Duration Localized `json:"duration"`
	// MaxAgeDays is the cookie's lifetime in days, required for the cookies
	// of an exempt category (at most 395, the CNIL's 13 months).
	MaxAgeDays int `json:"maxAgeDays,omitempty"`
	// Justification says why a necessary cookie needs no consent
	// (csrftoken: security); every cookie of a necessary category has one.
	Justification Localized `json:"justification,omitempty"`
}

// Localized is a text in each of the portal's languages.
type Localized map[string]string

// In returns the text in lang.
func (l Localized) In(lang string) string { return l[lang] }

// Texts are the interface texts in one language.
type Texts struct {
	Banner      BannerTexts      `json:"banner"`
	Preferences PreferencesTexts `json:"preferences"`
	Table       TableTexts       `json:"table"`
	Placeholder PlaceholderTexts `json:"placeholder"`
	Charter     CharterTexts     `json:"charter"`
}

// PlaceholderTexts are the texts of the placeholder that stands for an
// element gated by a category or a service (an embedded video, a map).
type PlaceholderTexts struct {
	// Accept labels the button that accepts the service and shows the
	// content; %s stands for the service's name ("Autoriser %s et afficher
	// le contenu").
	Accept string `json:"accept"`
}

// BannerTexts are the banner's texts.
type BannerTexts struct {
	Title     string `json:"title"`
	Body      string `json:"body"`
	AcceptAll string `json:"acceptAll"`
	RejectAll string `json:"rejectAll"`
	Customise string `json:"customise"`
	// ContinueWithout closes the banner, which refuses every optional
	// category: refusing is never harder than accepting.
	ContinueWithout string `json:"continueWithout"`
	CharterLink     string `json:"charterLink"`
}

// PreferencesTexts are the preferences dialog's texts.
type PreferencesTexts struct {
	Title    string `json:"title"`
	Intro    string `json:"intro"`
	Save     string `json:"save"`
	Close    string `json:"close"`
	AlwaysOn string `json:"alwaysOn"`
	// Exempt marks audience measurement exempt from consent.
	Exempt      string `json:"exempt"`
	ShowCookies string `json:"showCookies"`
	NoCookies   string `json:"noCookies"`
	Saved       string `json:"saved"`
	// GPC tells a visitor whose browser sends Global Privacy Control why
	// the optional categories start refused.
	GPC string `json:"gpc"`
}

// TableTexts are the headings of the cookie table.
type TableTexts struct {
	Provider string `json:"provider"`
	Service  string `json:"service"`
	Name     string `json:"name"`
	Purpose  string `json:"purpose"`
	Duration string `json:"duration"`
	// Justification heads the column of the necessary cookies' reasons.
	Justification string `json:"justification"`
}

// CharterTexts are the charter page's texts.
type CharterTexts struct {
	Title    string           `json:"title"`
	Intro    string           `json:"intro"`
	Sections []CharterSection `json:"sections"`
	// Usage heads the cookie tables; the portal's address follows it.
	Usage string `json:"usage"`
	// YourChoice heads the visitor's current choice and its controls.
	YourChoice string `json:"yourChoice"`
	NoChoice   string `json:"noChoice"`
	DecidedOn  string `json:"decidedOn"`
	ConsentID  string `json:"consentId"`
	// PlatformBanner stands for the consent id of a choice made on
	// Opendatasoft's own banner, which has none.
	PlatformBanner string `json:"platformBanner"`
	Accepted       string `json:"accepted"`
	Refused        string `json:"refused"`
	ManageLink     string `json:"manageLink"`
	Withdraw       string `json:"withdraw"`
	JavaScript     string `json:"javascriptNeeded"`
	DateLayout     string `json:"dateLayout"`
	BackToPortal   string `json:"backToPortal"`
	// CookieScope says where the choice holds when the portal shares it
	// across its sites (cookieDomain), the domain as %s: "Ce choix vaut
	// pour tous les sites de %s." Needed only then.
	CookieScope string `json:"cookieScope,omitempty"`
}

// CharterSection is a heading and its paragraphs.
type CharterSection struct {
	Heading    string   `json:"heading"`
	Paragraphs []string `json:"paragraphs"`
}

// DefaultLanguage is the language used when neither the page nor the browser
// asks for one of the portal's languages.
func (p *Portal) DefaultLanguage() string { return p.Languages[0] }

// OptionalCategories returns the categories that need the visitor's consent.
func (p *Portal) OptionalCategories() []Category {
	var optional []Category
	for _, c := range p.Categories {
		if !c.Required {
			optional = append(optional, c)
		}
	}
	return optional
}

// LifetimeOf returns how long choice is remembered: the refusal lifetime
// when every category that needs consent is refused, the consent lifetime
// otherwise.
func (p *Portal) LifetimeOf(choice Choice) time.Duration {
	if choice.OnPlatformBanner {
		return PlatformChoiceDays * 24 * time.Hour
	}
	days := p.Lifetime.RefusalDays
	for _, pu := range p.Purposes() {
		if pu.Category.Exempt == nil && choice.Accepted[pu.Key] {
			days = p.Lifetime.ConsentDays
		}
	}
	return time.Duration(days) * 24 * time.Hour
}

// RevisionStart returns the first instant of the day RevisedAt names, in
// UTC, and false when it names none.
func (p *Portal) RevisionStart() (time.Time, bool) {
	day, err := time.Parse(time.DateOnly, p.RevisedAt)
	return day, err == nil
}

// AllowedByDefault reports whether a category's cookies may be set before
// the visitor chooses: necessary and exempt categories.
func (c Category) AllowedByDefault() bool { return c.Required || c.Exempt != nil }

// CharterHref is where the banner's charter link goes: the portal's own
// charter page when it has one, else hostCharter.
func (p *Portal) CharterHref(hostCharter string) string {
	if p.CharterURL != "" {
		return p.CharterURL
	}
	return hostCharter
}

// Category returns the category with the given id.
func (p *Portal) Category(id string) (Category, bool) {
	for _, c := range p.Categories {
		if c.ID == id {
			return c, true
		}
	}
	return Category{}, false
}

// String names the portal in logs and errors.
func (p *Portal) String() string { return fmt.Sprintf("portal %q (revision %d)", p.ID, p.Revision) }
