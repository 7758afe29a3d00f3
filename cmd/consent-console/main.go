//go:build js && wasm

// Command consent-console is the portal team's configurator
// (package console), a WebAssembly application of its own that only the
// host's /console/ page loads: portal pages never get it.
package main

import (
	"errors"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/console"
)

func main() {
	boot, err := console.ParseBoot(app.Window().GetElementByID("console-boot").Get("textContent").String())
	if err != nil {
		app.Log("console: the page's boot data:", err)
		return
	}
	// The page's own path, wherever a proxy mounts the host.
	path := strings.TrimPrefix(app.Window().URL().Path, app.Getenv("GOAPP_ROOT_PREFIX"))
	app.Route(path, func() app.Composer {
		return &console.Configurator{Boot: boot, Fetch: fetch, Read: read, Save: save}
	})
	app.RunWhenOnBrowser()
}

// fetch returns the body of the host's file at url.
func fetch(url string) (string, error) {
	res, err := await(app.Window().Call("fetch", url))
	if err != nil {
		return "", err
	}
	if !res.Get("ok").Bool() {
		return "", errors.New(url + ": HTTP " + res.Get("status").String())
	}
	text, err := await(res.Call("text"))
	if err != nil {
		return "", err
	}
	return text.String(), nil
}

// read returns the text of a File the team chose or dropped.
func read(file app.Value) (string, error) {
	text, err := await(file.Call("text"))
	if err != nil {
		return "", err
	}
	return text.String(), nil
}

// save offers data for download as name: a link to a Blob, clicked.
func save(name string, data []byte) {
	bytes := app.Window().Get("Uint8Array").New(len(data))
	app.CopyBytesToJS(bytes, data)
	blob := app.Window().Get("Blob").New([]any{bytes}, map[string]any{"type": "application/json"})
	href := app.Window().Get("URL").Call("createObjectURL", blob)
	a := app.Window().Get("document").Call("createElement", "a")
	a.Set("href", href)
	a.Set("download", name)
	a.Call("click")
	app.Window().Call("setTimeout", app.FuncOf(func(this app.Value, args []app.Value) any {
		app.Window().Get("URL").Call("revokeObjectURL", href)
		return nil
	}), 60000)
}

// await waits for a promise; it runs off the UI's goroutine (ctx.Async).
func await(promise app.Value) (app.Value, error) {
	type outcome struct {
		value app.Value
		err   error
	}
	done := make(chan outcome, 1)
	ok := app.FuncOf(func(this app.Value, args []app.Value) any { done <- outcome{value: args[0]}; return nil })
	fail := app.FuncOf(func(this app.Value, args []app.Value) any {
		done <- outcome{err: errors.New(args[0].Call("toString").String())}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	promise.Call("then", ok, fail)
	o := <-done
	return o.value, o.err
}
