package e2e

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
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

// The portal team opens the host's configuration, edits a text, adds a
// category with a cookie, sees the validator's error next to its field and
// the preview follow, raises the revision, and downloads a file the host
// accepts and renders as previewed.
func TestConfiguratorEditsAConfigurationTheHostAccepts(t *testing.T) {
	p := newPage(t, 1400, 1000)
	downloads := t.TempDir()
	p.run(browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(downloads))
	p.visit(hostURL + "/console/")
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
	var disabled bool
	p.run(chromedp.WaitVisible(byID("error-categories[2].id"), chromedp.ByQuery),
		chromedp.Text(byID("error-categories[2].id"), &shown, chromedp.ByQuery),
		chromedp.AttributeValue(byID("field-categories[2].id"), "aria-invalid", &invalid, nil, chromedp.ByQuery),
		chromedp.Text("#error-summary", &summary, chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("download").disabled`, &disabled))
	if shown != wantErr.Problem || invalid != "true" || !strings.Contains(summary, wantErr.Problem) || !disabled {
		t.Errorf("error next to the id: %q (aria-invalid %q), summary %q, download disabled %v; want %q", shown, invalid, summary, disabled, wantErr.Problem)
	}
	p.fullScreenshot("console-error")

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

	// The download: the file the host starts with.
	p.click("#download")
	file := filepath.Join(downloads, "pau.json")
	deadline := time.Now().Add(10 * time.Second)
	data, err := os.ReadFile(file)
	for err != nil && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		data, err = os.ReadFile(file)
	}
	if err != nil {
		t.Fatalf("no download: %v", err)
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
	visitor.run(chromedp.WaitVisible("#cb-root .cb-banner", chromedp.ByQuery), chromedp.Text("#cb-root .cb-banner .cb-title", &title, chromedp.ByQuery))
	if title != "Vos cookies, vos choix" {
		t.Errorf("the host with the downloaded file shows the banner title %q", title)
	}
	visitor.click(`.cb-banner [data-cb-action="customise"]`)
	var dialog string
	visitor.run(chromedp.WaitVisible(".cb-dialog", chromedp.ByQuery), chromedp.TextContent(".cb-dialog", &dialog, chromedp.ByQuery))
	if !strings.Contains(dialog, "Vidéos") || !strings.Contains(dialog, "VISITOR_INFO1_LIVE") {
		t.Errorf("the host's dialog lacks the new category and its cookie: %q", dialog)
	}
}

// A file that is not a configuration is refused with the decoder's
// reason, and what was open stays open.
func TestConfiguratorSaysWhyAFileIsNotAConfiguration(t *testing.T) {
	p := newPage(t, 1200, 900)
	p.visit(hostURL + "/console/?lang=en")
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
}

func pau(t *testing.T) *consent.Portal {
	t.Helper()
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return list[0]
}
