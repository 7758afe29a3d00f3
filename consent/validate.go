package consent

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Validate checks that the configuration is complete and coherent. Its
// error is a *ConfigError naming the first field that is wrong, in the
// file's order (Problems lists them all).
func (p *Portal) Validate() error {
	if list := p.Problems(); len(list) > 0 {
		return list[0]
	}
	return nil
}

// Problems returns every field of the configuration that is wrong, in the
// file's order: what Validate refuses, all at once, for the console's
// configurator to show each next to its field. A field is checked only
// where what it depends on is right (no texts are checked for a language
// code that is not one). It fills in the lifetimes' defaults, as Validate.
func (p *Portal) Problems() []*ConfigError {
	var ps problems
	if !validID(p.ID) {
		ps.add("id", "%q must be 1 to 40 lower-case letters, digits, '-' or '_', starting with a letter", p.ID)
	}
	if p.Revision < 1 {
		ps.add("revision", "must be a whole number from 1 up, got %d", p.Revision)
	}
	if start, ok := p.RevisionStart(); p.RevisedAt != "" && !ok {
		ps.add("revisedAt", "%q must be a day such as 2026-11-01", p.RevisedAt)
	} else if ok && start.After(time.Now().Add(24*time.Hour)) {
		ps.add("revisedAt", "%s is in the future: receipts of the choices made until then would be refused; set it on the day the revision takes effect", p.RevisedAt)
	}
	if len(p.Languages) == 0 {
		ps.add("languages", "list at least one language, the default first (e.g. [\"fr\", \"en\"])")
	}
	languagesOK := len(p.Languages) > 0
	for i, lang := range p.Languages {
		if !validLang(lang) {
			ps.add(fmt.Sprintf("languages[%d]", i), "%q is not a two- or three-letter language code", lang)
			languagesOK = false
		} else if slices.Index(p.Languages, lang) != i {
			ps.add(fmt.Sprintf("languages[%d]", i), "%q is listed twice", lang)
			languagesOK = false
		}
	}
	ps.addErr(checkURL("address", p.Address, true))
	if p.CharterURL != "" {
		ps.addErr(checkURL("charterURL", p.CharterURL, false))
	}
	if p.CookieDomain != "" {
		ps.addErr(checkCookieDomain(p.CookieDomain, p.Address))
	}
	if languagesOK {
		p.checkLocalized(&ps, "name", p.Name, MaxNameLength)
	}
	p.checkLifetime(&ps)
	before := len(ps)
	p.checkCategories(&ps, languagesOK)
	// Consent Mode, Opendatasoft and the integrations name the categories:
	// they are checked once those are right.
	if len(ps) == before {
		ps.addErr(p.checkConsentMode())
		ps.addErr(p.checkOpendatasoft())
		ps.addErr(p.checkIntegrations())
	}
	if !languagesOK {
		return ps
	}
	for lang := range p.Texts {
		if !slices.Contains(p.Languages, lang) {
			ps.add("texts."+lang, "language %q is not in \"languages\"", lang)
		}
	}
	for _, lang := range p.Languages {
		t := p.Texts[lang]
		if t == nil {
			ps.add("texts."+lang, "missing: every language in \"languages\" needs its texts")
			continue
		}
		ps = append(ps, checkTexts(reflect.ValueOf(*t), "texts."+lang)...)
		// Empty, each is missing (above), not also ill-formed.
		if t.Placeholder.Accept != "" && strings.Count(t.Placeholder.Accept, "%s") != 1 {
			ps.add("texts."+lang+".placeholder.accept", "%q must name the service once, as %%s (e.g. \"Autoriser %%s et afficher le contenu\")", t.Placeholder.Accept)
		}
		if p.CookieDomain != "" && strings.Count(t.Charter.CookieScope, "%s") != 1 {
			ps.add("texts."+lang+".charter.cookieScope", "%q must name the domain once, as %%s (e.g. \"Ce choix vaut pour tous les sites de %%s.\")", t.Charter.CookieScope)
		}
		if t.Charter.DateLayout != "" && !strings.Contains(t.Charter.DateLayout, "2006") {
			ps.add("texts."+lang+".charter.dateLayout", "%q is not a Go date layout (write the 2 January 2006 reference date, e.g. \"02/01/2006\")", t.Charter.DateLayout)
		}
	}
	return ps
}

// problems collects a configuration's errors in the file's order.
type problems []*ConfigError

// add is kept out of line: inlined at its forty calls, it made the
// WebAssembly client larger (a copy a call) for nothing faster.
//
//go:noinline
func (ps *problems) add(field, format string, args ...any) {
	*ps = append(*ps, problem(field, format, args...))
}

