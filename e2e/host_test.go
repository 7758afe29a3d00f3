package e2e

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/receipts"
)

func decode(t *testing.T, p *consent.Portal, c *network.Cookie) consent.Choice {
	t.Helper()
	if c == nil {
		t.Fatal("no cookies_preferences cookie")
	}
	choice, err := consent.Decode(c.Value, p, time.Now())
	if err != nil {
		t.Fatalf("cookie %q: %v", c.Value, err)
	}
	return choice
}

func TestRefuseStoresTheChoiceAndTheBannerStaysAway(t *testing.T) {
	pau := builtin(t, "pau")
	for _, size := range []struct {
		name          string
		width, height int
	}{{"desktop", 1280, 800}, {"mobile", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			p := newPage(t, size.width, size.height)
			p.visit(hostURL + "/")
			if !p.bannerVisible() {
				t.Fatal("no banner on a first visit")
			}
			if c := p.cookie(hostURL); c != nil {
				t.Fatalf("a cookie was written before any choice: %v", c.Value)
			}
			p.waitLoader()
			p.screenshot("banner-" + size.name)
			var labels []string
			p.eval(`[...document.querySelectorAll(".cb-banner .cb-btn")].map(b => b.textContent)`, &labels)
			if strings.Join(labels, "|") != "Tout accepter|Tout refuser|Personnaliser" {
				t.Errorf("banner actions %q", labels)
			}
			p.choose("reject-all")

			c := p.cookie(hostURL)
			choice := decode(t, pau, c)
			if acceptsAny(choice) {
				t.Errorf("Tout refuser stored %q", c.Value)
			}
			if c.Path != "/" || c.SameSite != network.CookieSameSiteLax || c.Secure || c.HTTPOnly {
				t.Errorf("cookie attributes: path %q, SameSite %q, Secure %v", c.Path, c.SameSite, c.Secure)
			}
			days := time.Until(time.Unix(int64(c.Expires), 0)).Hours() / 24
			if days < 181.9 || days > 182.1 {
				t.Errorf("the refusal is kept %.1f days, want 182 (6 months)", days)
			}

			p.visit(hostURL + "/")
			if p.bannerVisible() {
				t.Error("banner shown again after a refusal")
			}
			// Once the page has loaded and settled: the banner never shows
			// late either.
			p.noClientFetched()
			if p.bannerVisible() {
				t.Error("banner shown late after a refusal")
			}
			if errs := p.consoleErrors(); len(errs) > 0 {
				t.Errorf("console: %q", errs)
			}
		})
	}
}

func TestAcceptAll(t *testing.T) {
	p := newPage(t, 1280, 800)
	p.visit(hostURL + "/")
	p.waitLoader()
	p.choose("accept-all")
	if choice := decode(t, builtin(t, "pau"), p.cookie(hostURL)); !choice.Accepted["statistics"] {
		t.Errorf("Tout accepter stored %+v", choice.Accepted)
	}
}

func TestCustomiseOneCategory(t *testing.T) {
	p := newPage(t, 1280, 800)
	p.visit(hostURL + "/portails/essai/")
	p.waitLoader()
	p.click(`.cb-banner [data-cb-action="customise"]`)
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	var checked map[string]bool
	p.eval(`Object.fromEntries([...document.querySelectorAll("dialog .cb-switch")].map(s => [s.id, s.checked]))`, &checked)
	if !checked["cb-pref-necessary"] || checked["cb-pref-statistics"] || checked["cb-pref-video"] {
		t.Errorf("switches on opening: %v (only the necessary ones may be on)", checked)
	}
	p.screenshot("dialog-desktop")
	p.click("#cb-pref-statistics")
	p.click(`dialog [data-cb-action="save"]`)
	p.run(chromedp.WaitNotPresent("dialog.cb-dialog[open]", chromedp.ByQuery))
	choice := decode(t, essai, p.cookie(hostURL))
	if !choice.Accepted["statistics"] || choice.Accepted["video"] {
		t.Errorf("saved %v, want statistics only", choice.Accepted)
	}
	if p.bannerVisible() {
		t.Error("banner still visible after saving")
	}
}

func TestDialogOnMobile(t *testing.T) {
	p := newPage(t, 390, 844)
	p.visit(hostURL + "/")
	p.waitLoader()
	p.click(`.cb-banner [data-cb-action="customise"]`)
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	var fits bool
	p.eval(`(() => { const r = document.querySelector("dialog.cb-dialog").getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; })()`, &fits)
	if !fits {
		t.Error("the dialog overflows a 390 px screen")
	}
	p.screenshot("dialog-mobile")
}

