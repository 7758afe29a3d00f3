// Package choicecases reads the tables of cases that Go and the page must
// run alike (consent/testdata: choices.json, openings.json, switches.json,
// languages.json). The first is the table of choices stored the action taken on a page
// at an address, holding some cookies, and what storing it does, to the
// byte: the document.cookie assignments in order, the choices published,
// what consent:change says was withdrawn and cleared. consent's test runs
// it natively; e2e's in Chromium, before Go (the page's own code) and with
// Go.
package choicecases

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// Case is one choice stored.
type Case struct {
	Name string
	// URL is the page's address; its port is the test server's.
	URL string
	// Cookies are the page's cookies before the choice ("name=value"),
	// set for its host alone.
	Cookies []string
	// Before is the action of a choice stored first, "" for none.
	Before string
	// Action is the button clicked: accept-all, reject-all, continue (in
	// the banner), or save (in the dialog, the switches of Switches on).
	Action   string
	Switches []string
	Want     Want
}

// Want is what storing the choice does.
type Want struct {
	// Categories is what window.consentBanner.get() publishes.
	Categories map[string]bool
	// Writes are the document.cookie assignments, in order; @VALUE
	// stands for the choice's encoded value.
	Writes []string
	// Withdrawn and Cleared are consent:change's.
	Withdrawn, Cleared []string
}

// Load reads the table of choices at path.
func Load(path string) (portal string, cases []Case, err error) { return loadTable[Case](path) }

// loadTable reads a table of cases at path: its portal's id and its cases.
func loadTable[T any](path string) (portal string, cases []T, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	var table struct {
		Portal string
		Cases  []T
	}
	if err := json.Unmarshal(data, &table); err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	return table.Portal, table.Cases, nil
}

// Location is the case's page address: its host name and path.
func (c Case) Location() (hostname, pathname string) {
	u, err := url.Parse(c.URL)
	if err != nil {
		panic(err)
	}
	return u.Hostname(), u.Path
}

// Writes returns want with @VALUE replaced by value.
func Writes(want []string, value string) []string {
	out := make([]string, len(want))
	for i, w := range want {
		out[i] = strings.ReplaceAll(w, "@VALUE", value)
	}
	return out
}

// Opening is a case of consent/testdata/openings.json: what a page shows
// and publishes before the visitor acts.
type Opening struct {
	Name string
	// Stored is the action of a choice stored before, "" for none.
	Stored string
	// GPC tells whether the browser sends Global Privacy Control.
	GPC  bool
	Want struct {
		Asks, GPC  bool
		Categories map[string]bool
	}
}

// LoadOpenings reads the table of openings at path.
func LoadOpenings(path string) (portal string, cases []Opening, err error) {
	return loadTable[Opening](path)
}

// Switching is a case of consent/testdata/switches.json: the dialog's
// switches after some clicks.
type Switching struct {
	Name string
	// Stored is the action of a choice stored before, "" for none.
	Stored string
	// Clicks are the switches clicked in turn, by key.
	Clicks []string
	Want   map[string]bool
}

// LoadSwitchings reads the table of switches at path.
func LoadSwitchings(path string) (portal string, cases []Switching, err error) {
	return loadTable[Switching](path)
}

// Language is a case of consent/testdata/languages.json: the language the
// banner speaks for a page's <html lang> and the browser's languages.
type Language struct {
	Name, HTML string
	Browser    []string
	Want       string
}

// LoadLanguages reads the table of languages at path.
func LoadLanguages(path string) (portal string, cases []Language, err error) {
	return loadTable[Language](path)
}
