package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
	"github.com/opendata-consent/consent/server"
	"github.com/opendata-consent/consent/web"
)

// byID selects the element whose id is id, whatever its characters (the
// configurator's ids are the validator's field paths, dots and brackets
// included).
func byID(id string) string { return `[id="` + id + `"]` }

// typeInto replaces the text of the field at path as a person does: select
// it all, type the new text.
func (p *page) typeInto(path, text string) {
	p.t.Helper()
	sel := byID("field-" + path)
	p.run(chromedp.WaitVisible(sel, chromedp.ByQuery), chromedp.Focus(sel, chromedp.ByQuery),
		chromedp.Evaluate(`document.activeElement.select()`, nil), chromedp.SendKeys(sel, kb.Delete+text, chromedp.ByQuery))
}

// previewText waits until the text of selector in the phone preview's
// document contains want (the preview is redrawn as the team types), and
// returns it.
func (p *page) previewText(selector, want string) string {
	p.t.Helper()
	var text string
	err := chromedp.Run(p.ctx, chromedp.Poll(`(() => { const d = document.getElementById("preview-phone")?.contentDocument;
		const el = d && d.querySelector(`+"`"+selector+"`"+`); return el && el.textContent.includes(`+"`"+want+"`"+`) ? el.textContent : false; })()`, &text, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		chromedp.Run(p.ctx, chromedp.Evaluate(`document.getElementById("preview-phone")?.contentDocument?.querySelector(`+"`"+selector+"`"+`)?.textContent ?? "nothing"`, &text))
	}
	return text
}

// visitConsole opens the configurator and waits for its WebAssembly: until
// it runs, the page the host drew has its controls disabled.
func (p *page) visitConsole(url string) {
	p.t.Helper()
	p.visit(url)
	p.run(chromedp.WaitVisible("#open-host-button:not([disabled])", chromedp.ByQuery))
}

// leavingAsks tells whether leaving the page now would ask the team first
// (its beforeunload handler cancels the event).
func (p *page) leavingAsks() bool {
	p.t.Helper()
	var asks bool
	p.eval(`(() => { const e = new Event("beforeunload", { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; })()`, &asks)
	return asks
}

// The portal team opens the host's configuration, edits a text, adds a
// category with a cookie, sees the validator's error next to its field and
// the preview follow, raises the revision, and downloads a file the host
// accepts and renders as previewed.
func TestConfiguratorEditsAConfigurationTheHostAccepts(t *testing.T) {
	p := newPage(t, 1400, 1000)
	downloads := t.TempDir()
	p.run(browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(downloads))
	p.visitConsole(hostURL + "/console/")
	p.click("#open-host-button")
	p.run(chromedp.WaitVisible("#valid", chromedp.ByQuery))
	p.screenshot("console-opened")

	// A text: the preview follows as it is typed.
	p.typeInto("texts.fr.banner.title", "Vos cookies, vos choix")
	if got := p.previewText(".cb-banner .cb-title", "Vos cookies, vos choix"); got != "Vos cookies, vos choix" {
		t.Errorf("the preview's banner title is %q", got)
	}

	// A category: its empty id is the validator's first error, shown next
	// to the field, in the validator's words.
	p.click(byID("add-categories"))
	want := pau(t)
	want.Categories = append(want.Categories, consent.Category{})
	wantErr := want.Validate().(*consent.ConfigError)
	if wantErr.Field != "categories[2].id" {
		t.Fatalf("the validator names %s, not the new category's id", wantErr.Field)
	}
	var shown, invalid, summary string
	p.run(chromedp.WaitVisible(byID("error-categories[2].id"), chromedp.ByQuery),
		chromedp.Text(byID("error-categories[2].id"), &shown, chromedp.ByQuery),
		chromedp.AttributeValue(byID("field-categories[2].id"), "aria-invalid", &invalid, nil, chromedp.ByQuery),
		chromedp.Text("#error-summary", &summary, chromedp.ByQuery))
	if shown != wantErr.Problem || invalid != "true" || !strings.Contains(summary, wantErr.Problem) {
		t.Errorf("error next to the id: %q (aria-invalid %q), summary %q; want %q", shown, invalid, summary, wantErr.Problem)
	}
	// A download tried now gives no file: it moves to the summary.
	p.click("#download")
	var focused string
	p.run(chromedp.Poll(`document.activeElement.id === "error-summary" && document.activeElement.id`, &focused, chromedp.WithPollingTimeout(5*time.Second)))
	if files, _ := os.ReadDir(downloads); len(files) != 0 {
		t.Errorf("a configuration with an error was downloaded: %v", files)
	}
	// Every other error of the new category shows too, each at its field,
	// in the validator's words.
	var marked []string
	p.eval(`[...document.querySelectorAll('[id^="error-categories[2]."]')].map(e => e.id.slice(6) + ": " + e.textContent)`, &marked)
	wantMarked := []string{"categories[2].id: " + wantErr.Problem}
	for _, problem := range want.Problems()[1:] {
		wantMarked = append(wantMarked, problem.Field+": "+problem.Problem)
	}
	if !slices.Equal(marked, wantMarked) {
		t.Errorf("errors next to the new category's fields:\n%q\nwant\n%q", marked, wantMarked)
	}
	// The preview keeps the last valid version meanwhile, and says so.
	p.run(chromedp.WaitVisible("#preview-stale", chromedp.ByQuery))
	if got := p.previewText(".cb-banner .cb-title", "Vos cookies, vos choix"); got != "Vos cookies, vos choix" {
		t.Errorf("while the form holds an error, the preview's banner title is %q", got)
	}
	p.run(chromedp.ScrollIntoView("#status", chromedp.ByQuery))
	p.screenshot("console-error-summary")
	p.run(chromedp.ScrollIntoView(byID("error-categories[2].id"), chromedp.ByQuery))
	p.screenshot("console-error")

	p.typeInto("categories[2].id", "video")
	for path, text := range map[string]string{
		"categories[2].name.fr": "Vidéos", "categories[2].name.en": "Videos",
		"categories[2].description.fr": "Lecteurs vidéo intégrés.", "categories[2].description.en": "Embedded video players.",
	} {
		p.typeInto(path, text)
	}
	p.run(chromedp.WaitVisible("#valid", chromedp.ByQuery))
	// A cookie: until it has a name, the validator says what is wrong.
	p.click(byID("add-categories[2].cookies"))
	var cookieErr string
	p.run(chromedp.WaitVisible(byID("error-categories[2].cookies[0].name"), chromedp.ByQuery),
		chromedp.Text(byID("error-categories[2].cookies[0].name"), &cookieErr, chromedp.ByQuery))
	if want := `"" is not a valid cookie name`; cookieErr != want {
		t.Errorf("error next to the new cookie's name: %q, want %q", cookieErr, want)
	}
	for path, text := range map[string]string{
		"categories[2].cookies[0].name": "VISITOR_INFO1_LIVE", "categories[2].cookies[0].provider": "YouTube",
		"categories[2].cookies[0].service.fr": "YouTube", "categories[2].cookies[0].service.en": "YouTube",
		"categories[2].cookies[0].purpose.fr": "Mesure la bande passante.", "categories[2].cookies[0].purpose.en": "Measures bandwidth.",
		"categories[2].cookies[0].duration.fr": "6 mois", "categories[2].cookies[0].duration.en": "6 months",
	} {
		p.typeInto(path, text)
	}
	p.run(chromedp.WaitVisible("#valid", chromedp.ByQuery), chromedp.WaitVisible("#revision-notice", chromedp.ByQuery))
	p.click("#raise-revision")
	var revision string
	p.run(chromedp.WaitNotPresent("#revision-notice", chromedp.ByQuery), chromedp.Value(byID("field-revision"), &revision, chromedp.ByQuery))
	if revision != "2" {
		t.Errorf("revision %s after raising it, want 2", revision)
	}

	// The dialog's preview lists the new category, in English too.
	p.run(chromedp.SetValue("#preview-view", "preferences", chromedp.ByQuery), chromedp.Evaluate(`document.getElementById("preview-view").dispatchEvent(new Event("change"))`, nil),
		chromedp.SetValue("#preview-lang", "en", chromedp.ByQuery), chromedp.Evaluate(`document.getElementById("preview-lang").dispatchEvent(new Event("change"))`, nil))
	if got := p.previewText(".cb-dialog", "Videos"); !strings.Contains(got, "Videos") || !strings.Contains(got, "Embedded video players.") {
		t.Errorf("the dialog's preview in English lacks the new category: %q", got)
	}
	p.axe(t, "the configurator")
	p.screenshot("console-preferences-en")
	p.run(chromedp.SetValue("#preview-theme", "dark", chromedp.ByQuery), chromedp.Evaluate(`document.getElementById("preview-theme").dispatchEvent(new Event("change"))`, nil))
	// The frame's color-scheme is the preferred one of the document in it.
	p.run(chromedp.Poll(`document.getElementById("preview-desktop").contentWindow.matchMedia("(prefers-color-scheme: dark)").matches`, nil, chromedp.WithPollingTimeout(5*time.Second)))
	p.screenshot("console-preferences-dark")

	// Leaving now would lose the edits: the page asks first.
	if !p.leavingAsks() {
		t.Error("leaving the page with edits not downloaded does not ask")
	}
	// The download: the file the host starts with.
	p.click("#download")
	file := filepath.Join(downloads, "pau.json")
	deadline := time.Now().Add(10 * time.Second)
	data, err := os.ReadFile(file)
	// The browser creates the file before it writes it.
	for (err != nil || len(data) == 0) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		data, err = os.ReadFile(file)
	}
	if err != nil {
		t.Fatalf("no download: %v", err)
	}
	if p.leavingAsks() {
		t.Error("leaving the page asks though the edits are downloaded")
	}
	edited, err := consent.Parse("pau.json", data)
	if err != nil {
		t.Fatalf("the host refuses the downloaded configuration: %v", err)
	}
	if edited.Revision != 2 || edited.Texts["fr"].Banner.Title != "Vos cookies, vos choix" || len(edited.Categories) != 3 || edited.Categories[2].Cookies[0].Name != "VISITOR_INFO1_LIVE" {
		t.Errorf("the downloaded configuration lacks the edits: revision %d, title %q, %d categories", edited.Revision, edited.Texts["fr"].Banner.Title, len(edited.Categories))
	}
	h, err := server.New(server.Options{Portals: []*consent.Portal{edited}, Files: web.Files})
	if err != nil {
		t.Fatalf("a host with the downloaded configuration: %v", err)
	}
	editedHost := httptest.NewServer(h)
	defer editedHost.Close()
	visitor := newPage(t, 1000, 800)
	visitor.visit(editedHost.URL + "/")
	var title string
	// Read in one go: Go may take the banner over meanwhile.
	visitor.run(chromedp.Poll(`document.querySelector("#cb-root .cb-banner .cb-title")?.textContent || false`, &title, chromedp.WithPollingTimeout(10*time.Second)))
	if title != "Vos cookies, vos choix" {
		t.Errorf("the host with the downloaded file shows the banner title %q", title)
	}
	visitor.click(`.cb-banner [data-cb-action="customise"]`)
	var dialog string
	// Read in one go, once open: Go may take the dialog over meanwhile.
	visitor.run(chromedp.Poll(`document.querySelector("dialog.cb-dialog[open]")?.textContent || false`, &dialog, chromedp.WithPollingTimeout(10*time.Second)))
	if !strings.Contains(dialog, "Vidéos") || !strings.Contains(dialog, "VISITOR_INFO1_LIVE") {
		t.Errorf("the host's dialog lacks the new category and its cookie: %q", dialog)
	}
}