// On a phone the charter reads down the screen: before a choice (a
// sentence says there is none) and after one (the choice, label and value),
// nothing in it pushes the page sideways.
func TestCharterFitsANarrowScreen(t *testing.T) {
	for _, width := range []int{320, 390} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			p := newPage(t, width, 800)
			p.visit(hostURL + "/charte")
			p.waitGo()
			sideways := func(when string) {
				var wide struct{ Page, Screen int }
				p.eval(`({ page: document.documentElement.scrollWidth, screen: innerWidth })`, &wide)
				if wide.Page > wide.Screen {
					t.Errorf("%s, the charter page is %d px wide on a %d px screen", when, wide.Page, wide.Screen)
				}
			}
			sideways("before a choice")
			p.click(`.cb-banner [data-cb-action="reject-all"]`)
			p.run(chromedp.WaitVisible(`[data-consent-charter] dl.cb-status`, chromedp.ByQuery))
			sideways("after a choice")
			p.eval(`document.querySelector("[data-consent-charter] dl.cb-status").scrollIntoView()`, nil)
			p.screenshot(fmt.Sprintf("charter-%d-after-choice", width))
		})
	}
}

func TestCharterListsTheSeedCookiesAndChangesTheChoice(t *testing.T) {
	pau := builtin(t, "pau")
	p := newPage(t, 1280, 800)
	p.visit(hostURL + "/")
	p.waitLoader()
	p.click(`.cb-banner [data-cb-action="accept-all"]`)
	first := decode(t, pau, p.cookie(hostURL))

	p.visit(hostURL + "/charte")
	p.waitGo()
	var names []string
	p.eval(`[...document.querySelectorAll("[data-consent-charter] table[data-category=necessary] tbody tr td:nth-child(3)")].map(td => td.textContent)`, &names)
	if strings.Join(names, " ") != "sessionid django_language csrftoken cookies_preferences" {
		t.Errorf("charter cookie table lists %q", names)
	}
	var shownID string
	p.eval(`document.querySelector("[data-consent-charter] .cb-consent-id").textContent`, &shownID)
	if shownID != first.ID {
		t.Errorf("charter shows consent id %q, the cookie holds %q", shownID, first.ID)
	}
	p.screenshot("charter-desktop")

	p.click("#cb-charter-statistics")
	p.click(`[data-consent-charter] [data-cb-action="save"]`)
	p.run(chromedp.WaitVisible(`[data-consent-charter] dd[data-category="statistics"]`, chromedp.ByQuery))
	var verdict string
	p.run(chromedp.Poll(`document.querySelector('[data-consent-charter] dd[data-category="statistics"]').textContent === "Refusé"`, nil))
	p.eval(`document.querySelector('[data-consent-charter] dd[data-category="statistics"]').textContent`, &verdict)
	second := decode(t, pau, p.cookie(hostURL))
	if second.Accepted["statistics"] || second.ID == first.ID {
		t.Errorf("after withdrawing from the charter: %+v (was %+v)", second, first)
	}
	p.fullScreenshot("charter-desktop-full")
	if p.bannerVisible() {
		t.Error("the banner showed on the charter page although a choice is stored")
	}
	if errs := p.consoleErrors(); len(errs) > 0 {
		t.Errorf("console: %q", errs)
	}
}

func TestCharterReadsWithoutJavaScript(t *testing.T) {
	p := newPage(t, 390, 844)
	p.run(emulation.SetScriptExecutionDisabled(true))
	p.visit(hostURL + "/charte")
	var text string
	p.eval(drawWholeCharter+`document.body.innerText`, &text)
	for _, want := range []string{"Charte cookies", "Qu'est ce qu'un cookie ?", "sessionid", "django_language", "csrftoken", "cookies_preferences", "Activez JavaScript"} {
		if !strings.Contains(text, want) {
			t.Errorf("without JavaScript the charter lacks %q", want)
		}
	}
	p.screenshot("charter-mobile-nojs")
}

