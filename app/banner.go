// Package app holds the go-app components of the consent manager: the
// banner, the preferences dialog and the charter, under one root component.
// The same components run in the browser (compiled to WebAssembly) and on the
// host, which pre-renders them to HTML so that the banner paints before the
// WebAssembly arrives. They never touch the cookie themselves: the root hands
// every choice to its ChoiceStore (Root.Choices: bridge.Page in the WebAssembly).
package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/consent"
)

// Actions carried by the banner's buttons in data-cb-action. The embed script
// reads them to record a click made before Go runs, so they are part of the
// contract between the pre-rendered HTML and web/embed.js.
// The actions that make a choice are the model's (consent.ChoiceOf).
const (
	ActionAcceptAll = consent.ActionAcceptAll
	ActionRejectAll = consent.ActionRejectAll
	ActionCustomise = "customise"
	// ActionContinue closes the banner ("Continuer sans accepter"): a
	// refusal of every optional category, as the CNIL asks.
	ActionContinue = consent.ActionContinue
)

// Banner is the first-visit banner: a short text, three actions of equal
// weight, a link to the charter, and "Continuer sans accepter" in its top
// corner, which closes it as a refusal.
//
// Accessibility: it is a labelled region, not a dialog, so it never traps
// focus and the page stays usable behind it (the portal is never walled).
type Banner struct {
	app.Compo

	Texts       consent.BannerTexts
	CharterHref string
	Visible     bool
	OnAction    func(ctx app.Context, action string)
}

// Render draws the banner; a hidden banner keeps its element, with the hidden
// attribute, so that the root's children never change position.
func (b *Banner) Render() app.UI {
	section := app.Section().
		Class("cb-banner").
		Aria("labelledby", "cb-banner-title").
		Aria("describedby", "cb-banner-text")
	if !b.Visible {
		section = section.Hidden(true)
	}
	return section.Body(
		app.Div().Class("cb-banner__inner").Body(
			app.Div().Class("cb-banner__head").Body(
				app.H2().ID("cb-banner-title").Class("cb-title").Text(b.Texts.Title),
				app.Button().Type("button").Class("cb-continue").DataSet("cb-action", ActionContinue).
					Text(b.Texts.ContinueWithout).
					OnClick(func(ctx app.Context, e app.Event) {
						if b.OnAction != nil {
							b.OnAction(ctx, ActionContinue)
						}
					}),
			),
			app.P().ID("cb-banner-text").Class("cb-text").Text(b.Texts.Body),
			app.Div().Class("cb-actions").Body(
				b.button(ActionAcceptAll, b.Texts.AcceptAll),
				b.button(ActionRejectAll, b.Texts.RejectAll),
				b.button(ActionCustomise, b.Texts.Customise),
			),
			app.A().Class("cb-link").Href(b.CharterHref).Text(b.Texts.CharterLink),
		),
	)
}

func (b *Banner) button(action, label string) app.UI {
	return app.Button().
		Type("button").
		Class("cb-btn").
		DataSet("cb-action", action).
		Text(label).
		OnClick(func(ctx app.Context, e app.Event) {
			if b.OnAction != nil {
				b.OnAction(ctx, action)
			}
		})
}
