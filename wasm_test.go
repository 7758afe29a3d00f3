//go:build js && wasm

// Component tests of the go-app components, in headless Chromium: go-app
// needs a DOM, so they run under GOOS=js GOARCH=wasm with wasmbrowsertest as
// the -exec (make test-wasm), as go-app's own tests do.
package consentmanager_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"syscall/js"
	"testing"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/opendata-consent/consent/app"
	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
)

// choices records the choices a root stores (app.ChoiceStore).
type choices []consent.Choice

func (s *choices) Store(_ *consent.Portal, c consent.Choice, _ *consent.Choice) { *s = append(*s, c) }

func pau(t *testing.T) *consent.Portal {
	t.Helper()
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return list[0]
}

// mount loads root in a fresh test engine, on a fresh mount point (go-app
// mounts on the body's first element; the test runner's own page stays).
func mount(t *testing.T, root goapp.Composer) goapp.TestEngine {
	t.Helper()
	e := load(t, root)
	e.ConsumeAll()
	return e
}

// load is mount before the engine has run anything: root's own mount is
// done, what it dispatched is not.
func load(t *testing.T, root goapp.Composer) goapp.TestEngine {
	t.Helper()
	if old := query("#" + app.RootID); old.Truthy() {
		old.Call("remove")
	}
	slot := js.Global().Get("document").Call("createElement", "div")
	js.Global().Get("document").Get("body").Call("prepend", slot)
	e := goapp.NewTestEngine()
	if err := e.Load(root); err != nil {
		t.Fatal(err)
	}
	return e
}

func query(selector string) js.Value {
	return js.Global().Get("document").Call("querySelector", selector)
}

func TestBannerOffersThreeActionsOfEqualWeight(t *testing.T) {
	p := pau(t)
	root := &app.Root{Portal: p, Lang: "fr", CharterHref: "/charte", Live: true}
	mount(t, root)

	actions := []struct{ action, label string }{
		{app.ActionAcceptAll, "Tout accepter"},
		{app.ActionRejectAll, "Tout refuser"},
		{app.ActionCustomise, "Personnaliser"},
	}
	for i, a := range actions {
		// Root > div#cb-root > Banner > section > div.inner > div.actions > button i
		want := goapp.Button().Type("button").Class("cb-btn").DataSet("cb-action", a.action).
			OnClick(func(goapp.Context, goapp.Event) {})
		if err := goapp.Match(want, root, 0, 0, 0, 0, 2, i); err != nil {
			t.Errorf("action %s: %v", a.action, err)
		}
		if err := goapp.Match(goapp.Text(a.label), root, 0, 0, 0, 0, 2, i, 0); err != nil {
			t.Errorf("label of %s: %v", a.action, err)
		}
	}
	// Same style means the same box: compare what the browser laid out.
	buttons := js.Global().Get("document").Call("querySelectorAll", ".cb-banner .cb-btn")
	if n := buttons.Length(); n != 3 {
		t.Fatalf("%d buttons in the banner", n)
	}
	if got := query(".cb-banner").Get("hidden").Bool(); got {
		t.Fatal("banner hidden with no stored choice")
	}
	if href := query(".cb-banner a.cb-link").Call("getAttribute", "href").String(); href != "/charte" {
		t.Errorf("charter link goes to %q", href)
	}
}

func TestBannerHidesAfterAChoiceAndSavesIt(t *testing.T) {
	p := pau(t)
	var saved choices
	root := &app.Root{Portal: p, Lang: "fr", Live: true, Choices: &saved}
	e := mount(t, root)

	query(`.cb-banner [data-cb-action="reject-all"]`).Call("click")
	e.ConsumeAll()

	if !query(".cb-banner").Get("hidden").Bool() {
		t.Error("banner still visible after Tout refuser")
	}
	if len(saved) != 1 || acceptsAny(saved[0]) {
		t.Fatalf("saved %+v, want one refusal", saved)
	}
}

