package app

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/consent"
)

// RootID is the id of the root element, the scope of every style of the
// consent manager (web/consent.css) so that it never styles the host page.
const RootID = "cb-root"

// Root is the consent manager's component (in the browser, Takeover mounts
// it): it holds the state (the stored choice, what is open, the switches
// being set) and renders the banner, the preferences dialog and, on a page
// that asks for it, the charter.
type Root struct {
	app.Compo

	Portal *consent.Portal
	Lang   string
	// CharterHref is where the banner's charter link goes.
	CharterHref string
	// Stored is the visitor's valid stored choice, nil when there is none.
	Stored *consent.Choice
	// Live is true in the browser: the dialog exists and controls work.
	// The host renders with Live false.
	Live bool
	// CharterTarget, when set, is the CSS selector of the element that
	// receives the charter (a data-consent-charter element of the page).
	CharterTarget string
	// TakeOver, when set, is called as the root mounts, before its first
	// render, in the task where it replaces the page's painted banner and
	// dialog: it sets Stored, GPC, DialogOpen and Draft as the visitor left
	// them at that instant.
	TakeOver func(r *Root)
	// DialogOpen is true when the visitor opened the preferences before Go
	// ran; Draft then holds the switches as they set them, by purpose key.
	// Go's dialog opens in that state.
	DialogOpen bool
	Draft      map[string]bool
	// TakeCharter hands the page's charter over to Go's once Go's is whole,
	// in the task that puts it in the page's element, and returns its
	// switches as the visitor set them, by purpose key. Nil on the host and
	// where nothing precedes Go.
	TakeCharter func() map[string]bool
	// GPC is true when the browser sends Global Privacy Control and the
	// portal honours it: with no stored choice, no banner shows (the signal
	// is the visitor's refusal) and the dialog says why.
	GPC bool
	// Choices stores each choice the visitor makes here (in the browser,
	// bridge.Page, which Start sets). Nil on the host, which only renders.
	Choices ChoiceStore
	// OnReady hands the mounted root to the browser bridge, which drives it
	// from the page's API (show the banner, open the preferences).
	OnReady func(ctx app.Context, r *Root)
	// OnTakenOver runs once Go's elements stand where the visitor sees the
	// page's: the banner, and the charter on a page that holds one, at the
	// end of the go-app frame that places the last of them. The hidden
	// dialog mounts in later tasks (mountDialogSoon), so that a page which
	// acts on that signal does not wait for it.
	OnTakenOver func()
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Yield gives the browser its main thread back until its next task
	// (Page.Yield), between the steps of Go's start; nil on the host.
	Yield func()

	bannerVisible bool
	prefsMounted  bool
	// prefsPending: how many of the dialog's categories are still to
	// mount, and prefsListed: its cookie lists are mounted (see
	// mountDialogSoon).
	prefsPending int
	prefsListed  bool
	charterShown bool
	// charterPending: how many of the charter's parts are still to mount.
	charterPending int
	prefsOpen      bool
	prefsDraft     map[string]bool
	charterDraft   map[string]bool
	charterSaved   bool
}

// ChoiceStore stores the choices a visitor makes on Root's banner, dialog
// and charter. Root decides (Decide, the charter's buttons), shows the
// choice, then hands it here, once per choice: storing is the only thing it
// leaves to someone else, because only the browser has a cookie jar and a
// page to tell (the host renders Root with no store). In the browser
// (bridge.Page) an implementation does, in this order, what the page's own
// script does for a choice made before Go ran (web/loader.js): write c to
// the cookies_preferences cookie, its stale copies deleted; delete the
// cookies of the categories c refuses; make c the page's current choice
// (consentBanner.get()) and dispatch consent:change with what it withdrew
// from previous and the cookies it deleted; queue c's receipt when the host
// keeps receipts. Store runs in the click's handler, on go-app's goroutine:
// it must not wait (the receipt is queued, not sent).
type ChoiceStore interface {
	// Store stores c, the visitor's new choice on p, which replaces
	// previous (nil when none was stored, or under Global Privacy Control).
	Store(p *consent.Portal, c consent.Choice, previous *consent.Choice)
}

