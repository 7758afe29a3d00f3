package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/consent"
)

// Placeholder stands in the page for an element gated by a category or a
// service (<iframe data-category="video/youtube" data-src="…">) until the
// visitor accepts it: the service's name, why it needs consent (its
// description in the configuration), a button that accepts that one
// service and shows the content at once, and the way to the preferences.
// The page's script sizes it as the element it stands for.
//
// Accessibility: a group named after the service, so that a screen reader
// announces what is missing there; two real buttons, the first one's name
// saying what it allows and shows; the texts in the page's flow, readable
// at any zoom; data-nosnippet, so that no search result quotes it.
type Placeholder struct {
	app.Compo

	Portal *consent.Portal
	Lang   string
	// Key is the purpose ("video/youtube") or the category ("video") the
	// element needs.
	Key string
}

// Render draws the placeholder.
func (p *Placeholder) Render() app.UI {
	t := p.Portal.Texts[p.Lang]
	name, why := p.describe()
	return app.Div().Class("cb-placeholder").Lang(p.Lang).Role("group").Aria("label", name).DataSet("nosnippet", "nosnippet").Body(
		app.P().Class("cb-placeholder__name").Text(name),
		app.P().Class("cb-placeholder__why").Text(why),
		app.Div().Class("cb-placeholder__actions").Body(
			app.Button().Type("button").Class("cb-btn").DataSet("cb-accept", p.Key).Text(strings.Replace(t.Placeholder.Accept, "%s", name, 1)),
			app.Button().Type("button").Class("cb-placeholder__prefs").DataSet("consent-open", "placeholder").Text(t.Charter.ManageLink),
		),
	)
}

// describe returns the name and description of the service or category.
func (p *Placeholder) describe() (name, why string) {
	for _, pu := range p.Portal.Purposes() {
		if pu.Key == p.Key && pu.Service != nil {
			return pu.Service.Name.In(p.Lang), pu.Service.Description.In(p.Lang)
		}
	}
	cat, _ := p.Portal.Category(p.Key)
	return cat.Name.In(p.Lang), cat.Description.In(p.Lang)
}