// A file that is not a configuration is refused with the decoder's
// reason, and what was open stays open.
func TestConfiguratorSaysWhyAFileIsNotAConfiguration(t *testing.T) {
	p := newPage(t, 1200, 900)
	p.visitConsole(hostURL + "/console/?lang=en")
	p.click("#open-host-button")
	p.run(chromedp.WaitVisible("#valid", chromedp.ByQuery))
	broken := filepath.Join(t.TempDir(), "broken.json")
	if err := os.WriteFile(broken, []byte("{\n  \"id\": \"pau\",\n  \"revision\": \"two\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.run(chromedp.SetUploadFiles("#open-file", []string{broken}, chromedp.ByQuery))
	var said string
	p.run(chromedp.WaitVisible(".toolbar .console-error", chromedp.ByQuery), chromedp.Text(".toolbar .console-error", &said, chromedp.ByQuery))
	if !strings.Contains(said, "This file is not a readable configuration") || !strings.Contains(said, "revision: expected int, got a JSON string (line 3") {
		t.Errorf("a broken file: %q", said)
	}
	var opened string
	p.run(chromedp.Text("#status p", &opened, chromedp.ByQuery))
	if !strings.HasSuffix(opened, "pau") {
		t.Errorf("after a broken file, the open configuration is %q", opened)
	}

	// A new configuration: the template's texts, naming no portal; the
	// validator asks for an id first.
	p.click("#new-config")
	var id, summary string
	p.run(chromedp.WaitVisible("#error-summary", chromedp.ByQuery), chromedp.Text("#error-summary", &summary, chromedp.ByQuery),
		chromedp.Value(byID("field-id"), &id, chromedp.ByQuery), chromedp.Text("#status p", &opened, chromedp.ByQuery))
	if id != "" || !strings.HasPrefix(summary, "Error in") || !strings.Contains(summary, "id") || !strings.HasSuffix(opened, "New configuration") {
		t.Errorf("a new configuration: id %q, summary %q, status %q", id, summary, opened)
	}
	// No visitor was asked about it yet: a purpose added asks nobody again.
	p.click("#add-categories")
	var notices int
	p.run(chromedp.Sleep(300 * time.Millisecond))
	p.eval(`document.querySelectorAll("#revision-notice").length`, &notices)
	if notices != 0 {
		t.Error("a new configuration offers to raise its revision")
	}
}

// A new portal's team, in the French console, makes its configuration:
// nothing is red before they type, the messages are French, typing the
// portal's name writes it in the banner's title, the dark theme shows
// dark, and the file downloaded is one the host accepts beside the
// portals it serves.
func TestANewPortalsTeamMakesItsConfiguration(t *testing.T) {
	p := newPage(t, 1400, 1000)
	downloads := t.TempDir()
	p.run(browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(downloads))
	p.visitConsole(hostURL + "/console/?lang=fr")
	p.click("#new-config")
	var summary string
	var marked int
	p.run(chromedp.WaitVisible("#error-summary", chromedp.ByQuery), chromedp.Text("#error-summary", &summary, chromedp.ByQuery))
	p.eval(`document.querySelectorAll('.editor .console-error, .editor [aria-invalid="true"]').length`, &marked)
	if marked != 0 || !strings.Contains(summary, "Erreur dans id") || !strings.Contains(summary, "lettres minuscules") {
		t.Errorf("a new configuration: %d fields marked before any was touched, summary %q", marked, summary)
	}
	p.screenshot("console-new")

	p.typeInto("id", "Rennes")
	var idErr string
	p.run(chromedp.WaitVisible(byID("error-id"), chromedp.ByQuery), chromedp.Text(byID("error-id"), &idErr, chromedp.ByQuery))
	if !strings.Contains(idErr, "doit faire de 1 à 40 caractères") {
		t.Errorf("the id's error, touched: %q", idErr)
	}
	p.typeInto("id", "rennes")
	p.typeInto("name.fr", "Open Data Rennes")
	p.typeInto("name.en", "Rennes Open Data")
	p.typeInto("address", "https://data.rennesmetropole.fr")
	p.run(chromedp.WaitVisible("#valid", chromedp.ByQuery))
	if got := p.previewText(".cb-banner .cb-title", "Open Data Rennes"); got != "Cookies sur Open Data Rennes" {
		t.Errorf("the preview's banner title is %q", got)
	}

	// Dark: the preview's banner is drawn dark, whatever the system says.
	p.run(chromedp.SetValue("#preview-theme", "dark", chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("preview-theme").dispatchEvent(new Event("change", {bubbles: true}))`, nil))
	var surface string
	p.run(chromedp.Poll(`(() => { const d = document.getElementById("preview-phone")?.contentDocument;
		const el = d && d.querySelector(".cb-banner__inner"); const bg = el && getComputedStyle(el).backgroundColor;
		return bg === "rgb(28, 31, 36)" && bg; })()`, &surface, chromedp.WithPollingTimeout(10*time.Second)))
	p.screenshot("console-new-dark")

	p.click("#download")
	file := filepath.Join(downloads, "rennes.json")
	var data []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if data, _ = os.ReadFile(file); len(data) > 0 {
			break
		}
	}
	made, err := consent.Parse("rennes.json", data)
	if err != nil {
		t.Fatalf("the host refuses the new configuration: %v", err)
	}
	list, _ := portals.Builtin()
	if err := consent.CheckTogether(append(list, made), []string{"pau.json", "aveyron.json", "rennes.json"}); err != nil {
		t.Errorf("a host serving it beside the built-in portals refuses it: %v", err)
	}
	if made.Texts["en"].Banner.Title != "Cookies on Rennes Open Data" {
		t.Errorf("the English banner title is %q", made.Texts["en"].Banner.Title)
	}
}

func pau(t *testing.T) *consent.Portal {
	t.Helper()
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return list[0]
}

// The portal team opens the statistics with its token, from the keyboard,
// and reads what visitors chose: the summary, the chart drawn by the host,
// the table, the CSV; by day and by week, in light and dark.
func TestStatisticsShowThePortalTeamWhatVisitorsChose(t *testing.T) {
	const token = "e2e-console-token-0123456789"
	store, err := receipts.Open(context.Background(), filepath.Join(t.TempDir(), "receipts.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Now().In(paris)
	day := func(back int) time.Time {
		return time.Date(now.Year(), now.Month(), now.Day()-back, 11, 0, 0, 0, paris)
	}
	record := func(at time.Time, n int, accepted map[string]bool) {
		for range n {
			c := consent.NewChoice(mesure, accepted, at)
			r := receipts.Receipt{ConsentID: c.ID, Portal: mesure.ID, Revision: c.Revision, Choices: c.Accepted, Answer: mesure.AnswerOf(c.Accepted), DecidedAt: at, ReceivedAt: at}
			if err := store.Record(context.Background(), r); err != nil {
				t.Fatal(err)
			}
		}
	}
	all, none := consent.AcceptAll(mesure, now).Accepted, consent.RejectAll(mesure, now).Accepted
	youtubeOnly := map[string]bool{"audience": true, "video/youtube": true}
	for back := 1; back <= 20; back++ {
		record(day(back), 4+back%5, all)
		record(day(back), 2+back%3, none)
		record(day(back), back%2, youtubeOnly)
	}
	record(day(25), 2, all) // a day of fewer than 5 choices: merged with the next

	h, err := server.New(server.Options{Portals: []*consent.Portal{mesure}, Files: web.Files, Receipts: store, AdminToken: token, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	host := httptest.NewServer(h)
	defer host.Close()

	p := newPage(t, 1280, 900)
	p.visit(host.URL + "/console/stats?lang=en")
	p.tabTo("token")
	p.key("not-the-token" + kb.Enter)
	p.run(chromedp.WaitVisible("#token-error", chromedp.ByQuery))
	var refusal string
	p.run(chromedp.Text("#token-error", &refusal, chromedp.ByQuery))
	if refusal != "This is not the token." {
		t.Errorf("a wrong token: %q", refusal)
	}
	p.axe(t, "the statistics' login")
	p.run(chromedp.SendKeys("#token", token+kb.Enter, chromedp.ByQuery), chromedp.WaitVisible(".console-summary", chromedp.ByQuery))

	// The figures are the receipts': counted here the way the host must.
	var choices, acceptAll int
	var youtube, asked int
	for back := 1; back <= 20; back++ {
		choices += 4 + back%5 + 2 + back%3 + back%2
		acceptAll += 4 + back%5
		youtube += 4 + back%5 + back%2
	}
	choices, acceptAll, youtube = choices+2, acceptAll+2, youtube+2
	asked = choices
	var summary, total, youtubeRate string
	var bars, periods int
	p.run(chromedp.Text(".console-summary", &summary, chromedp.ByQuery),
		chromedp.Text("tfoot td", &total, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll(".console-chart svg g").length`, &bars),
		chromedp.Evaluate(`document.querySelectorAll("tbody tr").length`, &periods),
		chromedp.Evaluate(`(() => { const heads = [...document.querySelectorAll("thead th")].map(th => th.textContent);
			const col = heads.findIndex(h => h.endsWith("YouTube")); return document.querySelectorAll("tfoot th, tfoot td")[col].textContent; })()`, &youtubeRate))
	wantSummary := fmt.Sprintf("%d Choices · Accept all %.1f %%", choices, 100*float64(acceptAll)/float64(choices))
	if !strings.HasPrefix(summary, wantSummary) || total != fmt.Sprint(choices) {
		t.Errorf("summary %q, total %q; want %q…, %d", summary, total, wantSummary, choices)
	}
	if want := fmt.Sprintf("%.1f %%", 100*float64(youtube)/float64(asked)); youtubeRate != want {
		t.Errorf("YouTube's acceptance %q, want %q", youtubeRate, want)
	}
	// 20 days of choices and one small day merged with its neighbour.
	if periods != 20 || bars != 20 {
		t.Errorf("%d rows, %d bars; want 20 periods", periods, bars)
	}
	var merged string
	p.run(chromedp.Text("tbody tr:first-child th", &merged, chromedp.ByQuery))
	if !strings.Contains(merged, "(merged)") {
		t.Errorf("the first period, with the small day: %q", merged)
	}
	p.axe(t, "the statistics")
	p.fullScreenshot("console-stats")

	// The CSV the link gives, with the session the page has.
	var csv string
	p.run(chromedp.Evaluate(`fetch(document.querySelector(".console-summary a").href).then(r => r.text())`, &csv,
		func(e *runtime.EvaluateParams) *runtime.EvaluateParams { return e.WithAwaitPromise(true) }))
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	sum := 0
	for _, line := range lines[1:] {
		var n int
		fmt.Sscan(strings.Split(line, ",")[2], &n)
		sum += n
	}
	if len(lines) != 1+periods || !strings.HasPrefix(lines[0], "from,to,choices,accept_all,") || sum != choices {
		t.Errorf("the CSV has %d lines, %d choices:\n%s", len(lines), sum, csv)
	}

	// By week, from the form.
	p.run(chromedp.SetValue(`select[name="by"]`, "week", chromedp.ByQuery), chromedp.Click(`.console-filters button`, chromedp.ByQuery))
	// The form loads another page: ask until it is there.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var there bool
		if chromedp.Run(p.ctx, chromedp.Evaluate(`location.search.includes("by=week") && document.readyState === "complete"`, &there)); there {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the statistics by week never showed")
		}
	}
	var weeks int
	p.run(chromedp.Evaluate(`document.querySelectorAll("tbody tr").length`, &weeks))
	if weeks < 3 || weeks > 5 {
		t.Errorf("%d weeks of choices over 26 days", weeks)
	}
	p.run(emulateMedia(&emulation.MediaFeature{Name: "prefers-color-scheme", Value: "dark"}))
	p.axe(t, "the statistics by week, dark")
	p.screenshot("console-stats-week-dark")
}
