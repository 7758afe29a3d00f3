package app

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/consent"
)

// WarmUp runs once, on a page's configuration, language, cookies and
// address, the Go code of the client's start on that page: the start itself
// (Start, the very function the page runs: decoding the configuration,
// reading the stored choice), parsing the page's address, the components'
// Render methods for the banner, the open dialog and the charter (rendered
// to HTML here, mounted there), then "Tout refuser" decided by the root and
// stored (encoded, the refused cookies listed, receipted) and shown. It
// returns the first step that failed, nil when it ran them all.
//
// The client runs it in a Web Worker before it starts on the page
// (web/loader.js): the browser compiles each Go function the first time it
// is called, on the thread that calls it, and most of the client's start
// was that compiling; the module's compiled code is shared by its instances
// in the page's process, so the page's own start then runs that code
// already compiled. What needs a page (go-app's engine, mounting elements)
// is compiled on the page still. WarmUp touches no page, cookie jar or
// network: the worker has none of the page's.
func WarmUp(config []byte, lang, cookie, page string) error {
	root, copied, err := startOnCopy(config, lang, cookie, page)
	if err != nil {
		return err
	}
	// go-app prints the page's address again as it starts.
	_ = copied.address.String()
	root.CharterTarget, root.DialogOpen = "[data-consent-charter]", true
	PrerenderRoot(root)
	PrerenderLiveCharter(root.Portal, root.Lang, root.Stored, time.Local, false)

	// "Tout refuser" as the page makes it: the root decides, then stores
	// (copiedPage.Store), then the charter says it.
	root.Decide(ActionRejectAll)
	// A refusal keeps what needs no consent (exempt measurement) on.
	refusal := consent.RejectAll(root.Portal, copied.now)
	if len(copied.stored) != 1 || root.Stored == nil || !maps.Equal(copied.stored[0].Accepted, refusal.Accepted) {
		return fmt.Errorf("the refusal was not made and stored: %+v, stored %+v", root.Stored, copied.stored)
	}
	PrerenderLiveCharter(root.Portal, root.Lang, root.Stored, time.Local, true)
	return nil
}

// WarmUpMount runs, on the same page's configuration, language, cookies and
// address, the Go code of the page's takeover: go-app's engine mounts the
// root on the document (Takeover), the charter and the hidden dialog part
// by part as on the page, then renders "Tout refuser", then runs a loop
// like the engine's (runLikeTheEngine). It returns an error when the root
// did not end mounted whole and refused.
//
// The loader's worker runs it after WarmUp, on a stand-in document that
// accepts every call (web/src/gostart.js, bridge.UseStandInDocument):
// mounting is most of what the page's start compiles, one function per
// go-app element type and method, and measured on the benchmark's phone it
// was 150 to 300 ms of the page's main thread in Go's first tasks
// (docs/performance.md).
func WarmUpMount(config []byte, lang, cookie, page string) error {
	root, _, err := startOnCopy(config, lang, cookie, page)
	if err != nil {
		return err
	}
	root.CharterTarget = "[data-consent-charter]"
	var mounted *app.Context
	root.OnReady = func(ctx app.Context, _ *Root) { mounted = &ctx }
	engine := app.NewTestEngine()
	if err := engine.Load(&Takeover{Root: root}); err != nil {
		return fmt.Errorf("mounting the root: %w", err)
	}
	engine.ConsumeAll()
	if mounted == nil || root.charterPending > 0 || !root.prefsListed {
		return fmt.Errorf("the root did not mount whole (charter parts left %d, dialog listed %v)", root.charterPending, root.prefsListed)
	}
	mounted.Dispatch(func(app.Context) { root.Decide(ActionRejectAll) })
	engine.ConsumeAll()
	if root.bannerVisible || root.Stored == nil {
		return errors.New("the refusal was not rendered")
	}
	runLikeTheEngine()
	return nil
}

// runLikeTheEngine runs for a few milliseconds what go-app's engine does
// on the page between Go's steps and the test engine above does not: a
// select over a frame ticker and a channel of dispatches fed by another
// goroutine, the ticker reset, goroutines parked on timers and woken. On
// the benchmark's phone the runtime's select (runtime.selectgo) was the
// largest function left to compile on the page once the warm-up mounted,
// the timers' and the scheduler's next (docs/performance.md).
func runLikeTheEngine() {
	frames := time.NewTicker(time.Millisecond)
	defer frames.Stop()
	dispatches := make(chan func())
	go func() {
		for range 3 {
			time.Sleep(time.Millisecond)
			dispatches <- func() {}
		}
		close(dispatches)
	}()
	for {
		select {
		case dispatch, ok := <-dispatches:
			if !ok {
				return
			}
			dispatch()
		case <-frames.C:
			frames.Reset(time.Hour)
		}
	}
}

// startOnCopy starts the client (Start) on the page as the loader copies
// it into the worker, its address parsed as go-app parses it.
func startOnCopy(config []byte, lang, cookie, page string) (*Root, *copiedPage, error) {
	address, err := url.Parse(page)
	if err != nil {
		return nil, nil, fmt.Errorf("the page's address: %w", err)
	}
	copied := &copiedPage{cookie: cookie, address: address, now: time.Now()}
	root, err := Start(config, lang, copied)
	return root, copied, err
}

// copiedPage is the page as the loader copies it into the warm-up's worker:
// its cookies and its address. It reads the stored choice as the page does
// (bridge.Page) and runs, for each choice stored on it, the Go code that
// bridge.Page.Store runs around its calls to the browser, keeping only the
// choice: the worker has no page to write to or tell.
type copiedPage struct {
	cookie  string
	address *url.URL
	now     time.Time
	// stored holds the choices stored, for WarmUp to check that the
	// refusal went through the root.
	stored []consent.Choice
}

// PublishStored reads the stored choice of the page's cookies; the worker
// has no page to publish it on, and Global Privacy Control does not count
// there (the page's start reads it from the page's own navigator).
func (w *copiedPage) PublishStored(p *consent.Portal) (*consent.Choice, bool) {
	if c, err := consent.StoredChoice(w.cookie, p, w.now); err == nil {
		return &c, false
	}
	return nil, false
}

// Yield does nothing: the worker has no page to give its thread back to.
func (*copiedPage) Yield() {}

// Store works out what bridge.Page.Store writes and tells for c: the
// cookies written and deleted (consent.Portal.Store), the page's state and
// consent:change (bridge.Publish), the receipt (bridge.SendReceipt).
func (w *copiedPage) Store(p *consent.Portal, c consent.Choice, previous *consent.Choice) {
	_ = p.Store(c, previous, consent.Location{Hostname: w.address.Hostname(), Pathname: w.address.Path, Secure: w.address.Scheme == "https"}, w.cookie)
	_ = c.Categories(p)
	_ = c.DecidedAt.UTC().Format(time.RFC3339)
	_ = c.ExpiresAt(p).UTC().Format(time.RFC3339)
	_ = consent.NewReceiptRequest(p, c)
	w.stored = append(w.stored, c)
}
