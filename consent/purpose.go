package consent

// Service is one service of a category that a visitor can accept or refuse
// on its own, e.g. YouTube among the video players.
type Service struct {
	ID          string    `json:"id"`
	Name        Localized `json:"name"`
	Description Localized `json:"description"`
}

// Purpose is one thing a visitor consents to: an optional category, or,
// for a category that lists services, one of its services.
type Purpose struct {
	// Key names it in the cookie, the page API and data-category:
	// "statistics", or "video/youtube" for a service.
	Key      string
	Category Category
	// Service is nil for a whole category.
	Service *Service
}

// Purposes returns what a visitor consents to, in the configuration's order.
func (p *Portal) Purposes() []Purpose {
	var purposes []Purpose
	for _, cat := range p.OptionalCategories() {
		if len(cat.Services) == 0 {
			purposes = append(purposes, Purpose{Key: cat.ID, Category: cat})
			continue
		}
		for i := range cat.Services {
			purposes = append(purposes, Purpose{Key: ServiceKey(cat, cat.Services[i]), Category: cat, Service: &cat.Services[i]})
		}
	}
	return purposes
}

// ConsentKeys returns everything a page or an integration can ask consent
// for: each optional category, and each service of one that lists them.
func (p *Portal) ConsentKeys() []string {
	var keys []string
	for _, cat := range p.OptionalCategories() {
		keys = append(keys, cat.ID)
		for _, s := range cat.Services {
			keys = append(keys, ServiceKey(cat, s))
		}
	}
	return keys
}

// ServiceKey is a service's key: its category's id, a slash, its id
// (a dot separates the cookie's fields).
func ServiceKey(cat Category, s Service) string { return cat.ID + "/" + s.ID }

// purpose returns the purpose with the given key.
func (p *Portal) purpose(key string) (Purpose, bool) {
	for _, pu := range p.Purposes() {
		if pu.Key == key {
			return pu, true
		}
	}
	return Purpose{}, false
}
