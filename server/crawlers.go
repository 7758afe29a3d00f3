package server

import "strings"

// searchCrawlers are the user-agent tokens of the well-known search
// engines' crawlers (as each engine documents them). They get an embed
// script that does nothing: no banner in the page they index, no
// WebAssembly downloaded, the page's content as it is. navigator.webdriver
// is not a sign of a crawler: automated tests and some assistive set-ups
// set it, and their visitors need the banner.
var searchCrawlers = []string{
	"googlebot", "google-inspectiontool", "bingbot", "applebot", "duckduckbot",
	"yandexbot", "baiduspider", "qwantbot", "seznambot", "petalbot", "yahoo! slurp",
}

// isSearchCrawler tells whether a User-Agent header names one of them.
func isSearchCrawler(userAgent string) bool {
	ua := strings.ToLower(userAgent)
	for _, token := range searchCrawlers {
		if strings.Contains(ua, token) {
			return true
		}
	}
	return false
}

// crawlerEmbedJS is what a search crawler gets instead of embed.js: no
// banner, and the page API, so that the portal's own scripts that ask it
// run as for a visitor who has not chosen.
const crawlerEmbedJS = `/* consent manager: nothing to show to a search crawler */
window.consentBanner = window.consentBanner || { get: () => null, acceptedCategory: () => false, show() {}, showPreferences() {} };
`
