package app

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Takeover is the component go-app mounts in the browser: Go takes the page
// over in tasks of its own (Root.inNextTask), so that none is long enough
// to freeze it. In the
// first, go-app starts and mounts an empty, hidden element (the compiling
// of go-app's own code is most of that task, on a slow phone); the
// painted banner and dialog stay, and the page's script keeps them live. In
// the next, Root mounts in their place and takes the page's state over at
// that instant (Root.TakeOver).
type Takeover struct {
	app.Compo

	Root *Root
	// OnStart runs once go-app has started, in the first task: it gives the
	// page back what go-app changed as it started.
	OnStart func(ctx app.Context)

	due bool
}

func (t *Takeover) OnMount(ctx app.Context) {
	if t.OnStart != nil {
		t.OnStart(ctx)
	}
	t.Root.inNextTask(ctx, func(app.Context) { t.due = true })
}

func (t *Takeover) Render() app.UI {
	if !t.due {
		return app.Div().Hidden(true)
	}
	return t.Root
}
