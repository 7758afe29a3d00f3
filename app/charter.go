package app

import (
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/consent"
)

// Charter is the portal's cookie charter ("Charte cookies"): the text of the
// configuration, a cookie table per category generated from it, and the
// visitor's current choice with the controls to change or withdraw it.
//
// The host renders it for a page read without JavaScript (Live false: the
// switches show the stored choice and a note says JavaScript changes it); in
// the browser it is live.
type Charter struct {
	app.Compo

	Portal *consent.Portal
	Lang   string
	// Choice is the stored choice, nil before the visitor has chosen.
	Choice *consent.Choice
	// Draft holds the switches as the visitor sets them, before saving.
	Draft map[string]bool
	Live  bool
	Saved bool
	// Pending is how many of its parts (Parts), the last ones, are not
	// drawn yet: Go mounts the charter part by part, hidden until whole
	// (Root), each part in a task of its own on a slow phone. Zero: all.
	Pending int
	// Location is the visitor's time zone, in which the date of the choice
	// is shown; the browser's own when nil (Go in the browser). The host
	// renders the charter for a page in the visitor's.
	Location *time.Location
	OnToggle func(ctx app.Context, category string, on bool)
	OnAction func(ctx app.Context, action string)
}

// Parts is how many parts Go mounts the charter in: each section of its
// text, each category of its cookie tables, and the visitor's choice.
func (c *Charter) Parts() int {
	return len(c.Portal.Texts[c.Lang].Charter.Sections) + len(c.Portal.Categories) + 1
}

// Render draws the charter, hidden until whole.
func (c *Charter) Render() app.UI {
	p, lang := c.Portal, c.Lang
	t := p.Texts[lang]
	ct := t.Charter
	drawn := c.Parts() - min(max(c.Pending, 0), c.Parts())
	sections := ct.Sections[:min(drawn, len(ct.Sections))]
	categories := p.Categories[:min(drawn-len(sections), len(p.Categories))]
	whole := drawn == c.Parts()
	return app.Article().Class("cb-charter").Lang(lang).Aria("labelledby", "cb-charter-title").Hidden(!whole).Body(
		app.H1().ID("cb-charter-title").Text(ct.Title),
		app.P().Text(ct.Intro),
		app.Range(sections).Slice(func(i int) app.UI {
			s := ct.Sections[i]
			return app.Section().Body(
				app.H2().Text(s.Heading),
				app.Range(s.Paragraphs).Slice(func(j int) app.UI { return app.P().Text(s.Paragraphs[j]) }),
			)
		}),
		app.Section().Class("cb-charter__usage").Body(
			app.H2().Body(app.Text(ct.Usage+" "), app.A().Href(p.Address).Text(p.Address)),
			app.Range(categories).Slice(func(i int) app.UI {
				cat := p.Categories[i]
				return app.Div().Class("cb-charter__category").Body(
					app.H3().Text(cat.Name.In(lang)),
					app.P().Text(cat.Description.In(lang)),
					cookieTable(cat, lang, t),
				)
			}),
		),
		app.If(whole, func() app.UI { return c.yourChoice(t) }),
	)
}

func (c *Charter) yourChoice(t *consent.Texts) app.UI {
	ct := t.Charter
	p := c.Portal
	return app.Section().Class("cb-charter__choice").ID("cb-charter-choice").Aria("labelledby", "cb-charter-choice-title").Body(
		app.H2().ID("cb-charter-choice-title").Text(ct.YourChoice),
		c.status(t),
		app.If(p.CookieDomain != "", func() app.UI {
			return app.P().Class("cb-cookie-scope").Text(strings.Replace(ct.CookieScope, "%s", p.CookieDomain, 1))
		}),
		app.Range(p.Categories).Slice(func(i int) app.UI {
			return categoryToggle("cb-charter", p.Categories[i], c.Lang, t, c.Draft, c.Live, c.OnToggle)
		}),
		app.If(c.Live, func() app.UI {
			return app.Div().Class("cb-actions").Body(
				c.button(ActionSave, t.Preferences.Save),
				c.button(ActionRejectAll, ct.Withdraw),
			)
		}).Else(func() app.UI {
			return app.P().Class("cb-note").Text(ct.JavaScript)
		}),
		app.P().Class("cb-saved").Aria("live", "polite").Text(when(c.Saved, t.Preferences.Saved)),
	)
}

func (c *Charter) status(t *consent.Texts) app.UI {
	ct := t.Charter
	if c.Choice == nil {
		return app.P().Class("cb-status").Text(ct.NoChoice)
	}
	rows := []app.UI{
		app.Dt().Text(ct.DecidedOn),
		app.Dd().Body(app.Time().DateTime(c.Choice.DecidedAt.Format(time.RFC3339)).Text(c.Choice.DecidedAt.In(c.location()).Format(ct.DateLayout))),
		app.Dt().Text(ct.ConsentID),
		app.If(c.Choice.OnPlatformBanner, func() app.UI {
			return app.Dd().Class("cb-platform-banner").Text(ct.PlatformBanner)
		}).Else(func() app.UI {
			return app.Dd().Body(app.Code().Class("cb-consent-id").Text(c.Choice.ID))
		}),
	}
	for _, pu := range c.Portal.Purposes() {
		verdict := ct.Refused
		if c.Choice.Accepted[pu.Key] {
			verdict = ct.Accepted
		}
		name := pu.Category.Name.In(c.Lang)
		if pu.Service != nil {
			name += " : " + pu.Service.Name.In(c.Lang)
		}
		rows = append(rows, app.Dt().Text(name), app.Dd().DataSet("category", pu.Key).Text(verdict))
	}
	return app.Dl().Class("cb-status").Body(rows...)
}

func (c *Charter) location() *time.Location {
	if c.Location != nil {
		return c.Location
	}
	return time.Local
}

func (c *Charter) button(action, label string) app.UI {
	return app.Button().Type("button").Class("cb-btn").DataSet("cb-action", action).Text(label).
		OnClick(func(ctx app.Context, e app.Event) { c.OnAction(ctx, action) })
}

func when(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}
