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
