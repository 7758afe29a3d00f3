package consent

import (
	"encoding/json"
	"slices"
)

// AsksAgain tells whether after, a new version of the configuration before,
// changes what visitors consented to: a purpose added, removed or turned
// exempt or necessary, a service, a cookie, its provider, purpose or
// duration. Such a change needs a new revision, so that every visitor is
// asked again; a new wording of the banner does not.
func AsksAgain(before, after *Portal) bool {
	return !slices.Equal(consentTerms(before), consentTerms(after))
}

// consentTerms lists, category by category, what a visitor's consent is
// given to.
func consentTerms(p *Portal) []string {
	type cookie struct {
		Name, Provider    string
		Purpose, Duration Localized
		MaxAgeDays        int
	}
	type terms struct {
		ID               string
		Required, Exempt bool
		Services         []string
		Cookies          []cookie
	}
	var list []string
	for _, c := range p.Categories {
		t := terms{ID: c.ID, Required: c.Required, Exempt: c.Exempt != nil}
		for _, s := range c.Services {
			t.Services = append(t.Services, s.ID)
		}
		for _, k := range c.Cookies {
			t.Cookies = append(t.Cookies, cookie{k.Name, k.Provider, k.Purpose, k.Duration, k.MaxAgeDays})
		}
		data, _ := json.Marshal(t) // maps are written in key order
		list = append(list, string(data))
	}
	return list
}
