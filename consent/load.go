package consent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ConfigError says which file, which field and what is wrong.
type ConfigError struct {
	File    string
	Field   string
	Problem string
}

func (e *ConfigError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s: %s", e.File, e.Problem)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Field, e.Problem)
}

// Parse decodes and validates one portal configuration. name is the file name
// used in errors. Unknown fields are errors, so that a typo never silently
// drops a text.
func Parse(name string, data []byte) (*Portal, error) {
	p, err := DecodePortal(name, data)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		var ve *ConfigError
		if errors.As(err, &ve) {
			ve.File = name
		}
		return nil, err
	}
	return p, nil
}

// DecodePortal is Parse without the validation, for a caller that validates in a
// step of its own (the WebAssembly client, which cuts its start into short
// tasks).
func DecodePortal(name string, data []byte) (*Portal, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Portal
	if err := dec.Decode(&p); err != nil {
		return nil, &ConfigError{File: name, Problem: describeJSONError(data, err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &ConfigError{File: name, Problem: "unexpected data after the configuration object"}
	}
	return &p, nil
}

func describeJSONError(data []byte, err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		line, col := position(data, syntax.Offset)
		return fmt.Sprintf("invalid JSON at line %d, column %d: %v", line, col, syntax)
	case errors.As(err, &typ):
		line, col := position(data, typ.Offset)
		return fmt.Sprintf("%s: expected %s, got a JSON %s (line %d, column %d)", typ.Field, typ.Type, typ.Value, line, col)
	case errors.Is(err, io.EOF):
		return "empty file"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated JSON"
	}
	return err.Error()
}

func position(data []byte, offset int64) (line, col int) {
	offset = min(offset, int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// LoadFile reads one configuration file.
func LoadFile(path string) (*Portal, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Load reads a configuration file, or every *.json file of a directory, and
// refuses two portals with the same id.
func Load(path string) ([]*Portal, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	files := []string{path}
	if info.IsDir() {
		if files, err = filepath.Glob(filepath.Join(path, "*.json")); err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no *.json portal configuration in this directory", path)
		}
		sort.Strings(files)
	}
	var portals []*Portal
	seen := map[string]string{}
	for _, f := range files {
		p, err := LoadFile(f)
		if err != nil {
			return nil, err
		}
		if other, dup := seen[p.ID]; dup {
			return nil, &ConfigError{File: f, Field: "id", Problem: fmt.Sprintf("portal %q is already defined in %s", p.ID, other)}
		}
		seen[p.ID] = f
		portals = append(portals, p)
	}
	return portals, nil
}

// Validate checks that the configuration is complete and coherent. Its
// error is a *ConfigError naming the field.
func (p *Portal) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &ConfigError{Field: field, Problem: fmt.Sprintf(format, args...)}
	}
	if !validID(p.ID) {
		return bad("id", "%q must be 1 to 40 lower-case letters, digits, '-' or '_', starting with a letter", p.ID)
	}
	if p.Revision < 1 {
		return bad("revision", "must be a whole number from 1 up, got %d", p.Revision)
	}
	if len(p.Languages) == 0 {
		return bad("languages", "list at least one language, the default first (e.g. [\"fr\", \"en\"])")
	}
	for i, lang := range p.Languages {
		if !validLang(lang) {
			return bad(fmt.Sprintf("languages[%d]", i), "%q is not a two- or three-letter language code", lang)
		}
		if slices.Index(p.Languages, lang) != i {
			return bad(fmt.Sprintf("languages[%d]", i), "%q is listed twice", lang)
		}
	}
	if err := checkURL("address", p.Address, true); err != nil {
		return err
	}
	if p.CharterURL != "" {
		if err := checkURL("charterURL", p.CharterURL, false); err != nil {
			return err
		}
	}
	if err := p.checkLocalized("name", p.Name, MaxNameLength); err != nil {
		return err
	}
	if err := p.checkLifetime(); err != nil {
		return err
	}
	if err := p.checkCategories(); err != nil {
		return err
	}
	if err := p.checkConsentMode(); err != nil {
		return err
	}
	if err := p.checkOpendatasoft(); err != nil {
		return err
	}
	if err := p.checkIntegrations(); err != nil {
		return err
	}
	for lang := range p.Texts {
		if !slices.Contains(p.Languages, lang) {
			return bad("texts."+lang, "language %q is not in \"languages\"", lang)
		}
	}
	for _, lang := range p.Languages {
		t := p.Texts[lang]
		if t == nil {
			return bad("texts."+lang, "missing: every language in \"languages\" needs its texts")
		}
		if field, problem := checkTexts(reflect.ValueOf(*t), "texts."+lang); field != "" {
			return bad(field, "%s", problem)
		}
		if strings.Count(t.Placeholder.Accept, "%s") != 1 {
			return bad("texts."+lang+".placeholder.accept", "%q must name the service once, as %%s (e.g. \"Autoriser %%s et afficher le contenu\")", t.Placeholder.Accept)
		}
		if !strings.Contains(t.Charter.DateLayout, "2006") {
			return bad("texts."+lang+".charter.dateLayout", "%q is not a Go date layout (write the 2 January 2006 reference date, e.g. \"02/01/2006\")", t.Charter.DateLayout)
		}
	}
	return nil
}

func (p *Portal) checkLifetime() error {
	l := &p.Lifetime
	if l.ConsentDays == 0 {
		l.ConsentDays = DefaultLifetimeDays
	}
	if l.RefusalDays == 0 {
		l.RefusalDays = l.ConsentDays
	}
	// In the file's order, so that the error names the field that is wrong
	// rather than the refusal lifetime it defaulted.
	for _, f := range []struct {
		field string
		days  int
	}{{"lifetime.consentDays", l.ConsentDays}, {"lifetime.refusalDays", l.RefusalDays}} {
		if f.days < 1 || f.days > MaxLifetimeDays {
			return &ConfigError{Field: f.field, Problem: fmt.Sprintf("%d days: a choice is kept from 1 day to %d days (13 months, the CNIL's limit)", f.days, MaxLifetimeDays)}
		}
	}
	if l.RefusalDays < l.ConsentDays {
		return &ConfigError{Field: "lifetime.refusalDays", Problem: fmt.Sprintf("%d days is shorter than consentDays (%d): a refusal must be remembered as long as a consent", l.RefusalDays, l.ConsentDays)}
	}
	return nil
}

func (p *Portal) checkCategories() error {
	if len(p.Categories) == 0 || !p.Categories[0].Required {
		return &ConfigError{Field: "categories", Problem: "the first category must be the necessary one (\"required\": true)"}
	}
	seenCategory := map[string]bool{}
	seenCookie := map[string]string{}
	for i, c := range p.Categories {
		field := fmt.Sprintf("categories[%d]", i)
		if !validID(c.ID) {
			return &ConfigError{Field: field + ".id", Problem: fmt.Sprintf("%q must be lower-case letters, digits, '-' or '_', starting with a letter", c.ID)}
		}
		if seenCategory[c.ID] {
			return &ConfigError{Field: field + ".id", Problem: fmt.Sprintf("category %q is defined twice", c.ID)}
		}
		seenCategory[c.ID] = true
		if c.Exempt != nil {
			if c.Required {
				return &ConfigError{Field: field + ".exempt", Problem: "a necessary category needs no exemption"}
			}
			if !c.Exempt.OwnAudienceOnly {
				return &ConfigError{Field: field + ".exempt.ownAudienceOnly", Problem: "the CNIL exempts audience measurement only when it serves the portal's own audience (no combination with other data, no transfer): set it to true once that holds, or remove \"exempt\""}
			}
			if len(c.Cookies) == 0 {
				return &ConfigError{Field: field + ".cookies", Problem: "list the cookies of the exempt audience measurement, with their maxAgeDays"}
			}
		}
		if err := p.checkLocalized(field+".name", c.Name, MaxNameLength); err != nil {
			return err
		}
		if err := p.checkLocalized(field+".description", c.Description, MaxTextLength); err != nil {
			return err
		}
		if c.Required && len(c.Services) > 0 {
			return &ConfigError{Field: field + ".services", Problem: "necessary cookies need no consent, service by service or otherwise"}
		}
		seenService := map[string]bool{}
		for j, s := range c.Services {
			sf := fmt.Sprintf("%s.services[%d]", field, j)
			if !validID(s.ID) || seenService[s.ID] {
				return &ConfigError{Field: sf + ".id", Problem: fmt.Sprintf("%q must be a new id of lower-case letters, digits, '-' or '_', starting with a letter", s.ID)}
			}
			seenService[s.ID] = true
			if err := p.checkLocalized(sf+".name", s.Name, MaxNameLength); err != nil {
				return err
			}
			if err := p.checkLocalized(sf+".description", s.Description, MaxTextLength); err != nil {
				return err
			}
		}
		for j, k := range c.Cookies {
			cf := fmt.Sprintf("%s.cookies[%d]", field, j)
			if !validCookieName(k.Name) {
				return &ConfigError{Field: cf + ".name", Problem: fmt.Sprintf("%q is not a valid cookie name", k.Name)}
			}
			if strings.Contains(strings.TrimSuffix(k.Name, "*"), "*") {
				return &ConfigError{Field: cf + ".name", Problem: fmt.Sprintf("%q: \"*\" may only end a name, as in \"_pk_id.*\"", k.Name)}
			}
			if other, dup := seenCookie[k.Name]; dup {
				return &ConfigError{Field: cf + ".name", Problem: fmt.Sprintf("cookie %q is already listed in category %q", k.Name, other)}
			}
			seenCookie[k.Name] = c.ID
			if strings.TrimSpace(k.Provider) == "" {
				return &ConfigError{Field: cf + ".provider", Problem: "missing or empty"}
			}
			if n := utf8.RuneCountInString(k.Provider); n > MaxNameLength {
				return &ConfigError{Field: cf + ".provider", Problem: tooLong(n, MaxNameLength)}
			}
			for _, f := range []struct {
				name string
				text Localized
			}{{"service", k.Service}, {"purpose", k.Purpose}, {"duration", k.Duration}} {
				if err := p.checkLocalized(cf+"."+f.name, f.text, MaxTextLength); err != nil {
					return err
				}
			}
			if c.Exempt != nil && (k.MaxAgeDays < 1 || k.MaxAgeDays > MaxLifetimeDays) {
				return &ConfigError{Field: cf + ".maxAgeDays", Problem: fmt.Sprintf("%d: a cookie of exempt audience measurement lives from 1 to %d days (13 months, the CNIL's limit)", k.MaxAgeDays, MaxLifetimeDays)}
			}
			for _, lang := range p.Languages {
				if c.Required && strings.TrimSpace(k.Justification[lang]) == "" {
					return &ConfigError{Field: cf + ".justification." + lang, Problem: "missing: a necessary cookie says why it needs no consent (csrftoken: security)"}
				}
				if n := utf8.RuneCountInString(k.Justification[lang]); n > MaxTextLength {
					return &ConfigError{Field: cf + ".justification." + lang, Problem: tooLong(n, MaxTextLength)}
				}
			}
		}
	}
	return nil
}

// Configured texts are refused beyond these lengths, in characters: a name
// fits a heading or a button, a text a paragraph. A longer one is a pasted
// page or a mistake, and would push the banner's buttons off a phone's screen.
const (
	MaxNameLength = 150
	MaxTextLength = 2000
)

func tooLong(n, limit int) string {
	return fmt.Sprintf("%d characters: at most %d", n, limit)
}

func (p *Portal) checkLocalized(field string, l Localized, limit int) error {
	for _, lang := range p.Languages {
		if strings.TrimSpace(l[lang]) == "" {
			return &ConfigError{Field: field + "." + lang, Problem: "missing or empty: every language in \"languages\" needs it"}
		}
		if n := utf8.RuneCountInString(l[lang]); n > limit {
			return &ConfigError{Field: field + "." + lang, Problem: tooLong(n, limit)}
		}
	}
	for lang := range l {
		if !slices.Contains(p.Languages, lang) {
			return &ConfigError{Field: field + "." + lang, Problem: fmt.Sprintf("language %q is not in \"languages\"", lang)}
		}
	}
	return nil
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
		return &ConfigError{Field: field, Problem: fmt.Sprintf("%q: a URL has no %q (write it percent-encoded)", raw, r)}
	}
	if n := len(raw); n > maxURLLength {
		return &ConfigError{Field: field, Problem: tooLong(n, maxURLLength)}
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return &ConfigError{Field: field, Problem: fmt.Sprintf("%q is not a URL: %v", raw, err)}
	case u.Scheme == "" && !absolute && strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//"):
		return nil
	case (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return &ConfigError{Field: field, Problem: fmt.Sprintf("%q must be an http:// or https:// address", raw)}
	}
	return nil
}

// maxURLLength bounds a configured URL, in bytes.
const maxURLLength = 500

// checkTexts returns the JSON path of the first text in v, a struct of
// texts, that is empty (or an empty list) or longer than MaxTextLength, and
// what is wrong with it; "" when every text is there and fits.
func checkTexts(v reflect.Value, path string) (field, problem string) {
	switch v.Kind() {
	case reflect.String:
		if strings.TrimSpace(v.String()) == "" {
			return path, "missing or empty"
		}
		if n := utf8.RuneCountInString(v.String()); n > MaxTextLength {
			return path, tooLong(n, MaxTextLength)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if f, p := checkTexts(v.Field(i), path+"."+name); f != "" {
				return f, p
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			return path, "missing or empty"
		}
		for i := 0; i < v.Len(); i++ {
			if f, p := checkTexts(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); f != "" {
				return f, p
			}
		}
	}
	return "", ""
}