func TestNoBannerWhenAChoiceIsStored(t *testing.T) {
	p := pau(t)
	c := consent.AcceptAll(p, time.Now())
	mount(t, &app.Root{Portal: p, Lang: "fr", Live: true, Stored: &c})
	if !query(".cb-banner").Get("hidden").Bool() {
		t.Error("banner shown although a valid choice is stored")
	}
}

func TestPreferencesSaveOneCategory(t *testing.T) {
	p := pau(t)
	var saved choices
	root := &app.Root{Portal: p, Lang: "en", Live: true, Choices: &saved}
	e := mount(t, root)

	query(`.cb-banner [data-cb-action="customise"]`).Call("click")
	e.ConsumeAll()
	dialog := query("dialog.cb-dialog")
	if !dialog.Get("open").Bool() {
		t.Fatal("Customise did not open the dialog")
	}
	necessary := query("#cb-pref-necessary")
	if !necessary.Get("checked").Bool() || !necessary.Get("disabled").Bool() {
		t.Error("necessary cookies must show as on and unchangeable")
	}
	stats := query("#cb-pref-statistics")
	if stats.Get("checked").Bool() {
		t.Fatal("statistics is on by default")
	}
	stats.Call("click")
	e.ConsumeAll()
	query(`dialog [data-cb-action="save"]`).Call("click")
	e.ConsumeAll()

	if len(saved) != 1 || !saved[0].Accepted["statistics"] {
		t.Fatalf("saved %+v, want statistics accepted", saved)
	}
	if dialog.Get("open").Bool() {
		t.Error("dialog still open after saving")
	}
	if !query(".cb-banner").Get("hidden").Bool() {
		t.Error("banner still visible after saving")
	}
}

// "Gérer mes cookies" pressed right after saving opens the dialog again,
// even when the close event of the saved dialog arrives after the request;
// and a dialog closed by its × button opens again on the next request.
func TestPreferencesReopenAfterClosing(t *testing.T) {
	p := pau(t)
	root := &app.Root{Portal: p, Lang: "fr", Live: true}
	e := mount(t, root)
	dialog := query("dialog.cb-dialog")
	// The browser queues the close event of dialog.close(): the page's
	// request comes first here, as it did for a quick keyboard user.
	reopenedDespiteLateClose := func() bool {
		root.ShowPreferences()
		dialog.Call("dispatchEvent", js.Global().Get("Event").New("close"))
		e.ConsumeAll()
		return dialog.Get("open").Bool()
	}

	query(`.cb-banner [data-cb-action="customise"]`).Call("click")
	e.ConsumeAll()
	query(`dialog [data-cb-action="save"]`).Call("click")
	e.ConsumeAll()
	if dialog.Get("open").Bool() {
		t.Fatal("dialog still open after saving")
	}
	if !reopenedDespiteLateClose() {
		t.Fatal("the dialog did not open again: a late close event undid the request")
	}

	query("dialog .cb-close").Call("click")
	time.Sleep(50 * time.Millisecond) // the browser delivers the close event
	e.ConsumeAll()
	if dialog.Get("open").Bool() {
		t.Fatal("the × button did not close the dialog")
	}
	if !reopenedDespiteLateClose() {
		t.Error("the dialog closed with × did not open again")
	}
}

// Go continues from the dialog the visitor opened before it ran: open, with
// the switches as they set them, and nothing saved for them.
func TestDialogOpenedBeforeGoStaysOpenWithItsSwitches(t *testing.T) {
	p := pau(t)
	var saved choices
	e := mount(t, &app.Root{Portal: p, Lang: "fr", Live: true, DialogOpen: true, Draft: map[string]bool{"statistics": true},
		Choices: &saved})
	e.ConsumeAll()
	time.Sleep(50 * time.Millisecond)
	if !query("dialog.cb-dialog").Get("open").Bool() {
		t.Error("the dialog opened before Go is closed once Go runs")
	}
	if !query("#cb-pref-statistics").Get("checked").Bool() {
		t.Error("the switch the visitor turned on before Go is off once Go runs")
	}
	if len(saved) != 0 {
		t.Errorf("saved %+v: nothing was chosen yet", saved)
	}
}

