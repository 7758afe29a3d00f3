package e2e

import (
	"maps"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/opendata-consent/consent/consent"
)

// platformReads returns, for each tracker key, what Opendatasoft's own code
// on the page reads from cookies_preferences: allowed or not.
func (p *page) platformReads() map[string]bool {
	p.t.Helper()
	var reads map[string]bool
	p.eval(`Object.fromEntries(`+jsList(consent.PlatformKeys)+`.map(k => [k, platformAllows(k)]))`, &reads)
	return reads
}

func jsList(list []string) string { return `["` + strings.Join(list, `","`) + `"]` }

// platformAllowing is what the platform must read when exactly keys are
// allowed.
func platformAllowing(keys ...string) map[string]bool {
	reads := map[string]bool{}
	for _, k := range consent.PlatformKeys {
		reads[k] = false
	}
	for _, k := range keys {
		reads[k] = true
	}
	return reads
}

// On an Opendatasoft portal the platform's own code reads the visitor's
// choice from the same cookie: after every way of choosing, each tracker
// key reads exactly as the visitor chose (Pau maps its statistics to the
// platform's analytics; mesure maps matomo to its exempt measurement, xiti
// to YouTube and piano to all its videos).
func TestOpendatasoftReadsTheVisitorsChoice(t *testing.T) {
	portal := portalServer(t, nil)
	analytics := []string{"ga", "matomo", "xiti", "at", "piano", "eulerian"}

	t.Run("before any choice", func(t *testing.T) {
		p := newPage(t, 1280, 800)
		p.visit(portal + "/opendatasoft.html")
		p.waitLoader()
		// The platform's reading with no cookie: everything allowed. Which
		// is why a value it cannot read must never be written.
		if got := p.platformReads(); !maps.Equal(got, platformAllowing(consent.PlatformKeys...)) {
			t.Errorf("without a cookie the platform reads %v", got)
		}
	})
	for _, c := range []struct {
		name, action string
		want         map[string]bool
	}{
		{"Tout refuser", "reject-all", platformAllowing()},
		{"Tout accepter", "accept-all", platformAllowing(analytics...)},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newPage(t, 1280, 800)
			p.visit(portal + "/opendatasoft.html")
			p.waitLoader()
			p.choose(c.action)
			p.run(chromedp.Poll(`document.cookie.includes("cookies_preferences=")`, nil))
			if got := p.platformReads(); !maps.Equal(got, c.want) {
				t.Errorf("the platform reads %v, want %v", got, c.want)
			}
		})
	}
	t.Run("a customised choice, from the platform's footer button", func(t *testing.T) {
		p := newPage(t, 1280, 800)
		p.visit(portal + "/opendatasoft.html?portal=mesure")
		p.waitLoader()
		p.click(".ods-manage-cookies-preferences__show-button")
		p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
		p.click("#cb-pref-video-youtube")
		p.click(`dialog [data-cb-action="save"]`)
		p.run(chromedp.Poll(`document.cookie.includes("cookies_preferences=")`, nil))
		if got, want := p.platformReads(), platformAllowing("matomo", "xiti"); !maps.Equal(got, want) {
			t.Errorf("with YouTube alone accepted (and exempt measurement on) the platform reads %v, want %v", got, want)
		}
	})
	t.Run("a withdrawal from the charter", func(t *testing.T) {
		p := newPage(t, 1280, 800)
		p.visit(portal + "/opendatasoft.html")
		p.waitLoader()
		p.choose("accept-all")
		p.visit(portal + "/opendatasoft.html?charte")
		p.waitGo()
		p.click(`[data-consent-charter] [data-cb-action="reject-all"]`)
		p.run(chromedp.Poll(`!platformAllows("ga")`, nil))
		if got := p.platformReads(); !maps.Equal(got, platformAllowing()) {
			t.Errorf("after the withdrawal the platform reads %v", got)
		}
	})
}

// A visitor who refused on Opendatasoft's own banner, before the portal
// used this consent manager, is not asked again: no banner, before Go nor
// after; the charter says where and when the choice was made and offers to
// change it. A consent given there is asked again (Pau does not honour it).
func TestAChoiceMadeOnOpendatasoftsBanner(t *testing.T) {
	portal := portalServer(t, nil)
	at := time.Now().Add(-30 * 24 * time.Hour)
	value := func(allowed bool) string {
		var fields []string
		for _, k := range consent.PlatformKeys {
			v := "false"
			if allowed && k != "functional_cookies" {
				v = "true"
			}
			fields = append(fields, `"`+k+`":`+v)
		}
		return url.QueryEscape("{" + strings.Join(fields, ",") + `,"timestamp":` + strconv.FormatInt(at.UnixMilli(), 10) + "}")
	}

	p := newPage(t, 1280, 800)
	p.run(network.SetCookie(consent.CookieName, value(false)).WithURL(portal + "/"))
	release := holdWasmResponses(t)
	p.visit(portal + "/opendatasoft.html?charte")
	if p.bannerVisible() {
		t.Error("the banner asks a visitor who refused on Opendatasoft's banner (before Go)")
	}
	release()
	p.waitGo()
	if p.bannerVisible() {
		t.Error("the banner asks a visitor who refused on Opendatasoft's banner (once Go runs)")
	}
	var charter struct{ Origin, Date string }
	p.eval(`({ origin: document.querySelector("[data-consent-charter] .cb-platform-banner").textContent,
		date: document.querySelector("[data-consent-charter] .cb-status time").getAttribute("datetime") })`, &charter)
	if !strings.Contains(charter.Origin, "précédent bandeau") || !strings.HasPrefix(charter.Date, at.UTC().Format("2006-01-02")) {
		t.Errorf("the charter says %+v of the choice made on %s", charter, at.UTC().Format("2006-01-02"))
	}
	p.screenshot("charter-opendatasoft-banner-choice")
	if got := p.platformReads(); !maps.Equal(got, platformAllowing()) {
		t.Errorf("the platform reads %v: the value was rewritten", got)
	}

	consented := newPage(t, 1280, 800)
	consented.run(network.SetCookie(consent.CookieName, value(true)).WithURL(portal + "/"))
	consented.visit(portal + "/opendatasoft.html")
	consented.waitLoader()
	if !consented.bannerVisible() {
		t.Error("a consent given on Opendatasoft's banner was taken without asking")
	}
}
