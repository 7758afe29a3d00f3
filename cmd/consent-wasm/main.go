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
	"github.com/opendata-consent/consent/consent"
)

func main() {
	// In the loader's Web Worker, ahead of the start on the page: the same
	// code, run once, for the browser to compile it off the page's main
	// thread (app.WarmUp).
	if w, ok := bridge.ReadWarmUp(); ok {
		bridge.ReportWarmUp(app.WarmUp([]byte(w.Config), w.Lang, w.Cookie, w.Page))
		return
	}
	// Go's start is cut into short tasks, so that it never freezes the
	// portal's page: the runtime's own start, decoding the configuration,
	// reading the stored choice (each ends at a bridge.Yield), go-app's
	// start, then the page taken over part by part (app.Takeover: the
	// banner and the dialog, then the charter, then the hidden dialog).
	boot, err := bridge.ReadBoot()
	if err != nil {
		bridge.Fail(err)
		return
	}
	bridge.Yield()
	// The host serves a configuration only once it has validated it (its
	// lifetimes' defaults filled in), under a name that is its hash: the
	// client decodes it strictly and does not validate it again. Validating
	// is cheap natively, but here the first call of each function pays for
	// compiling it: on a slow phone that was a task of 130 to 300 ms.
	portal, err := consent.DecodePortal("the host's portal configuration", []byte(boot.Config))
	if err != nil {
		bridge.Fail(fmt.Errorf("cannot start: %w", err))
		return
	}
	bridge.Yield()

	// The stored choice, read strictly and published, and the page's path.
	// The choice is read again as the root takes over; this first reading
	// keeps that task short: the first call of any Go code in the browser
	// pays for compiling it.
	publishStored(portal)
	path := pagePath()
	bridge.Yield()

	// go-app starts in this task, on an element of its own, and the root
	// takes the page over in the next (app.Takeover): what the visitor did
	// until then (a choice stored, the dialog opened, a switch set) is what
	// Go continues from.
	host := bridge.SaveHostPage()
	var previous *consent.Choice
	root := &app.Root{
		Portal:        portal,
		Lang:          portal.PickLanguage(boot.Lang),
		CharterHref:   boot.CharterHref,
		Live:          true,
		CharterTarget: boot.CharterTarget,
		TakeOver: func(r *app.Root) {
			page := bridge.HandOver()
			r.Stored, r.GPC = publishStored(portal)
			r.DialogOpen, r.Draft = page.DialogOpen, page.Draft
			previous = r.Stored
		},
		TakeCharter: bridge.HandOverCharter,
		Save: func(c consent.Choice) {
			bridge.WriteChoice(portal, c)
			change := &bridge.Change{Withdrawn: portal.Withdrawn(previous, c), Cleared: bridge.ClearRefused(portal, c)}
			bridge.Publish(portal, &c, change)
			previous = &c
			if boot.Receipts != "" {
				bridge.SendReceipt(portal, c)
			}
		},
		OnReady: func(ctx goapp.Context, root *app.Root) {
			bridge.Serve(func(command string) {
				ctx.Dispatch(func(goapp.Context) {
					switch command {
					case bridge.CommandShow:
						root.ShowBanner()
					case bridge.CommandShowPreferences:
						root.ShowPreferences()
					case bridge.CommandStored:
						if c, err := bridge.StoredChoice(portal); err == nil {
							root.Adopt(c)
							previous = &c
						}
					}
				})
			})
		},
		// Ready once Go's banner and charter are in place (the hidden
		// dialog may come later: the loader waits for it to give the
		// focus back).
		OnTakenOver: bridge.Ready,
	}
	goapp.Route(path, func() goapp.Composer {
		return &app.Takeover{Root: root, OnStart: func(ctx goapp.Context) {
			host.RestoreHandlers()
			ctx.Defer(func(goapp.Context) { host.RestoreScroll() })
		}}
	})
	bridge.PrepareMount()
	goapp.RunWhenOnBrowser()
}

// publishStored reads the visitor's stored choice as Go reads it, nil when
// there is none or it is invalid, and makes it the page's current one; with
// none, a browser sending Global Privacy Control (when the portal honours
// it) publishes its refusal. gpc tells whether that signal counts.
func publishStored(portal *consent.Portal) (stored *consent.Choice, gpc bool) {
	if c, err := bridge.StoredChoice(portal); err == nil {
		stored = &c
	}
	gpc = !portal.IgnoreGlobalPrivacyControl && bridge.GPC()
	if stored == nil && gpc {
		bridge.PublishGPC(portal)
	} else {
		bridge.Publish(portal, stored, nil)
	}
	return stored, gpc
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