// Go takes the page over in two steps: go-app's start mounts an empty,
// hidden element (the painted banner stays), and the root comes after,
// taking the page's state at that instant, once: a later update does not
// take it again.
func TestTakeoverMountsTheRootAfterGoAppsStart(t *testing.T) {
	p := pau(t)
	takes, starts := 0, 0
	root := &app.Root{Portal: p, Lang: "fr", Live: true, TakeOver: func(r *app.Root) {
		takes++
		r.DialogOpen, r.Draft = true, map[string]bool{"statistics": true}
	}}
	e := load(t, &app.Takeover{Root: root, OnStart: func(goapp.Context) { starts++ }})
	first := js.Global().Get("document").Get("body").Get("firstElementChild")
	if query("#"+app.RootID).Truthy() || takes != 0 || !first.Get("hidden").Bool() || first.Get("childElementCount").Int() != 0 {
		t.Fatalf("at go-app's start: root mounted %v, taken %d times, first element %s; want an empty hidden element alone",
			query("#"+app.RootID).Truthy(), takes, first.Get("outerHTML").String())
	}
	e.ConsumeAll()
	time.Sleep(50 * time.Millisecond)
	e.ConsumeAll()
	if starts != 1 || takes != 1 {
		t.Fatalf("started %d times, the page taken over %d times, want once each", starts, takes)
	}
	if !query("#"+app.RootID+" .cb-banner").Truthy() || !query("dialog.cb-dialog").Get("open").Bool() || !query("#cb-pref-statistics").Get("checked").Bool() {
		t.Fatal("after the takeover: want the banner, and the dialog open with the switch the visitor set")
	}
	query("#cb-pref-statistics").Call("click")
	e.ConsumeAll()
	if takes != 1 {
		t.Errorf("an update took the page over again (%d times)", takes)
	}
}

// Go mounts the hidden dialog part by part, each part rendered in a task
// of its own after the browser had its main thread back (Root.Yield), so
// that none is long enough to freeze a slow phone: the dialog, each of its
// categories, then the cookie lists its closed <details> hide. A dialog
// opened before then comes whole at once.
func TestHiddenDialogMountsPartByPart(t *testing.T) {
	p := pau(t)
	tables := strings.Count(app.PrerenderPreferences(p, "fr"), "<table")
	if tables == 0 || len(p.Categories) < 2 {
		t.Fatal("the dialog lists no cookie in a table, or has one category: nothing to mount part by part")
	}
	state := func() string {
		dialog := query("#" + app.RootID + " dialog.cb-dialog")
		if !dialog.Truthy() {
			return "no dialog"
		}
		return fmt.Sprintf("dialog (open %v), %d categories, %d tables", dialog.Get("open").Bool(),
			dialog.Call("querySelectorAll", ".cb-dialog__category").Length(), dialog.Call("querySelectorAll", "table").Length())
	}
	// Dispatch by dispatch, each followed by its frame: the states the
	// page shows, in order, and the state it showed at each yield.
	var yielded []string
	e := load(t, &app.Root{Portal: p, Lang: "fr", Live: true, Yield: func() { yielded = append(yielded, state()) }})
	final := fmt.Sprintf("dialog (open false), %d categories, %d tables", len(p.Categories), tables)
	seen := []string{state()}
	for i := 0; i < 12 && seen[len(seen)-1] != final; i++ {
		e.ConsumeNext()
		if s := state(); s != seen[len(seen)-1] {
			seen = append(seen, s)
		}
	}
	want := []string{"no dialog", "dialog (open false), 0 categories, 0 tables"}
	for i := range p.Categories {
		want = append(want, fmt.Sprintf("dialog (open false), %d categories, 0 tables", i+1))
	}
	want = append(want, final)
	if !slices.Equal(seen, want) {
		t.Errorf("the hidden dialog mounted as %q, want %q", seen, want)
	}
	if !slices.Equal(yielded, want[:len(want)-1]) {
		t.Errorf("the browser had its thread back at %q, want before each part: %q", yielded, want[:len(want)-1])
	}

	// Opened before its first part mounts, and when it is half mounted: it
	// comes whole at once, and stays whole once a choice closes it.
	for _, steps := range []int{0, 2} {
		e = load(t, &app.Root{Portal: p, Lang: "fr", Live: true})
		for range steps {
			e.ConsumeNext()
		}
		query(`.cb-banner [data-cb-action="customise"]`).Call("click")
		e.ConsumeAll()
		if got, want := state(), fmt.Sprintf("dialog (open true), %d categories, %d tables", len(p.Categories), tables); got != want {
			t.Errorf("opened after %d steps of its mount: %s, want %s", steps, got, want)
		}
		query(`dialog.cb-dialog [data-cb-action="reject-all"]`).Call("click")
		e.ConsumeAll()
		if got := state(); got != final {
			t.Errorf("opened after %d steps of its mount, then closed by a choice: %s, want %s", steps, got, final)
		}
	}
}

