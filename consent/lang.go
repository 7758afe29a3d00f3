package consent

import "strings"

// PickLanguage returns the first of the wanted languages that the portal has,
// comparing primary subtags ("en-GB" picks "en"), or the portal's default.
// Callers pass the page's <html lang> first, then the browser's languages.
func (p *Portal) PickLanguage(wanted ...string) string {
	for _, w := range wanted {
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(w)), "-")
		for _, lang := range p.Languages {
			if primary == lang {
				return lang
			}
		}
	}
	return p.DefaultLanguage()
}

// ParseAcceptLanguage returns the languages of an Accept-Language header in
// the order they are given, for PickLanguage. Quality values are ignored
// except that "q=0" removes a language.
func ParseAcceptLanguage(header string) []string {
	var langs []string
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(part, ";")
		if strings.ReplaceAll(strings.TrimSpace(params), " ", "") == "q=0" {
			continue
		}
		if tag = strings.TrimSpace(tag); tag != "" && tag != "*" {
			langs = append(langs, tag)
		}
	}
	return langs
}