// OnInit settles the first state as the page's script left it before Go
// ran (a choice it stored, the dialog it opened), so that Go's first render
// continues from there.
func (r *Root) OnInit() {
	if r.TakeOver != nil {
		r.TakeOver(r)
	}
	r.bannerVisible = r.Portal.Opening(r.Stored, r.GPC).Asks
	r.resetDrafts()
	if r.DialogOpen {
		r.prefsMounted, r.prefsListed, r.prefsOpen = true, true, true
		r.Portal.KeepSwitches(r.prefsDraft, r.Draft)
	}
}

// OnMount hands the root to the bridge. Go's first render, the page's
// takeover, is the banner alone: the charter, then the dialog (hidden,
// until opened) come part by part in tasks of their own just after, so
// that no task is long enough to freeze the page.
func (r *Root) OnMount(ctx app.Context) {
	if r.CharterTarget != "" {
		r.inNextTask(ctx, func(ctx app.Context) {
			r.charterShown, r.charterPending = true, (&Charter{Portal: r.Portal, Lang: r.Lang}).Parts()-1
			// Mounted at once, the charter was one task of 70 to 160 ms
			// on a slow phone (docs/performance.md).
			r.mountRestSoon(ctx, &r.charterPending, nil)
		})
	} else {
		r.mountDialogSoon(ctx)
	}
	if r.OnReady != nil {
		r.OnReady(ctx, r)
	}
	if r.CharterTarget == "" {
		r.tookOver(ctx)
	}
}

// tookOver reports, at the end of this go-app frame, that Go has taken the
// page over.
func (r *Root) tookOver(ctx app.Context) {
	if r.OnTakenOver != nil {
		ctx.Defer(func(app.Context) { r.OnTakenOver() })
	}
}

// mountDialogSoon mounts the hidden dialog in tasks of its own: the
// dialog without its categories, each category, then their cookie lists,
// which a closed <details> hides. Go's code runs on the page for the first
// time then, compiled by the browser as it goes: on a slow phone the dialog
// mounted whole was one task of 110 to 190 ms (docs/performance.md). A
// dialog opened before then comes whole at once (ShowPreferences).
func (r *Root) mountDialogSoon(ctx app.Context) {
	if r.prefsMounted {
		return
	}
	r.inNextTask(ctx, func(ctx app.Context) {
		// Opened meanwhile: mounted whole (ShowPreferences).
		if r.prefsMounted {
			return
		}
		r.prefsMounted, r.prefsPending = true, len(r.Portal.Categories)
		r.mountRestSoon(ctx, &r.prefsPending, func() { r.prefsListed = true })
	})
}

// mountRestSoon mounts one more part of what Go mounts part by part in
// each next task, counting *pending down to zero, then, when whole is not
// nil, calls it in the task after the last part. Opened meanwhile, the
// dialog's pending parts are zero already (ShowPreferences).
func (r *Root) mountRestSoon(ctx app.Context, pending *int, whole func()) {
	if *pending == 0 && whole == nil {
		return
	}
	r.inNextTask(ctx, func(ctx app.Context) {
		if *pending == 0 {
			whole()
			return
		}
		*pending--
		r.mountRestSoon(ctx, pending, whole)
	})
}

// inNextTask runs f once go-app has rendered what the current step
// changed and the browser has had its main thread back (Yield): input,
// paint and the portal's scripts come between two steps of Go's start, and
// each step is rendered in a task of its own. A timer would not do: go-app
// renders on a frame timer (8 ms), so a step dispatched after a 1 ms timer
// was rendered with the one before, and Go runs every timer that is due
// before it gives the thread back, so on a busy phone steps ran in one
// long task.
func (r *Root) inNextTask(ctx app.Context, f func(app.Context)) {
	ctx.Defer(func(ctx app.Context) {
		ctx.Async(func() {
			if r.Yield != nil {
				r.Yield()
			}
			ctx.Dispatch(f)
		})
	})
}

// charterMoved follows Go's charter into the page's element: Go has taken
// the page over, and the dialog comes next.
func (r *Root) charterMoved(ctx app.Context) {
	r.tookOver(ctx)
	r.mountDialogSoon(ctx)
}

// takeCharter sets the charter's switches as the visitor left them on the
// page's charter, as Go's replaces it.
func (r *Root) takeCharter() {
	if r.TakeCharter != nil {
		r.Portal.KeepSwitches(r.charterDraft, r.TakeCharter())
	}
}