// Go mounts the charter part by part as well, hidden in the root, each part
// in a task of its own; the page's charter, which the visitor reads and
// uses meanwhile, is taken over (its switches read) and replaced only once
// Go's is whole, in the task that renders its last part.
func TestCharterMountsPartByPartThenReplacesThePagesOnce(t *testing.T) {
	p := pau(t)
	target := js.Global().Get("document").Call("createElement", "div")
	target.Set("id", "page-charter")
	target.Set("innerHTML", "<p>the page's charter</p>")
	js.Global().Get("document").Get("body").Call("append", target)
	defer target.Call("remove")

	parts := (&app.Charter{Portal: p, Lang: "fr"}).Parts()
	if parts < 3 {
		t.Fatalf("the charter has %d parts: nothing to mount part by part", parts)
	}
	state := func() string {
		charter := query("#" + app.RootID + " article.cb-charter")
		if !charter.Truthy() {
			charter = query("#page-charter article.cb-charter")
		}
		if !charter.Truthy() {
			return "the page's"
		}
		where := "root"
		if charter.Get("parentElement").Get("id").String() == "page-charter" {
			where = "page"
		}
		return fmt.Sprintf("Go's in the %s (hidden %v), %d sections, choice %v", where, charter.Get("hidden").Bool(),
			charter.Call("querySelectorAll", ":scope > section, .cb-charter__category").Length(), charter.Call("querySelector", ".cb-charter__choice").Truthy())
	}
	var taken []string
	e := load(t, &app.Root{Portal: p, Lang: "fr", Live: true, CharterTarget: "#page-charter",
		TakeCharter: func() map[string]bool { taken = append(taken, state()); return nil }})
	seen := []string{state()}
	for i := 0; i < 3*parts && !strings.Contains(seen[len(seen)-1], "in the page"); i++ {
		e.ConsumeNext()
		if s := state(); s != seen[len(seen)-1] {
			seen = append(seen, s)
		}
	}
	// Sections of the text and the usage's section, then its categories;
	// the choice, whole, moved.
	texts := len(p.Texts["fr"].Charter.Sections)
	want := []string{"the page's"}
	for drawn := 1; drawn < parts; drawn++ {
		sections := min(drawn, texts) + 1 + max(drawn-texts, 0)
		want = append(want, fmt.Sprintf("Go's in the root (hidden true), %d sections, choice false", sections))
	}
	want = append(want, fmt.Sprintf("Go's in the page (hidden false), %d sections, choice true", texts+1+len(p.Categories)+1))
	if !slices.Equal(seen, want) {
		t.Errorf("the charter mounted as\n %q\nwant\n %q", seen, want)
	}
	if !slices.Equal(taken, want[len(want)-2:len(want)-1]) {
		t.Errorf("the page's charter was taken over at %q, want once, as Go's last part came: %q", taken, want[len(want)-2])
	}
}

