// Package chromium starts Debian's headless Chromium for the browser tests
// and the benchmark, with the flags this machine needs (no sandbox as root,
// no background networking, which a closed network refuses) and a fresh
// profile: every start is a first-time visitor with an empty cache.
package chromium

import (
	"context"
	"errors"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// Path returns the Chromium binary on PATH.
func Path() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium on PATH: install Debian's chromium package (`make test` does it when run as root)")
}

// Start starts a browser with a window of width × height and returns a
// context for chromedp actions on its first tab; stop ends the browser and
// removes its profile. Errors of the DevTools client are passed to logf.
func Start(ctx context.Context, width, height int, logf func(string, ...any)) (tab context.Context, stop func(), err error) {
	path, err := Path()
	if err != nil {
		return nil, nil, err
	}
	profile, err := os.MkdirTemp("", "consent-chromium-")
	if err != nil {
		return nil, nil, err
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "fr-FR"),
		// Portal pages on a domain with a parent, for the tests of
		// cookies set on a parent domain.
		chromedp.Flag("host-resolver-rules", "MAP *.consent.test 127.0.0.1"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
	)
	tab, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithErrorf(logf))
	stop = func() {
		cancelTab()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	if err := chromedp.Run(tab, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		stop()
		return nil, nil, err
	}
	return tab, stop, nil
}