func (r *Root) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Root) resetDrafts() {
	r.prefsDraft, r.charterDraft = r.Portal.Switches(r.Stored), r.Portal.Switches(r.Stored)
}

// choose records a choice: the banner and the dialog close, the switches
// show it, and r.Choices stores it in place of the one it replaces.
func (r *Root) choose(c consent.Choice) {
	previous := r.Stored
	r.Stored = &c
	r.bannerVisible, r.prefsOpen = false, false
	r.resetDrafts()
	if r.Choices != nil {
		r.Choices.Store(r.Portal, c, previous)
	}
}

// Decide applies one of the actions of the banner, the dialog or the API.
func (r *Root) Decide(action string) {
	if action == ActionCustomise {
		r.ShowPreferences()
	} else if c, ok := consent.ChoiceOf(r.Portal, action, r.prefsDraft, r.now()); ok {
		r.choose(c)
	}
}

// Adopt makes c, a choice the page's script stored, the one shown: the
// banner goes, the switches show it. Nothing is saved again.
func (r *Root) Adopt(c consent.Choice) {
	r.Stored = &c
	r.bannerVisible = false
	r.resetDrafts()
}

// ShowBanner shows the banner again, whatever is stored.
func (r *Root) ShowBanner() { r.bannerVisible = true }

// ShowPreferences opens the preferences dialog on the stored choice.
func (r *Root) ShowPreferences() {
	r.resetDrafts()
	r.prefsMounted, r.prefsPending, r.prefsListed, r.prefsOpen = true, 0, true, true
}

// Render draws the root. Its children never change position, so that the
// charter, moved into the page's own element, is always updated in place.
func (r *Root) Render() app.UI {
	t := r.Portal.Texts[r.Lang]
	// data-nosnippet: no search engine quotes the banner or the dialog as
	// the page's summary (its value is ignored; go-app drops an empty one).
	return app.Div().ID(RootID).Class("cb").Lang(r.Lang).DataSet("portal", r.Portal.ID).DataSet("nosnippet", "nosnippet").Body(
		&Banner{
			Texts:       t.Banner,
			CharterHref: r.CharterHref,
			Visible:     r.bannerVisible,
			OnAction:    func(ctx app.Context, action string) { r.Decide(action) },
		},
		app.If(r.Live, func() app.UI {
			if !r.prefsMounted {
				// Holds the dialog's place, so that the charter keeps its
				// own when the dialog comes.
				return app.Text("")
			}
			return &Preferences{
				Portal:   r.Portal,
				Lang:     r.Lang,
				Open:     r.prefsOpen,
				Pending:  r.prefsPending,
				Listed:   r.prefsListed,
				GPC:      r.GPC,
				Draft:    r.prefsDraft,
				OnToggle: func(ctx app.Context, key string, on bool) { r.Portal.SetSwitch(r.prefsDraft, key, on) },
				OnAction: func(ctx app.Context, action string) { r.Decide(action) },
				OnClose:  func(ctx app.Context) { r.prefsOpen = false },
			}
		}),
		app.If(r.CharterTarget != "", func() app.UI {
			if !r.charterShown {
				return app.Text("")
			}
			return &movedCharter{Target: r.CharterTarget, TakeOver: r.takeCharter, OnMoved: r.charterMoved, Charter: Charter{
				Portal:  r.Portal,
				Lang:    r.Lang,
				Choice:  r.Stored,
				Draft:   r.charterDraft,
				Live:    r.Live,
				Saved:   r.charterSaved,
				Pending: r.charterPending,
				OnToggle: func(ctx app.Context, key string, on bool) {
					r.Portal.SetSwitch(r.charterDraft, key, on)
					r.charterSaved = false
				},
				OnAction: r.charterAction,
			}}
		}),
	)
}

func (r *Root) charterAction(ctx app.Context, action string) {
	switch action {
	case ActionSave:
		r.choose(consent.NewChoice(r.Portal, r.charterDraft, r.now()))
	case ActionRejectAll:
		r.choose(consent.RejectAll(r.Portal, r.now()))
	}
	r.charterSaved = true
}