// The warm-up runs in the client as built for the browser (go-app's browser
// side, not its server side, which the native test runs) and leaves the page
// alone: in the loader's worker there is no page, and whatever it would
// write there is lost. With the page's own copy of the cookie, a choice
// already stored, it runs every step all the same.
func TestWarmUpRunsInTheBrowserWithoutTouchingThePage(t *testing.T) {
	p := pau(t)
	config, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	document := js.Global().Get("document")
	before := document.Get("body").Get("innerHTML").String() + "|" + document.Get("cookie").String()
	accepted, _, _ := strings.Cut(consent.SetCookie(p, consent.AcceptAll(p, time.Now()), consent.Location{Secure: true}), ";")
	for _, cookie := range []string{"", accepted} {
		if err := app.WarmUp(config, "fr", cookie, "https://opendata.pau.fr/pages/charte-cookies/"); err != nil {
			t.Errorf("cookie %q: %v", cookie, err)
		}
	}
	if after := document.Get("body").Get("innerHTML").String() + "|" + document.Get("cookie").String(); after != before {
		t.Error("the warm-up changed the page or its cookies")
	}
}

// The warm-up's second part mounts the root as the page's start does, so
// that the browser compiles go-app's mounting off the page's main thread:
// the banner, the charter and the hidden dialog whole, then the refusal
// rendered. In the loader's worker it mounts on a stand-in document; here
// on the test page's, where what it mounted can be checked.
func TestWarmUpMountMountsTheRootWholeThenRefuses(t *testing.T) {
	p := pau(t)
	config, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if old := query("#" + app.RootID); old.Truthy() {
		old.Call("remove")
	}
	js.Global().Get("document").Get("body").Call("prepend", js.Global().Get("document").Call("createElement", "div"))
	if err := app.WarmUpMount(config, "fr", "", "https://opendata.pau.fr/pages/charte-cookies/"); err != nil {
		t.Fatal(err)
	}
	tables := strings.Count(app.PrerenderPreferences(p, "fr"), "<table")
	banner := query("#" + app.RootID + " .cb-banner")
	dialog := query("#" + app.RootID + " dialog.cb-dialog")
	charter := query("#" + app.RootID + " article.cb-charter")
	switch {
	case !banner.Truthy() || !banner.Get("hidden").Bool():
		t.Error("the banner is not there, or still shown after the refusal")
	case !dialog.Truthy() || dialog.Call("querySelectorAll", ".cb-dialog__category").Length() != len(p.Categories) || dialog.Call("querySelectorAll", "table").Length() != tables:
		t.Errorf("the hidden dialog is not whole: want %d categories and %d tables", len(p.Categories), tables)
	case !charter.Truthy() || charter.Get("hidden").Bool() || !charter.Call("querySelector", ".cb-charter__choice").Truthy():
		t.Error("the charter is not whole")
	}
	query("#" + app.RootID).Call("remove")
}

func TestHostileConfigurationTextsStayText(t *testing.T) {
	p := pau(t)
	hostile := `<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>`
	p.Texts["fr"].Banner.Title = hostile
	mount(t, &app.Root{Portal: p, Lang: "fr", Live: true})
	title := query("#cb-banner-title")
	if got := title.Get("textContent").String(); got != hostile {
		t.Errorf("title text %q", got)
	}
	if title.Call("querySelector", "img, script").Truthy() {
		t.Error("a configuration text became markup")
	}
	if !strings.Contains(title.Get("innerHTML").String(), "&lt;img") {
		t.Error("title not escaped")
	}
}

// acceptsAny tells whether c accepts at least one purpose, exempt audience
// measurement included: a refusal accepts none.
func acceptsAny(c consent.Choice) bool {
	for _, on := range c.Accepted {
		if on {
			return true
		}
	}
	return false
}
