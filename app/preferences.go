package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/consent"
)

// Preferences is the dialog where a visitor decides category by category.
//
// Accessibility: a native <dialog> opened with showModal() is a real modal:
// the rest of the page is inert, focus moves into it and stays there, Escape
// closes it and the browser returns focus to the element that opened it. It
// is labelled by its title and described by its introduction.
type Preferences struct {
	app.Compo

	Portal *consent.Portal
	Lang   string
	Open   bool
	// Pending is how many of the portal's categories, the last ones, are
	// not drawn yet; Listed is true when the cookie lists are drawn in their <details>.
	// Go mounts the hidden dialog part by part, each in a task of its
	// own, so that none is long enough to freeze the page: without its
	// categories, then one more category each time, then with the lists.
	// An open dialog is always drawn whole.
	Pending int
	Listed  bool
	// GPC is true when the browser sends Global Privacy Control (and the
	// portal honours it): the dialog says why optional categories start off.
	GPC bool
	// Draft holds the switches as the visitor sets them, before saving.
	Draft    map[string]bool
	OnToggle func(ctx app.Context, category string, on bool)
	OnAction func(ctx app.Context, action string)
	OnClose  func(ctx app.Context)
}

// Action of the dialog's "save my choices" button, beside ActionAcceptAll
// and ActionRejectAll.
const ActionSave = consent.ActionSave

// Render draws the dialog, closed unless Open.
func (p *Preferences) Render() app.UI {
	t := p.Portal.Texts[p.Lang]
	return app.Dialog().
		Class("cb-dialog").
		// Implicit for a modal <dialog>; said explicitly for assistive
		// technologies that predate it.
		Role("dialog").
		Aria("modal", "true").
		Aria("labelledby", "cb-dialog-title").
		Aria("describedby", "cb-dialog-intro").
		On("keydown", p.keepFocus).
		On("close", func(ctx app.Context, e app.Event) {
			// Only a close the browser made (Escape, the × button) is
			// reported. The event of a close that sync made arrives
			// later, possibly after the page asked to open the dialog
			// again: reporting it would undo that request. And a dialog
			// already opened again is not closed.
			if p.Open && !p.JSValue().Get("open").Bool() && p.OnClose != nil {
				p.OnClose(ctx)
			}
		}).
		Body(
			app.Div().Class("cb-dialog__head").Body(
				// The dialog opens with the focus on its title: the visitor
				// hears where they are, and a key still held from the
				// click that opened it cannot press a button.
				app.H2().ID("cb-dialog-title").Class("cb-title").TabIndex(-1).Attr("autofocus", true).Text(t.Preferences.Title),
				app.Button().Type("button").Class("cb-close").Aria("label", t.Preferences.Close).
					Text("×").
					OnClick(func(ctx app.Context, e app.Event) { p.JSValue().Call("close") }),
			),
			app.Div().Class("cb-dialog__body").Body(
				app.P().ID("cb-dialog-intro").Class("cb-text").Text(t.Preferences.Intro),
				app.If(p.GPC, func() app.UI { return app.P().Class("cb-gpc").Text(t.Preferences.GPC) }),
				app.Range(p.drawn()).Slice(func(i int) app.UI {
					cat := p.Portal.Categories[i]
					return app.Div().Class("cb-dialog__category").Body(
						categoryToggle("cb-pref", cat, p.Lang, t, p.Draft, true, p.OnToggle),
						// A category without cookies says so at once, rather
						// than behind "Voir les cookies (0)".
						app.If(len(cat.Cookies) == 0, func() app.UI {
							return app.P().Class("cb-empty").Text(t.Preferences.NoCookies)
						}).Else(func() app.UI {
							return app.Details().Class("cb-details").Body(
								app.Summary().Text(t.Preferences.ShowCookies+" ("+strconv.Itoa(len(cat.Cookies))+")"),
								app.If(p.Listed || p.Open, func() app.UI { return cookieTable(cat, p.Lang, t) }),
							)
						}),
					)
				}),
			),
			app.Div().Class("cb-actions cb-dialog__actions").Body(
				p.button(ActionAcceptAll, t.Banner.AcceptAll),
				p.button(ActionRejectAll, t.Banner.RejectAll),
				p.button(ActionSave, t.Preferences.Save),
			),
		)
}

// drawn is the categories drawn: all of them once the dialog is open.
func (p *Preferences) drawn() []consent.Category {
	all := p.Portal.Categories
	if p.Open || p.Pending <= 0 {
		return all
	}
	return all[:len(all)-min(p.Pending, len(all))]
}

// Focusable selects the controls of the dialog that Tab reaches (the
// contents of a closed <details> are not rendered, so not reached). The
// page's dialog, before Go runs, keeps the focus in the same controls: the
// host tells it this selector (embed.js's manifest), rather than it
// writing its own.
const Focusable = `button:not([disabled]), input:not([disabled]), summary, a[href]`

// keepFocus keeps Tab and Shift+Tab inside the open dialog: from its last
// control Tab goes back to the first, and the other way round, where the
// browser would otherwise move on to its own interface.
func (p *Preferences) keepFocus(ctx app.Context, e app.Event) {
	if e.Get("key").String() != "Tab" {
		return
	}
	controls := p.JSValue().Call("querySelectorAll", Focusable)
	n := controls.Length()
	if n == 0 {
		return
	}
	first, last := controls.Index(0), controls.Index(n-1)
	active := app.Window().Get("document").Get("activeElement")
	switch {
	case e.Get("shiftKey").Bool() && active.Equal(first):
		last.Call("focus")
	case !e.Get("shiftKey").Bool() && active.Equal(last):
		first.Call("focus")
	default:
		return
	}
	e.PreventDefault()
}

func (p *Preferences) button(action, label string) app.UI {
	return app.Button().Type("button").Class("cb-btn").DataSet("cb-action", action).Text(label).
		OnClick(func(ctx app.Context, e app.Event) { p.OnAction(ctx, action) })
}

// OnUpdate opens or closes the native dialog to match Open once the DOM is
// up to date.
func (p *Preferences) OnUpdate(ctx app.Context) { ctx.Defer(p.sync) }

// OnMount opens the dialog when the root mounts it already open: the
// visitor opened the page's own dialog before Go ran, and Go's replaces it.
// It must open before the browser paints again, or the visitor sees a
// frame without their dialog and their focus drops to the page. showModal
// needs the element in the document, where go-app puts the root only after
// mounting it, and a deferred call runs at go-app's next frame, a task or
// more later; a microtask runs as soon as the mount's task ends, before
// any paint.
func (p *Preferences) OnMount(ctx app.Context) {
	if !p.Open {
		ctx.Defer(p.sync)
		return
	}
	var open app.Func
	open = app.FuncOf(func(app.Value, []app.Value) any {
		open.Release()
		p.sync(ctx)
		return nil
	})
	app.Window().Call("queueMicrotask", open)
}

// sync opens or closes the dialog element to match Open, from the
// element's own state: the browser closes it too (Escape).
func (p *Preferences) sync(ctx app.Context) {
	dialog := p.JSValue()
	switch open := dialog.Get("open").Bool(); {
	case p.Open && !open:
		dialog.Call("showModal")
	case !p.Open && open:
		dialog.Call("close")
	}
}
