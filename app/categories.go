package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/consent"
)

// categoryToggle is one category's switch, shared by the preferences dialog
// and the charter: a real checkbox with a label, announced as a switch,
// followed by one switch per service when the category lists services.
// draft holds the switches by purpose key (and by category id). prefix
// keeps ids unique when both are on one page.
func categoryToggle(prefix string, cat consent.Category, lang string, t *consent.Texts, draft map[string]bool, live bool, onChange func(ctx app.Context, key string, on bool)) app.UI {
	state := ""
	switch {
	case cat.Required:
		state = t.Preferences.AlwaysOn
	case cat.Exempt != nil:
		state = t.Preferences.Exempt
	}
	id := prefix + "-" + cat.ID
	return app.Div().Class("cb-category").DataSet("category", cat.ID).Body(
		app.Div().Class("cb-category__head").Body(
			switchInput(id, cat.ID, draft[cat.ID], cat.Required, live, onChange),
			app.Label().For(id).Class("cb-category__name").Text(cat.Name.In(lang)),
			app.If(state != "", func() app.UI {
				return app.Span().Class("cb-category__state").Text(state)
			}),
		),
		app.P().ID(id+"-desc").Class("cb-category__desc").Text(cat.Description.In(lang)),
		app.If(len(cat.Services) > 0, func() app.UI {
			return app.Ul().Class("cb-services").Body(app.Range(cat.Services).Slice(func(i int) app.UI {
				s := cat.Services[i]
				key := consent.ServiceKey(cat, s)
				sid := id + "-" + s.ID
				return app.Li().Class("cb-service").DataSet("purpose", key).Body(
					app.Div().Class("cb-category__head").Body(
						switchInput(sid, key, draft[key], false, live, onChange),
						app.Label().For(sid).Class("cb-category__name").Text(s.Name.In(lang)),
					),
					app.P().ID(sid+"-desc").Class("cb-category__desc").Text(s.Description.In(lang)),
				)
			}))
		}),
	)
}

// switchInput is the checkbox of a category or a service (key).
func switchInput(id, key string, on, required, live bool, onChange func(ctx app.Context, key string, on bool)) app.UI {
	input := app.Input().
		Type("checkbox").
		Role("switch").
		ID(id).
		Class("cb-switch").
		// The page's script, before Go runs, finds the purpose here.
		DataSet("key", key).
		Aria("describedby", id+"-desc")
	switch {
	case required:
		return input.Checked(true).Disabled(true)
	case !live:
		// Rendered on the host for a page read without JavaScript: the
		// switch shows the stored choice but cannot change it.
		input = input.Disabled(true)
		if on {
			input = input.Checked(true)
		}
		return input
	default:
		// In the browser the checked property is always set: removing an
		// attribute would not uncheck a box the visitor has touched.
		return input.Checked(on).OnChange(func(ctx app.Context, e app.Event) {
			onChange(ctx, key, ctx.JSSrc().Get("checked").Bool())
		})
	}
}

// cookieTable lists a category's cookies, generated from the configuration.
func cookieTable(cat consent.Category, lang string, t *consent.Texts) app.UI {
	if len(cat.Cookies) == 0 {
		return app.P().Class("cb-empty").Text(t.Preferences.NoCookies)
	}
	h := t.Table
	return app.Div().Class("cb-table-wrap").Body(
		app.Table().Class("cb-table").DataSet("category", cat.ID).Body(
			app.Caption().Text(cat.Name.In(lang)),
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text(h.Provider),
				app.Th().Scope("col").Text(h.Service),
				app.Th().Scope("col").Text(h.Name),
				app.Th().Scope("col").Text(h.Purpose),
				app.Th().Scope("col").Text(h.Duration),
				app.If(cat.Required, func() app.UI { return app.Th().Scope("col").Text(h.Justification) }),
			)),
			app.TBody().Body(app.Range(cat.Cookies).Slice(func(i int) app.UI {
				c := cat.Cookies[i]
				return app.Tr().Body(
					app.Td().DataSet("label", h.Provider).Text(c.Provider),
					app.Td().DataSet("label", h.Service).Text(c.Service.In(lang)),
					app.Td().DataSet("label", h.Name).Body(app.Code().Text(c.Name)),
					app.Td().DataSet("label", h.Purpose).Text(c.Purpose.In(lang)),
					app.Td().DataSet("label", h.Duration).Text(c.Duration.In(lang)),
					app.If(cat.Required, func() app.UI {
						return app.Td().DataSet("label", h.Justification).Text(c.Justification.In(lang))
					}),
				)
			})),
		),
	)
}