func TestBadCookiesShowTheBannerWithoutErrors(t *testing.T) {
	pau := builtin(t, "pau")
	good := consent.AcceptAll(pau, time.Now())
	old := consent.AcceptAll(pau, time.Now().Add(-200*24*time.Hour))
	for name, value := range map[string]string{
		"garbage":         "%%%garbage{}",
		"other format":    "necessary:true,statistics:false",
		"older revision":  strings.Replace(good.Encode(pau), "%22revision%22%3A1", "%22revision%22%3A0", 1),
		"dotted format":   "1.1." + strconv.FormatInt(time.Now().Unix(), 10) + "." + good.ID + ".statistics=1",
		"expired":         old.Encode(pau),
		"truncated":       good.Encode(pau)[:20],
		"4 KB of garbage": strings.Repeat("~%{}!x", 650),
	} {
		t.Run(name, func(t *testing.T) {
			p := newPage(t, 1280, 800)
			p.run(network.SetCookie(consent.CookieName, value).WithURL(hostURL + "/"))
			p.visit(hostURL + "/")
			p.waitLoader()
			if !p.bannerVisible() {
				t.Errorf("cookie %q hid the banner", value)
			}
			p.choose("reject-all")
			decode(t, pau, p.cookie(hostURL))
			if errs := p.consoleErrors(); len(errs) > 0 {
				t.Errorf("console: %q", errs)
			}
		})
	}
}

// Copies of the cookie at several paths (a portal's pages set them over the
// years) show the banner; the next choice leaves a single, valid cookie.
func TestDuplicatedCookiesAreRepairedByTheNextChoice(t *testing.T) {
	good := consent.AcceptAll(essai, time.Now())
	p := newPage(t, 1280, 800)
	for path, value := range map[string]string{
		"/":                "%%%garbage{}",
		"/portails":        strings.Replace(good.Encode(essai), "%22revision%22%3A3", "%22revision%22%3A2", 1),
		"/portails/essai/": good.Encode(essai)[:30],
	} {
		p.run(network.SetCookie(consent.CookieName, value).WithURL(hostURL + "/").WithPath(path))
	}
	p.visit(hostURL + "/portails/essai/")
	p.waitLoader()
	if !p.bannerVisible() {
		t.Fatal("no banner with three bad copies of the cookie")
	}
	p.choose("reject-all")
	var copies []string
	p.eval(`document.cookie.split("; ").filter(c => c.startsWith("cookies_preferences="))`, &copies)
	if len(copies) != 1 {
		t.Fatalf("after the choice the page holds %d copies: %q", len(copies), copies)
	}
	if _, err := consent.Decode(strings.TrimPrefix(copies[0], "cookies_preferences="), essai, time.Now()); err != nil {
		t.Errorf("the copy left is not valid: %v", err)
	}
	if errs := p.consoleErrors(); len(errs) > 0 {
		t.Errorf("console: %q", errs)
	}
}

// After writing a choice, the page posts its receipt (fetch with keepalive,
// web/loader.js): the host keeps the consent id, the portal, the revision,
// the choices and the date, and nothing about the visitor.
func TestChoiceReceiptIsKept(t *testing.T) {
	p := newPage(t, 1280, 800)
	p.visit(hostURL + "/portails/essai/")
	p.waitLoader()
	p.choose("accept-all")
	choice := decode(t, essai, p.cookie(hostURL))
	var kept []receipts.Receipt
	for deadline := time.Now().Add(10 * time.Second); len(kept) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var err error
		if kept, err = receiptStore.ByID(context.Background(), choice.ID); err != nil {
			t.Fatal(err)
		}
	}
	if len(kept) != 1 {
		t.Fatalf("no receipt for consent id %s", choice.ID)
	}
	r := kept[0]
	if r.Portal != "essai" || r.Revision != essai.Revision || !r.DecidedAt.Equal(choice.DecidedAt) || !maps.Equal(r.Choices, choice.Accepted) {
		t.Errorf("receipt %+v, the cookie holds %+v", r, choice)
	}
}

// The host's own pages inline their stylesheet (one request less before
// the banner paints) under a CSP that allows it by hash: nothing is blocked.
func TestHostPagesKeepTheirStylesUnderTheirCSP(t *testing.T) {
	p := newPage(t, 1280, 800)
	p.beforeEveryPage(`window.violations = [];
		document.addEventListener("securitypolicyviolation", e => violations.push(e.violatedDirective + " " + e.blockedURI));`)
	for _, page := range []string{"/", "/charte", "/portails/aveyron/?lang=en"} {
		p.visit(hostURL + page)
		// Go runs on the charter page; the others do not fetch it.
		if strings.Contains(page, "charte") {
			p.waitGo()
		} else {
			p.noClientFetched()
		}
		var styled struct {
			Header     string
			Violations []string
		}
		p.eval(`({ header: getComputedStyle(document.querySelector(".site-header")).backgroundColor, violations })`, &styled)
		if styled.Header == "rgba(0, 0, 0, 0)" || len(styled.Violations) > 0 {
			t.Errorf("%s: header background %s, CSP violations %q", page, styled.Header, styled.Violations)
		}
	}
}
