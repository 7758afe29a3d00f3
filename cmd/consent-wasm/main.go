//go:build js && wasm

// Command consent-wasm is the consent manager's WebAssembly client. The embed
// script paints the host's pre-rendered banner and starts it; it then takes
// over that banner with the same go-app components, reads and writes the
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
	host := bridge.SaveHostPage()
	boot, err := bridge.ReadBoot()
	if err != nil {
		bridge.Fail(err)
		return
	}
	portal, err := consent.Parse("the host's portal configuration", []byte(boot.Config))
	if err != nil {
		bridge.Fail(fmt.Errorf("cannot start: %w", err))
		return
	}
	var stored *consent.Choice
	if c, err := bridge.StoredChoice(portal); err == nil {
		stored = &c
	}
	gpc := !portal.IgnoreGlobalPrivacyControl && bridge.GPC()
	if stored == nil && gpc {
		bridge.PublishGPC(portal)
	} else {
		bridge.Publish(portal, stored, nil)
	}
	previous := stored

	// The root is routed on the page's own path only: go-app's router
	// creates the component for the path it starts on, and the host page's
	// navigation stays the host's (bridge.SaveHostPage). Routing every path
	// with RouteWithRegexp(".*") would link the regular-expression
	// compiler into the client for that one pattern.
	goapp.Route(pagePath(), func() goapp.Composer {
		return &app.Root{
			Portal:        portal,
			Lang:          portal.PickLanguage(boot.Lang),
			CharterHref:   boot.CharterHref,
			Stored:        stored,
			Live:          true,
			CharterTarget: boot.CharterTarget,
			DialogOpen:    boot.DialogOpen,
			Draft:         boot.Draft,
			GPC:           gpc,
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
				host.RestoreHandlers()
				ctx.Defer(func(goapp.Context) { host.RestoreScroll() })
				bridge.Serve(func(command string) {
					ctx.Dispatch(func(goapp.Context) {
						switch command {
						case bridge.CommandShow:
							root.ShowBanner()
						case bridge.CommandShowPreferences:
							root.ShowPreferences()
						}
					})
				})
				bridge.Ready()
			},
		}
	})
	goapp.RunWhenOnBrowser()
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