// addErr adds the error of a check that stops at its first, if any.
func (ps *problems) addErr(err error) {
	if err == nil {
		return
	}
	ce, ok := err.(*ConfigError)
	if !ok {
		ce = problem("", "%v", err)
	}
	*ps = append(*ps, ce)
}

func (p *Portal) checkLifetime(ps *problems) {
	l := &p.Lifetime
	if l.ConsentDays == 0 {
		l.ConsentDays = DefaultLifetimeDays
	}
	if l.RefusalDays == 0 {
		l.RefusalDays = l.ConsentDays
	}
	// In the file's order, so that the error names the field that is wrong
	// rather than the refusal lifetime it defaulted.
	inRange := true
	for _, f := range []struct {
		field string
		days  int
	}{{"lifetime.consentDays", l.ConsentDays}, {"lifetime.refusalDays", l.RefusalDays}} {
		if f.days < 1 || f.days > MaxLifetimeDays {
			ps.add(f.field, "%d days: a choice is kept from 1 day to %d days (13 months, the CNIL's limit)", f.days, MaxLifetimeDays)
			inRange = false
		}
	}
	if inRange && l.RefusalDays < l.ConsentDays {
		ps.add("lifetime.refusalDays", "%d days is shorter than consentDays (%d): a refusal must be remembered as long as a consent", l.RefusalDays, l.ConsentDays)
	}
}

// checkCategories checks the categories, their services and cookies; their
// texts only where the languages are right (languagesOK).
func (p *Portal) checkCategories(ps *problems, languagesOK bool) {
	localized := func(field string, l Localized, limit int) {
		if languagesOK {
			p.checkLocalized(ps, field, l, limit)
		}
	}
	if len(p.Categories) == 0 || !p.Categories[0].Required {
		ps.add("categories", "the first category must be the necessary one (\"required\": true)")
	}
	if len(p.Categories) > 0 && p.Categories[0].Required && !slices.ContainsFunc(p.Categories[0].Cookies, func(k Cookie) bool { return k.Name == CookieName }) {
		// The charter lists what the necessary category lists: the
		// consent manager's own cookie must be there, as every other.
		ps.add("categories[0].cookies", "the necessary category must list %q, the cookie that keeps the visitor's choice", CookieName)
	}
	seenCategory := map[string]bool{}
	seenCookie := map[string]string{}
	for i, c := range p.Categories {
		field := fmt.Sprintf("categories[%d]", i)
		if !validID(c.ID) {
			ps.add(field+".id", "%q must be lower-case letters, digits, '-' or '_', starting with a letter", c.ID)
		} else if seenCategory[c.ID] {
			ps.add(field+".id", "category %q is defined twice", c.ID)
		}
		seenCategory[c.ID] = true
		if c.Exempt != nil {
			switch {
			case c.Required:
				ps.add(field+".exempt", "a necessary category needs no exemption")
			case !c.Exempt.OwnAudienceOnly:
				ps.add(field+".exempt.ownAudienceOnly", "the CNIL exempts audience measurement only when it serves the portal's own audience (no combination with other data, no transfer): set it to true once that holds, or remove \"exempt\"")
			case len(c.Cookies) == 0:
				ps.add(field+".cookies", "list the cookies of the exempt audience measurement, with their maxAgeDays")
			}
		}
		localized(field+".name", c.Name, MaxNameLength)
		localized(field+".description", c.Description, MaxTextLength)
		if c.Required && len(c.Services) > 0 {
			ps.add(field+".services", "necessary cookies need no consent, service by service or otherwise")
		}
		seenService := map[string]bool{}
		for j, s := range c.Services {
			sf := fmt.Sprintf("%s.services[%d]", field, j)
			if !validID(s.ID) || seenService[s.ID] {
				ps.add(sf+".id", "%q must be a new id of lower-case letters, digits, '-' or '_', starting with a letter", s.ID)
			}
			seenService[s.ID] = true
			localized(sf+".name", s.Name, MaxNameLength)
			localized(sf+".description", s.Description, MaxTextLength)
		}
		for j, k := range c.Cookies {
			cf := fmt.Sprintf("%s.cookies[%d]", field, j)
			if !validCookieName(k.Name) {
				ps.add(cf+".name", "%q is not a valid cookie name", k.Name)
			} else if strings.Contains(strings.TrimSuffix(k.Name, "*"), "*") {
				ps.add(cf+".name", "%q: \"*\" may only end a name, as in \"_pk_id.*\"", k.Name)
			} else if other, dup := seenCookie[k.Name]; dup {
				ps.add(cf+".name", "cookie %q is already listed in category %q", k.Name, other)
			}
			if _, dup := seenCookie[k.Name]; !dup {
				seenCookie[k.Name] = c.ID
			}
			if strings.TrimSpace(k.Provider) == "" {
				ps.add(cf+".provider", "missing or empty")
			} else if n := utf8.RuneCountInString(k.Provider); n > MaxNameLength {
				ps.add(cf+".provider", tooLong, n, MaxNameLength)
			}
			for _, f := range []struct {
				name string
				text Localized
			}{{"service", k.Service}, {"purpose", k.Purpose}, {"duration", k.Duration}} {
				localized(cf+"."+f.name, f.text, MaxTextLength)
			}
			if c.Exempt != nil && (k.MaxAgeDays < 1 || k.MaxAgeDays > MaxLifetimeDays) {
				ps.add(cf+".maxAgeDays", "%d: a cookie of exempt audience measurement lives from 1 to %d days (13 months, the CNIL's limit)", k.MaxAgeDays, MaxLifetimeDays)
			}
			if !languagesOK {
				continue
			}
			for _, lang := range p.Languages {
				if c.Required && strings.TrimSpace(k.Justification[lang]) == "" {
					ps.add(cf+".justification."+lang, "missing: a necessary cookie says why it needs no consent (csrftoken: security)")
				} else if n := utf8.RuneCountInString(k.Justification[lang]); n > MaxTextLength {
					ps.add(cf+".justification."+lang, tooLong, n, MaxTextLength)
				}
			}
		}
	}
}

