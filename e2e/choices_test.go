package e2e

import (
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/internal/choicecases"
)

// recordStoring makes every page of the tab record what storing a choice
// does: each document.cookie assignment, by the page's code or by Go's
// (syscall/js assigns through the same setter), and consent:change.
const recordStoring = `(() => {
	const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
	window.cookieWrites = [];
	Object.defineProperty(document, "cookie", {
		configurable: true,
		get() { return cookie.get.call(document); },
		set(v) { window.cookieWrites.push(String(v)); cookie.set.call(document, v); },
	});
	document.addEventListener("consent:change", (e) => { window.consentChanges = (window.consentChanges || []).concat([e.detail]); });
})()`

// The page stores every choice of the shared table as Go does, to the
// byte: before Go runs (the page's own code: embed.js, the loader) and
// with Go (the charter page), the same cookies written and deleted in the
// same order, the same choices published, the same consent:change. Go's
// own test runs the same table (consent/store_test.go).
func TestThePageStoresAChoiceAsGoDoes(t *testing.T) {
	cases := sharedTable(t, choicecases.Load, "choices.json")
	portal, err := url.Parse(portalServer(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	beforeAndWithGo(t, func(t *testing.T, goRuns bool, who string) {
		for _, c := range cases {
			t.Run(c.Name, func(t *testing.T) {
				p := newPage(t, 1280, 800)
				p.beforeEveryPage(recordStoring)
				page, err := url.Parse(c.URL)
				if err != nil {
					t.Fatal(err)
				}
				page.Host = page.Hostname() + ":" + portal.Port()
				site := page.Scheme + "://" + page.Host + "/"
				for _, cookie := range c.Cookies {
					name, value, _ := strings.Cut(cookie, "=")
					p.run(network.SetCookie(name, value).WithURL(site))
				}
				if c.Before != "" {
					before, _ := consent.ChoiceOf(partage, c.Before, nil, time.Now())
					p.run(network.SetCookie(consent.CookieName, before.Encode(partage)).WithURL(site))
				}
				if goRuns {
					page.RawQuery = "charte"
				}
				p.visit(page.String())
				if goRuns {
					p.waitGo()
				}
				if c.Before != "" {
					p.eval(`consentBanner.show()`, nil)
				}
				p.eval(`window.cookieWrites = []; window.consentChanges = []`, nil)
				if c.Action == consent.ActionSave {
					p.click(`.cb-banner [data-cb-action="customise"]`)
					p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
					// The switches the visitor sets: each purpose alone (a
					// service, a category without services), one click at
					// a time, each seen by the page (and by Go, a frame
					// later) before the next: a category follows its
					// services.
					p.run(chromedp.Evaluate(`(async () => {
						const want = `+jsList(append([]string{}, c.Switches...))+`;
						const switches = () => [...document.querySelectorAll("dialog.cb-dialog .cb-switch:not(:disabled)")];
						const keys = switches().map((s) => s.dataset.key);
						for (const key of keys.filter((k) => !keys.some((other) => other.startsWith(k + "/")))) {
							const s = switches().find((s) => s.dataset.key === key);
							if (s.checked === want.includes(key)) continue;
							s.click();
							await new Promise((next) => requestAnimationFrame(() => setTimeout(next, 50)));
						}
					})()`, nil, func(e *runtime.EvaluateParams) *runtime.EvaluateParams { return e.WithAwaitPromise(true) }))
					p.click(`dialog.cb-dialog [data-cb-action="save"]`)
				} else {
					p.click(`.cb-banner [data-cb-action="` + c.Action + `"]`)
				}
				var got struct {
					Writes  []string
					Changes []struct {
						Categories         map[string]bool
						Withdrawn, Cleared []string
						ID                 string
					}
					Value string
				}
				p.run(chromedp.Poll(`window.consentChanges.length > 0`, nil, chromedp.WithPollingTimeout(10*time.Second)))
				p.eval(`({ writes: window.cookieWrites, changes: window.consentChanges,
					value: (document.cookie.split("; ").find(c => c.startsWith("`+consent.CookieName+`=")) || "").slice(`+jsInt(len(consent.CookieName)+1)+`) })`, &got)
				value := got.Value
				if len(got.Changes) != 1 {
					t.Fatalf("%s: %d consent:change events, want 1: %+v", who, len(got.Changes), got.Changes)
				}
				if want := choicecases.Writes(c.Want.Writes, value); !slices.Equal(got.Writes, want) {
					t.Errorf("%s writes\n%q\nwant, as Go\n%q", who, got.Writes, want)
				}
				change := got.Changes[0]
				if !maps.Equal(change.Categories, c.Want.Categories) {
					t.Errorf("%s publishes %v, want %v", who, change.Categories, c.Want.Categories)
				}
				if !slices.Equal(change.Withdrawn, c.Want.Withdrawn) || !slices.Equal(change.Cleared, c.Want.Cleared) {
					t.Errorf("%s says withdrawn %q and cleared %q, want %q and %q", who, change.Withdrawn, change.Cleared, c.Want.Withdrawn, c.Want.Cleared)
				}
				if stored, err := consent.Decode(value, partage, time.Now()); err != nil || !maps.Equal(stored.Categories(partage), c.Want.Categories) {
					t.Errorf("%s: the cookie holds %q (%v)", who, value, err)
				}
			})
		}
	})
}

// jsInt is n as a JavaScript number literal.
func jsInt(n int) string {
	data, _ := json.Marshal(n)
	return string(data)
}

// sharedTable reads a table of consent/testdata, with load: cases Go runs
// natively too, on partage, the host's test portal.
func sharedTable[T any](t *testing.T, load func(string) (string, []T, error), name string) []T {
	t.Helper()
	id, cases, err := load("../consent/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if id != partage.ID {
		t.Fatalf("the table's portal is %s, the host's test portal %s", id, partage.ID)
	}
	return cases
}
