//go:build js && wasm

// Command consent-wasm is the consent manager's WebAssembly client. The
// portal's loader (web/loader.js) starts it on the page that holds the
// charter, which it keeps live; it takes over the painted banner, the dialog
// and the charter with the same go-app components, reads and writes the
// cookies_preferences cookie and serves the page API.
package main

import (
	"fmt"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/app"
	"github.com/opendata-consent/consent/bridge"
)

func main() {
	// In the loader's Web Worker, ahead of the start on the page: the same
	// code, run once, for the browser to compile it off the page's main
	// thread (app.WarmUp).
	if w, ok := bridge.ReadWarmUp(); ok {
		err := app.WarmUp([]byte(w.Config), w.Lang, w.Cookie, w.Page)
		if err == nil && bridge.UseStandInDocument() {
			err = app.WarmUpMount([]byte(w.Config), w.Lang, w.Cookie, w.Page)
		}
		// Go called back from JavaScript, as at each step on the page.
		bridge.Yield()
		bridge.ReportWarmUp(err)
		return
	}
	// Go's start is cut into short tasks, so that it never freezes the
	// portal's page: the runtime's own start, decoding the configuration,
	// reading the stored choice (app.Start: each ends at a Yield), go-app's
	// start, then the page taken over part by part (app.Takeover: the
	// banner and the dialog, then the charter, then the hidden dialog).
	boot, err := bridge.ReadBoot()
	if err != nil {
		bridge.Fail(err)
		return
	}
	bridge.Yield()
	// The configuration decoded, then, in a task of its own, the stored
	// choice read and published (app.Start, the very start the warm-up ran
	// in its worker). The choice is read again as the root takes over: this
	// first reading keeps that task short, the first call of any Go code in
	// the browser paying for compiling it.
	page := &bridge.Page{Receipts: boot.Receipts != ""}
	root, err := app.Start([]byte(boot.Config), boot.Lang, page)
	if err != nil {
		bridge.Fail(fmt.Errorf("cannot start: %w", err))
		return
	}
	path := pagePath()
	bridge.Yield()

	// go-app starts in this task, on an element of its own, and the root
	// takes the page over in the next (app.Takeover): what the visitor did
	// until then (a choice stored, the dialog opened, a switch set) is what
	// Go continues from.
	host := bridge.SaveHostPage()
	root.CharterHref, root.CharterTarget = boot.CharterHref, boot.CharterTarget
	root.TakeOver = func(r *app.Root) {
		state := bridge.HandOver()
		r.Stored, r.GPC = page.PublishStored(r.Portal)
		r.DialogOpen, r.Draft = state.DialogOpen, state.Draft
	}
	root.TakeCharter = bridge.HandOverCharter
	root.OnReady = serveAPI
	// Ready once Go's banner and charter are in place (the hidden dialog
	// may come later: the loader waits for it to give the focus back).
	root.OnTakenOver = bridge.Ready
	goapp.Route(path, func() goapp.Composer {
		return &app.Takeover{Root: root, OnStart: func(ctx goapp.Context) {
			host.RestoreHandlers()
			ctx.Defer(func(goapp.Context) { host.RestoreScroll() })
		}}
	})
	bridge.PrepareMount()
	goapp.RunWhenOnBrowser()
}

// serveAPI makes the mounted root the receiver of the page API's commands
// (consentBanner.show(), showPreferences(), a choice the page stored),
// carried out on go-app's goroutine.
func serveAPI(ctx goapp.Context, root *app.Root) {
	bridge.Serve(func(command string) {
		ctx.Dispatch(func(goapp.Context) {
			switch command {
			case bridge.CommandShow:
				root.ShowBanner()
			case bridge.CommandShowPreferences:
				root.ShowPreferences()
			case bridge.CommandStored:
				if c, err := bridge.StoredChoice(root.Portal); err == nil {
					root.Adopt(c)
				}
			}
		})
	})
}

// pagePath is the path go-app resolves the page's URL to, under the prefix
// it may be told to trim.
func pagePath() string {
	path := strings.TrimPrefix(goapp.Window().URL().Path, goapp.Getenv("GOAPP_ROOT_PREFIX"))
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return path
}
