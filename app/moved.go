package app

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// movedCharter renders the charter inside the root, as go-app mounts one tree
// only, then moves its element into the page's own element (Target) once
// it is whole (Charter.Pending, zero), replacing what the host pre-rendered
// there. go-app keeps updating the element where it is, since it always
// renders the same <article>: the root must never remove or replace it
// (see Root.Render).
type movedCharter struct {
	app.Compo

	Target  string
	Charter Charter
	// TakeOver runs before the render that makes the charter whole, in the
	// task that replaces the page's charter: the switches the visitor set
	// there are Go's.
	TakeOver func()
	// OnMoved runs once the charter is in the page's element.
	OnMoved func(ctx app.Context)

	taken bool
}

func (m *movedCharter) OnInit() { m.takeWhenWhole() }

func (m *movedCharter) Render() app.UI {
	c := m.Charter
	return &c
}

func (m *movedCharter) OnMount(ctx app.Context) {
	if m.taken {
		m.move(ctx)
	}
}

// OnUpdate runs before go-app renders the new part; the move comes after
// that render, at the end of the same go-app frame, in the same task.
func (m *movedCharter) OnUpdate(ctx app.Context) {
	if !m.taken && m.takeWhenWhole() {
		ctx.Defer(m.move)
	}
}

// takeWhenWhole takes the page's charter over once the charter is whole,
// and says whether it did now.
func (m *movedCharter) takeWhenWhole() bool {
	if m.taken || m.Charter.Pending > 0 {
		return false
	}
	m.taken = true
	if m.TakeOver != nil {
		m.TakeOver()
	}
	return true
}

func (m *movedCharter) move(ctx app.Context) {
	target := app.Window().Get("document").Call("querySelector", m.Target)
	if target.Truthy() {
		target.Call("replaceChildren", m.JSValue())
	}
	if m.OnMoved != nil {
		m.OnMoved(ctx)
	}
}
