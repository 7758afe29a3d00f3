package app

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// movedCharter renders the charter inside the root, as go-app mounts one tree
// only, then moves its element into the page's own element (Target) when it
// mounts, replacing what the host pre-rendered there. go-app keeps updating
// the element where it is, since it always renders the same <article>: the
// root must never remove or replace it (see Root.Render).
type movedCharter struct {
	app.Compo

	Target  string
	Charter Charter
	// TakeOver runs before the first render, in the task that replaces the
	// page's charter: the switches the visitor set there are Go's.
	TakeOver func()
	// OnMoved runs once the charter is in the page's element.
	OnMoved func(ctx app.Context)
}

func (m *movedCharter) OnInit() {
	if m.TakeOver != nil {
		m.TakeOver()
	}
}

func (m *movedCharter) Render() app.UI {
	c := m.Charter
	return &c
}

func (m *movedCharter) OnMount(ctx app.Context) {
	target := app.Window().Get("document").Call("querySelector", m.Target)
	if target.Truthy() {
		target.Call("replaceChildren", m.JSValue())
	}
	if m.OnMoved != nil {
		m.OnMoved(ctx)
	}
}