// Configured texts are refused beyond these lengths, in characters: a name
// fits a heading or a button, a text a paragraph. A longer one is a pasted
// page or a mistake, and would push the banner's buttons off a phone's screen.
const (
	MaxNameLength = 150
	MaxTextLength = 2000
)

// tooLong is the problem of a text of n characters over its limit.
const tooLong = "%d characters: at most %d"

func (p *Portal) checkLocalized(ps *problems, field string, l Localized, limit int) {
	for _, lang := range p.Languages {
		if strings.TrimSpace(l[lang]) == "" {
			ps.add(field+"."+lang, "missing or empty: every language in \"languages\" needs it")
		} else if n := utf8.RuneCountInString(l[lang]); n > limit {
			ps.add(field+"."+lang, tooLong, n, limit)
		}
	}
	for lang := range l {
		if !slices.Contains(p.Languages, lang) {
			ps.add(field+"."+lang, "language %q is not in \"languages\"", lang)
		}
	}
}

// checkURL accepts only http(s) addresses (and, unless absolute is required,
// site-relative paths): a "javascript:" link must never reach a page. It
// also refuses what a URL written by hand never needs and an attack does:
// quotes, angle brackets, backslashes (browsers read "/\\host" as
// "//host", another site), spaces and control characters.
func checkURL(field, raw string, absolute bool) error {
	if i := strings.IndexFunc(raw, func(r rune) bool {
		return strings.ContainsRune("\"'<>\\`", r) || unicode.IsSpace(r) || unicode.IsControl(r)
	}); i >= 0 {
		r, _ := utf8.DecodeRuneInString(raw[i:])
		return problem(field, "%q: a URL has no %q (write it percent-encoded)", raw, r)
	}
	if n := len(raw); n > maxURLLength {
		return problem(field, tooLong, n, maxURLLength)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return problem(field, "%q is not a URL: %v", raw, err)
	case u.Scheme == "" && !absolute && strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//"):
		return nil
	case (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return problem(field, "%q must be an http:// or https:// address", raw)
	}
	return nil
}

// maxURLLength bounds a configured URL, in bytes.
const maxURLLength = 500

// checkTexts returns each text in v, a struct of texts, that is empty (or
// an empty list) or longer than MaxTextLength, by JSON path, in the
// struct's order; none when every text is there and fits.
func checkTexts(v reflect.Value, path string) []*ConfigError {
	switch v.Kind() {
	case reflect.String:
		if strings.TrimSpace(v.String()) == "" {
			return []*ConfigError{problem(path, "missing or empty")}
		}
		if n := utf8.RuneCountInString(v.String()); n > MaxTextLength {
			return []*ConfigError{problem(path, tooLong, n, MaxTextLength)}
		}
	case reflect.Struct:
		var list []*ConfigError
		for i := 0; i < v.NumField(); i++ {
			name, options, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if options == "omitempty" {
				// Needed only with a setting of its own, checked there.
				continue
			}
			list = append(list, checkTexts(v.Field(i), path+"."+name)...)
		}
		return list
	case reflect.Slice:
		if v.Len() == 0 {
			return []*ConfigError{problem(path, "missing or empty")}
		}
		var list []*ConfigError
		for i := 0; i < v.Len(); i++ {
			list = append(list, checkTexts(v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
		return list
	}
	return nil
}
